import type { Json } from '../../transformers/types.ts';
import { callCost, type RouteCandidate } from '../../machines/routing.ts';

/** Tokens assumed per character of JSON input (the usual ~4 characters a token). */
const CHARS_PER_TOKEN = 4;

/**
 * A candidate's expected cost for one call on this input, from its declared price: the per-call
 * price plus token prices on an estimate (input tokens from the input's JSON length; as many
 * output tokens as input tokens). Undeclared prices count as 0, so an unpriced candidate looks
 * cheapest: declare prices to route by them.
 *
 * @example
 * expectedCost({ worker: 'gpt', price: { perCall: 0.5 } }, 'hi') // 0.5
 */
export function expectedCost(candidate: RouteCandidate, input: Json): number {
  const p = candidate.price;
  if (!p) return 0;
  const tokens = Math.ceil(JSON.stringify(input ?? null).length / CHARS_PER_TOKEN);
  return callCost(p, tokens, tokens);
}

/**
 * Candidate indices ordered from cheapest to dearest by `expectedCost`; ties keep the step's
 * order (the first candidate is the step's default).
 *
 * @example
 * byPrice(request.candidates, request.input) // [2, 0, 1]
 */
export function byPrice(candidates: readonly RouteCandidate[], input: Json): number[] {
  const costs = candidates.map((c) => expectedCost(c, input));
  return candidates.map((_, i) => i).sort((a, b) => costs[a] - costs[b] || a - b);
}
