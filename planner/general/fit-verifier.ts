import { carveDevSplit, holdOutTools } from '../data/split.ts';
import type { Catalog, Example } from '../types.ts';
import { catalogView } from './catalog-view.ts';
import { fitLogistic, logit } from './logistic.ts';
import { fitGeneralModel, type FitGeneralOptions } from './model.ts';
import { createGeneralPlanner, scoreRequest } from './planner.ts';
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
  const view = catalogView(catalog, options.params);
  const rows: number[][] = [], labels: number[] = [];
  for (const seed of SEEDS) {
    const split = holdOutTools(catalog, examples, HELD_OUT, seed);
    const byId = new Map(split.seenExamples.map((e) => [e.id, e]));
    const { train, dev } = carveDevSplit([...byId.keys()], 0.1, seed);
    const model = fitGeneralModel(train.map((i) => byId.get(i)!), split.seenCatalog, { ...options, dev: dev.map((i) => byId.get(i)!) });
    const planner = createGeneralPlanner(model, catalog, options.params);
    for (const e of split.heldOutExamples.slice(0, PLANNED_PER_SEED)) {
      const plan = planner.plan(e.request);
      if (plan.nodes.length === 0 || plan.unmatched.length > 0) continue;
      const { read, logits } = scoreRequest(model, view, e.request);
      rows.push(verifierFeatures(view, read, logits, e.request, plan));
      labels.push(plan.nodes.map((n) => n.worker).join() === e.nodes.join() ? 1 : 0);
    }
  }
  if (!labels.includes(0) || !labels.includes(1)) throw new Error('fitPlanVerifier: the held-out plans are all right or all wrong; nothing to tell apart');
  const verifier = fitLogistic(rows, labels);
  const wrong = rows.filter((_, i) => labels[i] === 0).map((x) => logit(verifier, x)).sort((a, b) => a - b);
  return { model: verifier, threshold: wrong[Math.min(wrong.length - 1, Math.floor(WRONG_FLAGGED * wrong.length))] };
}
