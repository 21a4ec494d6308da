import type { Example } from '../types.ts';
import type { FeatureConfig } from '../encode/features.ts';
import type { PlanMetrics } from '../metrics.ts';
import type { WordVectorTable } from '../encode/word-vectors.ts';
import type { PlannerModel } from '../model/planner.ts';

/** Reported after every epoch. */
export interface EpochInfo {
  epoch: number; loss: number; dev?: PlanMetrics; ms: number; best: boolean;
  /** The most epochs this run can take: the epoch limit, or a replayed schedule's epoch count. */
  of: number;
  /** Set by `trainEnsemble`, whose members train side by side: the member (0-based), and whether this is its refit. */
  member?: number; refit?: boolean;
}

export interface TrainOptions {
  /** Maximum epochs (early stopping usually ends sooner when `dev` is given). Default 40. */
  epochs?: number;
  /** Fixes initialisation, shuffling and dropout. Default 42. */
  seed?: number;
  /** Dev examples for early stopping and confidence calibration (carve them from the training ids). */
  dev?: Example[];
  onEpoch?(info: EpochInfo): void;
  /** Fine-tune from this model: keeps its features and transferable weights, maps per-tool weights by name. */
  from?: PlannerModel;
  /** Epochs without dev improvement before stopping. Default 4. */
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  hidden?: number;
  /** Hashed feature space (smaller for tests; fixed by `from` when fine-tuning). */
  features?: FeatureConfig;
  /** Architecture switches (ablation). */
  gnn?: boolean;
  toolIdEmbedding?: boolean;
  retrieval?: boolean;
  attention?: boolean;
  tokenContext?: boolean;
  setHead?: boolean;
  beamWidth?: number;
  /** Share of input features dropped per training example (default 0.25) and hidden dropout (default 0.4). */
  inputDropout?: number;
  dropout?: number;
  /**
   * Weight of the auxiliary loss that names the worker of each sub-task text (examples' `steps`; 0 =
   * off). Default 1: in bench:planner the 3-seed ensemble's dev NF/LF/Acc went from 85.54/63.59/63.70
   * to 85.92/65.06/65.35, and bench:planner-cv puts removing it (and with it the clause coverage its
   * head drives at decoding) at NF -1.36 +- 0.37. Examples without steps (the default catalog's) are
   * unaffected.
   */
  stepTextWeight?: number;
  /**
   * Pretrained word vectors (e.g. `loadPackagedWordVectors()`): the model keeps those of its training
   * texts and catalog plus the `commonWords` most frequent (default 10,000). Fixed by `from` when fine-tuning.
   */
  wordVectors?: WordVectorTable;
  commonWords?: number;
  /** Multiply the learning rate by this after an epoch without dev improvement (default 0.5; 1 = off). */
  lrDecay?: number;
  /**
   * Replays a schedule instead of early stopping: exactly `epochs` epochs, the learning rate decayed
   * after each epoch in `decayAfter`. Used to refit on train + dev what a dev run chose (see `trainSchedule`).
   */
  schedule?: TrainSchedule;
}

/** The epochs and learning-rate decays a dev run kept, replayable without dev. */
export interface TrainSchedule { epochs: number; decayAfter: number[] }

/**
 * The optimisation settings of one training run: `TrainOptions` with their defaults applied, in one
 * place. (The model's shape, `initialParameters`, and its decoding, `initialDecoding`, read the
 * options themselves.)
 */
export interface TrainSettings {
  seed: number;
  batchSize: number;
  learningRate: number;
  /** Share of input features dropped per example (instructions and sub-task texts). */
  inputDropout: number;
  /** Hidden-layer dropout. */
  dropout: number;
  stepTextWeight: number;
  /** Learning-rate factor applied after an epoch without dev improvement, or after a scheduled epoch. */
  lrDecay: number;
  /** The epoch limit, or the replayed schedule's epoch count. */
  maxEpochs: number;
  patience: number;
  schedule?: TrainSchedule;
  /** The dev examples scored after every epoch; absent when `dev` is absent or empty. */
  dev?: readonly Example[];
  /**
   * `dev` was given at all, even empty: only then may patience end the run. (An empty dev split never
   * improves nor fails to, so its patience counter stays 0.)
   */
  stopEarly: boolean;
}

/**
 * `options` with every optimisation default applied.
 *
 * @example
 * trainSettings({ dev }).patience // 4
 */
export function trainSettings(options: TrainOptions): TrainSettings {
  const { schedule, dev } = options;
  return {
    seed: options.seed ?? 42,
    batchSize: options.batchSize ?? 64,
    learningRate: options.learningRate ?? 4e-3,
    inputDropout: options.inputDropout ?? 0.25,
    dropout: options.dropout ?? 0.4,
    stepTextWeight: options.stepTextWeight ?? 1,
    lrDecay: options.lrDecay ?? 0.5,
    maxEpochs: schedule ? schedule.epochs : options.epochs ?? 40,
    patience: options.patience ?? 4,
    schedule,
    dev: dev && dev.length > 0 ? dev : undefined,
    stopEarly: Boolean(dev),
  };
}
