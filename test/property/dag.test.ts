import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { z } from 'zod';
import { defineWorker, defineWorkflow, replay, run, VirtualClock } from '../../src/index.ts';
import { appendTo } from '../../transformers/index.ts';
import { tempStore } from '../support/workers.ts';

/** A random DAG: node i may depend on any earlier node; each attempt of each node fails or waits as the script says. */
const dagArb = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.record({
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j), { maxLength: Math.min(3, i) }))),
      attempts: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
      script: fc.array(fc.array(fc.record({ fail: fc.boolean(), delay: fc.integer({ min: 0, max: 500 }) }), { minLength: 3, maxLength: 3 }), { minLength: n, maxLength: n }),
      wideFanOut: fc.boolean(),
      regions: fc.integer({ min: 1, max: 16 }),
    }),
  );

test('random DAG workflows with random failures and delays: always final, replay without divergence, same context', async () => {
  const store = tempStore();
  await fc.assert(
    fc.asyncProperty(dagArb, async ({ deps, attempts, script, regions }) => {
      const worker = defineWorker({
        name: 'random',
        description: 'Acts out a random script of failures and delays.',
        input: z.any(),
        output: z.object({ step: z.string(), attempt: z.number() }),
        async run(_input, ctx) {
          const i = Number(ctx.step.slice(1));
          const act = script[i][ctx.attempt - 1];
          await ctx.sleep(act.delay);
          if (act.fail) throw new Error(`${ctx.step} attempt ${ctx.attempt} failed`);
          return { step: ctx.step, attempt: ctx.attempt };
        },
      });
      const wf = defineWorkflow({
        id: 'random-dag',
        steps: deps.map((d, i) => ({ id: `n${i}`, worker, dependsOn: d.map((j) => `n${j}`), retry: { maxAttempts: attempts[i], initialDelayMs: 100, jitter: true }, output: appendTo('log') })),
      });
      const live = await run(wf, { seed: 1 }, { store, clock: new VirtualClock() });
      assert.ok(['succeeded', 'failed'].includes(live.status), live.status);
      const history = store.read(live.runId);
      assert.equal(history.at(-1)!.type, 'run.finished');
      const replayed = replay(history, wf);
      assert.ok(replayed.ok, replayed.divergence?.message);
      assert.equal(replayed.status, live.status);
      assert.equal(replayed.context.outputs, live.context.outputs);
      assert.equal(replayed.context.shared, live.context.shared);
      // Expected outcome from the script alone: a node succeeds iff one of its allowed attempts does not fail.
      const nodeOk = script.map((s, i) => s.slice(0, attempts[i]).some((a) => !a.fail));
      if (nodeOk.every(Boolean)) assert.equal(live.status, 'succeeded');
      void regions;
    }),
    { numRuns: 60, seed: 42 },
  );
});

test('wide fan-outs (grouped) under random member failures also replay exactly', async () => {
  const store = tempStore();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 17, max: 60 }), fc.array(fc.boolean(), { minLength: 180, maxLength: 180 }), async (width, fails) => {
      const worker = defineWorker({
        name: 'member',
        description: 'Fails on scripted attempts.',
        input: z.any(),
        output: z.any(),
        async run(_i, ctx) {
          const idx = ctx.step === 'src' || ctx.step === 'sink' ? 0 : Number(ctx.step.slice(1));
          await ctx.sleep((idx * 37) % 50);
          if (ctx.step.startsWith('m') && fails[idx * 3 + ctx.attempt - 1]) throw new Error('flaky member');
          return { step: ctx.step };
        },
      });
      const members = Array.from({ length: width }, (_, i) => `m${i}`);
      const wf = defineWorkflow({ id: 'fan', steps: [{ id: 'src', worker, dependsOn: [] }, ...members.map((id) => ({ id, worker, dependsOn: ['src'], retry: { maxAttempts: 3, initialDelayMs: 10 } })), { id: 'sink', worker, dependsOn: members }] });
      const live = await run(wf, null, { store, clock: new VirtualClock() });
      const expectOk = members.every((_, i) => fails.slice(i * 3, i * 3 + 3).some((f) => !f));
      assert.equal(live.status, expectOk ? 'succeeded' : 'failed');
      const replayed = replay(store.read(live.runId), wf);
      assert.ok(replayed.ok, replayed.divergence?.message);
      assert.equal(replayed.context.outputs, live.context.outputs);
    }),
    { numRuns: 25, seed: 7 },
  );
});

test.run();
