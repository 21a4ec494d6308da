import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Json } from '../../transformers/types.ts';
import { createJsonlStore, run, VirtualClock, type Router } from '../../src/index.ts';
import {
  cascade, cheapest, createPpo, episodeOf, fixed, linUcb, random, runReward, trainFromHistories, type PpoRouter,
} from '../../planner/router/index.ts';
import type { RouterScenario } from './router-scenario.ts';

/** Means over held-out runs, as router.json records them. */
export interface PolicyResult { success: number; cost: number; latencyMs: number; reward: number; runs: number }

/** What one run came to. */
interface RunFacts { success: boolean; cost: number; latencyMs: number; reward: number; history: unknown[] }

/** A router without `observe`: evaluation must not learn from the held-out runs. */
const frozen = (r: Router): Router => ({ id: r.id, version: r.version, route: (q) => r.route(q) });

/**
 * Runs every input through the real engine (a fresh VirtualClock per run, histories in a temporary
 * store that is deleted afterwards) and returns each run's outcome and history.
 *
 * @example
 * const facts = await runEpisodes(scenario, scenario.test, cascade());
 */
export async function runEpisodes(s: RouterScenario, inputs: readonly Json[], router: Router): Promise<RunFacts[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-bench-router-'));
  const store = createJsonlStore(dir);
  try {
    const out: RunFacts[] = [];
    for (const input of inputs) {
      const r = await run(s.workflow, input, { store, clock: new VirtualClock(0), router, durability: 'batched' });
      const history = store.read(r.runId) as unknown[];
      const fin = history.at(-1) as { type: string; status: string; cost: number; durationMs: number };
      const stepsSucceeded = history.filter((e: any) => e.type === 'step.succeeded').length;
      const facts = { success: fin.status === 'succeeded', cost: fin.cost, latencyMs: fin.durationMs, stepsSucceeded };
      out.push({ ...facts, reward: runReward(facts), history });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Means of run facts.
 *
 * @example
 * summarise(await runEpisodes(scenario, scenario.test, cascade())).success
 */
export function summarise(facts: readonly RunFacts[]): PolicyResult {
  const m = (f: (x: RunFacts) => number) => facts.reduce((a, x) => a + f(x), 0) / facts.length;
  return { success: m((x) => (x.success ? 1 : 0)), cost: m((x) => x.cost), latencyMs: m((x) => x.latencyMs), reward: m((x) => x.reward), runs: facts.length };
}

/** Log lines go to stderr, the table to stdout. */
const log = (...xs: unknown[]) => console.error(...xs);

/**
 * Trains the learned policies on the training episodes and evaluates every policy on the held-out
 * ones. `random` and `cascade` also serve as logging policies whose histories warm-start PPO offline
 * (`trainFromHistories`: supervised + off-policy); PPO then trains online with epsilon-greedy 0.2
 * for `ppoPasses` passes over the training episodes, the bandit for one pass.
 *
 * @example
 * const results = await evaluateScenario(scenario, { seed: 42, ppoPasses: 3 });
 */
export async function evaluateScenario(s: RouterScenario, o: { seed: number; ppoPasses: number }): Promise<{ results: Record<string, PolicyResult>; notes: Record<string, unknown> }> {
  const t0 = Date.now();
  const logging = await runEpisodes(s, s.train, random(o.seed));
  const perWorker = new Map<string, { n: number; ok: number }>();
  for (const f of logging) {
    const ep = episodeOf(f.history);
    for (const d of ep?.decisions ?? []) {
      const w = perWorker.get(d.worker) ?? { n: 0, ok: 0 };
      w.n += 1; w.ok += d.success ? 1 : 0;
      perWorker.set(d.worker, w);
    }
  }
  const best = [...perWorker].sort(([a, x], [b, y]) => y.ok / y.n - x.ok / x.n || a.localeCompare(b))[0][0];
  log(`[${s.name}] logging (random) on ${s.train.length} training runs: ${((Date.now() - t0) / 1000).toFixed(1)}s; best single candidate on them: ${best}`);

  const t1 = Date.now();
  // The offline warm start learns from what a system would have logged: random's and cascade's runs.
  // A cascade's history is the better teacher (its cheap attempt always says whether cheap would do).
  const cascaded = await runEpisodes(s, s.train, cascade());
  const ppo = (await trainFromHistories([...logging, ...cascaded].map((f) => f.history), { kind: 'ppo', seed: o.seed, catalog: s.catalog, capabilityOf: s.capabilityOf, offPolicyRounds: 2, update: { lr: 1e-4 } })) as PpoRouter;
  const online = await createPpo({ catalog: s.catalog, seed: o.seed, training: true, epsilon: 0.2, batchEpisodes: 64, update: { epochs: 4, lr: Number(process.env.ORCHESTAI_BENCH_ROUTER_LR ?? 3e-4), lambda: Number(process.env.ORCHESTAI_BENCH_ROUTER_LAMBDA ?? 0.9) } }, ppo.params);
  const offline = summarise(await runEpisodes(s, s.test, frozen(ppo)));
  log(`[${s.name}] ppo after the offline warm start only (held-out): ${JSON.stringify(offline)}`);
  const curve: number[] = [];
  for (let pass = 0; pass < o.ppoPasses; pass++) curve.push(summarise(await runEpisodes(s, s.train, online)).reward);
  online.training = false;
  log(`[${s.name}] ppo: warm start + ${o.ppoPasses} online passes, ${((Date.now() - t1) / 1000).toFixed(1)}s, version ${online.version}, mean training reward per pass ${curve.map((x) => x.toFixed(2)).join(' -> ')}`);

  const t2 = Date.now();
  const bandit = linUcb({ catalog: s.catalog, epsilon: 0.2, seed: o.seed });
  await runEpisodes(s, s.train, bandit);
  bandit.epsilon = 0;
  log(`[${s.name}] bandit: one online pass, ${((Date.now() - t2) / 1000).toFixed(1)}s`);

  const policies: Record<string, Router> = {
    cheapest: cheapest(), 'best-single': fixed(best), random: random(o.seed + 1), cascade: cascade(), bandit, ppo: online, oracle: s.oracle,
  };
  const results: Record<string, PolicyResult> = {};
  for (const [name, router] of Object.entries(policies)) {
    results[name] = summarise(await runEpisodes(s, s.test, frozen(router)));
    log(`[${s.name}] ${name}: ${JSON.stringify(results[name])}`);
  }
  return { results, notes: { bestSingle: best, ppoOfflineOnly: offline, ppoVersion: online.version, ppoTrainingRewardPerPass: curve, trainRuns: s.train.length, testRuns: s.test.length } };
}
