import type { Router } from '../../machines/routing.ts';
import { linUcb, type BanditRouter } from './bandit.ts';
import { catalogOf, checkRequest, type RouterCatalog } from './catalog.ts';
import { capabilityMemo, episodeOf, episodesOf, type Episode, type EpisodeOptions } from './episodes.ts';
import { createPpo, type PpoRouter } from './ppo.ts';
import { supervisedUpdate, type PpoUpdateOptions } from './ppo-train.ts';
import { DEFAULT_REWARD, stepReward, type RewardWeights } from './reward.ts';
import { encodeState } from './state.ts';
import { candidateStats } from './stats.ts';

export interface TrainFromHistoriesOptions {
  kind?: 'ppo' | 'bandit';
  seed?: number;
  reward?: RewardWeights;
  /** Train for these candidates (default: every capability and candidate the histories routed). */
  catalog?: RouterCatalog;
  /** Epochs of the supervised warm start; default 30. */
  warmEpochs?: number;
  /** Rounds of off-policy PPO over the histories; default 3. */
  offPolicyRounds?: number;
  /** PPO's knobs for those rounds (see `ppoUpdate`). */
  update?: PpoUpdateOptions;
  /** Each step's capability, for histories whose `route.decided` events do not name it; default the step id. */
  capabilityOf?: EpisodeOptions['capabilityOf'];
}

/**
 * The catalog the episodes routed over.
 *
 * @example
 * catalogOfEpisodes(episodesOf(histories)).capabilities // { answer: ['cheap', 'dear'] }
 */
export function catalogOfEpisodes(episodes: readonly Episode[]): RouterCatalog {
  return catalogOf(episodes.flatMap((ep) => ep.decisions.map((d) => ({ capability: d.request.capability, candidates: d.request.candidates.map((c) => c.worker) }))));
}

/**
 * Supervised labels: for every routed attempt, the cheapest candidate (by observed cost, then
 * latency) that succeeded at the same step of the same run and had not already failed it before
 * this attempt, as the label for the attempt's state, provided every candidate with a lower
 * mean observed cost was tried there and failed (otherwise a cheaper one might have done: no label).
 * A cascade's history is the best teacher: its failed cheap attempt and successful dear one say
 * exactly which candidate this input needed, and the retry's state (the cheap one marked failed)
 * learns to escalate.
 *
 * Each label is weighted by what choosing otherwise would have cost in reward (beta * cost +
 * gamma * seconds, from mean observed figures): skipping a cheap candidate that would have done
 * wastes the dear call, trying a cheap one that fails wastes only the cheap call. Without the
 * weights the warm start would learn "which candidate succeeds" (a 50% threshold) rather than
 * "which choice pays" (try the cheap one unless it almost surely fails).
 */
function bestObserved(episodes: readonly Episode[], catalog: RouterCatalog, w: RewardWeights) {
  const stats = candidateStats(episodes);
  const out: { x: Float32Array; slots: number[]; label: number; weight: number }[] = [];
  for (const ep of episodes) {
    const bySteps = new Map<string, Episode['decisions']>();
    for (const d of ep.decisions) bySteps.set(d.request.step, [...(bySteps.get(d.request.step) ?? []), d]);
    for (const ds of bySteps.values()) {
      const wins = ds.filter((d) => d.success).sort((a, b) => a.cost - b.cost || a.durationMs - b.durationMs);
      const failed = new Set(ds.filter((d) => !d.success).map((d) => d.worker));
      for (const d of ds) {
        const win = wins.find((x) => !d.request.failedWorkers.includes(x.worker));
        if (!win) continue;
        const st = (worker: string) => stats[d.request.capability]?.[worker];
        const mean = (worker: string) => { const x = st(worker); return x ? x.cost / x.n : Infinity; };
        // Only a certain label teaches: every candidate cheaper than the winner (by mean observed cost;
        // histories do not carry declared prices) must have been tried and failed here.
        if (d.request.candidates.some((c) => mean(c.worker) < mean(win.worker) && !failed.has(c.worker))) continue;
        const price = (worker: string) => { const x = st(worker); return x ? (w.beta * x.cost + w.gamma * x.latencyMs / 1000) / x.n : 0; };
        const others = d.request.candidates.filter((c) => c.worker !== win.worker && !d.request.failedWorkers.includes(c.worker));
        // Regret of the nearest alternative: a dearer one costs the difference, a cheaper one (it failed) its own call.
        const regrets = others.map((c) => (mean(c.worker) < mean(win.worker) ? price(c.worker) : price(c.worker) - price(win.worker)));
        const weight = regrets.length ? Math.max(1e-3, Math.min(...regrets)) : 1e-3;
        const slots = checkRequest(catalog, d.request, `history ${ep.runId}`);
        const index = d.request.candidates.findIndex((c) => c.worker === win.worker);
        if (index >= 0) out.push({ x: encodeState(d.request, catalog, slots), slots, label: slots[index], weight });
      }
    }
  }
  const meanWeight = out.reduce((a, x) => a + x.weight, 0) / Math.max(1, out.length);
  return out.map((x) => ({ ...x, weight: x.weight / meanWeight }));
}

