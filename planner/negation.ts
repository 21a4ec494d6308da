import { words } from './encode/features.ts';
import { contentStems, stem } from './encode/stems.ts';
import { maskPaths, maskQuotes } from './slots.ts';
import type { Catalog, Plan, PlanNode } from './types.ts';
import { completeTyped, typedCatalog, type TypedCatalog } from './zero-shot/typed.ts';
import { keptNodes } from './renumber.ts';

/**
 * Steps a request says it does not want: "no chart", "skip review", "not a rendered deck", "don't
 * bother with a report", "don't summarise it". The trained models learn to decline only the steps
 * their training requests decline, and neither the members nor the second opinion reads scope
 * ("- keywords from same - no report needed" planned compose-report at 0.99), so the words are read
 * here, for any catalog: a negated word names a tool when it is that tool's output tag or a word of
 * its name, and that tool alone. Hand-written: no parser of negation scope ships in our
 * dependencies, and a cue with a short window covers the phrasings of the training requests.
 * English cues only, like the open-world check.
 */

/**
 * A step taken back in the middle of a message: "scratch the chart", "forget the summary", "drop
 * sentiment". "forget" only where it is not itself negated ("don't forget the chart" asks for it),
 * and "drop" before a determiner or a bare word, not before "me"/"it" (see `NOT_A_THING`).
 */
const TAKEN_BACK = "scratch(?= (?:the|that|those)\\b)|(?<!(?:n['’]?t|not|never) )forget(?: about)?|drop(?:ping)?";

/**
 * A negation cue and the up-to-four words it governs. "not" counts before a determiner ("not a
 * deck", not "not sure the report…") or where a clause opens with it ("only the spec, not code";
 * "Not slides, just those three"); "don't" and "no need to" only before a verb of making or
 * wanting; before another verb, see `NEGATED_VERB`; a step taken back, see `TAKEN_BACK`. Longer
 * cues come first, so "no need for a chart" is read whole.
 */
const MAKING = "(?:need|want|make|bother with|bother|include|add|generate|create|render|produce|build|write|do|give me|give|show me|show|draw|touch|use)";
const CUE = new RegExp(
  `\\b(?:(?:don['’]?t|do not) ${MAKING}|no need(?: to ${MAKING}| for)?|no|without|skip|skipping|minus|sans|leave out|leave off|omit|omitting|exclude|excluding|${TAKEN_BACK}|not(?= (?:a|an|the|any)\\b)|(?<=^\\s*)not)\\b((?: [\\w'-]+){1,4})`,
  'gi',
);

/** "don't" before any other verb: the verb itself is what is declined ("don't email me", "don't book it yet"), not its object ("don't know the weather"). */
const NEGATED_VERB = new RegExp(`\\b(?:don['’]?t|do not) (?!${MAKING}\\b)([a-z]+)\\b`, 'gi');

/** What follows "no" in idioms that negate no thing ("no more than 300 words", "no rush"), or an object that is not a step's product ("don't want it reading as…"). */
const NOT_A_THING = /^ (?:more|less|longer|matter|later|earlier|doubt|one|idea|problem|worries|rush|to|it|this|that|them|me|him|her|us|you)\b/i;

/** Words that end the declined noun phrase when it is not their first word: a new determiner, a verb of being, a preposition or a reason ("without a chart the report is useless"). */
const PHRASE_END = /^(?:a|an|the|this|that|these|those|my|your|our|its|their|is|are|was|were|be|will|would|should|can|could|must|for|to|in|on|at|from|with|because|since|so|please)$/i;

/** The governed words up to where the declined noun phrase ends (see `PHRASE_END`). */
function nounPhrase(governed: string): string {
  const ws = governed.trim().split(/\s+/);
  const end = ws.findIndex((w, i) => i > 0 && PHRASE_END.test(w));
  return (end < 0 ? ws : ws.slice(0, end)).join(' ');
}

