/**
 * Routing benchmark (npm run bench:router): every policy (cheapest, best-single, random, cascade,
 * bandit, ppo, oracle) runs through the real engine (run() on a VirtualClock, real histories) on
 * each scenario; PPO and the bandit train on training episodes only and everything is scored on
 * held-out episodes. Writes bench/results/router.json and bench/results/router-<scenario>.svg.
 *
 * Scenarios:
 * - published: outcomes per task family from RouteLLM's released evaluation data (see
 *   bench/lib/router-published.ts for the figures and their source);
 * - planner: real outcomes of the project's own planners on UltraTool requests (see
 *   bench/lib/router-planner.ts); skipped with a note when the data is missing.
 *
 * Environment: ORCHESTAI_BENCH_ROUTER_SCENARIOS (comma list, default both),
 * ORCHESTAI_BENCH_ROUTER_TRAIN / _TEST (published episodes, default 1500 / 500),
 * ORCHESTAI_BENCH_ROUTER_REQUESTS (cap on planner requests per split), ORCHESTAI_ULTRATOOL,
 * ORCHESTAI_BENCH_ROUTER_PPO_PASSES (online PPO passes over the training episodes, default 3),
 * ORCHESTAI_BENCH_ROUTER_LR and _LAMBDA (online PPO's learning rate and V-trace lambda, defaults
 * 3e-4 and 0.9: the values the recorded results used).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateScenario, type PolicyResult } from './lib/router-harness.ts';
import { publishedScenario } from './lib/router-published.ts';
import { costSuccessSvg } from './lib/router-svg.ts';
import type { RouterScenario } from './lib/router-scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 42;
const env = process.env;
const wanted = (env.ORCHESTAI_BENCH_ROUTER_SCENARIOS ?? 'published,planner').split(',');
const PPO_PASSES = Number(env.ORCHESTAI_BENCH_ROUTER_PPO_PASSES ?? 3);

async function scenarios(): Promise<{ list: RouterScenario[]; skipped: Record<string, string>; extra: Record<string, unknown> }> {
  const list: RouterScenario[] = [];
  const skipped: Record<string, string> = {};
  const extra: Record<string, unknown> = {};
  if (wanted.includes('published')) list.push(publishedScenario({ seed: SEED, trainRuns: Number(env.ORCHESTAI_BENCH_ROUTER_TRAIN ?? 1500), testRuns: Number(env.ORCHESTAI_BENCH_ROUTER_TEST ?? 500) }));
  if (wanted.includes('planner')) {
    const { plannerScenario } = await import('./lib/router-planner.ts');
    const dataDir = path.resolve(root, env.ORCHESTAI_ULTRATOOL ?? '../shared/data/ultratool');
    if (!fs.existsSync(dataDir)) skipped.planner = `no UltraTool data at ${dataDir}`;
    else {
      const s = await plannerScenario({ dataDir, seed: SEED, cap: env.ORCHESTAI_BENCH_ROUTER_REQUESTS ? Number(env.ORCHESTAI_BENCH_ROUTER_REQUESTS) : undefined });
      list.push(s.scenario);
      extra.planner = s.notes;
    }
  }
  return { list, skipped, extra };
}

const f = (x: number, d: number) => x.toFixed(d);

/** The acceptance checks of issue 17, per scenario. */
function verdict(r: Record<string, PolicyResult>) {
  const ppo = r.ppo, best = r['best-single'];
  const successRatio = ppo.success / best.success;
  const costRatio = ppo.cost / best.cost;
  const rival = r.cascade.reward >= r.bandit.reward ? 'cascade' : 'bandit';
  return {
    ppoSuccessVsBestSingle: Number(successRatio.toFixed(4)), ppoCostVsBestSingle: Number(costRatio.toFixed(4)),
    ppoReachesQualityAtHalfCost: successRatio >= 0.95 && costRatio <= 0.5,
    ppoRewardAtLeastCascadeAndBandit: ppo.reward >= Math.max(r.cascade.reward, r.bandit.reward),
    defaultPolicy: ppo.reward >= r[rival].reward ? 'ppo' : rival,
  };
}

const started = Date.now();
const { list, skipped, extra } = await scenarios();
const out: Record<string, Record<string, PolicyResult>> = {};
const meta: Record<string, unknown> = {};
for (const s of list) {
  const { results, notes } = await evaluateScenario(s, { seed: SEED, ppoPasses: PPO_PASSES });
  out[s.name] = results;
  meta[s.name] = { source: s.source, costUnit: s.costUnit, ...notes, ...(extra[s.name] as object), acceptance: verdict(results) };
  fs.writeFileSync(path.join(root, 'bench/results', `router-${s.name}.svg`), costSuccessSvg(s.name, results, s.costUnit));
  console.log(`\nscenario ${s.name} (held-out ${s.test.length} runs; cost in ${s.costUnit})`);
  console.log(['policy'.padEnd(12), 'success'.padStart(8), 'cost'.padStart(10), 'latency ms'.padStart(11), 'reward'.padStart(8)].join(' '));
  for (const [name, r] of Object.entries(results)) console.log([name.padEnd(12), f(r.success, 3).padStart(8), r.cost.toPrecision(4).padStart(10), f(r.latencyMs, 0).padStart(11), f(r.reward, 3).padStart(8)].join(' '));
  console.log(`acceptance: ${JSON.stringify((meta[s.name] as { acceptance: unknown }).acceptance)}`);
}
const result = {
  scenarios: out,
  meta: {
    command: 'npm run bench:router', seed: SEED, date: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000),
    reward: 'R = 10 * success - 0.1 * cost - 0.01 * latency_seconds + 0.1 per successful step (the seeds\' alpha, beta, gamma)',
    ppoPasses: PPO_PASSES, skipped, ...meta,
  },
};
fs.writeFileSync(path.join(root, 'bench/results/router.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`\nwrote bench/results/router.json${Object.keys(skipped).length ? ` (skipped: ${JSON.stringify(skipped)})` : ''}`);
