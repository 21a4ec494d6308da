import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Plan } from '../types.ts';
import { finishPlan } from '../finish.ts';
import type { DecodeOptions } from '../decode/beam.ts';
import type { PlannerModel } from '../model/planner.ts';
import { isEnsemble, loadAnyModel, type AnyPlannerModel } from '../model/io.ts';
import { readJsonFile } from '../data/json-file.ts';

/**
 * Member agreement: a plan is trusted only when independently trained models (an ensemble's
 * members, or check models saved next to a single model), each planning on its own, arrive at the
 * same DAG. The model's own probability is high on many wrong plans of unfamiliar wording and low
 * on many right ones; a model trained from another seed that plans something else is direct
 * evidence that the wording is outside what training pinned down. Measured on the dev split of
 * fixtures/planner/handwritten.jsonl (bench/planner-handwritten.ts).
 */

/** `calibration.json` in a model directory: how the saved ensemble's confidence is recomputed. */
export const CALIBRATION_FILE = 'calibration.json';

/** The saved calibration. */
export interface MemberAgreementCalibration {
  method: 'member-agreement';
  /** Plans whose recomputed confidence is below this are flagged low-confidence. */
  threshold: number;
  /**
   * The least share of voters that must plan the same DAG for the plan to keep its own confidence;
   * below it the confidence is capped under the threshold (`agreedConfidence`). Absent: 1, every
   * voter. A majority (2 of 3) flags fewer right plans at the same wrong ones on real wording.
   */
  minShare?: number;
  /**
   * A subdirectory holding the check models (a model or an ensemble, trained like the main one
   * from other seeds). Absent: the main model must be an ensemble, and its members are the voters.
   */
  check?: string;
  /**
   * Whether the second opinion saved next to the model (`second-opinion.json`) votes too, as one
   * more voter (see `secondOpinionVoter`). The threshold and share were chosen with it voting or
   * not, so the file says which.
   */
  secondOpinionVotes?: boolean;
  /** Where the threshold was chosen, for whoever reads the file. */
  chosenOn?: string;
}

/**
 * The calibration saved in `dir`, or undefined when there is none.
 *
 * @example
 * readCalibration('fixtures/planner/model') // { method: 'member-agreement', threshold: 0.9 }
 */
export function readCalibration(dir: string): MemberAgreementCalibration | undefined {
  const file = join(dir, CALIBRATION_FILE);
  if (!existsSync(file)) return undefined;
  const value = readJsonFile(file);
  if (value?.method !== 'member-agreement') throw new Error(`${file}: field "method" must be "member-agreement", got ${JSON.stringify(value?.method)}`);
  if (typeof value.threshold !== 'number' || !(value.threshold >= 0 && value.threshold <= 1)) throw new Error(`${file}: field "threshold" must be a number in [0, 1]`);
  if (value.minShare !== undefined && (typeof value.minShare !== 'number' || !(value.minShare > 0 && value.minShare <= 1))) throw new Error(`${file}: field "minShare" must be a number in (0, 1]`);
  if (value.secondOpinionVotes !== undefined && typeof value.secondOpinionVotes !== 'boolean') throw new Error(`${file}: field "secondOpinionVotes" must be true or false`);
  if (value.check !== undefined && (typeof value.check !== 'string' || !/^[\w.-]+$/.test(value.check) || value.check.startsWith('.'))) throw new Error(`${file}: field "check" must name a subdirectory of ${dir}`);
  return {
    method: 'member-agreement', threshold: value.threshold,
    ...(value.minShare !== undefined ? { minShare: value.minShare } : {}),
    ...(value.check !== undefined ? { check: value.check } : {}),
    ...(value.secondOpinionVotes !== undefined ? { secondOpinionVotes: value.secondOpinionVotes } : {}),
    ...(typeof value.chosenOn === 'string' ? { chosenOn: value.chosenOn } : {}),
  };
}

/**
 * Saves a calibration next to a model.
 *
 * @example
 * writeCalibration('models/ens', { method: 'member-agreement', threshold: 0.9 })
 */
export function writeCalibration(dir: string, c: MemberAgreementCalibration): void {
  writeFileSync(join(dir, CALIBRATION_FILE), JSON.stringify(c, null, 2) + '\n');
}

/** A plan as a comparable key: its workers (with repeats) and its hand-offs by worker name. */
export function graphKey(plan: Plan): string {
  const worker = new Map(plan.nodes.map((n) => [n.id, n.worker]));
  const nodes = plan.nodes.map((n) => n.worker).sort();
  const links = plan.nodes.flatMap((n) => n.dependsOn.map((d) => `${worker.get(d)}>${n.worker}`)).sort();
  return `${nodes.join(',')}|${[...new Set(links)].join(',')}`;
}

/**
 * The share of voters whose own plan for `instruction` (decoded with `overrides`) is the DAG `plan`
 * (same workers, same hand-offs), each compared as `finish` leaves it. Voters plan one after another
 * and the count stops once `enough` of them agree (the share is then `enough` / voters): planning
 * needs the exact share only when it falls short, and each voter's plan is a beam search of its own.
 *
 * @example
 * agreement([a, b], 'Summarise file.md', a.plan('Summarise file.md')) // 1 when b plans the same
 * agreement([a, b], 'Chart data.csv', pooled, { linkByType: true }) // each voter re-linked by type first
 */
