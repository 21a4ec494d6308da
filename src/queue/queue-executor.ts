import { Queue, QueueEvents } from 'bullmq';
import type { AnyWorker } from '../../machines/worker.ts';
import type { Json } from '../../transformers/index.ts';
import type { AttemptExecutor, AttemptOptions, AttemptResult } from '../runtime/attempt.ts';
import { redisClients } from './connection.ts';
import { attemptJobId, bullPriority, cancelStreamKey, DEFAULT_PREFIX, queueName } from './names.ts';
import { abortedResult, queueFailure, resultOfReturnValue } from './outcome.ts';

/** What a job carries to a worker process. */
export interface AttemptJobData {
  runId: string;
  step: string;
  attempt: number;
  worker: string;
  input: Json;
}

export interface QueueExecutorOptions {
  /** `redis://host:port/db`. */
  redis: string;
  /** Key prefix in Redis; hub and worker processes must use the same (default `orchestai`). */
  prefix?: string;
  /** How often a waiting attempt looks at its job itself, in case an event was missed (ms; default 1000). */
  pollMs?: number;
  /** How long finished jobs stay, so a second hub re-launching an attempt gets its result (s; default 3600). */
  keepFinishedS?: number;
}

export interface QueueExecutor {
  /** Hands one attempt to a worker process and resolves to its result; failures are data. */
  execute: AttemptExecutor;
  /** Stops waiting (attempts still waited on resolve as aborted) and closes the connections. */
  close(): Promise<void>;
  /** Waiting + active jobs per queue this executor has used (for a metrics gauge). */
  depth(): Promise<Record<string, number>>;
}

/** One worker's queue, its completion events, and the attempts waiting on its jobs. */
interface Lane {
  queue: Queue;
  events: QueueEvents;
  waiters: Map<string, Set<(r: AttemptResult) => void>>;
}

const WAITING_STATES = new Set(['waiting', 'wait', 'prioritized', 'delayed']);

/**
 * An `AttemptExecutor` that hands attempts to `orchestai worker` processes through BullMQ: one
 * queue per worker, one job per (run, step, attempt), so the same attempt enqueued twice (a hub
 * that died and another resuming the run) is one job, and a finished one answers at once from its
 * stored result. BullMQ never retries (attempts: 1): the engine does retries and timeouts.
 *
 * @example
 * const queue = createQueueExecutor({ redis: 'redis://127.0.0.1:6379' });
 * const r = await queue.execute(worker, { text: 'hi' }, { runId, step: 'a', attempt: 1, signal, clock });
 * await queue.close();
 */
