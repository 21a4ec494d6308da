import { z } from 'zod';
import { defineWorker, defineWorkflow, type Workflow } from '../../machines/index.ts';

/**
 * The `shop` workflow the hand-written histories in `histories.ts` follow:
 * fetch (3 attempts) -> summarize -> approve (approval) -> publish.
 */
const worker = (name: string) =>
  defineWorker({ name, description: `Test worker ${name}.`, input: z.any(), output: z.any(), run: (x) => x, retry: { maxAttempts: 3 } });

export function shopWorkflow(): Workflow {
  return defineWorkflow({
    id: 'shop',
    onFailure: 'failed',
    steps: [
      { id: 'fetch', worker: worker('fetch-worker'), onSuccess: 'summarize' },
      { id: 'summarize', worker: worker('summarize-worker'), onSuccess: 'approve', retry: { maxAttempts: 1 } },
      { id: 'approve', type: 'approval', timeoutMs: 60_000, onSuccess: 'publish' },
      { id: 'publish', worker: worker('publish-worker'), onSuccess: 'succeeded' },
    ],
  });
}
