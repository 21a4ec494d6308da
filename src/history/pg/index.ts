/** The PostgreSQL history store: `createPgStore(url)` gives a `RunStore` with group commit, leases and LISTEN/NOTIFY. */
export { createPgStore, type AsyncHistoryWriter, type PgClaimedRun, type PgStore, type PgStoreOptions } from './pg-store.ts';
export { LeaseLostError } from './errors.ts';
export { displayUrl } from './location.ts';
export type { CommitStats } from './group-commit.ts';
