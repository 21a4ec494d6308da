import * as tf from '@tensorflow/tfjs';
import { forward, maskedSoftmax, type PpoParams } from './ppo-net.ts';
import { seededRandom } from './rng.ts';

/**
 * One decision to learn from: state, the slots that were offered, the slot taken, how likely the
 * acting policy made it, the reward paid at it, and whether it ended its episode. A batch holds
 * whole episodes, each in order.
 */
export interface Transition { x: Float32Array; slots: number[]; action: number; mu: number; reward: number; last: boolean }

/** PPO's knobs; the defaults are the usual ones for small discrete problems. */
export interface PpoUpdateOptions {
  epochs?: number; minibatch?: number; lr?: number; clip?: number; entropy?: number; valueCoef?: number;
  /** Returns are divided by this before the value head regresses them (the reward's alpha keeps them near 1). */
  returnScale?: number;
  /** V-trace's (GAE's) lambda, discount 1: 1 is Monte Carlo, lower trusts the value head more. Default 0.9. */
  lambda?: number;
  seed?: number;
}

type Vars = Record<'w1' | 'b1' | 'wp' | 'bp' | 'wv' | 'bv', tf.Variable>;

function toVars(p: PpoParams): Vars {
  return {
    w1: tf.variable(tf.tensor2d(p.w1, [p.inputs, p.hidden])), b1: tf.variable(tf.tensor1d(p.b1)),
    wp: tf.variable(tf.tensor2d(p.wp, [p.hidden, p.actions])), bp: tf.variable(tf.tensor1d(p.bp)),
    wv: tf.variable(tf.tensor2d(p.wv, [p.hidden, 1])), bv: tf.variable(tf.tensor1d(p.bv)),
  };
}

function fromVars(p: PpoParams, v: Vars): PpoParams {
  const arr = (t: tf.Variable) => Array.from(t.dataSync());
  return { ...p, w1: arr(v.w1), b1: arr(v.b1), wp: arr(v.wp), bp: arr(v.bp), wv: arr(v.wv), bv: arr(v.bv) };
}

/** Log-probabilities over slots (offered slots only) and values, for a batch. */
function heads(v: Vars, x: tf.Tensor2D, maskAdd: tf.Tensor2D): { logp: tf.Tensor2D; value: tf.Tensor1D } {
  const h = tf.tanh(x.matMul(v.w1).add(v.b1));
  const logp = tf.logSoftmax(h.matMul(v.wp).add(v.bp).add(maskAdd)) as tf.Tensor2D;
  const value = h.matMul(v.wv).add(v.bv).reshape([-1]) as tf.Tensor1D;
  return { logp, value };
}

function batchTensors(p: PpoParams, items: readonly { x: Float32Array; slots: number[] }[]) {
  const x = new Float32Array(items.length * p.inputs);
  const mask = new Float32Array(items.length * p.actions).fill(-1e9);
  items.forEach((it, i) => {
    x.set(it.x, i * p.inputs);
    for (const s of it.slots) mask[i * p.actions + s] = 0;
  });
  return { x: tf.tensor2d(x, [items.length, p.inputs]), maskAdd: tf.tensor2d(mask, [items.length, p.actions]) };
}

/** Minibatches of indices in a seeded shuffled order. */
function minibatches(n: number, size: number, rnd: () => number): number[][] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(idx.slice(i, i + size));
  return out;
}

function train(p: PpoParams, n: number, opts: { epochs: number; minibatch: number; lr: number; seed: number }, loss: (v: Vars, batch: number[]) => tf.Scalar): PpoParams {
  const vars = toVars(p);
  const opt = tf.train.adam(opts.lr);
  const rnd = seededRandom(opts.seed);
  try {
    for (let e = 0; e < opts.epochs; e++) {
      for (const batch of minibatches(n, opts.minibatch, rnd)) {
        tf.tidy(() => { opt.minimize(() => loss(vars, batch), false, Object.values(vars)); });
      }
    }
    return fromVars(p, vars);
  } finally {
    opt.dispose();
    Object.values(vars).forEach((v) => v.dispose());
  }
}

/**
 * Advantages and value targets by V-trace (Espeholt et al. 2018, discount 1): each decision's
 * temporal difference is weighted by the truncated importance ratio rho = min(1, pi / mu) of the
 * policy being trained over the one that acted (recorded probabilities), and later differences
 * reach back through c = lambda * min(1, pi / mu). On-policy (pi = mu) this is GAE(lambda); off
 * the policy (histories of another policy, or epsilon-greedy exploration) it credits a decision
 * only with what the trained policy itself would have gone on to do.
 */
