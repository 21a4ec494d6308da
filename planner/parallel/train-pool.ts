import { Worker } from 'node:worker_threads';
import type { Catalog, Example } from '../types.ts';
import type { EpochInfo, TrainOptions } from '../train.ts';
import { buildModel, type PlannerModel } from '../model/planner.ts';
import { modelParts, type TrainReply, type TrainRequest } from './messages.ts';

/** A trained model and the seconds its training took on its thread (queueing not included). */
export interface Trained { model: PlannerModel; seconds: number }

interface Job { req: TrainRequest; onEpoch?: (info: EpochInfo) => void; resolve(t: Trained): void; reject(e: Error): void; started?: number }

/**
 * The thread's entry. Run from source (tests, benches), the thread must register tsx itself, which
 * train-worker.mjs does; the published build runs the compiled train-worker.js directly.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? './train-worker.mjs' : './train-worker.js';

/**
 * Trains planners on worker threads, at most `size` at once. The wasm backend runs a model's training
 * on one core, so an ensemble's members train side by side on a machine with several; each worker
 * runs the same `train` with the same seed, so a member is bit-identical to one trained in-process.
 *
 * @example
 * const pool = new TrainPool(2);
 * try { const [a, b] = await Promise.all([pool.train(ex, cat, { seed: 1 }), pool.train(ex, cat, { seed: 2 })]); a.model.plan('...') }
 * finally { await pool.close(); }
 */
export class TrainPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`TrainPool: size must be a positive integer, got ${size}`);
  }

  /** Queues one `train(examples, catalog, options)`; resolves with the model once a worker has trained it. */
  train(examples: readonly Example[], catalog: Catalog, options: TrainOptions = {}): Promise<Trained> {
    if (this.closed) return Promise.reject(new Error('TrainPool: closed'));
    const { onEpoch, from, ...portable } = options;
    return new Promise((resolve, reject) => {
      const req: TrainRequest = { id: this.nextId++, examples, catalog, options: portable, from: from && modelParts(from) };
      this.queue.push({ req, onEpoch, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; jobs still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('TrainPool: closed before the job ran'));
    const all = [...this.idle.splice(0), ...this.busy.keys()];
    for (const [, job] of this.busy) job.reject(new Error('TrainPool: closed while the job ran'));
    this.busy.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.idle.length + this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      job.started = Date.now();
      worker.postMessage(job.req);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url));
    worker.on('message', (reply: TrainReply) => {
      const job = this.busy.get(worker);
      if (!job || job.req.id !== reply.id) return;
      if ('epoch' in reply) { job.onEpoch?.(reply.epoch); return; }
      this.busy.delete(worker);
      this.idle.push(worker);
      if ('parts' in reply) job.resolve({ model: buildModel(reply.parts), seconds: (Date.now() - job.started!) / 1000 });
      else job.reject(Object.assign(new Error(reply.error), { stack: reply.stack ?? reply.error }));
      this.dispatch();
    });
    // A crashed thread (out of memory, a native abort) fails its job instead of hanging the caller.
    const fail = (e: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      job?.reject(new Error(`TrainPool: a training worker stopped: ${e.message}`));
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => { if (!this.closed && this.busy.has(worker)) fail(new Error(`exit code ${code}`)); });
    return worker;
  }
}
