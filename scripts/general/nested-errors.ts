/**
 * Error analysis of the general planner zero-shot on the nested splits (see nested-splits.ts),
 * never the held-out split bench/planner-zero-shot.ts scores: of the gold tools it misses, how many
 * are new to the model and how many it had seen, where the missed ones rank among the model's
 * scores, how many were swapped for a near-twin (tool texts with tf-idf cosine >= 0.5), how
 * often the plan is shorter or longer than the gold one, and how often a plan with the gold tools
 * has them in another order. Then the order alone: the gold tools of each request put in the
 * planner's order (pairwise model, then the graph's and the clauses' evidence) and chained, how
 * many gold links that gets; and for gold pairs the graph links both ways and the request does not
 * tell apart (no word of one that the other lacks, and one clause resembling both or a one-clause
 * request), how many the planner orders right. Each wrong plan is also counted by its kind (same
 * tools in another order, a near-twin for each missed tool, steps only missing or only added, other
 * tools). Then the node F1 a perfect choice among the model's top 6 candidates would reach (the
 * best set of them per request), against the plans'. Prints one table summed over the seeds; with
 * `--list N`, then the first N wrong plans to read (gold tools new to the model starred).
 * Run: node --import tsx scripts/general/nested-errors.ts [--data ../shared/data/ultratool] [--seeds 7,11,13,17,19] [--list 26]
 */
import { parseArgs } from 'node:util';
import { createGeneralPlanner } from '../../planner/general/index.ts';
import { catalogView, type CatalogView } from '../../planner/general/catalog-view.ts';
import { readRequest, type ReadRequest } from '../../planner/general/features.ts';
import { stage2Logits, type GeneralModel } from '../../planner/general/model.ts';
import { chainedLinks, rankedBy } from '../../planner/general/decode.ts';
import { apartOrder, mentions, orderTools, reorderByEvidence } from '../../planner/general/order.ts';
import { sparseDot } from '../../planner/encode/features.ts';
import { f1, linkKey } from '../../planner/metrics.ts';
import type { Example } from '../../planner/types.ts';
import { nestedSplits, NESTED_SEEDS } from './nested-splits.ts';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/ultratool' }, seeds: { type: 'string', default: NESTED_SEEDS.join(',') }, list: { type: 'string', default: '0' } } });
const wrong: string[] = [];
const counts = new Map<string, number>();
const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
/** Node F1 summed over scored requests: the plans', and that of the best set of the model's top candidates. */
const nodeF1 = { plans: 0, bestSet: 0, n: 0 };
/** How many of the model's best-scored tools the best-set figure chooses among (the decoder's candidates are 6 or 8). */
const CANDIDATES = 6;
const RANKS: [number, string][] = [[3, 'ranked 1-3'], [5, 'ranked 4-5'], [10, 'ranked 6-10'], [Infinity, 'ranked past 10']];

