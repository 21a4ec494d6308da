import type * as TF from '@tensorflow/tfjs';
import type { DecodeOptions } from '../decode/beam.ts';
import { scorePlans, type PlanMetrics } from '../metrics.ts';
import type { PlannerModel } from '../model/planner.ts';
import type { TrainingData } from './data.ts';
import { devScore } from './decoding.ts';
import type { EpochInfo, TrainSettings } from './options.ts';
import type { ModelParameters } from './parameters.ts';
import { closeRun, decayLearningRate, openRun, snapshot, syncWeights, trainEpoch, type TrainingRun } from './run.ts';

/** What early stopping carries from epoch to epoch. */
interface Stopping {
  /** The model kept so far: the best on dev, or (without dev) the latest. */
  best?: PlannerModel;
  bestScore: number;
  /** Epochs since dev last improved. */
  sinceBest: number;
}

/**
 * Judges a finished epoch. With dev: a snapshot that beats the best dev score so far is kept, and
 * an epoch that does not decays the learning rate. Without dev every epoch is kept (the run ends on
 * its last), and a replayed schedule decays the learning rate where its dev run did.
 */
function judgeEpoch(run: TrainingRun, decode: DecodeOptions, stopping: Stopping, epoch: number): { stopping: Stopping; dev?: PlanMetrics; isBest: boolean } {
  const { dev, schedule } = run.settings;
  if (!dev) {
    const best = snapshot(run, decode);
    if (schedule?.decayAfter.includes(epoch)) decayLearningRate(run);
    return { stopping: { ...stopping, best }, isBest: true };
  }
  const m = snapshot(run, decode);
  const metrics = scorePlans(dev.map((e) => m.plan(e.request)), dev, run.data.catalog);
  const score = devScore(metrics);
  if (score > stopping.bestScore) return { stopping: { best: m, bestScore: score, sinceBest: 0 }, dev: metrics, isBest: true };
  decayLearningRate(run);
  return { stopping: { ...stopping, sinceBest: stopping.sinceBest + 1 }, dev: metrics, isBest: false };
}

/**
 * Trains the weights epoch by epoch and returns the model of the epoch kept: the best on dev,
 * stopping after `settings.patience` epochs without improvement; without dev, the last. Reports each
 * epoch to `onEpoch`. The model's decoding is `decode`, its threshold still 0 (see `fitDecoding`).
 *
 * @example
 * const model = fitWeights(tf, data, params, decode, trainSettings({ dev }), (i) => console.log(i.epoch, i.loss));
 */
export function fitWeights(tf: typeof TF, data: TrainingData, params: ModelParameters, decode: DecodeOptions, settings: TrainSettings, onEpoch?: (info: EpochInfo) => void): PlannerModel {
  const run = openRun(tf, data, params, settings);
  let stopping: Stopping = { bestScore: -Infinity, sinceBest: 0 };
  try {
    for (let epoch = 1; epoch <= settings.maxEpochs; epoch++) {
      const t0 = Date.now();
      const loss = trainEpoch(run, epoch);
      syncWeights(run);
      const judged = judgeEpoch(run, decode, stopping, epoch);
      stopping = judged.stopping;
      onEpoch?.({ epoch, of: settings.maxEpochs, loss, dev: judged.dev, ms: Date.now() - t0, best: judged.isBest });
      if (settings.stopEarly && stopping.sinceBest >= settings.patience) break;
    }
  } finally {
    closeRun(run);
  }
  // Every epoch without dev, and the first with it, keeps a model: only a run of 0 epochs has none.
  return stopping.best!;
}
