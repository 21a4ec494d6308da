import { asRunBrowser } from '../history/jsonl-run-store.ts';
import type { RunBrowser } from '../history/run-store.ts';
import type { HistoryStore } from '../history/store.ts';

/**
 * The viewer and the server read any store through the asynchronous `RunBrowser`: a database
 * store is one already, the JSONL store is wrapped (`asRunBrowser`). For a JSONL store they also
 * keep its files at hand, for what only files have: a history's path to show, and a damaged
 * history read line by line.
 */

/** What the viewer and the server are given: the JSONL store, or a store that is a `RunBrowser` (PostgreSQL). */
export type AnyStore = HistoryStore | RunBrowser;

/** The part of a JSONL store the viewer uses besides its `RunBrowser`. */
export type HistoryFiles = Pick<HistoryStore, 'root' | 'pathOf'>;

export interface StoreView {
  browser: RunBrowser;
  /** Where the histories are, as shown on the page: the JSONL root, or the database URL without its password. */
  label: string;
  /** The history files, for a JSONL store only. */
  files?: HistoryFiles;
}

/**
 * Whether a store is a `RunBrowser` already (the JSONL `HistoryStore` is not: it has no `follow`).
 *
 * @example
 * isRunBrowser(createJsonlStore()); // false
 */
export function isRunBrowser(store: AnyStore): store is RunBrowser {
  return typeof (store as Partial<RunBrowser>).follow === 'function';
}

/**
 * The viewer's view of a store; `pollMs`: how often a JSONL history is looked at while followed.
 *
 * @example
 * const view = storeView(createJsonlStore());
 * await view.browser.listRuns({ limit: 20 });
 */
export function storeView(store: AnyStore, options: { pollMs?: number } = {}): StoreView {
  if (isRunBrowser(store)) return { browser: store, label: store.location };
  return { browser: asRunBrowser(store, options), label: store.root, files: store };
}