for (const { model, catalog, novel, scored } of nestedSplits(values.data!, values.seeds!.split(',').map(Number))) {
  const view = catalogView(catalog);
  const planner = createGeneralPlanner(model, catalog);
  const twin = (a: number, b: number) => a !== b && sparseDot(view.docs[a], view.docs[b]) >= 0.5;
  for (const e of scored) {
    const steps = planner.plan(e.request).nodes.map((n) => n.worker);
    const planned = new Set(steps), gold = new Set(e.nodes);
    if (steps.join() !== e.nodes.join() && wrong.length < Number(values.list)) wrong.push(`${e.request.replace(/\s+/g, ' ').slice(0, 200)}\n  gold: ${e.nodes.map((n) => (novel.has(n) ? `${n}*` : n)).join(' > ')}\n  plan: ${steps.join(' > ') || '(none)'}`);
    add(planned.size === gold.size ? 'plans as long as gold' : planned.size < gold.size ? 'plans shorter than gold' : 'plans longer than gold');
    if (steps.length === e.nodes.length && e.nodes.every((n) => planned.has(n))) add(`plans with the gold tools, ${steps.join() === e.nodes.join() ? 'in' : 'not in'} the gold order`);
    const kind = wrongKind(steps, e.nodes, (a, b) => twin(view.position.get(a)!, view.position.get(b)!));
    if (kind) add(`wrong plans, ${kind}`);
    const read = readRequest(view, e.request);
    const rank = rankedBy(stage2Logits(model, view, read));
    for (const g of gold) {
      const kind = novel.has(g) ? 'new' : 'seen';
      add(`gold tools, ${kind}`);
      if (planned.has(g)) continue;
      add(`missed, ${kind}`);
      const at = rank.indexOf(view.position.get(g)!);
      add(`missed, ${RANKS.find(([under]) => at < under)![1]}`);
      if ([...planned].some((p) => !gold.has(p) && twin(view.position.get(p)!, view.position.get(g)!))) add('missed, a near-twin planned instead');
    }
    for (const p of planned) if (!gold.has(p)) add(`extra tools, ${novel.has(p) ? 'new' : 'seen'}`);
    nodeF1.plans += f1(steps, e.nodes);
    nodeF1.bestSet += bestSetF1(rank.slice(0, CANDIDATES).map((t) => view.names[t]), e.nodes, model);
    nodeF1.n++;
    orderOfGoldTools(view, model, e, read);
  }
}
/** The best node F1 any set of `candidates` (of a length the model plans) gets against `gold`: what choosing alone could reach. */
function bestSetF1(candidates: readonly string[], gold: readonly string[], model: GeneralModel): number {
  let best = 0;
  for (let mask = 1; mask < 1 << candidates.length; mask++) {
    const set = candidates.filter((_, i) => mask & (1 << i));
    if (set.length >= Math.min(model.minNodes, candidates.length) && set.length <= model.maxNodes) best = Math.max(best, f1(set, gold));
  }
  return best;
}

/** What is wrong with a plan (its steps against the gold ones), in one kind; undefined when it is the gold plan. */
function wrongKind(steps: readonly string[], gold: readonly string[], twin: (a: string, b: string) => boolean): string | undefined {
  if (steps.join() === gold.join()) return undefined;
  const missed = gold.filter((g) => !steps.includes(g)), extra = steps.filter((p) => !gold.includes(p));
  if (missed.length === 0 && extra.length === 0) return 'same tools, another order';
  if (missed.length > 0 && missed.every((g) => extra.some((p) => twin(g, p)))) return 'each missed tool swapped for a near-twin';
  if (extra.length === 0) return 'only steps missing';
  if (missed.length === 0) return 'only steps added';
  return 'other tools';
}

/** How the planner orders a request's gold tools (see the header): links it gets, and silent pairs it orders right. */
function orderOfGoldTools(view: CatalogView, model: GeneralModel, e: Example, read: ReadRequest): void {
  const tools = e.nodes.map((n) => view.position.get(n)!);
  if (new Set(tools).size !== tools.length) return;
  const ordered = reorderByEvidence(view, read, orderTools(view, e.request, tools, model.order), model.orderWords ? { table: model.orderWords, request: e.request } : undefined);
  const goldLinks = new Set(e.links.map((l) => linkKey(l.source, l.target)));
  for (let k = 0; k < goldLinks.size; k++) add('gold links');
  for (const l of chainedLinks(view, ordered)) if (goldLinks.has(l)) add('gold links, gold tools in the planner\'s order');
  const m = mentions(view, e.request, tools);
  for (let x = 0; x < tools.length; x++) for (let y = x + 1; y < tools.length; y++) {
    const a = tools[x], b = tools[y];
    const both = view.feeds[a].includes(b) && view.feeds[b].includes(a);
    const sameClause = read.clause[a] < 0 || read.clause[a] === read.clause[b];
    if (!both || apartOrder(view, m, a, b) !== 0 || !sameClause) continue;
    add(`silent pairs linked both ways, ordered ${ordered.indexOf(a) < ordered.indexOf(b) ? 'right' : 'wrong'}`);
  }
}

const width = Math.max(...[...counts.keys()].map((k) => k.length));
for (const [key, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) console.log(`${key.padEnd(width)}  ${String(n).padStart(5)}`);
console.log(`\nnode F1 of the plans ${(100 * nodeF1.plans / nodeF1.n).toFixed(2)}; of the best set of each request's top ${CANDIDATES} candidates ${(100 * nodeF1.bestSet / nodeF1.n).toFixed(2)}`);
for (const w of wrong) console.log(`\n${w}`);