/**
 * Learns a routing policy offline from run histories (arrays of events, as `store.read` gives).
 * PPO: a supervised warm start towards the best observed candidate per context, then off-policy
 * PPO rounds whose importance weights are new/recorded probabilities (decisions recorded without
 * probabilities count as certain). Bandit: every routed attempt is one LinUCB update with its step
 * reward. The result is greedy (not exploring) and versioned 1.
 *
 * @example
 * const policy = await trainFromHistories(histories, { kind: 'ppo', seed: 42 });
 * await savePolicy(policy, 'route-policy.json');
 */
export async function trainFromHistories(histories: Iterable<readonly unknown[]>, opts: TrainFromHistoriesOptions = {}): Promise<PpoRouter | BanditRouter> {
  const episodes = episodesOf(histories, { capabilityOf: opts.capabilityOf });
  if (episodes.length === 0) throw new Error('trainFromHistories: no finished run with a routed step in the histories');
  const catalog = opts.catalog ?? catalogOfEpisodes(episodes);
  const weights = opts.reward ?? DEFAULT_REWARD;
  const seed = opts.seed ?? 42;
  if (opts.kind === 'bandit') {
    const bandit = linUcb({ catalog, seed, reward: weights, learning: false });
    for (const ep of episodes) for (const d of ep.decisions) bandit.learn(d.request, d.index, stepReward(d.success, d.cost, d.durationMs, weights));
    return bandit;
  }
  const ppo = await createPpo({ catalog, seed, reward: weights, update: opts.update });
  ppo.params = supervisedUpdate(ppo.params, bestObserved(episodes, catalog, weights), { epochs: opts.warmEpochs ?? 30, seed });
  for (let round = 0; round < (opts.offPolicyRounds ?? 3); round++) ppo.learn(episodes);
  ppo.version = '1';
  return ppo;
}

/**
 * Continuous learning in a running system (the seeds' phase 3): a router that routes with `policy`
 * and, after every `every` finished runs it observes, updates it on those runs and bumps its
 * version (PPO: one PPO update; bandit: the LinUCB updates, applied in a batch).
 *
 * @example
 * const router = continuousLearner(await loadPolicy('route-policy.json'), { every: 50 });
 * await run(workflow, input, { router }); // the hub calls router.observe(history) when the run ends
 */
export function continuousLearner(policy: PpoRouter | BanditRouter, opts: { every: number; reward?: RewardWeights }): Router & { readonly version: string } {
  const weights = opts.reward ?? DEFAULT_REWARD;
  let batch: Episode[] = [];
  const caps = capabilityMemo();
  return {
    id: policy.id,
    get version() { return policy.version; },
    route: (r) => { caps.note(r); return policy.route(r); },
    observe(history) {
      const ep = episodeOf(history, caps);
      if (!ep) return;
      batch.push(ep);
      if (batch.length < opts.every) return;
      if (policy.id === 'ppo') (policy as PpoRouter).learn(batch);
      else {
        const b = policy as BanditRouter;
        for (const e of batch) for (const d of e.decisions) b.learn(d.request, d.index, stepReward(d.success, d.cost, d.durationMs, weights));
        b.version = String(Number(b.version) + 1);
      }
      batch = [];
    },
  };
}
