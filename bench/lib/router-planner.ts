/**
 * Scenario `planner` of bench:router: real outcomes, no simulation. Each UltraTool request is
 * planned by each of the project's own planners once, timed; a plan succeeds when it is exact (the
 * same tool set and the same hand-offs as the gold plan), and costs its measured latency times one
 * price (PRICE_PER_SECOND, an assumption: what a second of planner compute is charged at). The
 * routed workers replay those measured outcomes on the virtual clock, so every policy faces the
 * same facts.
 *
 * Candidates: `knn` (the tf-idf kNN planner), `model` (one learned planner, trained here with a
 * capped number of epochs to keep the bench short) and `model-wide` (the same model decoding with a
 * four times wider beam: the slower, dearer fallback). The ensemble is not a candidate: no trained
 * ensemble ships with the project, and training one here (three members) would multiply the bench's
 * time; bench:planner measures it.
 *
 * Splits, training ids only for everything learned: the official training ids are split (seeded)
 * into one part the planners are fitted on and one whose requests are the routers' training
 * episodes; the official test ids are the held-out episodes. ORCHESTAI_BENCH_ROUTER_REQUESTS caps
 * both the router-training and the test requests (default: no cap, 500 test requests).
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { defineWorker, defineWorkflow, type Router } from '../../src/index.ts';
import { fromInput } from '../../transformers/index.ts';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { shuffled } from '../../planner/data/split.ts';
import { fitKnn } from '../../planner/knn.ts';
import { train } from '../../planner/train.ts';
import { exampleToLists, planToLists } from '../../planner/metrics.ts';
import type { Example, Plan } from '../../planner/types.ts';
import { catalogOf } from '../../planner/router/index.ts';
import type { RouterScenario } from './router-scenario.ts';

/** Price of a second of planner compute, in cost units (assumed). */
const PRICE_PER_SECOND = 100;
/** Share of the official training ids the planners are fitted on; the rest are router-training episodes. */
const PLANNER_SHARE = 0.7;
const CANDIDATES = ['knn', 'model', 'model-wide'] as const;
type Candidate = (typeof CANDIDATES)[number];

/** One planner's measured outcome on one request. */
interface Outcome { exact: boolean; ms: number }

const key = (l: { nodes: string[]; links: string[] }) => JSON.stringify([[...l.nodes].sort(), [...l.links].sort()]);
const exact = (plan: Plan, gold: Example) => key(planToLists(plan)) === key(exampleToLists(gold));

/** Plans every request with one planner, timing each call (after a short warm-up). */
function measure(plan: (text: string) => Plan, examples: readonly Example[]): Outcome[] {
  for (const ex of examples.slice(0, 20)) plan(ex.request);
  return examples.map((ex) => {
    const t0 = performance.now();
    const p = plan(ex.request);
    return { exact: exact(p, ex), ms: performance.now() - t0 };
  });
}

/**
 * Builds the scenario: fits and trains the planners, measures every candidate on every routed
 * request, and returns the workflow whose single `plan` step routes among them (three attempts, so
 * a cascade can escalate to the end).
 *
 * @example
 * const { scenario } = await plannerScenario({ dataDir: '../shared/data/ultratool', seed: 42 });
 */
