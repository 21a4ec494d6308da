import type { Catalog, Example } from '../types.ts';
import { featurize, tokenFeatures, type SparseVec } from '../encode/features.ts';
import { WordVectorIndex, wordIdf } from '../encode/word-vectors.ts';
import { toolGraph, toolText, type ToolGraph } from '../model/graph.ts';
import { RetrievalMemory, memoryFromExamples, remember, type MemoryData, type Neighbour } from '../model/memory.ts';
import type { PlannerModel } from '../model/planner.ts';
import { goldDependencies } from '../model/targets.ts';
import type { ModelParameters } from './parameters.ts';
import type { TrainOptions } from './options.ts';

/** One sub-task text of a training example: its input features, its word-vector view, its worker. */
export interface StepTextInput { x: SparseVec; g?: Float32Array; tool: number }

/**
 * The training set as the network reads it, computed once before the first epoch and read-only
 * afterwards. Per-example arrays are indexed like `examples`.
 */
export interface TrainingData {
  examples: readonly Example[];
  catalog: Catalog;
  graph: ToolGraph;
  /** Gold dependencies of each example's nodes (see `goldDependencies`). */
  deps: number[][][];
  /**
   * What the model remembers: the training examples, after the base model's memory when fine-tuning.
   * Every snapshot of the model shares it.
   */
  memory: MemoryData;
  /** Retrieval over `memory` (when the config enables it). */
  retrieval?: RetrievalMemory;
  /** Each example's retrieval neighbours, itself left out. */
  neighbours: Neighbour[][];
  /** Input features: of each request, of each request's tokens (with attention), of each tool. */
  feats: SparseVec[];
  tokenFeats: SparseVec[][];
  toolFeats: SparseVec[];
  /** The word-vector view (with word vectors): the index, each request's and tool's vector [n, dim], each token's row. */
  wv?: WordVectorIndex;
  gExamples?: Float32Array;
  gTools?: Float32Array;
  tokVecRows: Int32Array[];
  /** Each example's sub-task texts whose worker is in the catalog (none when the data has none or their loss is off). */
  stepTexts: StepTextInput[][];
}

function checkExamples(examples: readonly Example[], index: Map<string, number>, what: string): void {
  for (const e of examples) {
    for (const n of e.nodes) if (!index.has(n)) throw new Error(`train: ${what} example "${e.id}" uses worker "${n}", which is not in the catalog`);
    if (e.nodes.length === 0) throw new Error(`train: ${what} example "${e.id}" has no nodes`);
  }
}

/**
 * Rejects what training cannot use (no examples, a worker missing from the catalog, an empty plan, a
 * schedule together with a dev split), before any work is done; returns the catalog's tool graph.
 *
 * @example
 * const graph = checkTrainingInput(examples, catalog, { dev });
 */
export function checkTrainingInput(examples: readonly Example[], catalog: Catalog, options: TrainOptions): ToolGraph {
  if (examples.length === 0) throw new Error('train: no training examples');
  const graph = toolGraph(catalog);
  checkExamples(examples, graph.index, 'training');
  if (options.dev) checkExamples(options.dev, graph.index, 'dev');
  if (options.schedule && options.dev) throw new Error('train: a replayed schedule and a dev split are exclusive (the schedule already comes from a dev run)');
  return graph;
}

/**
 * The memory a training run builds, and where each example sits in it. It holds the training
 * examples (plus, when fine-tuning, everything the base model remembered, copied); an example already
 * remembered (e.g. replayed when fine-tuning) is not stored twice.
 */
function trainingMemory(examples: readonly Example[], from: PlannerModel | undefined): { memory: MemoryData; memoryIndex: number[] } {
  const memory: MemoryData = from ? structuredClone(from.memory) : memoryFromExamples([]);
  const known = new Map(memory.requests.map((r, i) => [r + '\u0000' + memory.plans[i].join(','), i]));
  const memoryIndex = examples.map((e) => {
    const key = e.request + '\u0000' + e.nodes.join(',');
    let at = known.get(key);
    if (at === undefined) {
      at = memory.requests.length;
      remember(memory, e);
      known.set(key, at);
    }
    return at;
  });
  return { memory, memoryIndex };
}

/**
 * Everything the epochs read about the examples, in the features of `params` (`graph` is the
 * catalog's, from `checkTrainingInput`): gold targets, the retrieval memory and each example's
 * neighbours, input features, word-vector views and sub-task texts.
 *
 * @example
 * const data = prepareTrainingData(examples, catalog, graph, params, undefined, 1);
 */
export function prepareTrainingData(examples: readonly Example[], catalog: Catalog, graph: ToolGraph, params: ModelParameters, from: PlannerModel | undefined, stepTextWeight: number): TrainingData {
  const { config, idf, weights } = params;
  const deps = examples.map(goldDependencies);
  const { memory, memoryIndex } = trainingMemory(examples, from);
  const retrieval = config.retrieval ? new RetrievalMemory(memory, catalog, config.memoryK) : undefined;
  // Leave-one-out neighbours: a training request must not find itself.
  const neighbours = examples.map((e, i) => retrieval?.neighbours(e.request, memoryIndex[i]) ?? []);
  const feats = examples.map((e) => featurize(e.request, config.features, idf));
  const tokenFeats = config.attention ? examples.map((e) => tokenFeatures(e.request, config.features, idf, config.maxTokens, config.tokenContext ?? false)) : [];
  const toolFeats = catalog.tools.map((t) => featurize(toolText(t), config.features, idf));
  // The word-vector view of every text, as row mixes of the model's vectors (see WordVectorIndex).
  const wv = config.wordVectors ? new WordVectorIndex({ ...config.wordVectors, vectors: weights.wordVec.data }) : undefined;
  const vecWeight = wordIdf(idf, config.features);
  const gExamples = wv ? wv.dense(examples.map((e) => wv.textMix(e.request, vecWeight))) : undefined;
  const gTools = wv ? wv.dense(catalog.tools.map((t) => wv.textMix(toolText(t), vecWeight))) : undefined;
  const tokVecRows = wv && config.attention ? examples.map((e) => wv.tokenRows(e.request, config.maxTokens)) : [];
  const stepTexts = examples.map((e) => stepTextWeight > 0
    ? (e.steps ?? []).filter((s) => graph.index.has(s.worker)).map((s) => ({
      x: featurize(s.text, config.features, idf),
      g: wv?.dense([wv.textMix(s.text, vecWeight)]),
      tool: graph.index.get(s.worker)!,
    }))
    : []);
  return { examples, catalog, graph, deps, memory, retrieval, neighbours, feats, tokenFeats, toolFeats, wv, gExamples, gTools, tokVecRows, stepTexts };
}
