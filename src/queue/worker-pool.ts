import os from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { AnyWorker } from '../../machines/worker.ts';
import { systemClock } from '../clock.ts';
import { runAttempt, type AttemptResult } from '../runtime/attempt.ts';
import { pingRedis, redisClients, type QueueRedis } from './connection.ts';
import { cancelStreamKey, DEFAULT_PREFIX, queueName } from './names.ts';
import type { AttemptJobData } from './queue-executor.ts';

/** One attempt a pool carried out, for logs and tests. */
export interface PoolAttempt {
  worker: string;
  jobId: string;
  runId: string;
  step: string;
  attempt: number;
  result: AttemptResult;
}

export interface WorkerPoolOptions {
  /** `redis://host:port/db`. */
  redis: string;
  /** The workers to serve: one BullMQ worker (queue) per name. */
  workers: readonly AnyWorker[];
  /** Attempts at once per worker (default 10); a worker's own `concurrency` wins when smaller. */
  concurrency?: number;
  /** At most `max` attempts per `durationMs`, per worker queue, across every pool (BullMQ's limiter). */
  limiter?: { max: number; durationMs: number };
  /** Key prefix in Redis; the hub's executor must use the same (default `orchestai`). */
  prefix?: string;
  /** Called after each attempt this pool ran. */
  onAttempt?: (a: PoolAttempt) => void;
  /** Connection trouble (Redis restarts; the pool reconnects by itself). */
  onError?: (e: Error) => void;
  /**
   * How long a job stays locked without renewal (ms; default 4000). A live pool renews it; a pool
   * killed with -9 stops renewing, and its jobs go back to the queue within about this long.
   */
  lockDurationMs?: number;
}

export interface WorkerPool {
  /** The worker names served. */
  readonly workers: readonly string[];
  /** Stops taking jobs and waits for the active ones to finish (graceful). */
  close(): Promise<void>;
}

/**
 * Serves attempts of `workers` from their BullMQ queues: each job runs `runAttempt` here and its
 * `AttemptResult` becomes the job's return value (a failed attempt is a completed job whose result
 * says `ok: false`). Jobs of a pool that dies are taken up by another within a few seconds, and a
 * job is never failed for stalling. A hub's abort reaches the running attempt's `signal`.
 *
 * @example
 * const pool = await startWorkerPool({ redis: 'redis://127.0.0.1:6379', workers: [upper], concurrency: 20 });
 * process.on('SIGTERM', () => void pool.close());
 */
export async function startWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  await pingRedis(options.redis);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const onError = (e: Error) => options.onError?.(e);
  const clients = redisClients(options.redis, onError);
  const client = clients.create;
  const byName = new Map<string, AnyWorker>();
  for (const w of options.workers) if (!byName.has(w.name)) byName.set(w.name, w);
  const lockDuration = options.lockDurationMs ?? 4000;
  const bullWorkers = new Map<string, Worker>();
  for (const w of byName.values()) {
    const bw = new Worker(queueName(w.name), processorOf(w, options.onAttempt), {
      connection: client(),
      prefix,
      name: `${os.hostname()}:${process.pid}`,
      concurrency: Math.min(options.concurrency ?? 10, w.concurrency ?? Infinity),
      ...(options.limiter ? { limiter: { max: options.limiter.max, duration: options.limiter.durationMs } } : {}),
      lockDuration,
      stalledInterval: Math.min(1000, lockDuration),
      // A job whose pool died goes back to wait however often that happens; the hub's timeout decides.
      maxStalledCount: 1000,
      // After a lost connection (a Redis restart), fetch and report again within a second, not BullMQ's 15 s.
      runRetryDelay: 1000,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 3600 },
    });
    bw.on('error', onError);
    bullWorkers.set(queueName(w.name), bw);
  }
  await Promise.all([...bullWorkers.values()].map((bw) => bw.waitUntilReady()));
  const cancels = await listenForCancels(client(), cancelStreamKey(prefix), bullWorkers);
  return {
    workers: [...byName.keys()],
    async close() {
      await Promise.all([...bullWorkers.values()].map((bw) => bw.close()));
      await cancels.stop();
      clients.disconnectAll();
    },
  };
}

/**
 * The job processor of one worker. It declares the third parameter so BullMQ hands it the abort
 * signal that `cancelJob` fires.
 */
function processorOf(worker: AnyWorker, onAttempt: WorkerPoolOptions['onAttempt']) {
  return async function process(job: Job<AttemptJobData>, _token: string | undefined, signal: AbortSignal | undefined): Promise<AttemptResult> {
    const { runId, step, attempt, input } = job.data;
    const result = await runAttempt(worker, input, { runId, step, attempt, signal: signal ?? new AbortController().signal, clock: systemClock });
    onAttempt?.({ worker: worker.name, jobId: job.id!, runId, step, attempt, result });
    return result;
  };
}

/**
 * Reads the hub's cancellations (a Redis stream) from now on and aborts the named jobs this pool
 * is running. Entries for jobs of other pools are ignored there (`cancelJob` returns false).
 */
async function listenForCancels(client: QueueRedis, key: string, workers: Map<string, Worker>): Promise<{ stop(): Promise<void> }> {
  // Start at the server's clock, so a cancel written while the loop is between reads is not lost.
  const [secs, micros] = await client.time();
  let last = `${Number(secs) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const res = await client.xread('COUNT', 100, 'BLOCK', 1000, 'STREAMS', key, last).catch(async () => {
        if (!stopping) await new Promise((r) => setTimeout(r, 200));
        return null;
      });
      for (const [, entries] of res ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const f: Record<string, string> = {};
          for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
          workers.get(f.queue)?.cancelJob(f.job, 'cancelled by the hub');
        }
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      client.disconnect();
      await loop;
    },
  };
}