export async function plannerScenario(o: { dataDir: string; seed: number; cap?: number; epochs?: number }): Promise<{ scenario: RouterScenario; notes: Record<string, unknown> }> {
  const t0 = Date.now();
  const { catalog, examples, testIds, trainIds } = loadUltraTool(o.dataDir);
  const byId = new Map(examples.map((e) => [e.id, e]));
  const ids = shuffled(trainIds, o.seed);
  const cut = Math.round(ids.length * PLANNER_SHARE);
  const plannerTrain = ids.slice(0, cut).map((id) => byId.get(id)!);
  const routerTrain = ids.slice(cut, o.cap ? cut + o.cap : undefined).map((id) => byId.get(id)!);
  const test = testIds.slice(0, o.cap ?? testIds.length).map((id) => byId.get(id)!);
  const knn = fitKnn(plannerTrain);
  const epochs = o.epochs ?? 8;
  const model = await train(plannerTrain, catalog, { seed: o.seed, epochs });
  const trainSeconds = (Date.now() - t0) / 1000;
  const beam = 4 * model.decode.beamWidth;
  const planners: Record<Candidate, (t: string) => Plan> = {
    knn: (t) => knn.plan(t),
    model: (t) => model.plan(t),
    'model-wide': (t) => model.plan(t, { beamWidth: beam }),
  };
  const routed = [...routerTrain, ...test];
  const outcomes = new Map<Candidate, Outcome[]>(CANDIDATES.map((c) => [c, measure(planners[c], routed)]));
  const qidOf = new Map(routed.map((e, i) => [e.id, i]));
  const worker = (name: Candidate) => defineWorker({
    name, description: `Planner ${name}, replaying its measured outcome on the request.`,
    input: z.object({ text: z.string(), qid: z.number() }), output: z.object({ exact: z.boolean() }),
    price: { perCall: (PRICE_PER_SECOND * mean(outcomes.get(name)!.map((x) => x.ms))) / 1000 },
    latencyMs: mean(outcomes.get(name)!.map((x) => x.ms)),
    async run(input, ctx) {
      const out = outcomes.get(name)![input.qid];
      await ctx.sleep(out.ms);
      ctx.reportCost((PRICE_PER_SECOND * out.ms) / 1000);
      if (!out.exact) throw new Error(`${name}: the plan for request ${input.qid} is not exact`);
      return { exact: true };
    },
  });
  const candidates = CANDIDATES.map(worker);
  const workflow = defineWorkflow({
    id: 'planner-routing', onFailure: 'failed',
    steps: [{ id: 'plan', candidates, capability: 'plan', input: fromInput('request'), retry: { maxAttempts: CANDIDATES.length, initialDelayMs: 1 } }],
  });
  const inputOf = (e: Example) => ({ request: { text: e.request, qid: qidOf.get(e.id)! } });
  const oracle: Router = {
    id: 'oracle', version: '1',
    route(r) {
      const qid = (r.input as { qid: number }).qid;
      const open = r.candidates.filter((c) => !r.failedWorkers.includes(c.worker)).map((c) => c.worker as Candidate);
      const wins = open.filter((c) => outcomes.get(c)![qid].exact).sort((a, b) => outcomes.get(a)![qid].ms - outcomes.get(b)![qid].ms);
      const cheapestOpen = open.sort((a, b) => outcomes.get(a)![qid].ms - outcomes.get(b)![qid].ms)[0];
      return { worker: wins[0] ?? cheapestOpen ?? r.candidates[0].worker, policy: 'oracle', version: '1' };
    },
  };
  const rate = (c: Candidate, from: number, to: number) => mean(outcomes.get(c)!.slice(from, to).map((x) => (x.exact ? 1 : 0)));
  const notes = {
    plannerTrainRequests: plannerTrain.length, routerTrainRequests: routerTrain.length, testRequests: test.length, cap: o.cap ?? null,
    modelEpochs: epochs, wideBeam: beam, pricePerSecond: PRICE_PER_SECOND, setupSeconds: Math.round((Date.now() - t0) / 1000), trainSeconds: Math.round(trainSeconds),
    ensemble: 'not a candidate: no trained ensemble ships with the project and training one would triple the bench time',
    candidates: Object.fromEntries(CANDIDATES.map((c) => [c, {
      exactOnTest: Number(rate(c, routerTrain.length, routed.length).toFixed(4)),
      meanMsOnTest: Number(mean(outcomes.get(c)!.slice(routerTrain.length).map((x) => x.ms)).toFixed(3)),
    }])),
  };
  return {
    notes,
    scenario: {
      name: 'planner', workflow, oracle, costUnit: `cost units (${PRICE_PER_SECOND} per second of planner time)`,
      source: 'UltraTool (Huang et al. 2024, as reformatted by Wu et al. 2024): measured outcomes of the project\'s planners',
      train: routerTrain.map(inputOf), test: test.map(inputOf),
      catalog: catalogOf([{ capability: 'plan', candidates: [...CANDIDATES] }]),
      capabilityOf: () => 'plan',
    },
  };
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
