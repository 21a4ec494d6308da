/**
 * Every timer in the hub goes through a Clock the runtime owns, so tests and replay
 * never sleep for real: tests use `VirtualClock`, replay uses no clock at all.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Wall-clock time and Node timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, Math.max(0, ms));
    // A pending retry or approval timer must not keep a CLI process alive on its own after cancellation;
    // the runtime holds the process open while a run is live.
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

type Entry = { at: number; seq: number; fn: () => void; cancelled: boolean };

/**
 * Virtual time. With `autoAdvance` (the default) it jumps to the next timer whenever
 * the process has nothing else to do (checked with setImmediate), so a run with
 * minutes of backoff finishes in milliseconds and in a deterministic order.
 * Workers should wait through `ctx.sleep`, which uses this clock.
 *
 * @example
 * const clock = new VirtualClock(0);
 * await run(workflow, input, { clock }); // backoffs take no real time
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly entries: Entry[] = [];
  private scheduled = false;

  constructor(start = 0, private readonly autoAdvance = true) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const entry: Entry = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.entries.push(entry);
    this.entries.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.schedule();
    return entry;
  }

  clearTimeout(handle: unknown): void {
    const e = handle as Entry;
    if (e) e.cancelled = true;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.entries[0];
      if (!next || next.at > until) break;
      this.entries.shift();
      this.time = next.at;
      if (!next.cancelled) next.fn();
    }
    this.time = until;
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.entries.filter((e) => !e.cancelled).length;
  }

  private schedule(): void {
    if (!this.autoAdvance || this.scheduled) return;
    this.scheduled = true;
    // Two turns of setImmediate let promise chains and I/O callbacks settle first.
    setImmediate(() =>
      setImmediate(() => {
        this.scheduled = false;
        while (this.entries[0]?.cancelled) this.entries.shift();
        const next = this.entries.shift();
        if (!next) return;
        this.time = Math.max(this.time, next.at);
        next.fn();
        if (this.entries.length) this.schedule();
      }),
    );
  }
}
