import type { Catalog, Example, Plan } from '../types.ts';
import type { DecodeOptions } from '../decode/beam.ts';
import type { ModelConfig } from '../model/params.ts';
import type { PlannerModel } from '../model/planner.ts';
import { scorePlans, type PlanMetrics } from '../metrics.ts';
import type { TrainOptions } from './options.ts';

/**
 * Picks the low-confidence threshold on dev: the cut that best separates wrong plans (node F1 < 0.99)
 * from right ones (Youden's J: share of wrong plans flagged minus share of right plans flagged).
 *
 * @example
 * const threshold = calibrateThreshold([{ confidence: 0.9, right: true }, { confidence: 0.2, right: false }]) // 0.9
 */
export function calibrateThreshold(scored: readonly { confidence: number; right: boolean }[]): number {
  const nRight = scored.filter((s) => s.right).length, nWrong = scored.length - nRight;
  if (nRight === 0 || nWrong === 0) return nWrong === 0 ? 0 : 1;
  const cuts = [...new Set(scored.map((s) => s.confidence))].sort((a, b) => a - b);
  let best = 0, bestJ = -Infinity;
  for (const c of cuts) {
    let wrongFlagged = 0, rightFlagged = 0;
    for (const s of scored) if (s.confidence < c) { if (s.right) rightFlagged++; else wrongFlagged++; }
    const j = wrongFlagged / nWrong - rightFlagged / nRight;
    if (j > bestJ) { bestJ = j; best = c; }
  }
  return best;
}

/** Clause-coverage weights tried on dev (0 first, so a tie keeps it off). */
const COVERAGE_WEIGHTS = [0, 1, 2, 3];

/** Stop offsets tried on dev for a single model. */
const STOP_OFFSETS = [-1.5, -1, -0.5, 0, 0.5, 1];

/** Coverage weights worth trying: only a model with a trained sub-task-text head has any. */
function coverageWeights(model: PlannerModel): number[] {
  return model.config.stepTextHead ? COVERAGE_WEIGHTS : [0];
}

/**
 * What dev picks epochs and decodings by: node F1 + link F1 + accuracy.
 *
 * @example
 * devScore(scorePlans(plans, dev, catalog)) // up to 3
 */
export function devScore(m: PlanMetrics): number {
  return m.nodeF1 + m.linkF1 + m.accuracy;
}

/**
 * The decoding among `choices` whose plans of `dev` score best (NF + LF + Acc; the earlier choice wins
 * a tie), returned with those plans so the threshold can be calibrated without planning dev again.
 *
 * @example
 * const { decode, plans } = bestDecodingOnDev((r, o) => model.plan(r, o), [{ stopOffset: 0 }, { stopOffset: -1 }], dev, catalog);
 */
export function bestDecodingOnDev(plan: (request: string, o: Partial<DecodeOptions>) => Plan, choices: readonly Partial<DecodeOptions>[], dev: readonly Example[], catalog: Catalog): { decode: Partial<DecodeOptions>; plans: Plan[] } {
  let best = { decode: choices[0], plans: [] as Plan[] }, bestScore = -Infinity;
  for (const decode of choices) {
    const plans = dev.map((e) => plan(e.request, decode));
    const score = devScore(scorePlans(plans, dev, catalog));
    if (score > bestScore + 1e-9) { bestScore = score; best = { decode, plans }; }
  }
  return best;
}

/**
 * The low-confidence threshold from plans of `examples` (see `calibrateThreshold`).
 *
 * @example
 * thresholdFor(dev.map((e) => model.plan(e.request)), dev, catalog)
 */
export function thresholdFor(plans: readonly Plan[], examples: readonly Example[], catalog: Catalog): number {
  return calibrateThreshold(plans.map((p, i) => ({ confidence: p.confidence, right: scorePlans([p], [examples[i]], catalog).accuracy === 1 })));
}

/**
 * The decoding a model is trained with, learned from the training data: repeats and extra roots are
 * allowed when some example has them (or the base model allowed them); fine-tuning keeps the base
 * model's beam width and clause-coverage weight unless told otherwise.
 *
 * @example
 * const decode = initialDecoding(examples, examples.map(goldDependencies), config, {});
 */
export function initialDecoding(examples: readonly Example[], deps: readonly number[][][], config: ModelConfig, options: TrainOptions): DecodeOptions {
  const { from } = options;
  return {
    beamWidth: options.beamWidth ?? from?.decode.beamWidth ?? 4,
    maxNodes: config.maxNodes,
    constrainToGraph: true,
    allowRepeats: (from?.decode.allowRepeats ?? false) || examples.some((e) => new Set(e.nodes).size < e.nodes.length),
    allowExtraRoots: (from?.decode.allowExtraRoots ?? false) || deps.some((d) => d.slice(1).some((x) => x.length === 0)),
    // Fine-tuning keeps the base model's clause-coverage weight unless a dev split tunes it again.
    ...(from?.decode.coverageWeight !== undefined && { coverageWeight: from.decode.coverageWeight }),
  };
}

/**
 * Sets a trained model's low-confidence threshold and, given `dev` (non-empty), its stop offset and
 * clause-coverage weight: the pair whose dev plans score best, the threshold then calibrated on those
 * plans. Without dev the threshold is calibrated on the training examples. Returns `model`, changed.
 *
 * @example
 * fitDecoding(model, trainExamples, catalog, devExamples).decode.stopOffset // e.g. -0.5
 */
export function fitDecoding(model: PlannerModel, examples: readonly Example[], catalog: Catalog, dev: readonly Example[] | undefined): PlannerModel {
  if (dev && dev.length > 0) {
    // Teacher forcing never sees the model's own early stops; a stop offset tuned on dev corrects the plan length.
    // Clause coverage also moves plan length, so its weight is tuned with the offset.
    const choices = coverageWeights(model).flatMap((coverageWeight) => STOP_OFFSETS.map((stopOffset) => ({ stopOffset, coverageWeight })));
    const { decode, plans } = bestDecodingOnDev((r, o) => model.plan(r, o), choices, dev, catalog);
    model.decode = { ...model.decode, ...decode };
    model.threshold = thresholdFor(plans, dev, catalog);
  } else {
    model.threshold = thresholdFor(examples.map((e) => model.plan(e.request)), examples, catalog);
  }
  return model;
}
