import { DEFAULT_FEATURES, featurize, fitIdf, type FeatureConfig, type SparseVec } from '../encode/features.ts';
import { Postings } from '../encode/postings.ts';
import { wordIdf, type WordVectorIndex } from '../encode/word-vectors.ts';
import type { Catalog, CatalogTool } from '../types.ts';

/**
 * A catalog's tools as text vectors, built from the catalog alone (no trained per-tool weights):
 * tf-idf over the catalog's own tool texts, and optionally an idf-weighted mean of pretrained word
 * vectors. Scoring a clause against every tool is then a dot product per tool.
 */

/** A tool as the matcher reads it; `params` are parameter names, when the catalog has them. */
export interface ToolText { name: string; description: string; params?: string[] }

/**
 * Each tool's parameter words with its output type tags added: what a tool makes ("summary",
 * "keywords", "stats", "html") is what a request asks for. Its inputs are not added: a request
 * names what it wants, not what a step consumes, and "text" or "path" match every step that reads
 * one. Measured with the shipped general model on the built-in catalog's hand-written requests
 * (.scratch/cp/params.mts): output tags took node F1 from 75.00 to 75.90 on dev and 73.96 to 75.17
 * on train (exact plans 31.6 -> 33.6% and 30.3 -> 32.4%), the workers' zod output keys about as
 * much (75.56, 74.74), while the zod input keys cost 1.7 and 1.3 points and the input tags 2.0 and
 * 1.1. A catalog without output tags (UltraTool) gets `params` back unchanged.
 *
 * @example
 * withOutputTags({ tools: [{ name: 'digest', description: 'd', outputType: ['summary'] }], links: [] }) // { digest: ['summary'] }
 */
export function withOutputTags(catalog: Catalog, params?: Readonly<Record<string, readonly string[]>>): Readonly<Record<string, readonly string[]>> | undefined {
  if (!catalog.tools.some((t) => (t.outputType ?? []).length > 0)) return params;
  // Tags already among the words are not added again, so words that went through here once (a
  // catalog view's, handed on to its clause matcher) come back the same.
  return Object.fromEntries(catalog.tools.map((t) => {
    const have = params?.[t.name] ?? [];
    return [t.name, [...have, ...(t.outputType ?? []).filter((o) => !have.includes(o))]];
  }));
}

/** What a tool is called and does, in words: its name (snake/camel case split), description and parameter names. */
export function toolDocument(tool: ToolText | CatalogTool): string {
  const params = 'params' in tool && tool.params ? tool.params : [];
  return [tool.name, tool.description, ...params].join(' ');
}

export interface ToolIndexOptions {
  /** Pretrained word vectors (see `loadPackagedWordVectors`); without them, tf-idf alone. */
  wordVectors?: WordVectorIndex;
  /** Weight of the word-vector cosine next to the tf-idf cosine (default 0.5). */
  vectorWeight?: number;
  /** Parameter names per tool name (e.g. the keys of a worker's zod input schema); the catalog's output tags are added to them (see `withOutputTags`). */
  params?: Readonly<Record<string, readonly string[]>>;
  features?: FeatureConfig;
}

/** Dense unit vector of a text from word vectors, or undefined when no word has one. */
function denseOf(index: WordVectorIndex, text: string, weight: (w: string) => number): Float32Array | undefined {
  const mix = index.textMix(text, weight);
  if (mix.rows.length === 0) return undefined;
  return index.dense([mix]);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Tool vectors for one catalog; `scores(text)` is the similarity of a text to every tool, in catalog order. */
export class ToolIndex {
  readonly names: string[];
  private readonly cfg: FeatureConfig;
  private readonly idf: Float32Array;
  private readonly postings: Postings;
  private readonly dense: (Float32Array | undefined)[];
  private readonly vectorWeight: number;

  constructor(catalog: Catalog, private readonly options: ToolIndexOptions = {}) {
    this.cfg = options.features ?? DEFAULT_FEATURES;
    this.names = catalog.tools.map((t) => t.name);
    // Parameter words and output tags (see withOutputTags) are part of each tool's text.
    const params = withOutputTags(catalog, options.params);
    const docs = catalog.tools.map((t) => toolDocument({ ...t, params: [...(params?.[t.name] ?? [])] }));
    // Idf from the catalog's own descriptions: words every tool shares ("tool", "the") weigh little.
    this.idf = fitIdf(docs, this.cfg);
    this.postings = new Postings(docs.map((d) => featurize(d, this.cfg, this.idf)), this.cfg.dim);
    const wv = options.wordVectors;
    const weight = wordIdf(this.idf, this.cfg);
    this.dense = docs.map((d) => (wv ? denseOf(wv, d, weight) : undefined));
    this.vectorWeight = wv ? options.vectorWeight ?? 0.5 : 0;
  }

  /**
   * Similarity of `text` to every tool: (tf-idf cosine + w * word-vector cosine) / (1 + w), in [0, 1]
   * for practical purposes.
   *
   * @example
   * new ToolIndex(catalog).scores('cancel my alarm') // Float64Array, one score per tool
   */
  scores(text: string): Float64Array {
    const v = featurize(text, this.cfg, this.idf);
    const w = this.vectorWeight;
    const d = w > 0 ? denseOf(this.options.wordVectors!, text, wordIdf(this.idf, this.cfg)) : undefined;
    // Through the inverted index: the same scores as sparseDot, reading only the entries the text shares with each tool.
    const out = this.postings.dots(v);
    for (let i = 0; i < out.length; i++) {
      const vec = d && this.dense[i] ? Math.max(0, dot(d, this.dense[i]!)) : 0;
      out[i] = (out[i] + w * vec) / (1 + w);
    }
    return out;
  }
}
