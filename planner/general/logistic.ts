/**
 * Logistic regression fitted by Newton's method (iteratively reweighted least squares). The
 * general planner's models have a few dozen features and up to a million rows, where Newton
 * converges in about ten passes with no learning rate to tune; written here because no
 * maintained npm package fits weighted, prior-centred logistic regression without a runtime we do
 * not ship.
 */

/** A fitted model: features are standardised with `mean`/`scale`, then `weights` (last = bias). */
export interface LogisticModel { mean: number[]; scale: number[]; weights: number[] }

export interface FitOptions {
  /** L2 strength towards `prior` (default 1). */
  l2?: number;
  /** Weights to shrink towards (fine-tuning keeps close to a base model); default zeros. */
  prior?: LogisticModel;
  /** Newton passes (default 12). */
  iterations?: number;
}

/** The logit of one feature row. */
export function logit(model: LogisticModel, x: ArrayLike<number>): number {
  const { mean, scale, weights } = model;
  let z = weights[weights.length - 1];
  for (let j = 0; j < mean.length; j++) z += weights[j] * (x[j] - mean[j]) / scale[j];
  return z;
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || m[r][c] === 0) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** Column means and standard deviations (1 for a constant column, see below). */
function standardisation(rows: readonly ArrayLike<number>[]): { mean: number[]; scale: number[] } {
  const k = rows[0].length;
  const mean = new Array(k).fill(0), scale = new Array(k).fill(0);
  for (const x of rows) for (let j = 0; j < k; j++) mean[j] += x[j] / rows.length;
  for (const x of rows) for (let j = 0; j < k; j++) scale[j] += (x[j] - mean[j]) ** 2 / rows.length;
  // A constant column sums to its value only up to rounding, which left a deviation of 1e-12 that
  // standardised it to +-1 noise (a bias that saving the model to 6 digits then removed): such a
  // column is scaled by 1, so it stays ~0.
  for (let j = 0; j < k; j++) {
    const sd = Math.sqrt(scale[j]);
    scale[j] = sd > 1e-9 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  return { mean, scale };
}

/**
 * Fits P(y = 1 | x). With `prior`, its standardisation is kept and the weights are shrunk towards
 * it, so a few hundred new rows adjust a model rather than replace it.
 *
 * @example
 * const m = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * logit(m, [3]) > 0 // true
 */
export function fitLogistic(rows: readonly ArrayLike<number>[], labels: readonly number[], options: FitOptions = {}): LogisticModel {
  if (rows.length === 0) throw new Error('fitLogistic: no rows');
  const { mean, scale } = options.prior ?? standardisation(rows);
  const k = mean.length;
  const l2 = options.l2 ?? 1;
  const centre = options.prior?.weights ?? new Array(k + 1).fill(0);
  let w = [...centre];
  const loss = penalisedLoss(rows, labels, mean, scale, l2, centre);
  // The loss at `w`, carried from the step that reached it (each evaluation is a pass over the rows).
  let current = loss(w);
  const z = new Float64Array(k + 1);
  for (let it = 0; it < (options.iterations ?? 12); it++) {
    const h = Array.from({ length: k + 1 }, () => new Array(k + 1).fill(0));
    const g = new Array(k + 1).fill(0);
    for (let i = 0; i < rows.length; i++) {
      const x = rows[i];
      let s = 0;
      for (let j = 0; j < k; j++) { z[j] = (x[j] - mean[j]) / scale[j]; s += w[j] * z[j]; }
      z[k] = 1;
      s += w[k];
      const p = 1 / (1 + Math.exp(-s));
      const r = p * (1 - p), d = p - labels[i];
      for (let a = 0; a <= k; a++) {
        g[a] += d * z[a];
        const ra = r * z[a];
        const ha = h[a];
        for (let b = a; b <= k; b++) ha[b] += ra * z[b];
      }
    }
    for (let a = 0; a <= k; a++) {
      for (let b = 0; b < a; b++) h[a][b] = h[b][a];
      h[a][a] += l2;
      g[a] += l2 * (w[a] - centre[a]);
    }
    const step = solve(h, g);
    // A full Newton step can overshoot when the rows sit far outside the prior's standardisation
    // (a catalog with no graph gives every graph feature one far value), so the step is halved
    // until the penalised loss does not rise; where Newton behaves, the full step is taken.
    let t = 1, next = w.map((v, j) => v - step[j]), nextLoss = loss(next);
    for (let halvings = 0; halvings < 30 && !(nextLoss <= current + 1e-9 * Math.abs(current)); halvings++) {
      t /= 2;
      next = w.map((v, j) => v - t * step[j]);
      nextLoss = loss(next);
    }
    w = next;
    current = nextLoss;
    if (step.every((s) => Math.abs(t * s) < 1e-7)) break;
  }
  return { mean, scale, weights: w };
}

/** The penalised negative log-likelihood of weights `w` (standardised rows, L2 toward `centre`). */
function penalisedLoss(rows: readonly ArrayLike<number>[], labels: readonly number[], mean: readonly number[], scale: readonly number[], l2: number, centre: readonly number[]): (w: readonly number[]) => number {
  const k = mean.length;
  return (w) => {
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const x = rows[i];
      let s = w[k];
      for (let j = 0; j < k; j++) s += w[j] * (x[j] - mean[j]) / scale[j];
      // log(1 + e^s) - y s, computed without overflow.
      total += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - labels[i] * s;
    }
    for (let j = 0; j <= k; j++) total += (l2 / 2) * (w[j] - centre[j]) ** 2;
    return total;
  };
}
