import { fnv1a, words } from './encode/features.ts';
import type { PlannerModel } from './model/planner.ts';

/**
 * How much of an instruction the model has ever seen: the share of its words whose feature
 * bucket occurred in the training texts (or tool descriptions). An unseen bucket keeps the
 * largest idf, `log(1 + n) + 1`, which is how it is recognised. Hashing makes this an estimate
 * (an unseen word can share a bucket with a seen one), never an overcount of zero.
 *
 * @example
 * vocabularyCoverage(model, 'asdf qwer') // 0
 * vocabularyCoverage(model, 'Summarise file.md') // 1
 */
export function vocabularyCoverage(model: Pick<PlannerModel, 'idf' | 'config'>, text: string): number {
  const ws = words(text);
  if (ws.length === 0) return 0;
  let unseen = -Infinity;
  for (const v of model.idf) if (v > unseen) unseen = v;
  const dim = model.config.features.dim;
  let seen = 0;
  for (const w of ws) if (model.idf[fnv1a('w:' + w) % dim] < unseen - 1e-6) seen++;
  return seen / ws.length;
}
