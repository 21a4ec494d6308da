import { carveDevSplit, holdOutTools } from '../data/split.ts';
import type { Catalog, Example } from '../types.ts';
import { catalogView } from './catalog-view.ts';
import { fitLogistic, logit } from './logistic.ts';
import { fitGeneralModel, forCatalog, type FitGeneralOptions, type GeneralModel } from './model.ts';
import { planOver, scoreRequest } from './planner.ts';
import { rankedBy } from './decode.ts';
import { verifierFeatures, type PlanVerifier } from './verifier.ts';

/**
 * Fits the plan verifier (verifier.ts) the way it is used: on zero-shot plans of tools the model
 * never saw. For each seed a fifth of the catalog's tools is held out, a general model is fitted on
 * the requests that use none of them (a tenth of those choosing its threshold and decoding), and the
 * held-out tools' requests are planned over the whole catalog; the verifier learns which of those
 * plans were exactly right. Its cut flags 90% of those wrong plans: a flag that misses few wrong
 * plans, on a catalog the model never saw as much as on the one it fitted.
 */

/** Share of the catalog's tools held out per seed, and the seeds (each one fit of the general model). */
const HELD_OUT = 0.2;
const SEEDS = [101, 202, 303, 404, 505];
/** Held-out requests planned per seed (enough for ten weights; planning all of UltraTool's would double the fit). */
const PLANNED_PER_SEED = 600;
/** Share of the held-out wrong plans the cut flags. */
const WRONG_FLAGGED = 0.9;

/**
 * The verifier for general models fitted on `examples` over `catalog` (`options` as the model's
 * own fit takes them; `dev` is not used: each seed carves its own).
 *
 * @example
 * const model = { ...fitGeneralModel(train, catalog, { dev }), verifier: fitPlanVerifier(train, catalog) };
 */
export function fitPlanVerifier(examples: readonly Example[], catalog: Catalog, options: Omit<FitGeneralOptions, 'dev' | 'base' | 'open'> = {}): PlanVerifier {
  const rows: number[][] = [], labels: number[] = [];
  for (const seed of SEEDS) {
    const split = holdOutTools(catalog, examples, HELD_OUT, seed);
    const byId = new Map(split.seenExamples.map((e) => [e.id, e]));
    const { train, dev } = carveDevSplit([...byId.keys()], 0.1, seed);
    const model = fitGeneralModel(train.map((i) => byId.get(i)!), split.seenCatalog, { ...options, dev: dev.map((i) => byId.get(i)!) });
    for (const p of judgedPlans(model, catalog, split.heldOutExamples.slice(0, PLANNED_PER_SEED), options.params)) {
      if (!p.judged) continue;
      rows.push(p.features);
      labels.push(p.right ? 1 : 0);
    }
  }
  if (!labels.includes(0) || !labels.includes(1)) throw new Error('fitPlanVerifier: the held-out plans are all right or all wrong; nothing to tell apart');
  const verifier = fitLogistic(rows, labels);
  const wrong = rows.filter((_, i) => labels[i] === 0).map((x) => logit(verifier, x)).sort((a, b) => a - b);
  return { model: verifier, threshold: wrong[Math.min(wrong.length - 1, Math.floor(WRONG_FLAGGED * wrong.length))] };
}

/** A zero-shot plan as the verifier reads it (see `judgedPlans`). */
export interface JudgedPlan {
  features: number[];
  /** The plan has exactly the example's steps, in its order. */
  right: boolean;
  /** The plan's own confidence (its least step probability, lowered for clauses no tool does). */
  confidence: number;
  /** A plan the verifier judges: it has a step and no clause that no tool does. */
  judged: boolean;
}

/**
 * Plans each of `examples` zero-shot with `general` over `catalog`, its verifier set aside (each
 * request read once: the plan and the features share the reading), and reads what the verifier
 * would: the plans a verifier is fitted on, or measured with.
 *
 * @example
 * judgedPlans(model, catalog, heldOut).filter((p) => p.judged).map((p) => p.features)
 */
export function judgedPlans(general: GeneralModel, catalog: Catalog, examples: readonly Example[], params?: FitGeneralOptions['params']): JudgedPlan[] {
  const model = { ...forCatalog(general, catalog), verifier: undefined };
  const view = catalogView(catalog, params);
  return examples.map((e) => {
    const scored = scoreRequest(model, view, e.request);
    const plan = planOver(model, view, e.request, undefined, -1, scored);
    return {
      features: verifierFeatures(view, scored.read, scored.logits, rankedBy(scored.logits), e.request, plan),
      right: plan.nodes.map((n) => n.worker).join() === e.nodes.join(),
      confidence: plan.confidence,
      judged: plan.nodes.length > 0 && plan.unmatched.length === 0,
    };
  });
}
