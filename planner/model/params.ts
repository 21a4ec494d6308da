import { seededRandom } from '../data/split.ts';
import type { FeatureConfig } from '../encode/features.ts';

/** Architecture switches; the ablation flips them. */
export interface ModelConfig {
  features: FeatureConfig;
  hidden: number;
  /** Longest plan the decoder may emit (positions 0..maxNodes-1, then a forced stop). */
  maxNodes: number;
  /** GraphSAGE-style propagation over the tool graph; off = tool embeddings from descriptions only. */
  gnn: boolean;
  /** Per-tool free embedding + bias (catalog-specific memory on top of the description path). */
  toolIdEmbedding: boolean;
  /** Longest dependency gap with its own learned weight. */
  maxGap: number;
  /** Add the retrieval memory's priors (what the nearest past plans did next) to the decoder scores. */
  retrieval: boolean;
  /** Neighbours consulted by the retrieval prior. */
  memoryK: number;
  /** Decoder attention over the instruction's tokens (each step looks for its own clause). */
  attention: boolean;
  /** Tokens attended (longer instructions are cut); also the size of the token position table. */
  maxTokens: number;
  /** Token features include the bigrams on either side (absent in older models = off). */
  tokenContext?: boolean;
  /** Set head: predicts which tools the plan needs; the decoder is told which of them are still missing. */
  setHead?: boolean;
  /**
   * Pretrained word vectors as a second view of every text (instruction, tokens, tool descriptions):
   * the model's vocabulary here, the vectors in the weight `wordVec` [words, dim], mapped by `Wv`.
   */
  wordVectors?: { dim: number; words: string[] };
  /**
   * The sub-task-text head (Wst) was trained, so its per-clause worker guesses mean something and
   * decoding may weigh clause coverage (absent in older models and in models trained without step texts).
   */
  stepTextHead?: boolean;
}

/** A named weight: row-major data and its shape. */
export interface Weight { shape: number[]; data: Float32Array }
export type Weights = Record<string, Weight>;

/** Weights that depend on the catalog (one row per tool); the rest transfer to any catalog. */
export const CATALOG_WEIGHTS = ['toolEmb', 'toolBias'] as const;

/** Weights that are data, not parameters: stored with the model, never trained. */
export const FIXED_WEIGHTS = new Set(['W1', 'wordVec']);

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12), v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Seeded Glorot-style initialisation of every weight, so training is reproducible bit for bit on the
 * same machine.
 *
 * @example
 * const w = initWeights(config, 260, 42); w.W1.shape // [16384, 128]
 */
export function initWeights(cfg: ModelConfig, nTools: number, seed: number): Weights {
  const rand = seededRandom(seed);
  const H = cfg.hidden, D = cfg.features.dim;
  const w: Weights = {};
  const normal = (name: string, shape: number[], std: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = gaussian(rand) * std;
    w[name] = { shape, data };
  };
  const zeros = (name: string, shape: number[]) => { w[name] = { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) }; };
  const glorot = (name: string, a: number, b: number) => normal(name, [a, b], Math.sqrt(2 / (a + b)));
  // The input layer sees L2-normalised sparse vectors (~100 active buckets), so a larger std keeps activations O(1).
  normal('W1', [D, H], 1);
  zeros('b1', [H]);
  glorot('Wenc', H, H); zeros('benc', [H]);
  glorot('Wself', H, H); glorot('Win', H, H); glorot('Wout', H, H); zeros('bg', [H]);
  zeros('toolEmb', [nTools, H]); zeros('toolBias', [nTools]);
  glorot('Wdh', H, H); glorot('Wdp', H, H); glorot('Wdb', H, H); normal('pos', [cfg.maxNodes + 1, H], 0.1);
  normal('start', [H], 0.1); zeros('bd', [H]);
  glorot('Wq', H, H);
  normal('stopVec', [H], 0.1); zeros('stopBias', [1]);
  glorot('Wp', H, H); zeros('gapW', [cfg.maxGap]); zeros('bp', [1]);
  glorot('Wa', H, H); glorot('Wc', H, H); normal('posTok', [cfg.maxTokens, H], 0.1);
  // A plan needs ~3 of the catalog's tools: start every tool's set probability low (sigmoid(-3) ~ 0.05).
  glorot('Wset', H, H); w.setB = { shape: [1], data: Float32Array.from([-3]) };
  w.setW = { shape: [2], data: Float32Array.from([cfg.setHead ? 1 : 0, cfg.setHead ? -1 : 0]) };
  // Start by trusting precedent (roughly the kNN baseline); training learns how much to.
  w.retrievalW = { shape: [2], data: Float32Array.from([cfg.retrieval ? 3 : 0, cfg.retrieval ? 1 : 0]) };
  // Drawn last so that adding it left every earlier weight's initial values unchanged.
  glorot('Wst', H, H);
  if (cfg.wordVectors) glorot('Wv', cfg.wordVectors.dim, H);
  return w;
}

/**
 * Deep copy (best-epoch snapshots, fine-tuning from a pretrained model).
 *
 * @example
 * const best = cloneWeights(weights);
 */
export function cloneWeights(w: Weights): Weights {
  const out: Weights = {};
  for (const [k, v] of Object.entries(w)) out[k] = { shape: [...v.shape], data: v.data.slice() };
  return out;
}
