import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { systemClock } from '../../src/clock.ts';
import type { AttemptOptions } from '../../src/runtime/attempt.ts';

/** Attempt options for a test attempt: a fresh run id per test file unless given. */
export function attemptOpts(runId: string, step: string, attempt = 1, extra: Partial<AttemptOptions> = {}): AttemptOptions {
  return { runId, step, attempt, signal: new AbortController().signal, clock: systemClock, ...extra };
}

/** Counts its executions per process in `calls`; sleeps `ms` (abortably), fails when `fail` is set. */
export function countingWorker(name: string, calls: string[] = []) {
  return defineWorker({
    name,
    description: 'Doubles n, counting its calls; can sleep and fail on request.',
    input: z.object({ n: z.number(), ms: z.number().optional(), fail: z.string().optional() }),
    output: z.object({ n: z.number() }),
    async run({ n, ms, fail }, ctx) {
      calls.push(`${ctx.runId}/${ctx.step}/${ctx.attempt}`);
      if (ms) await ctx.sleep(ms);
      if (fail) throw Object.assign(new Error(fail), { name: 'BoomError' });
      return { n: n * 2 };
    },
  });
}

/** Resolves once `cond()` holds, polling every 20 ms; rejects after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

let seq = 0;
/** A run id unique in this process and across test files. */
export const freshRunId = (tag: string) => `${tag}-${process.pid}-${Date.now().toString(36)}-${seq++}`;
