import { contentStems } from '../encode/stems.ts';
import type { Plan } from '../types.ts';
import type { CatalogView } from './catalog-view.ts';
import type { ReadRequest } from './features.ts';
import { logit, type LogisticModel } from './logistic.ts';

/**
 * A verifier of the general model's zero-shot plans: how likely a plan is exactly right, from
 * features of the plan and the request, fitted on plans of tools the model never saw
 * (fit-verifier.ts). A plan's own confidence (its least step probability) barely tells right plans
 * from wrong on tools the model never saw (AUC 0.599 on the nested splits, where the verifier
 * reaches 0.779; scripts/general/plan-verifier.ts), so the verifier sets the flag.
 */

/** Number of verifier features. */
export const VERIFIER_SIZE = 10;

/** The fitted verifier: a plan whose verifier logit is under `threshold` is flagged. */
export interface PlanVerifier {
  model: LogisticModel;
  /** Chosen where the held-out plans it was fitted on have 90% of their wrong plans below it. */
  threshold: number;
}

/**
 * The verifier's features of `plan` (as the planner made it, with its confidence and clauses no
 * tool does) for `request`: its confidence, mean step probability, the margin between its least
 * planned tool and the best one left out (stage-2 logits `s`, tools `ranked` by them as the planner
 * ranked them), its best planned logit, its length,
 * the request's clause count and the difference, the idf share of the request's words the planned
 * tools' texts have, unmatched clauses, and the margin between the two best tools.
 *
 * @example
 * verifierFeatures(view, read, logits, rankedBy(logits), 'find a flight and book it', plan).length === VERIFIER_SIZE
 */
export function verifierFeatures(view: CatalogView, read: Pick<ReadRequest, 'clauseTools'>, s: Float64Array, ranked: readonly number[], request: string, plan: Plan & { unmatched: string[] }): number[] {
  const planned = new Set(plan.nodes.map((n) => view.position.get(n.worker)!));
  const logits = [...planned].map((t) => s[t]);
  const bestLeft = s[ranked.find((t) => !planned.has(t)) ?? ranked[0]];
  const stems = [...new Set(contentStems(request))];
  const idf = stems.map((x) => view.stemIdf(x));
  const covered = stems.reduce((sum, x, j) => sum + ([...planned].some((t) => view.stemSets[t].has(x)) ? idf[j] : 0), 0);
  const clauses = read.clauseTools?.length ?? 1;
  const probs = plan.nodes.map((n) => n.confidence);
  return [
    plan.confidence, probs.reduce((a, b) => a + b, 0) / Math.max(1, probs.length), Math.min(...logits) - bestLeft, Math.max(...logits),
    plan.nodes.length, clauses, Math.abs(plan.nodes.length - clauses), covered / Math.max(1e-9, idf.reduce((a, b) => a + b, 0)),
    plan.unmatched.length, s[ranked[0]] - s[ranked[1] ?? ranked[0]],
  ].map((v) => (Number.isFinite(v) ? v : 0));
}

/**
 * `plan` with its confidence read from the verifier: the logistic of the model's own threshold
 * (`threshold`, a logit) moved by the verifier logit's distance from its cut, so the plan is below
 * the planner's threshold exactly when the verifier flags it.
 *
 * @example
 * verified(plan, features, verifier, -0.75).lowConfidence // true when the verifier doubts it
 */
export function verified<P extends Plan>(plan: P, features: readonly number[], verifier: PlanVerifier, threshold: number): P {
  const v = logit(verifier.model, features);
  const confidence = 1 / (1 + Math.exp(-(threshold + v - verifier.threshold)));
  return { ...plan, confidence, lowConfidence: v < verifier.threshold };
}
