import type { Catalog, Example, Plan } from './types.ts';
import { initTf } from './model/backend.ts';
import { buildModel, type PlannerModel } from './model/planner.ts';
import { buildEnsemble, type EnsembleCombine, type EnsembleModel } from './model/ensemble.ts';
import { TrainPool } from './parallel/train-pool.ts';
import { availableParallelism } from 'node:os';
import { trainSettings, type EpochInfo, type TrainOptions, type TrainSchedule } from './train/options.ts';
import { adaptWeights, initialParameters, withStepTextHead } from './train/parameters.ts';
import { checkTrainingInput, prepareTrainingData } from './train/data.ts';
import { bestDecodingOnDev, fitDecoding, initialDecoding, thresholdFor } from './train/decoding.ts';
import { fitWeights } from './train/early-stopping.ts';

export type { EpochInfo, TrainOptions, TrainSchedule } from './train/options.ts';
export { calibrateThreshold } from './train/decoding.ts';

/**
 * The schedule an early-stopped run kept, from its per-epoch reports: its best epoch, and the epochs
 * before it after which the learning rate was decayed (those without dev improvement).
 *
 * @example
 * const infos: EpochInfo[] = []; await train(ex, cat, { dev, onEpoch: (i) => infos.push(i) }); trainSchedule(infos)
 */
export function trainSchedule(infos: readonly EpochInfo[]): TrainSchedule {
  const best = infos.reduce((b, i) => (i.best ? i.epoch : b), 1);
  return { epochs: best, decayAfter: infos.filter((i) => !i.best && i.epoch < best).map((i) => i.epoch) };
}

/**
 * Rebinds a trained model to another catalog without training: per-tool weights carry over by name,
 * new tools are scored through their descriptions and graph (zero-shot).
 *
 * @example
 * const zeroShot = adaptModel(model, fullCatalog); zeroShot.plan('...')
 */
export function adaptModel(from: PlannerModel, catalog: Catalog): PlannerModel {
  return buildModel({ config: from.config, decode: from.decode, catalog, idf: from.idf, weights: adaptWeights(from, catalog), threshold: from.threshold, memory: from.memory });
}

/**
 * `adaptModel` for a single model or an ensemble (each member adapted; pooling, decoding and
 * threshold kept): plans over `catalog` zero-shot, from its tools' descriptions and graph.
 *
 * @example
 * const planner = adaptPlanner(loadAnyModel('models/ultratool-ensemble'), myCatalog);
 */
export function adaptPlanner(from: PlannerModel | EnsembleModel, catalog: Catalog): PlannerModel | EnsembleModel {
  if (!('members' in from)) return adaptModel(from, catalog);
  return buildEnsemble(from.members.map((m) => adaptModel(m, catalog)), { combine: from.combine, decode: from.decode, threshold: from.threshold });
}

/**
 * Fine-tunes every member of an ensemble on `examples` (member k from its own weights, seed + k),
 * one after the other, and pools them as the base did (same rule and decoding). With `dev`, the
 * low-confidence threshold is recalibrated on the pooled plans; without, the base's is kept.
 *
 * @example
 * const ens = await fineTuneEnsemble(loadEnsemble('models/ens'), myExamples, myCatalog, { dev, epochs: 10 });
 */
export async function fineTuneEnsemble(base: EnsembleModel, examples: readonly Example[], catalog: Catalog, options: Omit<TrainOptions, 'from'> = {}): Promise<EnsembleModel> {
  const members: PlannerModel[] = [];
  const seed = options.seed ?? 42;
  for (const [k, from] of base.members.entries()) {
    members.push(await train(examples, catalog, { ...options, from, seed: seed + k, onEpoch: (info) => options.onEpoch?.({ ...info, member: k }) }));
  }
  const ens = buildEnsemble(members, { combine: base.combine, decode: base.decode, threshold: base.threshold });
  const dev = options.dev ?? [];
  if (dev.length > 0) ens.threshold = thresholdFor(dev.map((e) => ens.plan(e.request)), dev, catalog);
  return ens;
}

/**
 * Trains (or fine-tunes, with `from`) a planner on `examples` over `catalog`. Deterministic for a given
 * seed. With `dev`, keeps the epoch with the best dev NF + LF + Acc, stops after `patience` epochs
 * without improvement, and calibrates the low-confidence threshold on dev.
 *
 * @example
 * const model = await train(trainExamples, catalog, { dev: devExamples, onEpoch: (i) => console.log(i.epoch, i.loss) });
 */
export async function train(examples: readonly Example[], catalog: Catalog, options: TrainOptions = {}): Promise<PlannerModel> {
  const tf = await initTf();
  const graph = checkTrainingInput(examples, catalog, options);
  const settings = trainSettings(options);
  const start = initialParameters(examples, catalog, options, settings.seed);
  const data = prepareTrainingData(examples, catalog, graph, start, options.from, settings.stepTextWeight);
  const hasStepTexts = data.stepTexts.some((s) => s.length > 0);
  const params = withStepTextHead(start, hasStepTexts, settings.stepTextWeight, catalog.tools.length, settings.seed);
  const decode = initialDecoding(examples, data.deps, params.config, options);
  // Called as a method of `options`, as callers may rely on `this`.
  const model = fitWeights(tf, data, params, decode, settings, (info) => options.onEpoch?.(info));
  return fitDecoding(model, examples, catalog, settings.dev);
}

