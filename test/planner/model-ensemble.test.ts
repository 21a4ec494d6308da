import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainEnsemble, trainSchedule, type EpochInfo } from '../../planner/train.ts';
import { evaluate, planProblem } from '../../planner/eval.ts';
import { buildEnsemble, ensembleScorer, type EnsembleModel } from '../../planner/model/ensemble.ts';
import { saveEnsemble, loadEnsemble } from '../../planner/model/io.ts';
import type { StepScorer } from '../../planner/decode/beam.ts';
import type { FeatureConfig } from '../../planner/encode/features.ts';
import { syntheticCatalog, syntheticExamples } from '../../planner/data/synthetic.ts';

const SMALL: FeatureConfig = { dim: 2048, wordBigrams: true, charNgrams: [3], charWeight: 0.5 };
const catalog = syntheticCatalog();
const trainEx = syntheticExamples(160, 21);
const devEx = syntheticExamples(30, 22);
const testEx = syntheticExamples(40, 23);
let ens: EnsembleModel;

const fixed = (logits: number[], dep: number): StepScorer => ({ nTools: logits.length - 1, stepLogits: () => Float32Array.from(logits), dependencyProb: () => dep });

test('ensembleScorer: pools log-probabilities or probabilities, adds the stop offset, averages dependencies', () => {
  const a = fixed([Math.log(0.7), Math.log(0.2), Math.log(0.1)], 0.9);
  const b = fixed([Math.log(0.1), Math.log(0.6), Math.log(0.3)], 0.3);
  const lp = ensembleScorer([a, b], 'logprob', 0).stepLogits([]);
  assert.ok(Math.abs(lp[0] - (Math.log(0.7) + Math.log(0.1)) / 2) < 1e-5, `logprob pooling ${lp[0]}`);
  const pr = ensembleScorer([a, b], 'prob', 0.5).stepLogits([]);
  assert.ok(Math.abs(pr[1] - Math.log(0.4)) < 1e-5, `prob pooling ${pr[1]}`);
  assert.ok(Math.abs(pr[2] - (Math.log(0.2) + 0.5)) < 1e-5, `stop offset ${pr[2]}`);
  assert.ok(Math.abs(ensembleScorer([a, b], 'logprob', 0).dependencyProb(0, 0, 1, 1) - 0.6) < 1e-9);
});

test('ensembleScorer: clause distributions are averaged over the members that have them, and computed once', () => {
  let calls = 0;
  const withClauses = (qs: number[][]): StepScorer => ({ ...fixed([0, 0, 0], 0.5), clauseProbs: () => { calls++; return qs.map((q) => Float32Array.from(q)); } });
  const pooled = ensembleScorer([withClauses([[0.8, 0.2], [0.1, 0.9]]), fixed([0, 0, 0], 0.5), withClauses([[0.4, 0.6], [0.3, 0.7]])], 'prob', 0);
  const qs = pooled.clauseProbs!();
  assert.equal(qs.map((q) => Array.from(q, (v) => Number(v.toFixed(5)))), [[0.6, 0.4], [0.2, 0.8]]);
  pooled.clauseProbs!();
  assert.is(calls, 2, 'each member scored its clauses once');
  assert.is(ensembleScorer([fixed([0, 0, 0], 0.5)], 'prob', 0).clauseProbs, undefined);
});

test('trainEnsemble: members differ by seed, plans are valid DAGs and score on the synthetic domain', async () => {
  ens = await trainEnsemble(trainEx, catalog, { features: SMALL, hidden: 24, epochs: 6, batchSize: 16, learningRate: 0.01, dev: devEx, seed: 7, members: 2 });
  assert.is(ens.members.length, 2);
  assert.not.equal(Array.from(ens.members[0].weights.Wq.data.slice(0, 8)), Array.from(ens.members[1].weights.Wq.data.slice(0, 8)));
  const ev = evaluate((s) => ens.plan(s), testEx, catalog);
  assert.is(ev.invalidPlans, 0);
  assert.ok(ev.nodeF1 > 0.8, `node F1 ${ev.nodeF1}`);
  for (const e of testEx) assert.is(planProblem(ens.plan(e.request), catalog), undefined);
  assert.ok(ens.threshold >= 0 && ens.threshold <= 1);
});