/**
 * Where a negation's scope ends: punctuation, a dash between spaces, and the words that open a new
 * request ("…no chart, just the table"). Captured, so that a scope knows what ended it.
 */
const SCOPE_END = /([,.;:!?()\n—–]|\s-\s|\b(?:but|just|only|and)\b)/i;

/** A declined list goes on past "and" when a determiner opens the next item ("skip the keywords and the summary"); a verb there opens a new request ("no chart and summarise it"). ("or" does not end a scope: "no keywords or slides" is one phrase.) */
const LIST_GOES_ON = /^and$/i;
const NEXT_ITEM = /^\s*(?:the|a|an|any)\b((?: [\w'-]+){1,3})/i;

/** Each tool's output tags and name words, stemmed, once per catalog object (a catalog is not changed once planned over). */
const ownerWords = new WeakMap<Catalog, Set<string>[]>();
function toolWords(catalog: Catalog): Set<string>[] {
  let owners = ownerWords.get(catalog);
  if (!owners) ownerWords.set(catalog, (owners = catalog.tools.map((t) => new Set([...(t.outputType ?? []).map(stem), ...words(t.name).map(stem)]))));
  return owners;
}

/** The stemmed content words each negation of `request` governs (most requests have none). */
function negatedWords(request: string): string[] {
  const found: string[] = [];
  // Scopes at even positions, what ended each at the odd ones (see SCOPE_END).
  const parts = maskQuotes(maskPaths(request)).split(SCOPE_END);
  let listOpen = false;
  for (let k = 0; k < parts.length; k += 2) {
    const scope = parts[k];
    const item: RegExpExecArray | null = listOpen ? NEXT_ITEM.exec(scope) : null;
    if (item) found.push(...contentStems(nounPhrase(item[1])));
    listOpen = item !== null && item.index + item[0].length === scope.trimEnd().length;
    for (const m of scope.matchAll(CUE)) {
      const governed = m[1];
      if (NOT_A_THING.test(governed) || /^ \w+ing\b/.test(governed) || /\bor\s*$/i.test(scope.slice(0, m.index))) continue;
      const phrase = nounPhrase(governed);
      found.push(...contentStems(phrase));
      // The declined phrase runs to the scope's end: a list may go on after it.
      listOpen = phrase === governed.trim() && m.index + m[0].length === scope.trimEnd().length;
    }
    for (const m of scope.matchAll(NEGATED_VERB)) found.push(...contentStems(m[1]));
    listOpen &&= LIST_GOES_ON.test(parts[k + 1]?.trim() ?? '');
  }
  return found;
}

/**
 * Names of the catalog's tools the request says it does not want. A negated word shared by two tools
 * ("file": read-file, write-files) names neither; "or not" asks a question ("happy or not").
 *
 * @example
 * negatedTools('Stats table of sales.csv in a report, no chart', catalog) // ['render-chart']
 */
export function negatedTools(request: string, catalog: Catalog): string[] {
  const negated = negatedWords(request);
  if (negated.length === 0) return [];
  const owners = toolWords(catalog);
  const found = new Set<string>();
  for (const w of negated) {
    const named = owners.flatMap((s, i) => (s.has(w) ? [i] : []));
    if (named.length === 1) found.add(catalog.tools[named[0]].name);
  }
  return [...found];
}

/**
 * `plan` without the steps the request says it does not want, when no other step needs them, and
 * the workers dropped. A step is needed by a step it is the only source of: in "a picture, not a
 * table" the chart is drawn from the table alone, so the table stays; in "slides with the key
 * terms, skip figures" the outline has its summary and keywords without the figures, so they go.
 *
 * @example
 * dropDeclinedSteps(plan, 'keywords of notes.md - no report needed', catalog).declined // ['compose-report']
 */
export function dropDeclinedSteps<P extends Plan>(plan: P, request: string, catalog: Catalog): { plan: P; declined: string[] } {
  const negated = negatedTools(request, catalog);
  if (negated.length === 0) return { plan, declined: [] };
  const declined = new Set(plan.nodes.filter((n) => negated.includes(n.worker)).map((n) => n.id));
  if (declined.size === 0) return { plan, declined: [] };
  const typed = typedPlan(plan, catalog);
  const needed = typed ? neededByType(plan, declined, typed) : new Set(plan.nodes.flatMap((n) => (n.dependsOn.length === 1 ? n.dependsOn : [])));
  const dropped = plan.nodes.filter((n) => declined.has(n.id) && !needed.has(n.id));
  // A plan of declined steps only is left alone: an empty plan cannot run, and the request asked for something.
  if (dropped.length === 0 || dropped.length === plan.nodes.length) return { plan, declined: [] };
  const gone = new Set(dropped.map((n) => n.id));
  const nodes = typed ? relinkedAround(plan.nodes, gone, typed) : plan.nodes;
  return { plan: { ...plan, nodes: keptNodes(nodes, (id) => !gone.has(id)) }, declined: dropped.map((n) => n.worker) };
}

/** A plan's steps as catalog positions, with the catalog's types; undefined for an untyped catalog or a plan that repeats a worker (types cannot say which copy feeds what). */
interface TypedSteps { typed: TypedCatalog; tool: Map<string, number> }
function typedPlan(plan: Plan, catalog: Catalog): TypedSteps | undefined {
  const typed = typedCatalog(catalog);
  const workers = plan.nodes.map((n) => n.worker);
  if (!typed || new Set(workers).size !== workers.length) return undefined;
  const position = new Map(catalog.tools.map((t, i) => [t.name, i]));
  if (!workers.every((w) => position.has(w))) return undefined;
  return { typed, tool: new Map(plan.nodes.map((n) => [n.id, position.get(n.worker)!])) };
}

/**
 * The declined steps a kept step cannot do without: it depends on one, and no step that stays makes
 * anything it takes. "A picture, not a table" keeps the table (the chart is drawn from it alone);
 * "a report with the statistics, no chart" drops the chart (the report takes the table itself).
 */
function neededByType(plan: Plan, declined: ReadonlySet<string>, { typed, tool }: TypedSteps): Set<string> {
  const needed = new Set<string>();
  plan.nodes.forEach((d, j) => {
    const from = d.dependsOn.filter((id) => declined.has(id));
    if (declined.has(d.id) || from.length === 0) return;
    // Only an earlier step can stand in: a later one is fed by this one (the review the coder may also take).
    const fed = plan.nodes.slice(0, j).some((k) => !declined.has(k.id) && typed.feeds[tool.get(k.id)!][tool.get(d.id)!]);
    if (!fed) for (const id of from) needed.add(id);
  });
  return needed;
}

/** `nodes` with each step that depended on a `gone` one linked again by the catalog's types over the steps that stay (see `relinkedByType`): the report that took the chart now takes the table. */
function relinkedAround(nodes: readonly PlanNode[], gone: ReadonlySet<string>, { typed, tool }: TypedSteps): PlanNode[] {
  const staying = nodes.filter((n) => !gone.has(n.id));
  const linked = completeTyped(typed, staying.map((n) => tool.get(n.id)!), [], true);
  const idOf = new Map(staying.map((n) => [tool.get(n.id)!, n.id]));
  return nodes.map((n) => {
    if (gone.has(n.id) || !n.dependsOn.some((id) => gone.has(id))) return n;
    const j = linked.tools.indexOf(tool.get(n.id)!);
    return { ...n, dependsOn: linked.dependsOn[j].map((k) => idOf.get(linked.tools[k])!) };
  });
}

/**
 * `plan` without the steps the request declines (see `dropDeclinedSteps`).
 *
 * @example
 * withoutDeclinedSteps(plan, 'keywords of notes.md - no report needed', catalog) // compose-report dropped
 */
export function withoutDeclinedSteps<P extends Plan>(plan: P, request: string, catalog: Catalog): P {
  return dropDeclinedSteps(plan, request, catalog).plan;
}