export function createQueueExecutor(options: QueueExecutorOptions): QueueExecutor {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const pollMs = options.pollMs ?? 1000;
  const keep = { age: options.keepFinishedS ?? 3600 };
  // Each client reconnects on its own; BullMQ sees the failed commands.
  const clients = redisClients(options.redis, () => {});
  const lanes = new Map<string, Promise<Lane>>();
  const inFlight = new Set<(r: AttemptResult) => void>();
  const chores = new Set<Promise<unknown>>();
  /** Every BullMQ object made, ready or not (a Redis that is down keeps them waiting): close() closes them all. */
  const opened: { close(): Promise<void> }[] = [];
  let closed = false;

  const client = clients.create;
  const control = client();

  function lane(name: string): Promise<Lane> {
    let l = lanes.get(name);
    if (!l) {
      lanes.set(name, (l = openLane(name)));
      l.catch(() => lanes.delete(name)); // the next attempt tries again
    }
    return l;
  }

  async function openLane(name: string): Promise<Lane> {
    const qn = queueName(name);
    const queue = new Queue(qn, { connection: client(), prefix });
    const events = new QueueEvents(qn, { connection: client(), prefix, blockingTimeout: 1000 });
    opened.push(queue, events);
    const waiters: Lane['waiters'] = new Map();
    const settle = (jobId: string, r: () => AttemptResult) => {
      const set = waiters.get(jobId);
      if (set) for (const w of [...set]) w(r());
    };
    queue.on('error', () => {});
    events.on('error', () => {});
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, () => resultOfReturnValue(returnvalue, name, jobId)));
    events.on('failed', ({ jobId, failedReason }) => settle(jobId, () => queueFailure(name, jobId, `failed in the queue: ${failedReason}`)));
    events.on('removed', ({ jobId }) => settle(jobId, () => queueFailure(name, jobId, 'the job was removed from the queue before it finished')));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { queue, events, waiters };
  }

  /**
   * The job's result if it has finished (or vanished); undefined while it waits or runs. Reads four
   * fields of the job's hash (not the whole job with its input): cheap enough to poll once a second.
   */
  async function finished(l: Lane, name: string, jobId: string): Promise<AttemptResult | undefined> {
    const [timestamp, finishedOn, failedReason, returnvalue] = await control.hmget(l.queue.toKey(jobId), 'timestamp', 'finishedOn', 'failedReason', 'returnvalue');
    if (timestamp === null) return queueFailure(name, jobId, 'the job is gone from the queue (removed, or expired after it finished)');
    if (!finishedOn) return undefined;
    if (failedReason) return queueFailure(name, jobId, `failed in the queue: ${failedReason}`);
    return resultOfReturnValue(returnvalue, name, jobId);
  }

  /** Aborting: a waiting job is removed; an active one is told to stop (its late result is ignored). */
  async function withdraw(l: Lane, name: string, jobId: string): Promise<void> {
    const state = await l.queue.getJobState(jobId);
    if (WAITING_STATES.has(state) && (await l.queue.remove(jobId)) === 1) return;
    if (state === 'completed' || state === 'failed' || state === 'unknown') return;
    // BullMQ's structured form: its wrapper misreads native arguments whose third is a number.
    await control.xadd(cancelStreamKey(prefix), '*', { queue: queueName(name), job: jobId }, { MAXLEN: 1000 });
  }

  function chore(p: Promise<unknown>): void {
    const q = p.catch(() => {}).finally(() => chores.delete(q));
    chores.add(q);
  }

  const execute: AttemptExecutor = async (worker: AnyWorker, input: Json, opts: AttemptOptions) => {
    const started = Date.now();
    if (opts.signal.aborted) return abortedResult(opts.signal, 0);
    if (closed) return queueFailure(worker.name, attemptJobId(opts), 'the queue executor is closed');
    // Opening a queue waits for Redis, which may be down: the attempt's abort (its timeout) still ends the wait.
    let l: Lane | undefined;
    try {
      l = await untilAborted(lane(worker.name), opts.signal);
    } catch (e) {
      return queueFailure(worker.name, attemptJobId(opts), `could not open the worker's queue: ${(e as Error).message}`);
    }
    if (!l) return abortedResult(opts.signal, Date.now() - started);
    const jobId = attemptJobId(opts);
    return new Promise<AttemptResult>((resolve) => {
      let done = false;
      const finish = (r: AttemptResult) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        opts.signal.removeEventListener('abort', onAbort);
        const set = l.waiters.get(jobId);
        set?.delete(finish);
        if (set?.size === 0) l.waiters.delete(jobId);
        inFlight.delete(finish);
        resolve(r);
      };
      const check = () => {
        if (!done) chore(finished(l, worker.name, jobId).then((r) => r && finish(r)));
      };
      const onAbort = () => {
        if (done) return;
        finish(abortedResult(opts.signal, Date.now() - started));
        chore(withdraw(l, worker.name, jobId));
      };
      // Listen before adding, so a fast worker's completion is never missed.
      if (!l.waiters.has(jobId)) l.waiters.set(jobId, new Set());
      l.waiters.get(jobId)!.add(finish);
      inFlight.add(finish);
      opts.signal.addEventListener('abort', onAbort, { once: true });
      const timer = setInterval(check, pollMs);
      const data: AttemptJobData = { runId: opts.runId, step: opts.step, attempt: opts.attempt, worker: worker.name, input };
      l.queue
        .add(worker.name, data, { jobId, priority: bullPriority(opts.priority), attempts: 1, removeOnComplete: keep, removeOnFail: keep })
        // An id that exists already is not added again: the job may have finished long ago.
        .then(check, (e: Error) => finish(queueFailure(worker.name, jobId, `could not enqueue: ${e.message}`)));
    });
  };

  return {
    execute,
    async depth() {
      const out: Record<string, number> = {};
      for (const [name, l] of lanes) {
        const lane = await l.catch(() => undefined);
        if (!lane) continue;
        const { queue } = lane;
        const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
        out[queueName(name)] = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.active ?? 0);
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      const stop = new AbortController();
      stop.abort(new Error('the queue executor was closed'));
      for (const finish of [...inFlight]) finish(abortedResult(stop.signal, 0));
      // Removals of aborted jobs get a moment to finish; a Redis that is down would keep them forever.
      await Promise.race([Promise.allSettled([...chores]), new Promise((r) => setTimeout(r, 2000).unref())]);
      // Connections first: a BullMQ object still waiting for Redis then gives up instead of closing forever.
      clients.disconnectAll();
      await Promise.allSettled(opened.map((o) => o.close()));
    },
  };
}

/** `p`'s value, or undefined as soon as `signal` aborts (whichever comes first). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
