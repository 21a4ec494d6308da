/**
 * A counting semaphore with FIFO order, so queued attempts start in the order the
 * machine asked for them (deterministic under a concurrency limit).
 *
 * @example
 * const s = new Semaphore(2); await s.acquire(); try { ... } finally { s.release(); }
 */
export class Semaphore {
  private readonly waiters: (() => void)[] = [];
  private used = 0;
  constructor(private readonly limit: number) {}

  /** Resolves at once when a slot is free (returns true synchronously via `tryAcquire`). */
  tryAcquire(): boolean {
    if (this.used < this.limit) {
      this.used++;
      return true;
    }
    return false;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next(); // hand the slot straight over
    else this.used--;
  }
}

const perWorker = new WeakMap<object, Semaphore>();

/**
 * One semaphore per worker object, shared by every run in this process (the worker's own `concurrency`).
 *
 * @example
 * await workerSemaphore(worker, 2).acquire();
 */
export function workerSemaphore(worker: object, limit: number): Semaphore {
  let s = perWorker.get(worker);
  if (!s) perWorker.set(worker, (s = new Semaphore(limit)));
  return s;
}
