import type { Catalog, Example } from '../types.ts';
import type { EpochInfo, TrainOptions } from '../train.ts';
import type { ModelParts, PlannerModel } from '../model/planner.ts';

/** Training options that cross a thread boundary: data only (callbacks stay with the caller). */
export type PortableTrainOptions = Omit<TrainOptions, 'onEpoch' | 'from'>;

/** Pool -> worker: train one model. */
export interface TrainRequest { id: number; examples: readonly Example[]; catalog: Catalog; options: PortableTrainOptions; from?: ModelParts }

/** Worker -> pool: an epoch report, the trained model's parts, or the error that ended the job. */
export type TrainReply =
  | { id: number; epoch: EpochInfo }
  | { id: number; parts: ModelParts }
  | { id: number; error: string; stack?: string };

/**
 * The plain-data parts of a model (what `saveModel` writes), with its own copies of the arrays so
 * they can be transferred to another thread without detaching the model's.
 *
 * @example
 * buildModel(modelParts(model)).plan('...') // plans like model
 */
export function modelParts(m: PlannerModel): ModelParts {
  const weights: ModelParts['weights'] = {};
  for (const [name, w] of Object.entries(m.weights)) weights[name] = { shape: [...w.shape], data: w.data.slice() };
  return { config: m.config, decode: { ...m.decode }, catalog: m.catalog, idf: m.idf.slice(), weights, threshold: m.threshold, memory: m.memory };
}
