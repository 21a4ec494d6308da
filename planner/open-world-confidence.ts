import type { Plan } from './types.ts';

/**
 * What an unmatched clause does to a plan: the plan covers only part of the request, so it is
 * low-confidence whatever the model's own score. Its confidence is capped just below the
 * threshold and scaled by the share of clauses some worker does, so a plan that misses one clause
 * of four stays above one that misses every clause.
 *
 * @example
 * lowerForUnmatched({ ...plan, confidence: 1 }, 1, 2, 0.98) // confidence 0.49, lowConfidence true
 */
export function lowerForUnmatched(plan: Plan, unmatched: number, clauses: number, threshold: number): Plan {
  if (unmatched === 0) return plan;
  const covered = Math.max(0, clauses - unmatched) / Math.max(clauses, unmatched);
  // Strictly below the threshold even when every clause but one is covered and the model scored 1.
  const cap = Math.min(plan.confidence, threshold) * covered;
  const confidence = Math.min(cap, Math.max(0, threshold - 1e-6));
  return { ...plan, confidence, lowConfidence: true };
}
