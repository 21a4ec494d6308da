import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';

/** A draft step, then an approval step with a long timeout: a run that waits for someone to decide. */
const draft = defineWorker({
  name: 'draft',
  description: 'Writes a draft.',
  input: z.object({ topic: z.string() }),
  output: z.object({ text: z.string() }),
  run: ({ topic }) => ({ text: `a draft about ${topic}` }),
});

export default defineWorkflow({
  id: 'needs-approval',
  onFailure: 'failed',
  steps: [
    { id: 'draft', worker: draft },
    { id: 'publish', type: 'approval', timeoutMs: 3_600_000, onSuccess: 'succeeded' },
  ],
});

export const defaultInput = { topic: 'tides' };
