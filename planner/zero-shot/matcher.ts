import type { Catalog, Plan, PlanNode } from '../types.ts';
import type { PassedOver } from '../notes.ts';
import { splitRequestClauses } from './clauses.ts';
import { ToolIndex, toolDocument, type ToolIndexOptions } from './tool-index.ts';
import { contentStems, stem } from '../encode/stems.ts';
import { words } from '../encode/features.ts';
import { actionWord } from '../open-world-words.ts';
import { maskPaths } from '../slots.ts';
import { carriesContent, completeTyped, impliedConfidence, mentions, typedCatalog } from './typed.ts';

/**
 * A catalog-independent zero-shot planner: nothing in it is trained per tool, so it plans over any
 * catalog from the tools' names, descriptions (and parameter names) and tool graph alone.
 * Each clause of the request picks its most similar tool; clauses no tool resembles are reported.
 */

export interface ZeroShotOptions extends ToolIndexOptions {
  /** A clause whose best tool scores below this is unmatched (default 0.1). */
  threshold?: number;
  /** Split the request into clauses (default true); off, the whole request is one clause. */
  split?: boolean;
  /** Link each node to the nearest earlier node the tool graph allows (default true). */
  link?: boolean;
  /** With `split: false`: how many top tools the whole request gets (default 1). */
  topK?: number;
  /**
   * Share of a clause's score that comes from the whole request (default 0): a clause like
   * "my luggage weighs 23 kg" alone resembles many tools; the request says which domain it is in.
   */
  contextWeight?: number;
  /**
   * Each clause chooses among the request's `candidates` most similar tools only (default 0: all
   * tools): the whole request fixes the domain, the clauses the steps within it.
   */
  candidates?: number;
  /**
   * Implicit first step: when a tool of the graph feeds the plan's first node and its similarity to
   * the whole request is at least this, it is put first ("count the words of notes.md" needs the
   * file read). Default 0.02; `Infinity` turns it off.
   */
  prerequisite?: number;
  /** Fewer clause picks than this: the request's best tools are added (default 0). */
  minNodes?: number;
  /** A pick scoring under this share of the request's best pick is dropped (default 0, off): a weak second guess costs precision. */
  relativeCutoff?: number;
  /** At most this many nodes, the best-scoring kept, in clause order (default 5: UltraTool's longest chain). */
  maxNodes?: number;
  /**
   * On a typed catalog (tools with input and output types that meet), complete the plan with the
   * producers its steps need and link steps by type (see typed.ts) instead of the graph rules above
   * (default true; off with `link: false`).
   */
  typed?: boolean;
}

/** A plan plus the clauses of the request that no tool matched. */
/** A zero-shot plan: with the clauses no tool does, and those that name a tool the plan leaves out (see `PlanNotes`). */
export interface ZeroShotPlan extends Plan { unmatched: string[]; passedOver?: PassedOver[] }

/** The matcher bound to one catalog. `threshold` is its clause threshold: a clause-matched node scores at least this (an implicit first step may score less). */
export interface ZeroShotPlanner {
  kind: 'zero-shot-matcher' | 'general-planner';
  plan: (request: string) => ZeroShotPlan;
  threshold: number;
  catalog: Catalog;
  /** Requests a general model remembers as few-shot memory (its own `train --general` or `--synthetic` requests). */
  remembered?: number;
}

export const DEFAULT_ZERO_SHOT_THRESHOLD = 0.1;
export const DEFAULT_CONTEXT_WEIGHT = 0;
export const DEFAULT_PREREQUISITE = 0.02;

/** A chosen tool, its score, the clause that chose it and that clause's position (the plan's order). */
interface Pick { tool: string; score: number; clause: string; at: number }

/**
 * A colon before a space opens a list ("for x.md: summary, keywords"); not "8:00", nor a colon before
 * a quoted passage (data, not a task). Cut here only: the general model's features were fitted on
 * `splitRequestClauses` as it is (cutting there too cost 0.8 few-shot NF on the nested UltraTool splits).
 */
