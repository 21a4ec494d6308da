import type { Json } from '../../transformers/types.ts';
import type { RouteRequest } from '../../machines/routing.ts';
import { termCounts, type FeatureConfig } from '../encode/features.ts';
import { capabilityNames, maxCandidates, type RouterCatalog } from './catalog.ts';

/**
 * The planner's hashed text features, reduced to a few buckets (word unigrams and bigrams, no
 * character n-grams): a router must answer in microseconds and learns from hundreds of runs, not
 * thousands of examples, so a small dense vector serves it better than 16,384 sparse buckets.
 */
export const ROUTER_TEXT_FEATURES: FeatureConfig = { dim: 64, wordBigrams: true, charNgrams: [], charWeight: 0 };

/**
 * The text a step's input carries: the string itself, or every string inside an object or array
 * (keys too, so `{ "question": ... }` says what kind of input it is), in order.
 *
 * @example
 * inputText({ question: 'Why is the sky blue?' }) // 'question Why is the sky blue?'
 */
export function inputText(input: Json): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { parts.push(k); walk(x); }
  };
  walk(input);
  return parts.join(' ');
}

/**
 * Dense, L2-normalised hashed text features of a step's input.
 *
 * @example
 * textFeatures('prove the lemma').length // 64
 */
export function textFeatures(input: Json, cfg: FeatureConfig = ROUTER_TEXT_FEATURES): Float32Array {
  const out = new Float32Array(cfg.dim);
  for (const [b, c] of termCounts(inputText(input), cfg)) out[b] = c;
  let norm = 0;
  for (const x of out) norm += x * x;
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] /= Math.sqrt(norm);
  return out;
}

/**
 * The length of `encodeState`'s vector for a catalog.
 *
 * @example
 * stateSize(catalog) === encodeState(request, catalog, slots).length
 */
export function stateSize(catalog: RouterCatalog): number {
  return ROUTER_TEXT_FEATURES.dim + capabilityNames(catalog).length + 4 + maxCandidates(catalog) + 1;
}

/**
 * A route request as a learned policy's state: text features of the input, a one-hot of the
 * capability, the step's relative position, the attempt, the run's cost and time so far (log
 * scaled), which catalog slots already failed this step, and a constant 1 (a bias for linear
 * learners). `slots` maps the request's candidates to catalog slots (see `checkRequest`).
 *
 * @example
 * const x = encodeState(request, catalog, checkRequest(catalog, request, 'bench'));
 */
export function encodeState(request: RouteRequest, catalog: RouterCatalog, slots: readonly number[]): Float32Array {
  const caps = capabilityNames(catalog);
  const x = new Float32Array(stateSize(catalog));
  x.set(textFeatures(request.input), 0);
  let o = ROUTER_TEXT_FEATURES.dim;
  const c = caps.indexOf(request.capability);
  if (c >= 0) x[o + c] = 1;
  o += caps.length;
  x[o++] = request.steps > 1 ? request.position / (request.steps - 1) : 0;
  x[o++] = Math.min(request.attempt - 1, 3) / 3;
  x[o++] = Math.log1p(Math.max(0, request.costSoFar));
  x[o++] = Math.log1p(Math.max(0, request.elapsedMs) / 1000);
  for (const w of request.failedWorkers) {
    const i = request.candidates.findIndex((cand) => cand.worker === w);
    if (i >= 0) x[o + slots[i]] = 1;
  }
  o += maxCandidates(catalog);
  x[o] = 1;
  return x;
}
