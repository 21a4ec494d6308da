import { DEFAULT_FEATURES, featurize, fitIdf, sparseDot, type SparseVec } from '../encode/features.ts';
import type { Example } from '../types.ts';
import { WordTools } from './word-tools.ts';

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
  /**
   * Weight of what the remembered requests' words say, word by word (see word-tools.ts): each
   * tool's summed lift times this (0 or absent: whole requests only).
   */
  words?: number;
}

/**
 * The examples as stored in a model file: request, tools in order, and whether it was synthesised
 * from the catalog (see `Example.synthetic`): its order then teaches nothing about mention order.
 */
export interface RememberedExample { request: string; nodes: string[]; synthetic?: boolean }

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

/** Neighbours kept per left-out request (the tuning grid asks for at most 3). */
const CACHED_NEIGHBOURS = 8;

/**
 * The remembered examples indexed for cosine search (idf over their own requests), with their word
 * associations. It does not depend on the memory settings, so tuning builds it once for every
 * setting it tries, and keeps each left-out request's nearest examples.
 */
export class RememberedIndex {
  private readonly idf: Float32Array;
  private readonly vectors: SparseVec[];
  /** Every tool some remembered plan uses. */
  readonly known: string[];
  private readonly wordTools: WordTools;
  /** What leave-one-out asked about each left-out request, once per setting tried: by "skip\0request". */
  private readonly leftOut = new Map<string, { order: number[]; sims: number[]; lift?: Map<string, number> }>();

  constructor(readonly examples: readonly RememberedExample[]) {
    this.idf = fitIdf(examples.map((e) => e.request), DEFAULT_FEATURES);
    this.vectors = examples.map((e) => featurize(e.request, DEFAULT_FEATURES, this.idf));
    this.known = [...new Set(examples.flatMap((e) => e.nodes))];
    this.wordTools = new WordTools(examples);
  }

  /** The word associations' lifts for `request` (see word-tools.ts), kept for a left-out one. */
  lift(request: string, skip = -1): Map<string, number> {
    if (skip < 0) return this.wordTools.lift(request);
    const seen = this.leftOut.get(`${skip}\u0000${request}`);
    if (!seen) return this.wordTools.lift(request, skip);
    return (seen.lift ??= this.wordTools.lift(request, skip));
  }

  /** The `count` examples most like `request` (cosine > 0), nearest first, with their cosines; `skip` is left out. */
  nearest(request: string, count: number, skip = -1): { order: number[]; sims: number[] } {
    const key = skip >= 0 && count <= CACHED_NEIGHBOURS ? `${skip}\u0000${request}` : undefined;
    const cached = key === undefined ? undefined : this.leftOut.get(key);
    if (cached) return { order: cached.order.slice(0, count), sims: cached.sims };
    const v = featurize(request, DEFAULT_FEATURES, this.idf);
    const sims = this.vectors.map((x, i) => (i === skip ? -1 : sparseDot(v, x)));
    const order = [...sims.keys()].filter((i) => sims[i] > 0).sort((a, b) => sims[b] - sims[a] || a - b);
    if (key !== undefined) this.leftOut.set(key, { order: order.slice(0, CACHED_NEIGHBOURS), sims });
    return { order: order.slice(0, count), sims };
  }
}

/** The remembered examples under one setting of how they count. */
export class ExampleMemory {
  private readonly index: RememberedIndex;

  /** `index`: the examples already indexed (tuning indexes them once for every setting tried). */
  constructor(readonly examples: readonly RememberedExample[], readonly settings: MemorySettings, index?: RememberedIndex) {
    this.index = index ?? new RememberedIndex(examples);
  }

  /**
   * What the nearest examples say about `request` (`skip`: an example index to leave out, for
   * leave-one-out tuning). With `apart` (which of two tools a text mentions first, see
   * `followsMention`), an example that ordered two steps as it mentioned them prefers the order
   * `request` mentions them in.
   *
   * @example
   * memory.recall('book a flight to Oslo').boost.get('flight_search') // 3.1
   */
  recall(request: string, skip = -1, apart?: (request: string, a: string, b: string) => number): Recall {
    const { weight, neighbours, orderWeight, negative = 0, words = 0 } = this.settings;
    const boost = new Map<string, number>(), before = new Map<string, number>();
    if (weight === 0 && orderWeight === 0 && words === 0) return { boost, before, nearest: 0, nearestNodes: [] };
    const { order: nearest, sims } = this.index.nearest(request, neighbours, skip);
    for (const i of nearest) {
      const nodes = this.examples[i].nodes;
      const used = new Set(nodes);
      for (const n of used) boost.set(n, (boost.get(n) ?? 0) + weight * sims[i]);
      if (negative > 0) for (const t of this.index.known) if (!used.has(t)) boost.set(t, (boost.get(t) ?? 0) - negative * weight * sims[i]);
      for (let x = 0; x < nodes.length; x++) for (let y = x + 1; y < nodes.length; y++) {
        const key = `${nodes[x]}\u0000${nodes[y]}`, back = `${nodes[y]}\u0000${nodes[x]}`;
        const flip = apart && followsMention(this.examples[i], request, nodes[x], nodes[y], apart) ? -1 : 1;
        before.set(key, (before.get(key) ?? 0) + flip * orderWeight * sims[i]);
        before.set(back, (before.get(back) ?? 0) - flip * orderWeight * sims[i]);
      }
    }
    if (words > 0) for (const [t, lift] of this.index.lift(request, skip)) boost.set(t, (boost.get(t) ?? 0) + words * lift);
    return { boost, before, nearest: nearest.length > 0 ? sims[nearest[0]] : 0, nearestNodes: nearest.length > 0 ? this.examples[nearest[0]].nodes : [] };
  }
}

/**
 * Whether a remembered example's order of `a` before `b` is the order it mentions them in, where
 * `request` mentions them the other way round (`apart`: which of two tools a text mentions first by
 * the words that tell them apart, 1, -1 or 0). Such an example teaches that steps follow the
 * request's wording, not that `a` comes first: "cancel my alarm and set a new one" planned set >
 * cancel after "set an alarm for 7, then cancel the 6:30 one". On UltraTool's nested held-out
 * splits (scripts/general/nested-held-out.ts) ordering so moved few-shot link F1 41.27 -> 42.68 (4 of
 * 5 seeds up), and 43.04 -> 43.82 on bench/planner-zero-shot.ts's held-out tools (scored once). A
 * synthesised example follows its mention order by construction, so it says nothing of this: with
 * synthetic examples counted, leave-one-out over 400 of them chose other memory settings, which
 * lost 2.2 link F1 on those held-out tools.
 *
 * @example
 * followsMention({ request: 'set an alarm, then cancel the old one', nodes: ['set', 'cancel'] }, 'cancel it and set a new one', 'set', 'cancel', apart) // true
 */
export function followsMention(example: RememberedExample, request: string, a: string, b: string, apart: (text: string, a: string, b: string) => number): boolean {
  return !example.synthetic && apart(example.request, a, b) === 1 && apart(request, a, b) === -1;
}

/** Examples as a model file keeps them. */
export function rememberExamples(examples: readonly Example[]): RememberedExample[] {
  return examples.map((e) => ({ request: e.request, nodes: [...e.nodes], ...(e.synthetic ? { synthetic: true } : {}) }));
}
