/**
 * Chooses the default model's low-confidence threshold and voter majority under member agreement on the DEV split of
 * the hand-written set (fixtures/planner/handwritten.jsonl; not the train split, which the model
 * learned from and so plans over-confidently, nor the test split, which is never read here) and
 * writes `calibration.json` next to the model. The threshold is the one that comes closest to issue
 * 18's two bars on dev, at least 90% of wrong plans flagged and at most 10% of right plans flagged:
 * the least total shortfall (how far the wrong-plan share falls below 90% plus how far the right-plan
 * share rises above 10%), the lowest such threshold on a tie. Why not the bars as a hard constraint:
 * a voter that disagrees flags a plan at any threshold, so often no threshold meets both. Why not
 * Youden's J (flagged wrong minus flagged right), used before: with a handful of wrong dev plans it
 * bought the last one for a quarter of the right plans, and flagging past 90% of wrong plans is not
 * worth many right ones. The least share of voters that must agree (all of them, or a majority) is
 * chosen the same way, with the threshold: a voter that disagrees flags a plan whatever its
 * confidence, which on real wording flags as many right plans as wrong ones. Requests with a clause
 * no worker does count with the wrong plans (reporting the clause flags them; a plan that drops it
 * unreported is one the flag must catch): on the 320-request dev split, leaving them out chose a
 * 3-of-5 majority that let 3 of its 33 such requests through silently where 1 had been.
 *
 * The plans calibrated are the planner's as it ships: a second opinion saved next to the model
 * (second-opinion.json, see planner/second-opinion/) has already overruled the pooled plan where it
 * does, and the members vote on the plan that results. Train it first.
 *
 * The second opinion votes too, as a sixth voter (see `secondOpinionVoter`), unless `--members-only`.
 *
 * Run: `node --import tsx scripts/fixtures-gen/calibrate-default.ts [--dir fixtures/planner/model] [--check check] [--members-only]`
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';
import { planWithDetails, PlanRefusedError } from '../../planner/index.ts';
import { DEFAULT_MODEL_DIR, modelText, readPreprocessing } from '../../planner/default-model.ts';
import { agreedConfidence, agreementShare, CALIBRATION_FILE, writeCalibration } from '../../planner/calibration/member-agreement.ts';
import { isEnsemble, loadAnyModel } from '../../planner/model/io.ts';
import { readSecondOpinion, secondOpinionVoter } from '../../planner/second-opinion/index.ts';
import { exampleToLists, planToLists, sameGraph } from '../../planner/metrics.ts';

/** One dev request as the calibration sees it. */
export interface DevPoint { right: boolean; confidence: number; share: number; unmatched: boolean }

/**
 * Whether a dev point is flagged at threshold `t` when `minShare` of the voters must agree (a clause
 * no worker does always flags).
 *
 * @example
 * flaggedAt({ right: true, confidence: 0.99, share: 1, unmatched: false }, 0.9) // false
 * flaggedAt({ right: true, confidence: 0.99, share: 2 / 3, unmatched: false }, 0.9, 2 / 3) // false
 */
export function flaggedAt(p: DevPoint, t: number, minShare = 1): boolean {
  return p.unmatched || agreedConfidence(p.confidence, p.share, t, minShare) < t;
}

/** The flag's bars: at least this share of wrong plans flagged, at most this share of right ones. */
export const FLAG_BARS = { wrong: 0.9, right: 0.1 } as const;

/** A calibration choice: the threshold and the least share of voters that must agree. */
export interface FlagChoice { threshold: number; minShare: number }

/**
 * The threshold, among 0, 1 and the midpoints of the points' confidences, and the voter share, all
 * voters or any majority share seen among the points, with the least shortfall from `FLAG_BARS`
 * (wrong points flagged below 0.9, plus right points flagged above 0.1). On a tie the stricter
 * share (all voters first), then the lowest threshold.
 *
 * @example
 * chooseCalibration(points) // { threshold: 0.93, minShare: 1 }
 */
