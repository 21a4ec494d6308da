import type { Catalog, Plan } from '../types.ts';
import type { DecodeOptions } from '../decode/beam.ts';
import { relinkedByType } from '../decode/typed-links.ts';
import { typedCatalog } from '../zero-shot/typed.ts';
import type { AnyPlannerModel } from '../model/io.ts';
import { toolProbabilities, type SecondOpinionHead } from './head.ts';
import type { SavedSecondOpinion } from './io.ts';

/**
 * The last request each head read, with its tool probabilities: planning asks the head twice about
 * the same request (may it overrule the pooled plan, then its vote), so it reads each request once.
 */
const lastRead = new WeakMap<SecondOpinionHead, { text: string; p: number[] }>();
function probabilitiesFor(head: SecondOpinionHead, text: string): number[] {
  const last = lastRead.get(head);
  if (last?.text === text) return last.p;
  const p = toolProbabilities(head, text);
  lastRead.set(head, { text, p });
  return p;
}

/**
 * The head's plan when it overrules `plan`: the tools it gives at least 0.5, if it disagrees with
 * the plan about some tool and, on every tool they disagree about, is sure (probability at least
 * 0.5 + margin, or at most 0.5 - margin). Otherwise undefined: the plan stands. The tools are
 * linked by the catalog's types, as the pooled plan is; its confidence is the lower of the plan's
 * and the head's least sure decision over all tools.
 *
 * Why: the pooled members agree on most of their wrong plans (so their votes cannot flag them), and
 * the head gets many of those right. On the 287 doable dev requests of the hand-written set,
 * overruling at margin 0.35 fixes 23 tool sets of finished plans, breaks 5 and replaces 3 wrong ones
 * by other wrong ones (2026-12-06, the head trained with batches 15-18; the head before them fixed 23
 * and broke 9 counted so, and counted on plans before finishing 25 and 8, or 23 and 9 without word swaps).
 *
 * @example
 * overruled(saved, model.catalog, 'Is it readable? notes.md', plan) // read-file > extract-text > text-stats, or undefined
 */
export function overruled(saved: SavedSecondOpinion, model: Pick<AnyPlannerModel, 'catalog'>, text: string, plan: Plan): Plan | undefined {
  // Only the types can link a set of tools: over an untyped catalog the head is not even asked.
  if (!typedCatalog(model.catalog)) return undefined;
  const { head, margin } = saved;
  const p = probabilitiesFor(head, text);
  const planned = new Set(plan.nodes.map((n) => n.worker));
  const contested = head.tools.map((_, i) => i).filter((i) => planned.has(head.tools[i]) !== p[i] >= 0.5);
  if (contested.length === 0) return undefined;
  if (contested.some((i) => Math.abs(p[i] - 0.5) < margin)) return undefined;
  const own = headPlanOf(head, model.catalog, p);
  if (!own) return undefined;
  const confidence = Math.min(plan.confidence, ...p.map((q) => Math.max(q, 1 - q)));
  return { ...plan, nodes: own.nodes, confidence };
}

/**
 * The head's own plan from its tool probabilities `p`: the tools it gives at least 0.5, linked by
 * the catalog's types. Undefined when it gives none, or names a tool the catalog lacks (a head
 * saved for another catalog).
 */
function headPlanOf(head: SecondOpinionHead, catalog: Catalog, p: readonly number[]): Plan | undefined {
  const chosen = head.tools.map((_, i) => i).filter((i) => p[i] >= 0.5);
  if (chosen.length === 0) return undefined;
  const names = catalog.tools.map((t) => t.name);
  const nodes = chosen.map((i) => ({ tool: names.indexOf(head.tools[i]), prob: p[i], deps: [] }));
  if (nodes.some((n) => n.tool < 0)) return undefined;
  const linked = relinkedByType({ nodes, logProb: 0 }, catalog);
  const planNodes = linked.nodes.map((n, i) => ({ id: `n${i + 1}`, worker: names[n.tool], dependsOn: n.deps.map((d) => `n${d + 1}`), confidence: n.prob }));
  return { instruction: '', nodes: planNodes, confidence: Math.min(...planNodes.map((n) => n.confidence)), lowConfidence: false, source: 'model' };
}

/**
 * The second opinion as one more voter under member agreement (see
 * `calibration/member-agreement.ts`): its plan is the tools it gives at least 0.5, linked by the
 * catalog's types, as the pooled plan is. A plan the members split over (three of five make it)
 * but the head makes as well is two model families agreeing: on the 287 doable dev requests of the
 * hand-written set, counting the head as a sixth voter (four of six must agree) unflagged 16 of the
 * 55 right plans flagged and no wrong one (2026-12-06).
 * Over an untyped catalog it plans nothing, so it never agrees.
 *
 * @example
 * secondOpinionVoter(readSecondOpinion(dir)!, catalog).plan('Summarise notes.md') // read-file > extract-text > summarise
 */
export function secondOpinionVoter(saved: SavedSecondOpinion, catalog: Catalog): { plan(text: string): Plan } {
  const none: Plan = { instruction: '', nodes: [], confidence: 0, lowConfidence: true, source: 'model' };
  const typed = typedCatalog(catalog) !== undefined;
  return {
    plan: (text) => {
      const own = typed ? headPlanOf(saved.head, catalog, probabilitiesFor(saved.head, text)) : undefined;
      return own ? { ...own, instruction: text } : { ...none, instruction: text };
    },
  };
}

/**
 * `model` with a second opinion: each plan the head overrules (see `overruled`) is replaced by the
 * head's. Applied under member agreement (see `default-model.ts`), so the members then vote on the
 * head's plan: unless three of the five make it too (with the head's own vote, four of six), it is
 * flagged, as a plan two model families dispute should be.
 *
 * @example
 * const model = withSecondOpinion(loadAnyModel(dir), readSecondOpinion(dir)!); model.plan('...')
 */
export function withSecondOpinion<M extends AnyPlannerModel>(model: M, saved: SavedSecondOpinion): M {
  const base = model.plan.bind(model);
  return {
    ...model,
    plan(instruction: string, overrides?: Partial<DecodeOptions>): Plan {
      const first = base(instruction, overrides);
      const other = overruled(saved, model, instruction, first);
      return other ? { ...other, lowConfidence: other.confidence < model.threshold } : first;
    },
  };
}
