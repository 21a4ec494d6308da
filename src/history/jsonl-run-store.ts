import fs from 'node:fs';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { UnknownRunError, type RunBrowser } from './run-store.ts';
import type { HistoryStore } from './store.ts';

/**
 * The JSONL store seen through the asynchronous `RunBrowser`, so the server and the viewer read
 * it the same way as a database store. Reads wrap the synchronous calls; parsed histories are
 * kept per file version (size and mtime), so a page that polls a live run, or a stream that
 * follows it, parses only what moved. `follow` watches the file (inotify) and also looks every
 * `pollMs`, because fs.watch can miss changes (network file systems, some containers).
 */

export interface JsonlBrowserOptions {
  /** How often `follow` looks at a history besides the file watch; default 100 ms. */
  pollMs?: number;
}

/** How many parsed histories to keep; the oldest is dropped first. */
const CACHE_SIZE = 64;

/**
 * The JSONL store as a `RunBrowser`.
 *
 * @example
 * const browser = asRunBrowser(createJsonlStore());
 * const stop = browser.follow(runId, 0, (e) => console.log(e.seq, e.type));
 */
export function asRunBrowser(store: HistoryStore, options: JsonlBrowserOptions = {}): RunBrowser {
  const pollMs = options.pollMs ?? 100;
  const readAll = cachedReader(store);
  const exists = (runId: string) => validId(store, runId) && store.exists(runId);
  const readAfter = (runId: string, afterSeq = 0) => {
    if (!exists(runId)) throw new UnknownRunError(runId);
    return readAll(runId).filter((e) => e.seq > afterSeq);
  };
  return {
    kind: 'jsonl',
    location: store.root,
    read: async (runId, afterSeq) => readAfter(runId, afterSeq),
    exists: async (runId) => exists(runId),
    listRuns: async (query) => store.listRuns(query),
    async holderOf(runId) {
      if (!exists(runId)) return undefined;
      const owner = store.ownerOf(runId);
      return owner ? { holder: owner.owner, alive: owner.alive } : undefined;
    },
    follow: (runId, afterSeq, onEvent) => followFile(store, runId, afterSeq, onEvent, readAfter, pollMs),
    sendControl: async (runId, request) => store.control.send(runId, request),
    controlRequests: async (runId) => store.control.requests(runId),
    delete: async (runId) => store.delete(runId),
  };
}

/** Whether `runId` can name a history at all (the store refuses ids that could escape its folder). */
function validId(store: HistoryStore, runId: string): boolean {
  try {
    store.pathOf(runId);
    return true;
  } catch {
    return false;
  }
}

/** `store.read`, parsed once per version (size, mtime) of the file. */
function cachedReader(store: HistoryStore): (runId: string) => HistoryEvent[] {
  const cache = new Map<string, { size: number; mtimeMs: number; events: HistoryEvent[] }>();
  return (runId) => {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(store.pathOf(runId));
    } catch {
      st = undefined; // not on disk (a wrapped store of another kind): read each time
    }
    const hit = cache.get(runId);
    if (st && hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.events;
    const events = store.read(runId);
    if (st) {
      cache.delete(runId);
      cache.set(runId, { size: st.size, mtimeMs: st.mtimeMs, events });
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return events;
  };
}

/**
 * Delivers the events appended after `afterSeq`, in order, each once: at once for those already
 * there, then on each change of the file (watch) or poll. A history not there yet (a run about to
 * start) or unreadable for a moment is looked at again at the next poll.
 */
function followFile(
  store: HistoryStore,
  runId: string,
  afterSeq: number,
  onEvent: (event: HistoryEvent) => void,
  readAfter: (runId: string, afterSeq: number) => HistoryEvent[],
  pollMs: number,
): () => void {
  let last = afterSeq;
  let stopped = false;
  let watcher: fs.FSWatcher | undefined;
  const look = () => {
    if (stopped) return;
    let events: HistoryEvent[];
    try {
      events = readAfter(runId, last);
    } catch {
      return;
    }
    for (const e of events) {
      if (stopped) return;
      last = e.seq;
      onEvent(e);
    }
    if (!watcher) watcher = watchFile(store, runId, look);
  };
  const timer = setInterval(look, pollMs);
  setImmediate(look); // never call back from inside follow(): the caller is still setting up
  return () => {
    stopped = true;
    clearInterval(timer);
    watcher?.close();
  };
}

/** An inotify watch on the history, or undefined where watching is not possible (the poll remains). */
function watchFile(store: HistoryStore, runId: string, onChange: () => void): fs.FSWatcher | undefined {
  try {
    const watcher = fs.watch(store.pathOf(runId), { persistent: false }, () => onChange());
    watcher.on('error', () => undefined);
    return watcher;
  } catch {
    return undefined;
  }
}
