import { z } from 'zod';
import { defineWorker } from '../../../machines/index.ts';

/** A worker of the user's own, for a workflow file that names it by module and export. */
export const shout = defineWorker({
  name: 'shout',
  description: 'Upper-cases a text and adds an exclamation mark.',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ text }) => ({ text: `${text.toUpperCase()}!` }),
});

/** A second worker for the same texts, so a step can name both as candidates and a router choose. */
export const whisper = defineWorker({
  name: 'whisper',
  description: 'Lower-cases a text and wraps it in dots.',
  input: z.object({ text: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ text }) => ({ text: `...${text.toLowerCase()}...` }),
});