const LIST_COLON = /:(?=\s+[^\s"“`])/g;

/**
 * The request's clauses, one-word ones included: a terse list ("summary, figures, keywords") names
 * one step per word. A one-word clause no tool fits ("please", "thanks") is dropped, not reported
 * (see `isWord`). The whole request when it has no clause.
 */
function clauses(request: string): string[] {
  const found = splitRequestClauses(request.replace(LIST_COLON, ','), 1);
  return found.length > 0 ? found : [request.trim()];
}

/** A clause of one word. */
const isWord = (clause: string) => !/\s/.test(clause.trim());

/** Position of the clause most similar to tool `i`. */
function bestClause(index: ToolIndex, found: readonly string[], i: number): number {
  let at = 0, best = -Infinity;
  found.forEach((c, k) => { const s = index.scores(c)[i]; if (s > best) { best = s; at = k; } });
  return at;
}

/** The best tool for one clause, or undefined below the threshold. */
function bestTool(index: ToolIndex, clause: string, context: Float64Array, allowed: readonly number[], beta: number, threshold: number, at: number): Pick | undefined {
  const s = index.scores(clause);
  let best = -1;
  for (const i of allowed) {
    s[i] = (1 - beta) * s[i] + beta * context[i];
    if (best < 0 || s[i] > s[best]) best = i;
  }
  return best >= 0 && s[best] >= threshold ? { tool: index.names[best], score: s[best], clause, at } : undefined;
}

/** The `k` best tools for a text, best first, those at or above the threshold. */
function topTools(index: ToolIndex, text: string, k: number, threshold: number): Pick[] {
  const s = index.scores(text);
  return [...s.keys()].sort((a, b) => s[b] - s[a] || a - b).slice(0, k)
    .filter((i) => s[i] >= threshold).map((i) => ({ tool: index.names[i], score: s[i], clause: text, at: 0 }));
}

/**
 * For each stem, the one tool whose name has it and no other tool's text does ("email" ->
 * send_email); stems several tools use ("write", "extract", "report") name none.
 */
function ownVerbs(catalog: Catalog): Map<string, number> {
  const inNames = new Map<string, number[]>(), inTexts = new Map<string, number>();
  catalog.tools.forEach((t, i) => {
    for (const s of new Set(contentStems(t.name))) inNames.set(s, [...(inNames.get(s) ?? []), i]);
    for (const s of new Set(contentStems(toolDocument(t)))) inTexts.set(s, (inTexts.get(s) ?? 0) + 1);
  });
  const own = new Map<string, number>();
  for (const [s, tools] of inNames) if (tools.length === 1 && inTexts.get(s) === 1) own.set(s, tools[0]);
  return own;
}

/**
 * The tool a clause's action word names, when it is not the clause's best match: "Email me the
 * weather forecast" is matched by its object (the forecast) and sent by its verb. Only a verb that
 * one tool owns (`ownVerbs`) counts; file paths are not read as verbs.
 */
function actionTool(own: ReadonlyMap<string, number>, clause: string): number | undefined {
  if (own.size === 0) return undefined;
  const head = actionWord(words(maskPaths(clause)))?.head;
  return head === undefined ? undefined : own.get(stem(head));
}

/** Nodes in clause order, each depending on the nearest earlier node with a graph link into it. */
function linkNodes(picks: readonly Pick[], allowed: ReadonlySet<string>, link: boolean): PlanNode[] {
  const nodes: PlanNode[] = [];
  picks.forEach((p, i) => {
    let dependsOn: string[] = [];
    if (link) {
      for (let j = i - 1; j >= 0; j--) {
        if (allowed.has(`${picks[j].tool}\u0000${p.tool}`)) { dependsOn = [nodes[j].id]; break; }
      }
    }
    nodes.push({ id: `n${i + 1}`, worker: p.tool, dependsOn, confidence: p.score });
  });
  return nodes;
}

/**
 * Builds a zero-shot planner for `catalog`. Deterministic: the same catalog, options and request
 * always give the same plan.
 *
 * @example
 * const planner = createZeroShotPlanner(catalog);
 * planner.plan('Read report.md, summarise it and email it to my boss')
 * // { nodes: [read-file, summarise, ...], unmatched: ['email it to my boss'] when no tool sends mail }
 */
export function createZeroShotPlanner(catalog: Catalog, options: ZeroShotOptions = {}): ZeroShotPlanner {
  const index = new ToolIndex(catalog, options);
  const own = ownVerbs(catalog);
  const threshold = options.threshold ?? DEFAULT_ZERO_SHOT_THRESHOLD;
  const links = new Set(catalog.links.map((l) => `${l.source}\u0000${l.target}`));
  const split = options.split ?? true;
  const beta = options.contextWeight ?? DEFAULT_CONTEXT_WEIGHT;
  const rho = options.relativeCutoff ?? 0;
  const m = options.candidates ?? 0;
  const maxNodes = options.maxNodes ?? 5;
  const minNodes = options.minNodes ?? 0;
  const typed = options.typed === false || options.link === false || !split ? undefined : typedCatalog(catalog);
  // Typed completion adds every missing producer, the one-step prerequisite rule included.
  const prereqMin = typed ? Infinity : options.prerequisite ?? DEFAULT_PREREQUISITE;
  const feeders = new Map<string, number[]>();
  const position = new Map(index.names.map((n, i) => [n, i]));
  for (const l of catalog.links) {
    const at = position.get(l.source);
    if (at !== undefined && l.source !== l.target) feeders.set(l.target, [...(feeders.get(l.target) ?? []), at]);
  }
  /** The best-scoring tool that feeds `head` and is not planned yet, if it scores at least `min`. */
  const prerequisiteOf = (head: string, picks: readonly Pick[], context: Float64Array, min: number): { tool: string; score: number } | undefined => {
    let best: number | undefined;
    for (const i of feeders.get(head) ?? []) {
      if (picks.some((p) => p.tool === index.names[i])) continue;
      if (best === undefined || context[i] > context[best]) best = i;
    }
    return best !== undefined && context[best] >= min ? { tool: index.names[best], score: context[best] } : undefined;
  };
  /** The picks completed and linked by type; an added producer is as sure as the picks (see `impliedConfidence`). */
  const typedNodes = (picks: readonly Pick[], request: string, context: Float64Array): { nodes: PlanNode[]; implicit: boolean[] } => {
    const done = completeTyped(typed!, picks.map((p) => position.get(p.tool)!), context, carriesContent(request), mentions(typed!, request));
    const nodes = done.tools.map((t, j) => ({
      id: `n${j + 1}`, worker: index.names[t], dependsOn: done.dependsOn[j].map((k) => `n${k + 1}`),
      confidence: picks.find((p) => p.tool === index.names[t])?.score ?? 0,
    }));
    return { nodes: impliedConfidence(nodes, done.implicit), implicit: done.implicit };
  };
  const plan = (request: string): ZeroShotPlan => {
    const unmatched: string[] = [];
    let picks: Pick[];
    let whole: Float64Array | undefined; // the request's similarity to each tool (split requests, which typed ones are)
    if (split) {
      const found = clauses(request);
      const context = (whole = index.scores(request));
      const ranked = [...context.keys()].sort((a, b) => context[b] - context[a] || a - b);
      const pool = m > 0 ? ranked.slice(0, m) : ranked;
      picks = [];
      found.forEach((clause, at) => {
        const p = bestTool(index, clause, context, pool, beta, threshold, at);
        if (!p) { if (!isWord(clause)) unmatched.push(clause); }
        else if (!picks.some((q) => q.tool === p.tool)) picks.push(p); // first mention fixes the order
        // The verb's own tool acts on what the clause's best match makes, so it comes after it.
        const verb = p ? actionTool(own, clause) : undefined;
        if (p && verb !== undefined && !picks.some((q) => q.tool === index.names[verb])) picks.push({ tool: index.names[verb], score: p.score, clause, at: at + 0.5 });
      });
      // Too few steps named: the request's own best tools fill up, placed at the clause each fits best.
      for (const i of ranked) {
        if (picks.length >= minNodes || context[i] < threshold) break;
        if (picks.some((q) => q.tool === index.names[i])) continue;
        picks.push({ tool: index.names[i], score: context[i], clause: request, at: bestClause(index, found, i) });
      }
      picks.sort((a, b) => a.at - b.at);
      const pre = picks.length > 0 ? prerequisiteOf(picks[0].tool, picks, context, prereqMin) : undefined;
      if (pre) picks.unshift({ tool: pre.tool, score: pre.score, clause: request, at: -1 });
    } else {
      picks = topTools(index, request, options.topK ?? 1, threshold);
      if (picks.length === 0) unmatched.push(request.trim());
    }
    if (picks.length > 0) {
      const top = Math.max(...picks.map((p) => p.score));
      const keep = new Set([...picks].filter((p) => p.score >= rho * top).sort((a, b) => b.score - a.score).slice(0, maxNodes));
      for (const p of picks) if (!keep.has(p)) unmatched.push(p.clause);
      picks = picks.filter((p) => keep.has(p));
    }
    const { nodes, implicit } = typed ? typedNodes(picks, request, whole!) : { nodes: linkNodes(picks, links, options.link ?? true), implicit: picks.map((p) => p.at < 0) };
    // An implicit step was not asked for in words: its low similarity is no doubt about the plan.
    const stated = nodes.filter((_, i) => !implicit[i]);
    const confidence = nodes.length === 0 ? 0 : Math.min(...(stated.length > 0 ? stated : nodes).map((n) => n.confidence));
    return { instruction: request, nodes, confidence, lowConfidence: nodes.length === 0, source: 'model', unmatched };
  };
  return { kind: 'zero-shot-matcher', plan, threshold, catalog };
}
