/**
 * `orchestai/scale`: the scale-out path. Histories in PostgreSQL (`createPgStore`), hubs that drive
 * runs from it and take over the runs of a hub that died (`startHub`), attempts handed to worker
 * processes through BullMQ on Redis (`createQueueExecutor`, `startWorkerPool`), an opt-in results
 * cache (`withResultsCache`), and a client to start runs and wait for them (`submitRun`,
 * `waitForRun`). The CLI has the same as `orchestai hub`, `orchestai worker` and
 * `orchestai server --store postgres://…`.
 */
export { createPgStore, LeaseLostError, type PgStore, type PgStoreOptions } from './history/pg/index.ts';
export { startHub, type Hub, type HubOptions } from './hub/hub.ts';
export { submitRun, waitForRun } from './hub/client.ts';
export { createQueueExecutor, type QueueExecutor, type QueueExecutorOptions } from './queue/queue-executor.ts';
export { startWorkerPool, type WorkerPool, type WorkerPoolOptions } from './queue/worker-pool.ts';
export { withResultsCache, type ResultsCacheOptions } from './queue/results-cache.ts';
export { UnknownRunError, type RunStore, type RunBrowser, type ClaimedRun, type NewRunMeta } from './history/run-store.ts';
export type { AttemptExecutor, AttemptOptions, AttemptResult } from './runtime/attempt.ts';
