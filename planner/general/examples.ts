import { DEFAULT_FEATURES, featurize, fitIdf, sparseDot, type SparseVec } from '../encode/features.ts';
import type { Example } from '../types.ts';

/**
 * Few-shot memory: a handful of the user's own labelled requests. A new request like one of them
 * gets that one's tools raised (by `weight` times the tf-idf cosine, from its `neighbours` nearest)
 * and its order preferred. This is what 20 examples teach about tools no training request used;
 * the catalog-independent weights barely move on so few rows (bench/planner-zero-shot.ts).
 */
export interface MemorySettings {
  weight: number;
  neighbours: number;
  orderWeight: number;
  /**
   * What a neighbour leaves out counts too: each tool some remembered plan uses but a neighbour's
   * does not is lowered by `negative` times what that neighbour would have raised it (0 or absent:
   * neighbours only raise). The examples say which steps a kind of request does without, as the
   * built-in catalog's "is this too gloomy?" needs no summary; tools no example uses are left to
   * the model, since a few examples over a large catalog know nothing of most tools.
   */
  negative?: number;
}

/** The examples as stored in a model file: request, tools in order. */
export interface RememberedExample { request: string; nodes: string[] }

/** Raises and order preferences for one request. */
export interface Recall {
  /** Extra logit per tool name. */
  boost: Map<string, number>;
  /** Extra log-odds that tool a precedes tool b, keyed "a\0b". */
  before: Map<string, number>;
  /** Cosine of the nearest remembered request (0 when none). */
  nearest: number;
  /** The nearest remembered request's tools (empty when none). */
  nearestNodes: readonly string[];
}

/** The remembered examples, indexed for cosine search (idf over their own requests). */
export class ExampleMemory {
  private readonly idf: Float32Array;
  private readonly vectors: SparseVec[];
  /** Every tool some remembered plan uses. */
  private readonly known: string[];

  constructor(readonly examples: readonly RememberedExample[], readonly settings: MemorySettings) {
    this.idf = fitIdf(examples.map((e) => e.request), DEFAULT_FEATURES);
    this.vectors = examples.map((e) => featurize(e.request, DEFAULT_FEATURES, this.idf));
    this.known = [...new Set(examples.flatMap((e) => e.nodes))];
  }

  /**
   * What the nearest examples say about `request` (`skip`: an example index to leave out, for
   * leave-one-out tuning).
   *
   * @example
   * memory.recall('book a flight to Oslo').boost.get('flight_search') // 3.1
   */
  recall(request: string, skip = -1): Recall {
    const { weight, neighbours, orderWeight, negative = 0 } = this.settings;
    const boost = new Map<string, number>(), before = new Map<string, number>();
    if (weight === 0 && orderWeight === 0) return { boost, before, nearest: 0, nearestNodes: [] };
    const v = featurize(request, DEFAULT_FEATURES, this.idf);
    const sims = this.vectors.map((x, i) => (i === skip ? -1 : sparseDot(v, x)));
    const nearest = [...sims.keys()].filter((i) => sims[i] > 0).sort((a, b) => sims[b] - sims[a] || a - b).slice(0, neighbours);
    for (const i of nearest) {
      const nodes = this.examples[i].nodes;
      for (const n of new Set(nodes)) boost.set(n, (boost.get(n) ?? 0) + weight * sims[i]);
      if (negative > 0) for (const t of this.known) if (!nodes.includes(t)) boost.set(t, (boost.get(t) ?? 0) - negative * weight * sims[i]);
      for (let x = 0; x < nodes.length; x++) for (let y = x + 1; y < nodes.length; y++) {
        const key = `${nodes[x]}\u0000${nodes[y]}`, back = `${nodes[y]}\u0000${nodes[x]}`;
        before.set(key, (before.get(key) ?? 0) + orderWeight * sims[i]);
        before.set(back, (before.get(back) ?? 0) - orderWeight * sims[i]);
      }
    }
    return { boost, before, nearest: nearest.length > 0 ? sims[nearest[0]] : 0, nearestNodes: nearest.length > 0 ? this.examples[nearest[0]].nodes : [] };
  }
}

/** Examples as a model file keeps them. */
export function rememberExamples(examples: readonly Example[]): RememberedExample[] {
  return examples.map((e) => ({ request: e.request, nodes: [...e.nodes] }));
}