function vtrace(p: PpoParams, data: readonly Transition[], scale: number, lambda: number) {
  const cur = data.map((t) => {
    const f = forward(p, t.x);
    return { value: f.value, pi: maskedSoftmax(f.logits, t.slots)[t.slots.indexOf(t.action)] };
  });
  const adv = new Array<number>(data.length);
  const targets = new Array<number>(data.length);
  for (let i = data.length - 1; i >= 0; i--) {
    const t = data[i];
    const w = Math.min(1, cur[i].pi / Math.max(t.mu, 1e-6));
    const nextV = t.last ? 0 : cur[i + 1].value;
    const nextVs = t.last ? 0 : targets[i + 1];
    const delta = t.reward / scale + nextV - cur[i].value;
    targets[i] = cur[i].value + w * delta + (t.last ? 0 : lambda * w * (nextVs - nextV));
    adv[i] = w * (t.reward / scale + nextVs - cur[i].value);
  }
  return { adv, targets, piOld: cur.map((c) => c.pi) };
}

/**
 * One PPO update: V-trace advantages against the current value baseline (normalised), the
 * clipped surrogate on the ratio new / current policy, the value loss on the V-trace targets, and
 * an entropy bonus. With `mu` from recorded probabilities the same update is the off-policy
 * correction for histories of other policies. Deterministic for a seed (seeded minibatch order,
 * single-threaded wasm kernels).
 *
 * @example
 * params = ppoUpdate(params, transitions, { seed: 42 });
 */
export function ppoUpdate(p: PpoParams, data: readonly Transition[], o: PpoUpdateOptions = {}): PpoParams {
  if (data.length === 0) return p;
  const clip = o.clip ?? 0.2;
  const { adv, targets, piOld } = vtrace(p, data, o.returnScale ?? 10, o.lambda ?? 0.9);
  const mean = adv.reduce((a, b) => a + b, 0) / adv.length;
  const sd = Math.sqrt(adv.reduce((a, b) => a + (b - mean) ** 2, 0) / adv.length) || 1;
  const normAdv = adv.map((a) => (a - mean) / (sd + 1e-8));
  return train(p, data.length, { epochs: o.epochs ?? 4, minibatch: o.minibatch ?? 64, lr: o.lr ?? 3e-3, seed: o.seed ?? 1 }, (v, batch) => {
    const items = batch.map((i) => data[i]);
    const { x, maskAdd } = batchTensors(p, items);
    const { logp, value } = heads(v, x, maskAdd);
    const onehot = tf.oneHot(tf.tensor1d(items.map((t) => t.action), 'int32'), p.actions);
    const logpA = logp.mul(onehot).sum(1);
    const ratio = tf.exp(logpA.sub(tf.log(tf.tensor1d(batch.map((i) => Math.max(piOld[i], 1e-6))))));
    const A = tf.tensor1d(batch.map((i) => normAdv[i]));
    const surr = tf.minimum(ratio.mul(A), tf.clipByValue(ratio, 1 - clip, 1 + clip).mul(A));
    const vloss = tf.square(value.sub(tf.tensor1d(batch.map((i) => targets[i])))).mean();
    const probs = tf.exp(logp);
    const entropy = probs.mul(logp.maximum(-30)).sum(1).neg().mean();
    return surr.mean().neg().add(vloss.mul(o.valueCoef ?? 0.5)).sub(entropy.mul(o.entropy ?? 0.01)) as tf.Scalar;
  });
}

/**
 * Supervised warm start: cross-entropy towards a label slot per state (the best observed
 * candidate for that context), each sample weighted by `weight` (default 1).
 *
 * @example
 * params = supervisedUpdate(params, [{ x, slots: [0, 1], label: 1 }], { seed: 42 });
 */
export function supervisedUpdate(p: PpoParams, data: readonly { x: Float32Array; slots: number[]; label: number; weight?: number }[], o: { epochs?: number; lr?: number; seed?: number; minibatch?: number } = {}): PpoParams {
  if (data.length === 0) return p;
  return train(p, data.length, { epochs: o.epochs ?? 20, minibatch: o.minibatch ?? 64, lr: o.lr ?? 1e-2, seed: o.seed ?? 1 }, (v, batch) => {
    const items = batch.map((i) => data[i]);
    const { x, maskAdd } = batchTensors(p, items);
    const { logp } = heads(v, x, maskAdd);
    const onehot = tf.oneHot(tf.tensor1d(items.map((t) => t.label), 'int32'), p.actions);
    const weights = tf.tensor1d(items.map((t) => t.weight ?? 1));
    return logp.mul(onehot).sum(1).mul(weights).mean().neg() as tf.Scalar;
  });
}
