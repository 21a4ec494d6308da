import type { Catalog, Example } from '../types.ts';
import { DEFAULT_FEATURES, fitIdf } from '../encode/features.ts';
import { restrictWordVectors, type WordVectorTable } from '../encode/word-vectors.ts';
import { toolText } from '../model/graph.ts';
import { CATALOG_WEIGHTS, cloneWeights, initWeights, type ModelConfig, type Weights } from '../model/params.ts';
import type { PlannerModel } from '../model/planner.ts';
import type { TrainOptions } from './options.ts';

/** What training starts from and changes: the model's shape, its feature weighting and its weights. */
export interface ModelParameters { config: ModelConfig; idf: Float32Array; weights: Weights }

/**
 * Per-tool weights of `from` mapped onto `catalog` by tool name; unknown tools get the mean row (a
 * neutral prior). The result is a copy: `from` is left as it was.
 *
 * @example
 * const w = adaptWeights(model, biggerCatalog); w.toolBias.shape // [biggerCatalog.tools.length]
 */
export function adaptWeights(from: PlannerModel, catalog: Catalog): Weights {
  const w = cloneWeights(from.weights);
  const oldIndex = new Map(from.catalog.tools.map((t, i) => [t.name, i]));
  const N = catalog.tools.length;
  for (const name of CATALOG_WEIGHTS) {
    const old = from.weights[name];
    const width = old.shape.length === 2 ? old.shape[1] : 1;
    const oldN = old.shape[0];
    const mean = new Float32Array(width);
    for (let i = 0; i < oldN; i++) for (let k = 0; k < width; k++) mean[k] += old.data[i * width + k] / Math.max(1, oldN);
    const data = new Float32Array(N * width);
    catalog.tools.forEach((t, i) => {
      const j = oldIndex.get(t.name);
      for (let k = 0; k < width; k++) data[i * width + k] = j === undefined ? mean[k] : old.data[j * width + k];
    });
    w[name] = { shape: old.shape.length === 2 ? [N, width] : [N], data };
  }
  return w;
}

/**
 * The parameters training starts from. Fine-tuning (`options.from`) keeps the base model's config
 * and idf and maps its weights onto `catalog`; otherwise the config comes from the options, the idf
 * (the feature vocabulary's weighting) is fitted on the training requests and tool texts, the word
 * vectors are cut down to those the model can meet, and the weights are initialised from `seed`.
 *
 * @example
 * const { config, idf, weights } = initialParameters(examples, catalog, { hidden: 64 }, 42);
 */
export function initialParameters(examples: readonly Example[], catalog: Catalog, options: TrainOptions, seed: number): ModelParameters {
  const { from } = options;
  if (from) return { config: from.config, idf: from.idf, weights: adaptWeights(from, catalog) };
  const config: ModelConfig = {
    features: options.features ?? DEFAULT_FEATURES,
    hidden: options.hidden ?? 128,
    maxNodes: Math.max(2, Math.max(...examples.map((e) => e.nodes.length))),
    gnn: options.gnn ?? true,
    toolIdEmbedding: options.toolIdEmbedding ?? true,
    maxGap: 4,
    retrieval: options.retrieval ?? true,
    memoryK: 10,
    attention: options.attention ?? true,
    maxTokens: 96,
    tokenContext: options.tokenContext ?? false,
    setHead: options.setHead ?? false,
  };
  const idf = fitIdf([...examples.map((e) => e.request), ...catalog.tools.map(toolText)], config.features);
  const kept = options.wordVectors && keptWordVectors(options.wordVectors, examples, catalog, options.commonWords ?? 10_000);
  // The config names the kept words before the weights are drawn: it sizes the word-vector map Wv.
  if (kept) config.wordVectors = { dim: kept.dim, words: kept.words };
  const weights = initWeights(config, catalog.tools.length, seed);
  if (kept) weights.wordVec = { shape: [kept.words.length, kept.dim], data: kept.vectors };
  return { config, idf, weights };
}

/** The word vectors of every word in the training texts (requests, sub-task texts, tools) plus the `common` most frequent. */
function keptWordVectors(table: WordVectorTable, examples: readonly Example[], catalog: Catalog, common: number): WordVectorTable {
  const texts = [...examples.flatMap((e) => [e.request, ...(e.steps ?? []).map((s) => s.text)]), ...catalog.tools.map(toolText)];
  return restrictWordVectors(table, texts, common);
}

/**
 * The parameters with the sub-task-text head settled: its weights (Wst) added when a model saved
 * before that head existed is fine-tuned with the sub-task-text loss on, and the config marked
 * `stepTextHead` when the training data has sub-task texts to train it.
 *
 * @example
 * const params = withStepTextHead(initialParameters(ex, cat, {}, 42), true, 1, cat.tools.length, 42);
 */
export function withStepTextHead(params: ModelParameters, hasStepTexts: boolean, stepTextWeight: number, nTools: number, seed: number): ModelParameters {
  let { config, weights } = params;
  // A model saved before the sub-task-text loss existed has no Wst; fine-tuning it starts that head fresh.
  // (Added last, as the weights' order is the order they are saved in.)
  if (stepTextWeight > 0 && !weights.Wst) weights = { ...weights, Wst: initWeights(config, nTools, seed).Wst };
  // Only a head that has seen sub-task texts may steer decoding (see DecodeOptions.coverageWeight).
  if (hasStepTexts) config = { ...config, stepTextHead: true };
  return { ...params, config, weights };
}