export function chooseCalibration(points: readonly DevPoint[]): FlagChoice {
  const right = points.filter((p) => p.right), wrong = points.filter((p) => !p.right);
  const rate = (xs: readonly DevPoint[], t: number, m: number) => (xs.length === 0 ? 0 : xs.filter((p) => flaggedAt(p, t, m)).length / xs.length);
  // Midway between neighbouring confidences (and 0 and 1): no dev plan sits right on the threshold.
  const cs = [...new Set(points.map((p) => p.confidence))].sort((a, b) => a - b);
  const candidates = [0, ...cs.slice(1).map((c, i) => (cs[i] + c) / 2), 1];
  const shares = [1, ...[...new Set(points.map((p) => p.share))].filter((s) => s > 0.5 && s < 1).sort((a, b) => b - a)];
  let best: FlagChoice = { threshold: 0, minShare: 1 }, least = Infinity;
  for (const minShare of shares) {
    for (const t of candidates) {
      const shortfall = Math.max(0, FLAG_BARS.wrong - rate(wrong, t, minShare)) + Math.max(0, rate(right, t, minShare) - FLAG_BARS.right);
      if (shortfall < least - 1e-12) { best = { threshold: t, minShare }; least = shortfall; }
    }
  }
  return best;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, check: { type: 'string' }, 'members-only': { type: 'boolean' } } });
  const dir = values.dir ?? DEFAULT_MODEL_DIR;
  // Planned without any earlier calibration: its own confidence, then the votes of the check
  // models, or, for an ensemble with no check directory, of its own members (agreementShare, as planning counts them).
  if (existsSync(join(dir, CALIBRATION_FILE))) rmSync(join(dir, CALIBRATION_FILE));
  const model = loadAnyModel(dir);
  const check = values.check ?? (existsSync(join(dir, 'check')) || !isEnsemble(model) ? 'check' : undefined);
  // The second opinion saved next to the model votes too, unless --members-only.
  const opinion = values['members-only'] ? undefined : readSecondOpinion(dir);
  const shareOf = agreementShare(model, check, dir, undefined, opinion ? [secondOpinionVoter(opinion, model.catalog)] : []);
  const pre = readPreprocessing(dir);
  const points: DevPoint[] = [];
  // A request with a clause no worker does counts with the wrong plans: planned without a word
  // about that clause, it is a plan that silently does less than asked, which the flag must catch.
  for (const r of loadHandwritten().filter((x) => x.split === 'dev')) {
    try {
      const res = await planWithDetails(r.request, { llm: null, env: {}, modelDir: dir });
      const share = shareOf(modelText(r.request, pre), res.plan);
      points.push({ right: !r.unmatched && sameGraph(planToLists(res.plan), exampleToLists(r)), confidence: res.plan.confidence, share, unmatched: (res.unmatched ?? []).length > 0 });
    } catch (e) {
      if (!(e instanceof PlanRefusedError)) throw e;
    }
  }
  const { threshold, minShare } = chooseCalibration(points);
  const wrong = points.filter((p) => !p.right), right = points.filter((p) => p.right);
  const share = (xs: DevPoint[]) => (100 * xs.filter((p) => flaggedAt(p, threshold, minShare)).length / xs.length).toFixed(1);
  writeCalibration(dir, { method: 'member-agreement', threshold, ...(minShare < 1 ? { minShare } : {}), ...(check === undefined ? {} : { check }), ...(opinion ? { secondOpinionVotes: true } : {}), chosenOn: 'dev split of fixtures/planner/handwritten.jsonl: least shortfall from >= 90% of wrong plans (and requests with a clause no worker does) and <= 10% of right plans flagged' });
  console.log(`threshold ${threshold}, voters that must agree ${minShare.toFixed(3)}: dev wrong plans and requests with an undoable clause flagged ${share(wrong)}% (${wrong.length}), right plans flagged ${share(right)}% (${right.length}); wrote ${join(dir, CALIBRATION_FILE)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
