// A TypeScript workflow module of the project: `orchestai run ./flows/greet.ts` loads it with the
// package's own TypeScript loader, and orchestai.config.ts lists it for replay and the viewer.
import { z } from 'zod';
import { defineWorker, defineWorkflow } from 'orchestai';
import { template } from 'orchestai/transformers';

const greet = defineWorker({
  name: 'greet',
  description: 'Greets someone by name.',
  input: z.object({ line: z.string() }),
  output: z.object({ greeting: z.string() }),
  run: ({ line }): { greeting: string } => ({ greeting: line }),
});

const shout = defineWorker({
  name: 'shout',
  description: 'Upper-cases a greeting.',
  input: z.object({ greeting: z.string() }),
  output: z.object({ greeting: z.string() }),
  run: ({ greeting }) => ({ greeting: greeting.toUpperCase() }),
});

export const greetWorkflow = defineWorkflow({
  id: 'greet',
  steps: [
    { id: 'greet', worker: greet, input: template({ line: 'Hello, {{input.name}}!' }), onSuccess: 'shout' },
    { id: 'shout', worker: shout, onSuccess: 'succeeded' },
  ],
  onFailure: 'failed',
});

export default greetWorkflow;
export const defaultInput = { name: 'Ada' };
