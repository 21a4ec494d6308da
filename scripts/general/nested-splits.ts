/**
 * The nested development splits of the general planner, shared by the scripts that read them:
 * inside UltraTool's seen side (official training requests whose plans use none of the 52 tools
 * bench/planner-zero-shot.ts holds out), 20% of the seen tools held out again per seed, a model
 * fitted on the rest (10% of it as dev), and the inner held-out requests split into 20 kept for
 * few-shot work and the rest to score. The outer held-out tools and requests are never read.
 */
import { resolve } from 'node:path';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { carveDevSplit, holdOutTools, shuffled } from '../../planner/data/split.ts';
import { fitGeneralModel, type GeneralModel } from '../../planner/general/index.ts';
import type { Catalog, Example } from '../../planner/types.ts';

/** One nested split: the model fitted without the inner held-out tools, and what to plan with it. */
export interface NestedSplit {
  seed: number;
  model: GeneralModel;
  /** The seen side's catalog, in which the inner held-out tools are new to `model`. */
  catalog: Catalog;
  /** The inner held-out tools. */
  novel: ReadonlySet<string>;
  /** The 20 inner held-out requests kept for few-shot memory, and the ones scored. */
  few: Example[];
  scored: Example[];
}

/** The default seeds of the nested protocol. */
export const NESTED_SEEDS = [7, 11, 13, 17, 19];

/**
 * Yields one fitted split per seed (each fit takes a few seconds).
 *
 * @example
 * for (const split of nestedSplits('../shared/data/ultratool', [7])) console.log(split.scored.length);
 */
export function* nestedSplits(dataDir: string, seeds: readonly number[] = NESTED_SEEDS): Generator<NestedSplit> {
  const data = loadUltraTool(resolve(dataDir));
  const outer = holdOutTools(data.catalog, data.examples, 0.2, 42);
  const official = new Set(data.trainIds);
  const seenTrain = outer.seenExamples.filter((e) => official.has(e.id));
  for (const seed of seeds) {
    const inner = holdOutTools(outer.seenCatalog, seenTrain, 0.2, seed);
    const byId = new Map(inner.seenExamples.map((e) => [e.id, e]));
    const { train, dev } = carveDevSplit(inner.seenExamples.map((e) => e.id), 0.1, seed);
    const held = shuffled(inner.heldOutExamples, seed);
    // Fitted over the inner seen tools, planned over all seen tools (the inner held-out ones are new to it).
    const model = fitGeneralModel(train.map((i) => byId.get(i)!), inner.seenCatalog, { dev: dev.map((i) => byId.get(i)!) });
    yield { seed, model, catalog: outer.seenCatalog, novel: new Set(inner.heldOutTools), few: held.slice(0, 20), scored: held.slice(20) };
  }
}
