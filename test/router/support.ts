import { z } from 'zod';
import { defineWorker, defineWorkflow, run, VirtualClock, type AnyWorker, type RouteRequest, type Router } from '../../src/index.ts';
import { tempStore } from '../support/workers.ts';

/**
 * A candidate whose success depends on the input text: it succeeds when `succeeds(text)` holds,
 * after `latencyMs` of virtual time, and is charged its declared per-call price.
 */
export function textWorker(name: string, perCall: number, latencyMs: number, succeeds: (text: string) => boolean): AnyWorker {
  return defineWorker({
    name, description: `Candidate ${name}.`, input: z.object({ text: z.string() }), output: z.object({ text: z.string() }),
    price: { perCall }, latencyMs,
    async run(input, ctx) {
      await ctx.sleep(latencyMs);
      if (!succeeds(input.text)) throw new Error(`${name} got "${input.text}" wrong`);
      return { text: input.text };
    },
  });
}

/** Two candidates: `cheap` (price 1, 100 ms) right only on easy texts unless `cheapAlways`, `dear` (price 20, 2 s) always right. */
export function pair(cheapAlways = false) {
  return [textWorker('cheap', 1, 100, (t) => cheapAlways || t.includes('easy')), textWorker('dear', 20, 2000, () => true)];
}

/** A two-step workflow whose steps both choose among `candidates` (two attempts each, so a cascade can escalate). */
export function twoSteps(candidates: AnyWorker[], attempts = 2) {
  return defineWorkflow({
    id: 'two-steps', onFailure: 'failed',
    steps: [
      { id: 'read', candidates, capability: 'answer', retry: { maxAttempts: attempts, initialDelayMs: 10 } },
      { id: 'write', candidates, capability: 'answer', retry: { maxAttempts: attempts, initialDelayMs: 10 } },
    ],
  });
}

/** Texts: alternating easy and hard, with a few filler words. */
export function texts(n: number): string[] {
  const fill = ['river', 'invoice', 'garden', 'planet', 'ticket'];
  return Array.from({ length: n }, (_, i) => `${i % 2 === 0 ? 'easy' : 'hard'} question about the ${fill[i % fill.length]}`);
}

/** Runs each text through the workflow with the router on a virtual clock and returns the histories (the router observes each as the hub tells it). */
export async function runAll(workflow: ReturnType<typeof twoSteps>, inputs: string[], router: Router) {
  const store = tempStore();
  const out: { history: unknown[]; status: string; cost: number }[] = [];
  for (const text of inputs) {
    const r = await run(workflow, { text }, { store, clock: new VirtualClock(0), router });
    out.push({ history: store.read(r.runId), status: r.status, cost: (r as any).cost ?? 0 });
  }
  return { store, runs: out };
}

/** A route request for hand-made policy tests. */
export function request(over: Partial<RouteRequest> = {}): RouteRequest {
  return {
    runId: 'r1', workflowId: 'wf', step: 'read', capability: 'answer', attempt: 1,
    candidates: [{ worker: 'dear', price: { perCall: 20 } }, { worker: 'cheap', price: { perCall: 1 } }, { worker: 'mid', price: { perCall: 5 } }],
    input: { text: 'easy question' }, position: 0, steps: 2, costSoFar: 0, elapsedMs: 0, failedWorkers: [],
    ...over,
  };
}
