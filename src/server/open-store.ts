import { createJsonlStore } from '../history/jsonl-store.ts';
import type { RunStore } from '../history/run-store.ts';
import type { HistoryStore } from '../history/store.ts';

/**
 * The store `orchestai server` and `orchestai ui` serve, from `--store` (or `$ORCHESTAI_STORE`):
 * a `postgres://` URL opens the PostgreSQL store (its driver is loaded only then); a folder opens
 * the JSONL store there; nothing opens the JSONL store at `$ORCHESTAI_HOME` (else `.orchestai/`).
 */

/** The store, only on the scale-out path (it loads the PostgreSQL driver). */
const loadPgStore = () => import('../history/pg/pg-store.ts');

export interface OpenedStore {
  store: HistoryStore | RunStore;
  /** Where it is, for a startup line: a folder, or the URL without its password. */
  location: string;
  /** Ends the database store's pools and listeners; nothing for the JSONL store. */
  close(): Promise<void>;
}

/** Whether `--store` names a PostgreSQL database. */
export const isPostgresUrl = (spec: string) => /^postgres(ql)?:\/\//i.test(spec);

/**
 * A text (a URL, or a message quoting one) with the password of every URL in it masked. The
 * password runs to the last `@` before the host (a host has none), so one holding `@` or `:` is
 * masked whole.
 *
 * @example
 * withoutPassword('postgres://me:s3cret@db/x'); // 'postgres://me:***@db/x'
 */
export function withoutPassword(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^\s/]*@/gi, '$1:***@');
}

/**
 * Opens the store a command was pointed at.
 *
 * @example
 * const { store, close } = await openStore(values.store ?? io.env.ORCHESTAI_STORE, io.env);
 */
export async function openStore(spec: string | undefined, env: Record<string, string | undefined>): Promise<OpenedStore> {
  if (spec && isPostgresUrl(spec)) {
    const { createPgStore } = await loadPgStore();
    const store = await createPgStore(spec);
    return { store, location: store.location, close: () => store.close() };
  }
  const store = createJsonlStore(spec || env.ORCHESTAI_HOME);
  return { store, location: store.root, close: async () => {} };
}
