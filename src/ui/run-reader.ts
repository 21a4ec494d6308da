import fs from 'node:fs';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { UiStore } from './context.ts';
import { HttpError } from './errors.ts';

/**
 * Reads run histories for the viewer. The page polls a live run every second, so parsed
 * events are cached by file size and mtime; a failure becomes the `HttpError` the user sees
 * (404 for an unknown run, 422 naming the file and line of an unreadable history).
 */

export type RunReader = (runId: string) => { events: HistoryEvent[]; file: string };

/** How many parsed histories to keep; the oldest is dropped first. */
const CACHE_SIZE = 64;

/**
 * A reader over `store` with its own cache.
 *
 * @example
 * const readRun = createRunReader(createJsonlStore());
 * const { events, file } = readRun('20261121T200000Z-a1b2'); // throws HttpError 404 if absent
 */
export function createRunReader(store: UiStore): RunReader {
  const cache = new Map<string, { mtimeMs: number; size: number; events: HistoryEvent[] }>();
  return (runId) => {
    const file = fileOf(store, runId);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      // Not a file on disk: a store that keeps histories elsewhere, or no such run.
      if (!store.exists(runId)) throw new HttpError(404, 'No such run', `There is no run "${runId}" in ${store.root}.`);
      return { events: store.read(runId), file };
    }
    const hit = cache.get(runId);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { events: hit.events, file };
    const events = parseHistory(store, runId, file);
    cache.set(runId, { mtimeMs: st.mtimeMs, size: st.size, events });
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return { events, file };
  };
}

function fileOf(store: UiStore, runId: string): string {
  try {
    return store.pathOf(runId);
  } catch {
    throw new HttpError(404, 'No such run', `"${runId}" is not a run id.`);
  }
}

function parseHistory(store: UiStore, runId: string, file: string): HistoryEvent[] {
  let events: HistoryEvent[];
  try {
    events = store.read(runId);
  } catch (e: any) {
    if (typeof e?.line === 'number') {
      throw new HttpError(422, 'History cannot be read', String(e.message), { file: e.file ?? file, line: e.line });
    }
    throw new HttpError(500, 'History cannot be read', `${file}: ${e?.message ?? e}`, { file });
  }
  if (events.length === 0) throw new HttpError(422, 'History is empty', `${file} has no events.`, { file, line: 1 });
  return events;
}