test('trainEnsemble: members trained on worker threads are bit-identical to members trained one after another here', async () => {
  const here = await trainEnsemble(trainEx, catalog, { features: SMALL, hidden: 24, epochs: 6, batchSize: 16, learningRate: 0.01, dev: devEx, seed: 7, members: 2, workers: 1 });
  const threaded = await trainEnsemble(trainEx, catalog, { features: SMALL, hidden: 24, epochs: 6, batchSize: 16, learningRate: 0.01, dev: devEx, seed: 7, members: 2, workers: 2 });
  here.members.forEach((m, k) => {
    for (const [name, w] of Object.entries(m.weights)) assert.ok(Buffer.from(w.data.buffer).equals(Buffer.from(threaded.members[k].weights[name].data.buffer)), `member ${k + 1} ${name}`);
    assert.equal(m.decode, threaded.members[k].decode);
  });
  assert.equal(here.decode, threaded.decode);
});

test('an ensemble of one model plans exactly like that model', () => {
  const m = ens.members[0];
  // Each member keeps its own calibrated stop offset; the ensemble's offset (0 here) comes on top.
  const one = buildEnsemble([m]);
  for (const e of testEx.slice(0, 15)) {
    const a = one.plan(e.request), b = m.plan(e.request);
    assert.equal(a.nodes.map((n) => [n.worker, n.dependsOn]), b.nodes.map((n) => [n.worker, n.dependsOn]));
    assert.ok(Math.abs(a.confidence - b.confidence) < 1e-4, `${a.confidence} vs ${b.confidence}`);
  }
});

