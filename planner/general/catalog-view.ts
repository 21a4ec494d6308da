import { DEFAULT_FEATURES, featurize, fitIdf, words, type FeatureConfig, type SparseVec } from '../encode/features.ts';
import { toolDocument, withOutputTags } from '../zero-shot/tool-index.ts';
import type { Catalog } from '../types.ts';
import { contentStems, stem } from '../encode/stems.ts';
import { Postings } from '../encode/postings.ts';

/** Words that mark a look-up tool, which plans put before the step that uses what it finds. */
const LOOKUP = new Set(['search', 'query', 'check', 'inquiry', 'info', 'information', 'find', 'look', 'status', 'lookup', 'get', 'list', 'view', 'retrieve'].map(stem));

/**
 * Everything the general planner reads from a catalog, computed once per catalog: each tool's text
 * as a tf-idf vector (idf over the catalog's own tool texts), its stemmed name and description words
 * with their catalog idf, and the tool graph as neighbour lists. No part of it is learned.
 */
export interface CatalogView {
  catalog: Catalog;
  /** Parameter names per tool, as given, then the tool's output type tags (all part of each tool's text; see `withOutputTags`). */
  params?: Readonly<Record<string, readonly string[]>>;
  names: string[];
  position: Map<string, number>;
  cfg: FeatureConfig;
  /** Hashed tf-idf bucket weights fitted on the tool texts. */
  idf: Float32Array;
  /** Each tool's text (name, description, parameter names) as a tf-idf vector. */
  docs: SparseVec[];
  /** The same vectors inverted, for one text's cosine with every tool. */
  postings: Postings;
  /** Stemmed content words of each tool's name, and of its description and parameters. */
  nameStems: string[][];
  descStems: string[][];
  /** All stems of each tool's text. */
  stemSets: Set<string>[];
  /** The tools whose text has each stem, in catalog order. */
  toolsWithStem: Map<string, number[]>;
  /** idf of a stem over the tool texts (a stem no tool has: the highest idf). */
  stemIdf: (s: string) => number;
  /** The idf of each tool's name and description stems, and their sums (computed once: planning reads them per tool). */
  nameWeights: Float64Array[];
  descWeights: Float64Array[];
  nameTotal: Float64Array;
  descTotal: Float64Array;
  /** Whether each tool's name marks a look-up (search, query, check, ...). */
  lookup: boolean[];
  /** Graph neighbours by index: tools each tool may feed, and tools that may feed it. */
  feeds: number[][];
  fedBy: number[][];
  /** Graph links as "source\0target" names. */
  linkSet: Set<string>;
}

/**
 * Where a catalog's graph leaves this share of its tools or more without any link, it is taken as
 * written down in part, and those tools as open (see `openIsolated`). Below it, an unlinked tool is
 * one that does not chain: UltraTool with tools held out leaves 5% (the seen side) to 12% (the
 * nested splits' inner seen sides) of its tools unlinked, and opening those cost 2.5 NF on the
 * nested splits (65.75 / 32.92 -> 63.22 / 31.20).
 */
const INCOMPLETE_GRAPH = 0.2;

/**
 * Makes each tool no link names open, where the graph leaves enough tools unlinked to be incomplete
 * (`INCOMPLETE_GRAPH`): it may feed and be fed by every other tool, as every tool of a catalog
 * without a graph may. With half of their tools' links taken out, the three catalogs of
 * fixtures/planner/catalogs planned their development halves at 35.61, 47.17 and 39.75 NF, below
 * the 51.67, 54.15 and 61.43 of no graph at all; with those tools open, at 58.33, 55.55 and 65.39.
 */
function openIsolated(feeds: number[][], fedBy: number[][]): void {
  const isolated = feeds.map((f, i) => f.length === 0 && fedBy[i].length === 0);
  const alone = isolated.filter((x) => x).length;
  if (alone < INCOMPLETE_GRAPH * feeds.length || alone === feeds.length) return;
  isolated.forEach((alone, i) => {
    if (!alone) return;
    for (let j = 0; j < feeds.length; j++) {
      if (j === i) continue;
      feeds[i].push(j); fedBy[j].push(i);
      if (!isolated[j]) { feeds[j].push(i); fedBy[i].push(j); }
    }
  });
}

/**
 * The view of `catalog`; `params` adds parameter names per tool (a worker's input keys).
 *
 * @example
 * const view = catalogView(catalog); view.names.length === catalog.tools.length
 */
export function catalogView(catalog: Catalog, given?: Readonly<Record<string, readonly string[]>>): CatalogView {
  const cfg = DEFAULT_FEATURES;
  const names = catalog.tools.map((t) => t.name);
  const params = withOutputTags(catalog, given);
  const texts = catalog.tools.map((t) => toolDocument({ name: t.name, description: t.description, params: [...(params?.[t.name] ?? [])] }));
  const idf = fitIdf(texts, cfg);
  const df = new Map<string, number>();
  const stemSets = texts.map((t) => new Set(words(t).map(stem)));
  const toolsWithStem = new Map<string, number[]>();
  stemSets.forEach((set, i) => {
    for (const s of set) {
      df.set(s, (df.get(s) ?? 0) + 1);
      const tools = toolsWithStem.get(s);
      if (tools) tools.push(i); else toolsWithStem.set(s, [i]);
    }
  });
  const n = texts.length;
  const maxIdf = Math.log(1 + n) + 1;
  const stemIdf = (s: string) => {
    const c = df.get(s);
    return c === undefined ? maxIdf : Math.log((1 + n) / (1 + c)) + 1;
  };
  const position = new Map(names.map((name, i) => [name, i]));
  const feeds: number[][] = names.map(() => []), fedBy: number[][] = names.map(() => []);
  for (const l of catalog.links) {
    const a = position.get(l.source), b = position.get(l.target);
    if (a === undefined || b === undefined || a === b) continue;
    feeds[a].push(b);
    fedBy[b].push(a);
  }
  // In a graph written down in part, a tool no link names is one whose links nobody wrote, not one
  // that cannot hand off: scored as linked to nothing, it lost to every linked tool (openIsolated).
  openIsolated(feeds, fedBy);
  const nameStems = names.map((name) => [...new Set(contentStems(name))]);
  const descStems = catalog.tools.map((t) => [...new Set(contentStems([t.description, ...(params?.[t.name] ?? [])].join(' ')))]);
  const weightsOf = (stems: string[][]) => stems.map((xs) => Float64Array.from(xs, stemIdf));
  const nameWeights = weightsOf(nameStems), descWeights = weightsOf(descStems);
  const total = (ws: Float64Array[]) => Float64Array.from(ws, (w) => w.reduce((a, x) => a + x, 0));
  const docs = texts.map((t) => featurize(t, cfg, idf));
  return {
    catalog, params, names, position, cfg, idf, docs, postings: new Postings(docs, cfg.dim),
    nameStems, descStems, nameWeights, descWeights, nameTotal: total(nameWeights), descTotal: total(descWeights),
    lookup: nameStems.map((xs) => xs.some((x) => LOOKUP.has(x))),
    stemSets, toolsWithStem, stemIdf, feeds, fedBy,
    linkSet: new Set(catalog.links.map((l) => `${l.source}\u0000${l.target}`)),
  };
}
