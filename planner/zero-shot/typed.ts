import type { Catalog } from '../types.ts';
import { contentStems } from '../encode/stems.ts';
import { toolDocument } from './tool-index.ts';

/**
 * Typed completion of zero-shot plans. A catalog whose tools declare input and output types (a
 * worker's zod input and output keys) says which step needs which: a step none of whose inputs an
 * earlier step produces needs a producer, and requests leave such steps unsaid ("keywords for
 * notes.md" needs the file read and parsed first). A planner fitted on another catalog cannot have
 * learned those habits; the types state them. Untyped catalogs (UltraTool's) are left alone.
 */

/** The type structure of one catalog, by tool position. */
export interface TypedCatalog {
  /** `feeds[a][b]`: some output type of tool a is an input type of tool b that the catalog can produce. */
  feeds: boolean[][];
  /** Tools that need nothing another tool makes: where a chain of producers starts (read-file, which takes a path). */
  entry: boolean[];
  /** Tools from which producers lead back to an entry tool: the only ones completion may add. */
  grounded: boolean[];
  /** Tools that take no input at all (a location, the clock, an inbox): what they make, a request may give itself. */
  source: boolean[];
  /** A source's stemmed content words (name, description), to see whether a request mentions it; empty for other tools. */
  stems: ReadonlySet<string>[];
}

/** Whether `a` feeds `b` and `b` does not feed `a`: an order the types impose (a reviewer and a coder feed each other). */
const before = (typed: TypedCatalog, a: number, b: number) => typed.feeds[a][b] && !typed.feeds[b][a];

const cache = new WeakMap<Catalog, TypedCatalog | null>();

/**
 * The catalog's type structure, or undefined when no tool's output is another tool's input (an
 * untyped catalog, or one whose types never meet). Memoised per catalog object.
 *
 * @example
 * typedCatalog(defaultCatalog())!.entry[0] // true: read-file takes a path nothing produces
 */
export function typedCatalog(catalog: Catalog): TypedCatalog | undefined {
  let typed = cache.get(catalog);
  if (typed === undefined) cache.set(catalog, (typed = buildTyped(catalog)));
  return typed ?? undefined;
}

function buildTyped(catalog: Catalog): TypedCatalog | null {
  const produced = new Set(catalog.tools.flatMap((t) => t.outputType ?? []));
  const needs = catalog.tools.map((t) => (t.inputType ?? []).filter((x) => produced.has(x)));
  if (needs.every((n) => n.length === 0)) return null;
  const feeds = catalog.tools.map((a, i) => needs.map((n, j) => i !== j && (a.outputType ?? []).some((o) => n.includes(o))));
  const entry = needs.map((n) => n.length === 0);
  // Grounded: an entry tool, or fed by a grounded tool it does not feed back (a fixed point over the catalog).
  const grounded = [...entry];
  for (let changed = true; changed;) {
    changed = false;
    grounded.forEach((g, j) => {
      if (!g && grounded.some((h, i) => h && feeds[i][j] && !feeds[j][i])) { grounded[j] = true; changed = true; }
    });
  }
  const source = catalog.tools.map((t) => (t.inputType ?? []).length === 0);
  const stems = catalog.tools.map((t, i) => new Set(source[i] ? contentStems(toolDocument(t)) : []));
  return { feeds, entry, grounded, source, stems };
}

/**
 * Whether a request mentions a source tool: they share a stemmed content word of three letters or more.
 *
 * @example
 * mentions(typed, 'Email me the weather in Paris')(getLocation) // false
 */
export function mentions(typed: TypedCatalog, request: string): (tool: number) => boolean {
  // Read only when completion asks about a source, which most plans never do.
  let words: string[] | undefined;
  return (tool) => {
    // Fragments ("s" of "what's", "u") are no mention.
    words ??= contentStems(request).filter((w) => w.length >= 3);
    return words.some((w) => typed.stems[tool].has(w));
  };
}

/**
 * A passage quoted in the request (a space inside, at least 12 characters): the request carries the
 * content itself, so nothing needs to be read to produce it. A quoted path is not one.
 */
const QUOTED = /"([^"]{12,})"|“([^”]{12,})”|`([^`]{12,})`/g;
export function carriesContent(request: string): boolean {
  for (const m of request.matchAll(QUOTED)) if (/\s/.test((m[1] ?? m[2] ?? m[3]).trim())) return true;
  return false;
}

/** A completed plan: tool positions in an order the types allow, each one's producers, and which were added. */
export interface TypedPlan { tools: number[]; dependsOn: number[][]; implicit: boolean[] }

