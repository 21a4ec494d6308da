/**
 * A workflow for test/queue/worker-cli.test.ts: a plain step and a routed step with two candidate
 * workers, so `orchestai worker --workflow` must serve three workers.
 */
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';

const text = z.object({ text: z.string() });

export const shout = defineWorker({ name: 'shout', description: 'Upper-cases a text.', input: text, output: text, run: ({ text }) => ({ text: text.toUpperCase() }) });
const whisper = defineWorker({ name: 'whisper', description: 'Lower-cases a text.', input: text, output: text, run: ({ text }) => ({ text: text.toLowerCase() }) });
const echoText = defineWorker({ name: 'echo-text', description: 'Returns the text.', input: text, output: text, run: ({ text }) => ({ text }) });

export default defineWorkflow({
  id: 'queue-fixture',
  onFailure: 'failed',
  steps: [
    { id: 'loud', worker: shout },
    { id: 'tone', candidates: [whisper, echoText] },
  ],
});