/** What `trainEnsemble` adds to the single-model options. */
export interface EnsembleTrainOptions extends TrainOptions {
  /** Member count; member k trains with seed + k. Default 3. */
  members?: number;
  /** Pooling of member scores (default 'logprob'; see `EnsembleCombine`). */
  combine?: EnsembleCombine;
  /**
   * Beam width of the ensemble. Default 5: on the UltraTool dev split, 3 members scored NF/LF/Acc
   * 85.54/63.42/63.70 at width 5 with MBR choice vs 84.92/62.11/63.37 at width 3 (MAP: 85.14 vs 84.99 NF).
   */
  ensembleBeamWidth?: number;
  /**
   * Threads that train members side by side (each model trains on one core). Default: the members'
   * count or the cores available, whichever is smaller; 1 trains them one after another in this thread.
   * Either way every member is the same: it depends only on its seed.
   */
  workers?: number;
  /** Called after each member with its index (0-based), the model and its training time. */
  onMember?(index: number, model: PlannerModel, seconds: number): void;
  /**
   * With `dev`: after the dev run has fixed each member's epochs and learning-rate schedule and the
   * ensemble's decoding and threshold, retrain every member on examples + dev with that schedule, so
   * the shipped model has learned from every labelled request. Default false.
   */
  refit?: boolean;
  /** Called after each refitted member. */
  onRefit?(index: number, model: PlannerModel, seconds: number): void;
  /** With `refit`: called with the calibrated dev-run ensemble (members trained without dev) before the refit. */
  onDevRun?(ensemble: EnsembleModel): void;
}

/** Runs training jobs on a pool of threads, or one after another in this thread. */
function memberTrainer(threads: number): { run(examples: readonly Example[], catalog: Catalog, options: TrainOptions): Promise<{ model: PlannerModel; seconds: number }>; close(): Promise<void> } {
  if (threads > 1) {
    const pool = new TrainPool(threads);
    return { run: (ex, cat, o) => pool.train(ex, cat, o), close: () => pool.close() };
  }
  // One at a time: two trainings interleaved on one thread would only share its core and its memory.
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(ex, cat, o) {
      const job = tail.then(async () => {
        const t0 = Date.now();
        const model = await train(ex, cat, o);
        return { model, seconds: (Date.now() - t0) / 1000 };
      });
      tail = job.catch(() => undefined);
      return job;
    },
    close: async () => undefined,
  };
}

/**
 * Trains `members` planners that differ only in their seed (initialisation, shuffling, dropout) and
 * pools them in beam search. With `dev`, each member early-stops on dev, and the ensemble's stop
 * offset, plan-choice rule and low-confidence threshold are calibrated on dev like a single model's;
 * with `refit` too, each member is then retrained on examples + dev with the schedule dev chose for
 * it. Members (and each member's refit, as soon as its dev run ends) train on `workers` threads.
 *
 * @example
 * const ens = await trainEnsemble(trainExamples, catalog, { dev: devExamples, members: 3, refit: true }); ens.plan('...')
 */
export async function trainEnsemble(examples: readonly Example[], catalog: Catalog, options: EnsembleTrainOptions = {}): Promise<EnsembleModel> {
  const K = options.members ?? 3;
  if (!Number.isInteger(K) || K < 1) throw new Error(`trainEnsemble: members must be a positive integer, got ${K}`);
  const threads = options.workers ?? Math.min(K, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`trainEnsemble: workers must be a positive integer, got ${threads}`);
  const { members: _k, combine, ensembleBeamWidth, workers: _w, onMember, refit, onRefit, onDevRun, onEpoch, ...single } = options;
  const seed = options.seed ?? 42;
  const dev = options.dev ?? [];
  const trainer = memberTrainer(threads);
  try {
    const devRuns = Array.from({ length: K }, async (_, k) => {
      const infos: EpochInfo[] = [];
      const { model, seconds } = await trainer.run(examples, catalog, { ...single, seed: seed + k, onEpoch: (i) => { infos.push(i); onEpoch?.({ ...i, member: k }); } });
      onMember?.(k, model, seconds);
      return { model, schedule: trainSchedule(infos) };
    });
    const all = [...examples, ...dev];
    // A member's refit needs only its own dev run's schedule (decoding is tuned on the dev-run ensemble
    // and carried over), so it starts while the other members and the calibration still run.
    const refits = refit && dev.length > 0 ? devRuns.map((run, k) => run.then(async ({ model: devModel, schedule }) => {
      const { model, seconds } = await trainer.run(all, catalog, { ...single, dev: undefined, seed: seed + k, schedule, onEpoch: (i) => onEpoch?.({ ...i, member: k, refit: true }) });
      model.decode = { ...devModel.decode };
      model.threshold = devModel.threshold;
      onRefit?.(k, model, seconds);
      return model;
    })) : [];
    // Should a dev run fail, its refit fails too; that is reported through the dev run, not as unhandled.
    for (const r of refits) r.catch(() => undefined);
    const members = (await Promise.all(devRuns)).map((r) => r.model);
    const ens = calibrateEnsemble(
      buildEnsemble(members, { combine, decode: { beamWidth: ensembleBeamWidth ?? 5 } }),
      dev.length > 0 ? dev : examples, catalog, dev.length > 0,
    );
    if (refits.length === 0) return ens;
    onDevRun?.(ens);
    return buildEnsemble(await Promise.all(refits), { combine: ens.combine, decode: ens.decode, threshold: ens.threshold });
  } finally {
    await trainer.close();
  }
}

