import type { EventOf } from '../../machines/history/events.ts';
import type { Json } from '../../transformers/index.ts';
import type { NewRunMeta, RunBrowser, RunStore } from '../history/run-store.ts';
import { newRunId } from '../run.ts';

/**
 * Starts a run on the scale-out path: records it in the store, where a hub (`orchestai hub`,
 * `startHub`) takes it within moments. Returns its id; `waitForRun` gives its end.
 *
 * @example
 * const runId = await submitRun(store, 'article', { topic: 'statecharts' }, { priority: 1 });
 * const finished = await waitForRun(store, runId);
 */
export async function submitRun(store: Pick<RunStore, 'submit'>, workflowId: string, input: Json, options: Omit<NewRunMeta, 'workflowId'> & { runId?: string } = {}): Promise<string> {
  const { runId = newRunId(), ...meta } = options;
  await store.submit(runId, { ...meta, workflowId }, input);
  return runId;
}

/**
 * Resolves with a run's `run.finished` event (status, output, error, cost) once a hub records it,
 * whichever hub drives the run and however often it moves between hubs.
 *
 * @example
 * const { status, output } = await waitForRun(store, runId);
 */
export function waitForRun(store: Pick<RunBrowser, 'follow'>, runId: string, options: { signal?: AbortSignal } = {}): Promise<EventOf<'run.finished'>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      stop();
      reject(options.signal!.reason ?? new Error(`stopped waiting for run ${runId}`));
    };
    const stop = store.follow(runId, 0, (event) => {
      if (event.type !== 'run.finished') return;
      stop();
      options.signal?.removeEventListener('abort', onAbort);
      resolve(event);
    });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