export function agreement(voters: readonly Voter[], instruction: string, plan: Plan, overrides?: Partial<DecodeOptions>, enough = voters.length, finish: (p: Plan) => Plan = (p) => p): number {
  const key = graphKey(plan);
  // Finished only when a voter's raw plan differs: the same plan finishes the same way, and most votes agree raw.
  let finishedKey: string | undefined;
  const same = (p: Plan) => graphKey(p) === key || graphKey(finish(p)) === (finishedKey ??= graphKey(finish(plan)));
  let agree = 0;
  for (const m of voters) {
    if (same(m.plan(instruction, overrides)) && ++agree >= enough) break;
  }
  return agree / voters.length;
}

/**
 * A plan as it would run from `instruction` alone (`finishPlan`: declined steps and steps no input
 * reaches dropped), for comparing votes. Members that add a read of a document a CSV request never
 * names, or a chart the request declines, plan the same work as the pooled plan once that step is
 * dropped; compared raw, they flagged 5 right dev plans of the hand-written set and no wrong one
 * (2026-12-06). `instruction` is the text the model reads (paths masked to their kind, long quotes to
 * one placeholder): on the 2,506 hand-written requests it finishes 5,012 member plans exactly as
 * the instruction as written does. A run input given apart from the instruction (`run --input`)
 * does not change how votes compare.
 */
const finishedFrom = (instruction: string, catalog: Catalog) => (p: Plan): Plan => finishPlan(p, instruction, catalog).plan;

/**
 * The confidence of a plan given its voters' agreement: unchanged when at least `minShare` of them
 * agree (all, by default); else capped below the threshold and scaled by the share that agrees, so
 * a plan one voter of three doubts stays above one that only one voter makes.
 *
 * @example
 * agreedConfidence(0.99, 2 / 3, 0.9) // 0.6
 * agreedConfidence(0.99, 2 / 3, 0.9, 2 / 3) // 0.99
 */
export function agreedConfidence(confidence: number, share: number, threshold: number, minShare = 1): number {
  // The tolerance absorbs float rounding of k / n shares (2 / 3 computed two ways).
  if (share >= minShare - 1e-9) return confidence;
  return Math.min(confidence, threshold) * share * (1 - 1e-9);
}

/** The models of a directory that vote: an ensemble's members, or the one model. */
const votersOf = (m: AnyPlannerModel): PlannerModel[] => (isEnsemble(m) ? m.members : [m]);

/** Anything that votes by planning: a member, a check model, the second opinion. */
export type Voter = Pick<PlannerModel, 'plan'>;

/**
 * How many of a model's voters plan as it did, as a share: the check models of `dir`/`check` with
 * the model itself, or, with no check directory, the model's own members (it must then be an
 * ensemble; its pooled plan is no vote of its own), then `others` (the second opinion). With
 * `minShare`, counting stops once that share is reached (see `agreement`): what planning needs; the
 * calibration, which compares shares, passes none.
 *
 * @example
 * const share = agreementShare(model, undefined, dir); share('Summarise a.md', plan) // 1 when all members agree
 * agreementShare(model, undefined, dir, 0.6)('Summarise a.md', plan) // 0.6 once 3 of 5 members agree
 */
export function agreementShare(model: AnyPlannerModel, check: string | undefined, dir: string, minShare?: number, others: readonly Voter[] = []): (instruction: string, plan: Plan) => number {
  if (check === undefined && !isEnsemble(model)) throw new Error(`${join(dir, CALIBRATION_FILE)}: member agreement without a "check" directory needs an ensemble, but ${dir} holds a single model`);
  const self = isEnsemble(model) ? 0 : 1;
  // The cheap second opinion asks first: counting stops once enough agree.
  const voters: Voter[] = [...others, ...(isEnsemble(model) ? model.members : []), ...(check !== undefined ? votersOf(loadAnyModel(join(dir, check), model.catalog)) : [])];
  // Voters link their steps as the model does: a member that plans the same steps but links them
  // as decoded, where the model re-links by type, plans the same work (it flagged every plan the
  // type links had fixed).
  const linking = isEnsemble(model) && model.decode.linkByType ? { linkByType: true } : undefined;
  // The least number of voters whose agreement reaches minShare (the tolerance as in agreedConfidence).
  const enough = minShare === undefined ? voters.length : Math.max(1, Math.ceil((minShare - 1e-9) * (self + voters.length)) - self);
  return (instruction, plan) => (self + voters.length * agreement(voters, instruction, plan, linking, enough, finishedFrom(instruction, model.catalog))) / (self + voters.length);
}

/**
 * The model with member agreement folded into each plan's confidence (see `agreementShare`), and
 * the calibration's threshold.
 *
 * @example
 * const model = withMemberAgreement(loadAnyModel(dir), readCalibration(dir)!, dir); model.plan('...').lowConfidence
 * withMemberAgreement(model, c, dir, [secondOpinionVoter(readSecondOpinion(dir)!, model.catalog)]) // the head votes too
 */
export function withMemberAgreement<M extends AnyPlannerModel>(model: M, c: MemberAgreementCalibration, dir: string, others: readonly Voter[] = []): M {
  const share = agreementShare(model, c.check, dir, c.minShare ?? 1, others);
  const base = model.plan.bind(model);
  return {
    ...model,
    threshold: c.threshold,
    plan(instruction: string, overrides?: Partial<DecodeOptions>): Plan {
      const first = base(instruction, overrides);
      const confidence = agreedConfidence(first.confidence, share(instruction, first), c.threshold, c.minShare);
      return { ...first, confidence, lowConfidence: confidence < c.threshold };
    },
  };
}
