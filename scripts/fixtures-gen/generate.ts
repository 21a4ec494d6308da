/**
 * Writes the default-catalog training set: `fixtures/planner/{train,dev,test}.jsonl`, one
 * `{ id, request, nodes, links }` per line (nodes in execution order), plus `manifest.json`.
 *
 * Run: `node --import tsx scripts/fixtures-gen/generate.ts [--seed 20261121] [--count 16000] [--out fixtures/planner]`
 * Same seed, same bytes: the files are committed and a test re-generates them to check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from './rng.ts';
import { drawScenario, type Sample } from './scenarios.ts';

export const DEFAULT_SEED = 20261121;
export const DEFAULT_COUNT = 16000;

export interface GeneratedSet {
  train: Sample[];
  dev: Sample[];
  test: Sample[];
}

/**
 * Draws `count` distinct requests and splits them 80/10/10.
 *
 * @example
 * const { train, dev, test } = generateFixtures(1, 100); // 80 / 10 / 10 samples
 */
export function generateFixtures(seed = DEFAULT_SEED, count = DEFAULT_COUNT): GeneratedSet {
  const rng = createRng(seed);
  const seen = new Set<string>();
  const samples: Sample[] = [];
  let attempts = 0;
  while (samples.length < count) {
    if (++attempts > count * 50) throw new Error(`only ${samples.length} distinct requests after ${attempts} draws; the grammar is too small for ${count}`);
    const s = drawScenario(rng);
    const key = s.request.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    samples.push(s);
  }
  const shuffled = rng.shuffle(samples);
  const nDev = Math.round(count * 0.1);
  const nTest = Math.round(count * 0.1);
  return {
    dev: shuffled.slice(0, nDev),
    test: shuffled.slice(nDev, nDev + nTest),
    train: shuffled.slice(nDev + nTest),
  };
}

/** The JSONL text of a split, ids `<split>-<0000>`.
 *
 * @example
 * toJsonl('dev', set.dev) // '{"id":"dev-0000",...}\n...'
 */
export function toJsonl(split: string, samples: readonly Sample[]): string {
  return samples
    .map((s, i) => JSON.stringify({ id: `${split}-${String(i).padStart(4, '0')}`, request: s.request, nodes: s.nodes, links: s.links, ...(s.unmatched ? { unmatched: s.unmatched } : {}) }))
    .join('\n') + '\n';
}

function manifest(seed: number, set: GeneratedSet): object {
  const all = [...set.train, ...set.dev, ...set.test];
  const families: Record<string, number> = {};
  for (const s of all) families[s.family] = (families[s.family] ?? 0) + 1;
  const parallel = all.filter((s) => {
    const out = new Map<string, number>();
    const inn = new Map<string, number>();
    for (const l of s.links) {
      out.set(l.source, (out.get(l.source) ?? 0) + 1);
      inn.set(l.target, (inn.get(l.target) ?? 0) + 1);
    }
    return [...out.values(), ...inn.values()].some((n) => n > 1);
  }).length;
  const sizes: Record<string, number> = {};
  for (const s of all) sizes[s.nodes.length] = (sizes[s.nodes.length] ?? 0) + 1;
  return {
    generator: 'scripts/fixtures-gen/generate.ts',
    seed,
    counts: { train: set.train.length, dev: set.dev.length, test: set.test.length },
    withParallelBranches: parallel,
    nodesPerPlan: sizes,
    families: Object.fromEntries(Object.entries(families).sort()),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { seed: { type: 'string' }, count: { type: 'string' }, out: { type: 'string' } },
  });
  const seed = values.seed ? Number(values.seed) : DEFAULT_SEED;
  const count = values.count ? Number(values.count) : DEFAULT_COUNT;
  const out = values.out ?? 'fixtures/planner';
  const set = generateFixtures(seed, count);
  mkdirSync(out, { recursive: true });
  for (const split of ['train', 'dev', 'test'] as const) writeFileSync(join(out, `${split}.jsonl`), toJsonl(split, set[split]));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest(seed, set), null, 2) + '\n');
  console.log(JSON.stringify(manifest(seed, set)));
}
