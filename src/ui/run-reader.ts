import type { HistoryEvent } from '../../machines/history/events.ts';
import { UnknownRunError } from '../history/run-store.ts';
import { HttpError } from './errors.ts';
import type { StoreView } from './store-view.ts';

/**
 * Reads run histories for the viewer. The page polls a live run every second: a JSONL store
 * parses a history once per version of its file (see jsonl-run-store.ts); for a database store
 * the events already read are kept and only the ones after them are asked for (histories only
 * grow). A failure becomes the `HttpError` the user sees: 404 for an unknown run, 422 naming the
 * file and line of an unreadable history, 409 for a run submitted to a database store that no
 * hub has started yet (it has no events).
 */

export type RunReader = (runId: string) => Promise<{ events: HistoryEvent[]; file: string }>;

/** How many histories a database store's reader keeps; the oldest is dropped first. */
const CACHE_SIZE = 64;

/**
 * A reader over a store with its own cache.
 *
 * @example
 * const readRun = createRunReader(storeView(createJsonlStore()));
 * const { events, file } = await readRun('20261121T200000Z-a1b2'); // rejects with HttpError 404 if absent
 */
export function createRunReader(view: StoreView): RunReader {
  const grow = growingReader(view);
  return async (runId) => {
    const file = whereOf(view, runId);
    if (!(await view.browser.exists(runId))) throw noSuchRun(view, runId);
    const events = await readOrExplain(runId, file, () => (view.files ? view.browser.read(runId) : grow(runId)));
    if (events.length > 0) return { events, file };
    if (view.files) throw new HttpError(422, 'History is empty', `${file} has no events.`, { file, line: 1 });
    throw new HttpError(409, 'Run queued', `run ${runId} is queued: no hub has started it yet, so it has no events; this page shows it once one does.`);
  };
}

/** Where a run's history is, as the page shows it: its file, or the store and the run id. */
function whereOf(view: StoreView, runId: string): string {
  if (!view.files) return `${view.label} run ${runId}`;
  try {
    return view.files.pathOf(runId);
  } catch {
    throw new HttpError(404, 'No such run', `"${runId}" is not a run id.`);
  }
}

const noSuchRun = (view: StoreView, runId: string) => new HttpError(404, 'No such run', `There is no run "${runId}" in ${view.label}.`);

async function readOrExplain(runId: string, file: string, read: () => Promise<HistoryEvent[]>): Promise<HistoryEvent[]> {
  try {
    return await read();
  } catch (e: any) {
    if (e instanceof UnknownRunError) throw new HttpError(404, 'No such run', `There is no run "${runId}" (${e.message}).`);
    if (typeof e?.line === 'number') {
      throw new HttpError(422, 'History cannot be read', String(e.message), { file: e.file ?? file, line: e.line });
    }
    throw new HttpError(500, 'History cannot be read', `${file}: ${e?.message ?? e}`, { file });
  }
}

/** For a database store: the events read so far per run, extended with those after the last one. */
function growingReader(view: StoreView): (runId: string) => Promise<HistoryEvent[]> {
  const cache = new Map<string, HistoryEvent[]>();
  return async (runId) => {
    const known = cache.get(runId) ?? [];
    const more = await view.browser.read(runId, known.at(-1)?.seq ?? 0);
    const events = more.length ? [...known, ...more] : known;
    cache.delete(runId);
    if (events.length) cache.set(runId, events);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return events;
  };
}
