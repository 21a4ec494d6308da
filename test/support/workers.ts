import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { z } from 'zod';
import { defineWorker } from '../../machines/index.ts';
import { createJsonlStore } from '../../src/index.ts';

/** Echoes its input object back, adding 1 to `n` when present. */
export const echo = defineWorker({
  name: 'echo',
  description: 'Returns its input, with n + 1 when n is a number.',
  input: z.any(),
  output: z.any(),
  run: (x: any) => (x && typeof x === 'object' && typeof x.n === 'number' ? { ...x, n: x.n + 1 } : x ?? null),
});

/**
 * A worker driven by a script: `plan[step]` lists what each attempt does
 * ('ok', 'fail', 'fatal', 'hang', 'bad-output', or a delay like 'sleep:500'), so tests
 * can stage retries, timeouts and failures deterministically.
 */
export function scripted(plan: Record<string, string[]>, calls: string[] = []) {
  return defineWorker({
    name: 'scripted',
    description: 'Acts out a per-step, per-attempt script.',
    input: z.any(),
    output: z.object({ step: z.string(), attempt: z.number() }),
    async run(_input, ctx) {
      calls.push(`${ctx.step}#${ctx.attempt}`);
      const action = plan[ctx.step]?.[ctx.attempt - 1] ?? 'ok';
      if (action.startsWith('sleep:')) await ctx.sleep(Number(action.slice(6)));
      if (action === 'fail') throw new Error(`${ctx.step} failed on attempt ${ctx.attempt}`);
      if (action === 'fatal') throw Object.assign(new Error('fatal'), { name: 'FatalError', retryable: false });
      if (action === 'hang') await ctx.sleep(1e9);
      if (action === 'bad-output') return { step: ctx.step, attempt: 'one' } as any;
      if (action.startsWith('cost:')) ctx.reportCost(Number(action.slice(5)));
      return { step: ctx.step, attempt: ctx.attempt };
    },
  });
}

export function tempStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-test-'));
  return createJsonlStore(dir);
}
