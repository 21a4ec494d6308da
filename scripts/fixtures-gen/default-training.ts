/**
 * Pieces shared by the default planner's training scripts (train-default.ts, pool-default.ts) and
 * their tests: the rounded figures of metrics.json, and the remembered requests without the
 * sentences the generator marks as something no worker does.
 */
import { readFileSync } from 'node:fs';
import { parseJsonLines } from '../../planner/data/jsonl.ts';
import type { Evaluation } from '../../planner/eval.ts';
import type { MemoryData } from '../../planner/model/memory.ts';
import type { Example } from '../../planner/types.ts';

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
