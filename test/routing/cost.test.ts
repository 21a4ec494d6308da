import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, replay, run, type HistoryEvent, type Router } from '../../src/index.ts';
import { tempStore } from '../support/workers.ts';
import { candidate, fixedRouter } from './support.ts';

/** An LLM-like worker: reports token usage, and its own cost when `reports` is set. */
function tokenWorker(name: string, price: { perCall?: number; perInputToken?: number; perOutputToken?: number }, reports?: number) {
  return defineWorker({
    name,
    description: `Pretends to call a model (${name}).`,
    input: z.any(),
    output: z.object({ ok: z.boolean() }),
    price,
    run: (_input, ctx) => {
      ctx.reportUsage?.({ inputTokens: 1000, outputTokens: 200 });
      ctx.reportUsage?.({ inputTokens: 500, outputTokens: Number.NaN });
      if (reports !== undefined) ctx.reportCost(reports);
      return { ok: true };
    },
  });
}

test('a priced worker that reports no cost is charged perCall plus its reported tokens; a reported cost wins', async () => {
  const store = tempStore();
  const priced = tokenWorker('priced', { perCall: 0.01, perInputToken: 0.000001, perOutputToken: 0.00001 });
  const reporting = tokenWorker('reporting', { perCall: 5 }, 0.2);
  const unpriced = tokenWorker('unpriced', {});
  const wf = defineWorkflow({ id: 'costs', onFailure: 'failed', steps: [{ id: 'a', worker: priced }, { id: 'b', worker: reporting }, { id: 'c', worker: candidate('free') }] });
  const r = await run(wf, null, { store });
  const costs = (store.read(r.runId).filter((e) => e.type === 'step.succeeded') as any[]).map((e) => e.cost);
  // 0.01 + 1500 input tokens x 1e-6 + 200 output tokens x 1e-5 (the NaN report is ignored)
  assert.ok(Math.abs(costs[0] - 0.0135) < 1e-12, String(costs[0]));
  assert.equal(costs.slice(1), [0.2, undefined]);
  assert.ok(Math.abs(r.cost - 0.2135) < 1e-12);
  const z0 = await run(defineWorkflow({ id: 'z', onFailure: 'failed', steps: [{ id: 'a', worker: unpriced }] }), null, { store });
  assert.is(z0.cost, 0);
});

test('Router.observe gets each finished run\'s history; when it throws, the run still succeeds and stderr says so once', async () => {
  const store = tempStore();
  const wf = defineWorkflow({ id: 'obs', onFailure: 'failed', steps: [{ id: 'a', candidates: [candidate('small'), candidate('large')] }] });
  const seen: HistoryEvent[][] = [];
  const learning: Router = { ...fixedRouter(1), observe: (h) => void seen.push(h as HistoryEvent[]) };
  const r = await run(wf, { text: 'x' }, { store, router: learning });
  assert.is(seen.length, 1);
  assert.equal(seen[0], store.read(r.runId), 'the history exactly as written');

  const errors: string[] = [];
  const write = process.stderr.write;
  (process.stderr as any).write = (chunk: string) => (errors.push(String(chunk)), true);
  try {
    const failing: Router = { ...fixedRouter(0, 'flaky'), observe: () => { throw new Error('disk full'); } };
    const a = await run(wf, { text: 'x' }, { store, router: failing });
    const b = await run(wf, { text: 'y' }, { store, router: failing });
    assert.equal([a.status, b.status], ['succeeded', 'succeeded']);
  } finally {
    (process.stderr as any).write = write;
  }
  assert.is(errors.length, 1);
  assert.match(errors[0], /router flaky@7 failed to observe run .*: disk full/);
});

test('redaction follows the chosen candidate: its secret output field is redacted, and route.decided passes through', async () => {
  const store = tempStore();
  const plain = candidate('plain');
  const keyed = defineWorker({
    name: 'keyed',
    description: 'Answers with a token its schema marks secret.',
    input: z.any(),
    output: z.object({ by: z.string(), token: z.string().meta({ secret: true }) }),
    run: () => ({ by: 'keyed', token: 'tok-3f9a1c77e2b4d6' }),
  });
  const wf = defineWorkflow({ id: 'secret-route', onFailure: 'failed', steps: [{ id: 'a', candidates: [plain, keyed] }] });
  const r = await run(wf, { text: 'x' }, { store, router: fixedRouter(1) });
  assert.is(r.status, 'succeeded');
  const text = fs.readFileSync(store.pathOf(r.runId), 'utf8');
  assert.not.ok(text.includes('tok-3f9a1c77e2b4d6'));
  const events = store.read(r.runId);
  const decided = events.find((e) => e.type === 'route.decided') as any;
  assert.equal([decided.worker, decided.policy], ['keyed', 'fixed']);
  assert.is((events.find((e) => e.type === 'step.succeeded') as any).output.token, '[redacted]');
  assert.ok(replay(events, wf).ok);
});

test.run();
