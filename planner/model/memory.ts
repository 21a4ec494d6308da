import type { Catalog, Example, StepText } from '../types.ts';
import type { FeatureConfig } from '../encode/features.ts';
import { TfIdfIndex, type Neighbour } from './text-index.ts';

export type { Neighbour } from './text-index.ts';

/** Word-level tf-idf for retrieval: exact words matter more here than character overlap. */
export const MEMORY_FEATURES: FeatureConfig = { dim: 1 << 16, wordBigrams: true, charNgrams: [], charWeight: 0 };

/**
 * The serialisable part: past instructions and their worker sequences and, when the examples had
 * them, each one's sub-task texts (absent in older models; see `StepMemory`).
 */
export interface MemoryData { requests: string[]; plans: string[][]; steps?: StepText[][] }

/**
 * Retrieval memory over past (instruction, plan) pairs: an inverted index for fast cosine search,
 * and the plans as catalog indices. The decoder adds what the nearest past plans did next as a prior
 * to its own scores, so the network learns when to follow precedent and when to depart from it.
 */
export class RetrievalMemory {
  readonly plans: number[][];
  private index: TfIdfIndex;
  /** The last search and its hits (see `neighbours`). */
  private last?: { text: string; exclude: number; hits: Neighbour[] };

  constructor(readonly data: MemoryData, catalog: Catalog, readonly k: number) {
    const index = new Map(catalog.tools.map((t, i) => [t.name, i]));
    // A past plan using a worker this catalog lacks cannot be followed: it is kept out of the index.
    const usable = data.plans.map((p) => p.every((n) => index.has(n)));
    this.plans = data.plans.map((p, i) => (usable[i] ? p.map((n) => index.get(n)!) : []));
    this.index = new TfIdfIndex(data.requests, MEMORY_FEATURES, (doc) => usable[doc]);
  }

  /**
   * The `k` most similar past instructions (cosine), best first; `exclude` leaves one document out
   * (training uses leave-one-out so the prior is as imperfect as it will be on new requests).
   *
   * @example
   * memory.neighbours('cancel my alarm') // [{ doc: 12, sim: 0.61 }, ...]
   */
  neighbours(text: string, exclude = -1): Neighbour[] {
    // The members of an ensemble share one memory (`SharedIndexes` in planner.ts) and each member's
    // vote searches the same instruction again: the last answer is kept for them. The hits are read, never changed.
    const last = this.last;
    if (last && last.text === text && last.exclude === exclude) return last.hits;
    const hits = this.index.search(text, this.k, exclude);
    this.last = { text, exclude, hits };
    return hits;
  }

  /**
   * Priors over the N tools + stop for the node after `prefix`: `next` = similarity-weighted share of
   * neighbours whose plan starts with `prefix` and continues with that tool (or stops there);
   * `set` = share of neighbours whose plan contains the tool anywhere.
   *
   * @example
   * const { next, set } = memory.priors(neigh, [3], N)
   */
  priors(neigh: readonly Neighbour[], prefix: readonly number[], N: number): { next: Float32Array; set: Float32Array } {
    const next = new Float32Array(N + 1), set = new Float32Array(N + 1);
    let total = 0;
    for (const { doc, sim } of neigh) {
      if (sim <= 0) continue;
      total += sim;
      const p = this.plans[doc];
      let match = p.length >= prefix.length;
      for (let i = 0; match && i < prefix.length; i++) if (p[i] !== prefix[i]) match = false;
      if (match) next[prefix.length < p.length ? p[prefix.length] : N] += sim;
      for (const tool of new Set(p)) set[tool] += sim;
    }
    if (total > 0) for (let j = 0; j <= N; j++) { next[j] /= total; set[j] /= total; }
    return { next, set };
  }
}

/**
 * Appends one example to memory data; sub-task texts are kept (aligned with the requests) once any
 * remembered example has them.
 *
 * @example
 * remember(memory, example); memory.requests.at(-1) === example.request
 */
export function remember(memory: MemoryData, e: Example): void {
  memory.requests.push(e.request);
  memory.plans.push([...e.nodes]);
  if (memory.steps || e.steps?.length) {
    memory.steps ??= memory.plans.slice(0, -1).map(() => []);
    memory.steps.push((e.steps ?? []).map((s) => ({ ...s })));
  }
}

/**
 * Memory data from examples (request + worker sequence).
 *
 * @example
 * memoryFromExamples(trainExamples)
 */
export function memoryFromExamples(examples: readonly Example[]): MemoryData {
  const memory: MemoryData = { requests: [], plans: [] };
  for (const e of examples) remember(memory, e);
  return memory;
}