test('saveEnsemble/loadEnsemble: int8 round trip keeps the plans; another catalog is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ens-test-'));
  try {
    const { bytes } = saveEnsemble(ens, dir);
    assert.ok(bytes > 0);
    const back = loadEnsemble(dir, catalog);
    assert.is(back.combine, ens.combine);
    assert.equal(back.decode, ens.decode);
    let same = 0;
    for (const e of testEx) if (JSON.stringify(back.plan(e.request).nodes.map((n) => n.worker)) === JSON.stringify(ens.plan(e.request).nodes.map((n) => n.worker))) same++;
    assert.ok(same >= 0.95 * testEx.length, `${same}/${testEx.length} plans unchanged by int8 storage`);
    // The members remember the same examples: one memory index serves them all, and an instruction
    // searched by one member (a vote) is not searched again by the next.
    const [first, second] = back.members;
    assert.ok(first.retrieval, 'the members have a retrieval memory');
    assert.ok(back.members.every((m) => m.retrieval === first.retrieval), 'one retrieval memory for all members');
    const q = testEx[0].request;
    assert.is(second.retrieval!.neighbours(q), first.retrieval!.neighbours(q));
    assert.equal(first.retrieval!.neighbours(q), ens.members[1].retrieval!.neighbours(q), 'the same hits as an unshared memory');
    assert.is.not(first.retrieval!.neighbours(q, 0), first.retrieval!.neighbours(q), 'another exclusion is another search');
    const other = { ...catalog, tools: catalog.tools.slice(1) };
    assert.throws(() => loadEnsemble(dir, other), (e: Error) => e.message.includes(dir) && e.message.includes('tools only in the model'));
    // Hand-edited decode options are refused with the file and the field named, not decoded as they are.
    const file = join(dir, 'ensemble.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...saved, decode: { ...saved.decode, minLeafProb: 2 } }));
    assert.throws(() => loadEnsemble(dir, catalog), (e: Error) => e.message === `${file}: field "decode.minLeafProb" must be a number from 0 to 1, got 2`);
    writeFileSync(file, JSON.stringify({ ...saved, decode: { ...saved.decode, linkByType: 'yes' } }));
    assert.throws(() => loadEnsemble(dir, catalog), (e: Error) => e.message === `${file}: field "decode.linkByType" must be true or false, got "yes"`);
    const members = saved.members.map((m: any, k: number) => (k === 1 ? { ...m, decode: { ...m.decode, beamWidth: '4' } } : m));
    writeFileSync(file, JSON.stringify({ ...saved, members }));
    assert.throws(() => loadEnsemble(dir, catalog), (e: Error) => e.message === `${file}: field "members[1].decode.beamWidth" must be a whole number >= 1, got "4"`);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('saveEnsemble: arrays equal across members (the idf table, a shared int8 table) are stored once, and load back per member', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ens-dedup-'));
  try {
    const [a, b] = ens.members;
    // Give both members one int8-stored table that is equal between them, as word vectors are.
    const shared = { shape: [64, 8], data: Float32Array.from({ length: 512 }, (_, i) => Math.sin(i)) };
    const withTable = (m: typeof a) => ({ ...m, weights: { ...m.weights, wordVec: { shape: shared.shape, data: shared.data.slice() } } });
    const two = buildEnsemble([withTable(a), withTable(b)], { combine: ens.combine, decode: ens.decode, threshold: ens.threshold });
    saveEnsemble(two, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'ensemble.json'), 'utf8'));
    const entry = (k: number, name: string) => manifest.members[k].weights.find((w: any) => w.name === name);
    assert.equal(manifest.members[1].idf.offset, manifest.members[0].idf.offset);
    assert.is(entry(1, 'wordVec').offset, entry(0, 'wordVec').offset);
    assert.is(entry(1, 'wordVec').scaleOffset, entry(0, 'wordVec').scaleOffset);
    assert.is.not(entry(1, 'W1').offset, entry(0, 'W1').offset, 'trained weights differ, so each member keeps its own');
    const floats = (m: typeof a) => m.idf.length + Object.values(m.weights).reduce((n, w) => n + w.data.length, 0);
    const bin = statSync(join(dir, 'weights.bin')).size;
    assert.ok(bin < 4 * (floats(a) + floats(b)), `${bin} bytes stored`);
    const back = loadEnsemble(dir, catalog);
    back.members[0].weights.wordVec.data[0] = 99;
    assert.ok(Math.abs(back.members[1].weights.wordVec.data[0] - shared.data[0]) < 0.01, 'members do not share a mutable array');
    assert.equal(back.members[1].idf, a.idf);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('trainSchedule: keeps the best epoch and the decays before it', () => {
  const info = (epoch: number, best: boolean): EpochInfo => ({ epoch, of: 40, best, loss: 1, ms: 1 });
  assert.equal(trainSchedule([info(1, true), info(2, false), info(3, true), info(4, false), info(5, false)]), { epochs: 3, decayAfter: [2] });
  assert.equal(trainSchedule([info(1, true)]), { epochs: 1, decayAfter: [] });
});

test('trainEnsemble with refit: members retrain on train + dev for the epochs dev chose, keeping the dev-chosen decoding', async () => {
  const epochs: Record<string, EpochInfo[]> = {};
  const refit = await trainEnsemble(trainEx, catalog, {
    features: SMALL, hidden: 24, epochs: 6, batchSize: 16, learningRate: 0.01, dev: devEx, seed: 7, members: 2, refit: true, workers: 2,
    onEpoch: (i) => { (epochs[`${i.member}${i.refit ? ' refit' : ''}`] ??= []).push(i); },
  });
  // Same seeds and dev run as the plain ensemble above: the same decoding choice, now over refitted members.
  assert.equal(refit.decode, ens.decode);
  assert.is(refit.threshold, ens.threshold);
  refit.members.forEach((m, k) => {
    const remembered = new Set(m.memory.requests);
    assert.ok(devEx.every((e) => remembered.has(e.request)), 'a refitted member remembers the dev requests too');
    assert.ok(!devEx.every((e) => new Set(ens.members[k].memory.requests).has(e.request)), 'the dev-run member did not');
    assert.is(m.decode.stopOffset, ens.members[k].decode.stopOffset);
    assert.not.equal(Array.from(m.weights.Wq.data.slice(0, 8)), Array.from(ens.members[k].weights.Wq.data.slice(0, 8)));
  });
  assert.ok(epochs['0'].length >= 1 && epochs['1'].length >= 1, 'both dev runs reported their epochs');
  // A refit replays its dev run's best epoch count, without dev.
  for (const k of ['0', '1']) assert.is(epochs[`${k} refit`].length, trainSchedule(epochs[k]).epochs, `member ${k} refit epochs`);
  // Progress reports count a dev run against its epoch limit and a refit against its replayed schedule.
  for (const k of ['0', '1']) assert.equal([epochs[k][0].of, epochs[`${k} refit`][0].of], [6, trainSchedule(epochs[k]).epochs]);
  const ev = evaluate((s) => refit.plan(s), testEx, catalog);
  assert.is(ev.invalidPlans, 0);
  assert.ok(ev.nodeF1 > 0.8, `node F1 ${ev.nodeF1}`);
});

test('train: a replayed schedule and a dev split together are refused', async () => {
  const { train } = await import('../../planner/train.ts');
  try {
    await train(trainEx.slice(0, 20), catalog, { features: SMALL, hidden: 8, dev: devEx, schedule: { epochs: 1, decayAfter: [] } });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.match((e as Error).message, /schedule and a dev split are exclusive/);
  }
});

test('buildEnsemble: no members, or members of different catalogs, are clear errors', () => {
  assert.throws(() => buildEnsemble([]), /no member models/);
  const stranger = { ...ens.members[1], fingerprint: 'sha256:other' };
  assert.throws(() => buildEnsemble([ens.members[0], stranger]), /member 2 was trained for another catalog/);
});

test.run();
