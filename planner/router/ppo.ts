import type { RouteRequest, Router } from '../../machines/routing.ts';
import { initTf } from '../model/backend.ts';
import { checkRequest, maxCandidates, type RouterCatalog } from './catalog.ts';
import { decisionFor } from './decision.ts';
import { capabilityMemo, episodeOf, type Episode } from './episodes.ts';
import { forward, initParams, maskedSoftmax, paramsHash, type PpoParams } from './ppo-net.ts';
import { ppoUpdate, type PpoUpdateOptions, type Transition } from './ppo-train.ts';
import { decisionRewards } from './returns.ts';
import { DEFAULT_REWARD, type RewardWeights } from './reward.ts';
import { sampleIndex, seededRandom } from './rng.ts';
import { encodeState, stateSize } from './state.ts';

export interface PpoOptions {
  catalog: RouterCatalog;
  seed?: number;
  hidden?: number;
  /** Sample from the policy with epsilon-greedy exploration (the seeds' 0.2) instead of acting greedily. */
  training?: boolean;
  epsilon?: number;
  /** `observe` runs a PPO update after this many finished runs; default 32. */
  batchEpisodes?: number;
  reward?: RewardWeights;
  update?: PpoUpdateOptions;
  version?: number;
}

/** The PPO router: acts; while `training`, collects finished runs through `observe` and updates every `batchEpisodes`. */
export interface PpoRouter extends Router {
  readonly catalog: RouterCatalog;
  params: PpoParams;
  training: boolean;
  epsilon: number;
  version: string;
  /** Learns from episodes now (one PPO update over them and anything buffered). */
  learn(episodes: readonly Episode[]): void;
  /** The weights' hash (equal hashes, same policy). */
  hash(): string;
}

/**
 * Transitions of an episode for PPO: the state (as the router saw it live when it remembers, else
 * rebuilt from the history), the offered slots, the slot taken, the acting probability (recorded;
 * 1 when the logging policy recorded none, i.e. treated as deterministic), the reward paid at it, and
 * whether it is the episode's last (transitions of one episode stay together and in order).
 *
 * @example
 * const ts = episodeTransitions(ep, catalog);
 */
export function episodeTransitions(ep: Episode, catalog: RouterCatalog, w: RewardWeights = DEFAULT_REWARD, seen?: (r: RouteRequest) => Float32Array | undefined): Transition[] {
  const rewards = decisionRewards(ep, w);
  return ep.decisions.map((d, i) => {
    const slots = checkRequest(catalog, d.request, `history ${ep.runId}`);
    return {
      x: seen?.(d.request) ?? encodeState(d.request, catalog, slots), slots, action: slots[d.index],
      mu: d.probabilities?.[d.index] ?? 1, reward: rewards[i], last: i === ep.decisions.length - 1,
    };
  });
}

const memoKey = (r: Pick<RouteRequest, 'runId' | 'step' | 'attempt'>) => `${r.runId}\u0000${r.step}\u0000${r.attempt}`;

/**
 * An actor-critic router trained with PPO (clipped objective, value baseline, entropy bonus) on
 * whole runs: the state is the step's input text features, capability, position, attempt, and the
 * run's cost and time so far; the return is the seeds' reward over the run. Acting is a plain-JS
 * forward pass (synchronous, microseconds); updates use tfjs on the wasm backend, initialised here.
 * Deterministic under `seed`: initial weights, exploration and minibatch order all derive from it.
 *
 * @example
 * const ppo = await createPpo({ catalog, seed: 42, training: true });
 * for (const input of inputs) await run(workflow, input, { router: ppo }); // the hub calls ppo.observe(history)
 * ppo.training = false; // greedy, and no longer learning, from now on
 */
export async function createPpo(opts: PpoOptions, saved?: PpoParams): Promise<PpoRouter> {
  await initTf();
  const seed = opts.seed ?? 42;
  const weights = opts.reward ?? DEFAULT_REWARD;
  const every = opts.batchEpisodes ?? 32;
  const rnd = seededRandom(seed ^ 0x5bd1e995);
  const seen = new Map<string, Float32Array>();
  const caps = capabilityMemo();
  let buffer: Transition[] = [];
  let pending = 0;
  let updates = 0;
  const router: PpoRouter = {
    id: 'ppo', version: String(opts.version ?? 1), catalog: opts.catalog,
    params: saved ?? initParams(stateSize(opts.catalog), opts.hidden ?? 32, maxCandidates(opts.catalog), seed),
    training: opts.training ?? false, epsilon: opts.epsilon ?? 0.2,
    route(r) {
      const slots = checkRequest(opts.catalog, r, 'ppo');
      caps.note(r);
      const x = encodeState(r, opts.catalog, slots);
      const pi = maskedSoftmax(forward(router.params, x).logits, slots);
      // Acting greedily, the choice is certain: record that (one-hot), not pi, or off-policy estimates would be wrong.
      if (!router.training) return decisionFor(r, pi.reduce((b, p, i) => (p > pi[b] ? i : b), 0), 'ppo', router.version);
      seen.set(memoKey(r), x);
      // Explore among candidates that have not failed this step yet: retrying one that just failed
      // teaches little and, on-policy, would make every cheap first try look riskier than it is.
      const fresh = r.candidates.map((c) => !r.failedWorkers.includes(c.worker));
      const open = fresh.some(Boolean) ? fresh : fresh.map(() => true);
      const n = open.filter(Boolean).length;
      const mu = pi.map((p, i) => (1 - router.epsilon) * p + (open[i] ? router.epsilon / n : 0));
      return decisionFor(r, sampleIndex(mu, rnd), 'ppo', router.version, mu);
    },
    observe(history) {
      // Only a training router learns from the runs it routes; a deployed one changes only through
      // `learn` (continuousLearner), so loading a policy file never starts learning behind your back.
      if (!router.training) return;
      const ep = episodeOf(history, caps);
      if (!ep) return;
      buffer.push(...episodeTransitions(ep, opts.catalog, weights, (r) => seen.get(memoKey(r))));
      for (const d of ep.decisions) seen.delete(memoKey(d.request));
      if (++pending >= every) router.learn([]);
    },
    learn(episodes) {
      for (const ep of episodes) buffer.push(...episodeTransitions(ep, opts.catalog, weights));
      router.params = ppoUpdate(router.params, buffer, { ...opts.update, returnScale: weights.alpha, seed: seed + updates });
      updates += 1;
      buffer = [];
      pending = 0;
      router.version = String(Number(router.version) + 1);
    },
    hash: () => paramsHash(router.params),
  };
  return router;
}
