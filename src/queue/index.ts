/**
 * Worker processes through Redis (BullMQ): the hub's executor, the worker pool, the results cache.
 * Kept apart from the main entry point so a plain `run()` never loads BullMQ.
 */
export { createQueueExecutor, type QueueExecutor, type QueueExecutorOptions, type AttemptJobData } from './queue-executor.ts';
export { startWorkerPool, type WorkerPool, type WorkerPoolOptions, type PoolAttempt } from './worker-pool.ts';
export { withResultsCache, canonicalJson, resultsCacheDigest, DEFAULT_CACHE_TTL_MS, type CachedExecutor, type ResultsCacheOptions } from './results-cache.ts';
export { parseRedisUrl, redactRedisUrl, pingRedis, RedisUrlError } from './connection.ts';
export { servedWorkers } from './served-workers.ts';