/**
 * Completes `stated` (tool positions, in the planner's order) over a typed catalog: each tool none
 * of whose inputs an earlier step makes gets a producer (a stated tool when one fits, else the
 * grounded producer most `similar` to the request), recursively back to an entry tool; unless the
 * request `carriesContent`. A tool that takes no input at all (a `source`: the user's location, the
 * clock) is added only when the request `mentioned` it: "weather in Paris" gives the city itself.
 * Tools that take an input the request gives (read-file's path, a website brief) are added as any. The tools are then ordered producers first (stable otherwise), and each
 * depends on the planned tools that feed it, minus those it already reaches through another (the
 * transitive reduction: a report fed by a chart is not also fed by the chart's table).
 *
 * @example
 * completeTyped(typed, [keywords], scores, false) // { tools: [read-file, extract-text, keywords], ... }
 */
export function completeTyped(typed: TypedCatalog, stated: readonly number[], similar: ArrayLike<number>, content: boolean, mentioned: (tool: number) => boolean = () => true): TypedPlan {
  const seq: number[] = [];
  // Tools whose producers are being found: types can form a loop (a needs c, c needs b, b needs a),
  // and a tool in it must not be sought again while its own producer is.
  const open = new Set<number>();
  const taken = (p: number) => seq.includes(p) || open.has(p);
  const fed = (t: number) => typed.entry[t] || seq.some((s) => typed.feeds[s][t]);
  const add = (t: number) => {
    if (taken(t)) return;
    open.add(t);
    if (!content && !fed(t)) {
      const producer = stated.find((s) => !taken(s) && before(typed, s, t)) ?? bestProducer(typed, t, taken, similar);
      // A source the request does not mention is not added: what it makes, the request gives ("weather in Paris" needs no get_location).
      if (producer !== undefined && (stated.includes(producer) || !typed.source[producer] || mentioned(producer))) add(producer);
    }
    open.delete(t);
    seq.push(t);
  };
  for (const t of stated) add(t);
  const tools = typeOrder(typed, seq);
  const dependsOn = tools.map((t, j) => reduced(typed, tools, j));
  return { tools, dependsOn, implicit: tools.map((t) => !stated.includes(t)) };
}

/**
 * Plan nodes with the added steps scored as sure as the stated ones (their least confidence): a
 * step the types require is as certain as the plan that needs it, whatever its words' similarity.
 *
 * @example
 * impliedConfidence([{ confidence: 0.02, ... }, { confidence: 0.6, ... }], [true, false]) // both 0.6
 */
export function impliedConfidence<N extends { confidence: number }>(nodes: readonly N[], implicit: readonly boolean[]): N[] {
  const stated = nodes.filter((_, j) => !implicit[j]).map((n) => n.confidence);
  if (stated.length === 0) return [...nodes];
  const least = Math.min(...stated);
  return nodes.map((n, j) => (implicit[j] ? { ...n, confidence: least } : n));
}

/** The grounded tool not `taken` that feeds `t` (and is not fed by it) most similar to the request; ties by catalog order. */
function bestProducer(typed: TypedCatalog, t: number, taken: (p: number) => boolean, similar: ArrayLike<number>): number | undefined {
  let best: number | undefined;
  for (let p = 0; p < typed.feeds.length; p++) {
    if (!typed.grounded[p] || taken(p) || !before(typed, p, t)) continue;
    if (best === undefined || similar[p] > similar[best]) best = p;
  }
  return best;
}

/** `seq` reordered so that every producer comes before what it feeds, otherwise as it was. */
function typeOrder(typed: TypedCatalog, seq: readonly number[]): number[] {
  const left = [...seq];
  const out: number[] = [];
  while (left.length > 0) {
    const k = left.findIndex((t) => !left.some((s) => before(typed, s, t)));
    out.push(...left.splice(k < 0 ? 0 : k, 1));
  }
  return out;
}

/** Positions (in `tools`) of the earlier tools feeding `tools[j]`, without those that reach it through another of them. */
function reduced(typed: TypedCatalog, tools: readonly number[], j: number): number[] {
  const edge = (a: number, b: number) => typed.feeds[tools[a]][tools[b]];
  const memo = new Map<number, boolean>();
  const reaches = (a: number, b: number): boolean => {
    const key = a * tools.length + b;
    let r = memo.get(key);
    if (r === undefined) {
      r = edge(a, b);
      for (let c = a + 1; !r && c < b; c++) r = edge(a, c) && reaches(c, b);
      memo.set(key, r);
    }
    return r;
  };
  const direct = [...Array(j).keys()].filter((k) => edge(k, j));
  return direct.filter((k) => !direct.some((d) => d > k && reaches(k, d)));
}
