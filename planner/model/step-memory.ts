import type { Catalog } from '../types.ts';
import type { MemoryData } from './memory.ts';
import { MEMORY_FEATURES } from './memory.ts';
import { TfIdfIndex } from './text-index.ts';

/** Past sub-task texts consulted per clause. */
export const STEP_MEMORY_K = 10;

/**
 * Memory of past sub-task texts ("cancel the alarm set for 8:00 AM today" -> clock_alarm_cancel):
 * for a clause of a new instruction, the workers of the most similar past sub-tasks. Why: the
 * sub-task-text head generalises across wordings but blurs rare, specific phrasings that a
 * past sub-task matches word for word; the two views err differently, so their mix names a
 * clause's worker better than either (see `DecodeOptions.stepMemoryWeight`).
 *
 * @example
 * const steps = new StepMemory(model.memory, catalog); steps.workers('cancel my 8am alarm') // Float32Array over the catalog
 */
export class StepMemory {
  private workerOf: number[] = [];
  private index: TfIdfIndex;

  constructor(memory: MemoryData, private catalog: Catalog, readonly k = STEP_MEMORY_K) {
    const at = new Map(catalog.tools.map((t, i) => [t.name, i]));
    const texts: string[] = [];
    // Sub-tasks whose worker this catalog lacks cannot be proposed: they are left out.
    for (const steps of memory.steps ?? []) for (const s of steps) {
      const w = at.get(s.worker);
      if (w === undefined) continue;
      texts.push(s.text);
      this.workerOf.push(w);
    }
    this.index = new TfIdfIndex(texts, MEMORY_FEATURES);
  }

  /** Number of sub-task texts remembered. */
  get size(): number { return this.workerOf.length; }

  /**
   * P(worker | clause) by a similarity-weighted vote of the `k` nearest past sub-task texts, or
   * undefined when none shares a word with the clause.
   *
   * @example
   * steps.workers('book a table for two tonight')?.[catalogIndex('restaurant_booking')]
   */
  workers(clause: string): Float32Array | undefined {
    const out = new Float32Array(this.catalog.tools.length);
    let total = 0;
    for (const { doc, sim } of this.index.search(clause, this.k)) {
      if (sim <= 0) continue;
      out[this.workerOf[doc]] += sim;
      total += sim;
    }
    if (total === 0) return undefined;
    for (let j = 0; j < out.length; j++) out[j] /= total;
    return out;
  }
}