/**
 * Clause-coverage weight of an ensemble whose members have the sub-task-text head. Fixed rather than
 * tuned: see `calibrateEnsemble`.
 */
export const ENSEMBLE_COVERAGE_WEIGHT = 2;

/**
 * Weight of node F1 in an ensemble's MBR choice (see `DecodeOptions.mbrNodeWeight`). Fixed from
 * cross-validation, not tuned on dev: `ORCHESTAI_CV_MEMBERS=3
 * ORCHESTAI_CV_VARIANTS=word-vectors,mbr-node-weight-1 npm run bench:planner-cv` (3,027 held-out
 * requests) put weight 3 over weight 1 at NF +0.19 +- 0.05, LF +0.25 +- 0.09, Acc +0.10 +- 0.12.
 * In a one-off scan of weights 2 to 8 at fixed stop offsets, weights above 3 gained more NF but began
 * to cost accuracy.
 */
export const ENSEMBLE_MBR_NODE_WEIGHT = 3;

/**
 * Share of the step memory in the clause distributions of an ensemble's clause coverage (see
 * `DecodeOptions.stepMemoryWeight`). Fixed from cross-validation, not tuned on dev:
 * `ORCHESTAI_CV_MEMBERS=3 ORCHESTAI_CV_VARIANTS=word-vectors,no-step-memory npm run
 * bench:planner-cv` (3,027 held-out requests) put the head alone at NF -0.19 +- 0.13, LF -0.22 +-
 * 0.17, Acc -0.43 +- 0.23 against this mix. In a one-off scan on saved fold ensembles, shares 0.2 to
 * 0.4 all helped at every fixed stop offset, 0.3 the most; at 0.5 and above node F1 stopped gaining.
 * Single models keep the head alone (their mix was not measured).
 */
export const ENSEMBLE_STEP_MEMORY_WEIGHT = 0.3;

/**
 * Sets an ensemble's decoding and its low-confidence threshold on `examples`, like `train` does for
 * one model. The plan is chosen by MBR (node F1 weighted `ENSEMBLE_MBR_NODE_WEIGHT`), with clause
 * coverage at `ENSEMBLE_COVERAGE_WEIGHT` when the members have the sub-task-text head (its clause
 * distributions mixed with the step memory at `ENSEMBLE_STEP_MEMORY_WEIGHT` when they remember
 * sub-task texts); only the stop offset is tuned (with `tuneOffset`: it needs held-out examples).
 *
 * Why so little is tuned: a dev split of a few hundred requests cannot choose between decodings less
 * than a point apart. In 3-fold cross-validation of 3-member ensembles with word vectors over the
 * 3,027 UltraTool training ids, tuning MAP/MBR, coverage weight (0-3) and offset together on each
 * fold's dev split (the calibration up to commit b3c5c13) picked MAP for 1 of 3 folds and scored
 * held-out NF 82.10, against 81.88 for this rule (`ORCHESTAI_CV_MEMBERS=3 npm run bench:planner-cv`):
 * no better, at eight times the calibration cost. MBR is also the choice that maximises the
 * expected per-request F1, the metric planning is judged by.
 *
 * @example
 * calibrateEnsemble(buildEnsemble(models), devExamples, catalog, true)
 */
export function calibrateEnsemble(ens: EnsembleModel, examples: readonly Example[], catalog: Catalog, tuneOffset: boolean): EnsembleModel {
  const coverageWeight = ens.members.some((m) => m.config.stepTextHead) ? ENSEMBLE_COVERAGE_WEIGHT : 0;
  const stepMemoryWeight = coverageWeight > 0 && ens.members.some((m) => m.steps) ? ENSEMBLE_STEP_MEMORY_WEIGHT : 0;
  ens.decode = { ...ens.decode, select: 'mbr', coverageWeight, mbrNodeWeight: ENSEMBLE_MBR_NODE_WEIGHT, stepMemoryWeight };
  let plans: Plan[];
  if (tuneOffset) {
    const best = bestDecodingOnDev((r, o) => ens.plan(r, o), [-2, -1.5, -1, -0.5, 0, 0.5, 1].map((stopOffset) => ({ stopOffset })), examples, catalog);
    ens.decode = { ...ens.decode, ...best.decode };
    plans = best.plans;
  } else {
    plans = examples.map((e) => ens.plan(e.request));
  }
  ens.threshold = thresholdFor(plans, examples, catalog);
  return ens;
}
