import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, adaptModel, calibrateEnsemble, ENSEMBLE_COVERAGE_WEIGHT, ENSEMBLE_MBR_NODE_WEIGHT, ENSEMBLE_STEP_MEMORY_WEIGHT } from '../../planner/train.ts';
import { buildEnsemble } from '../../planner/model/ensemble.ts';
import { evaluate, planProblem } from '../../planner/eval.ts';
import { saveModel, loadModel } from '../../planner/model/io.ts';
import { buildModel, type PlannerModel } from '../../planner/model/planner.ts';
import { initWeights, type ModelConfig } from '../../planner/model/params.ts';
import { initTf } from '../../planner/model/backend.ts';
import { denseGradients } from '../../planner/train/run.ts';
import type { Optimizer } from '@tensorflow/tfjs';
import { toolEmbeddings, encodeInstructions, batchLoss } from '../../planner/model/network.ts';
import { fastMatMul } from '../../planner/model/matmul.ts';
import { sparseTimesDense } from '../../planner/model/sparse.ts';
import { toolGraph, toolText } from '../../planner/model/graph.ts';
import { featurize, fitIdf, tokenFeatures, words, type FeatureConfig } from '../../planner/encode/features.ts';
import { syntheticCatalog, syntheticExamples } from '../../planner/data/synthetic.ts';
import type { Catalog, Example } from '../../planner/types.ts';
import { WordVectorIndex, wordIdf, type WordVectorTable } from '../../planner/encode/word-vectors.ts';
import { seededRandom } from '../../planner/data/split.ts';
import { splitClauses } from '../../planner/encode/clauses.ts';

const SMALL: FeatureConfig = { dim: 2048, wordBigrams: true, charNgrams: [3], charWeight: 0.5 };
const catalog = syntheticCatalog();
const trainEx = syntheticExamples(240, 11);
const devEx = syntheticExamples(40, 12);
const testEx = syntheticExamples(60, 13);
let model: PlannerModel;

test('train: learns the synthetic domain well above an untrained model and reports each epoch', async () => {
  const epochs: number[] = [];
  model = await train(trainEx, catalog, { features: SMALL, hidden: 32, epochs: 12, batchSize: 16, learningRate: 0.01, dev: devEx, seed: 3, onEpoch: (i) => epochs.push(i.loss) });
  assert.ok(epochs.length >= 3, `epochs ${epochs.length}`);
  assert.ok(epochs[epochs.length - 1] < epochs[0], `loss did not fall: ${epochs.join(', ')}`);
  const ev = evaluate(model, testEx, catalog);
  const untrained = buildModel({ ...model, weights: initWeights(model.config, catalog.tools.length, 3) });
  const ev0 = evaluate(untrained, testEx, catalog);
  assert.is(ev.invalidPlans, 0);
  assert.ok(ev.nodeF1 > 0.85, `node F1 ${ev.nodeF1}`);
  assert.ok(ev.accuracy > 0.7, `accuracy ${ev.accuracy}`);
  assert.ok(ev.nodeF1 > ev0.nodeF1 + 0.3, `trained ${ev.nodeF1} vs untrained ${ev0.nodeF1}`);
  assert.is(ev.lh1, 0);
  assert.ok(model.threshold >= 0 && model.threshold <= 1);
});

test('train: same seed, same model', async () => {
  const a = await train(trainEx.slice(0, 60), catalog, { features: SMALL, hidden: 16, epochs: 2, seed: 5 });
  const b = await train(trainEx.slice(0, 60), catalog, { features: SMALL, hidden: 16, epochs: 2, seed: 5 });
  assert.equal(Array.from(a.weights.Wq.data.slice(0, 20)), Array.from(b.weights.Wq.data.slice(0, 20)));
});

test('sub-task texts: the model keeps their head for clause coverage (weight tuned on dev); without them coverage is off', async () => {
  const describe = (n: string) => catalog.tools.find((t) => t.name === n)!.description;
  const withSteps = trainEx.slice(0, 80).map((e) => ({ ...e, steps: e.nodes.map((n) => ({ worker: n, text: describe(n) })) }));
  const m = await train(withSteps, catalog, { features: SMALL, hidden: 16, epochs: 2, seed: 6, dev: devEx.slice(0, 10) });
  assert.is(m.config.stepTextHead, true);
  assert.ok([0, 1, 2, 3].includes(m.decode.coverageWeight ?? -1), `coverage weight ${m.decode.coverageWeight}`);
  const text = `${testEx[0].request}, then ${testEx[1].request}`;
  const qs = m.scorer(text).clauseProbs!();
  assert.is(qs.length, splitClauses(text).length);
  for (const q of qs) assert.ok(Math.abs(q.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'each clause gets a distribution over the workers');
  const plain = await train(trainEx.slice(0, 80), catalog, { features: SMALL, hidden: 16, epochs: 1, seed: 6, dev: devEx.slice(0, 10) });
  assert.not.ok(plain.config.stepTextHead);
  assert.is(plain.scorer(text).clauseProbs, undefined);
  assert.is(plain.decode.coverageWeight ?? 0, 0);
  // The sub-task texts are remembered: each clause also gets the workers of its nearest past sub-tasks.
  // (an example repeated word for word is remembered once)
  const remembered = new Map(withSteps.map((e) => [`${e.request}\u0000${e.nodes.join(',')}`, e.steps.length]));
  assert.is(m.steps?.size, [...remembered.values()].reduce((a, b) => a + b, 0));
  const priors = m.scorer(text).clausePriors!();
  assert.is(priors.length, qs.length);
  for (const p of priors) if (p) assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'a clause near past sub-tasks gets a distribution over the workers');
  // An ensemble fixes MBR (node F1 weighted ENSEMBLE_MBR_NODE_WEIGHT) and, with the head, coverage
  // weight ENSEMBLE_COVERAGE_WEIGHT with the step memory at ENSEMBLE_STEP_MEMORY_WEIGHT; dev tunes only the stop offset.
  const withHead = calibrateEnsemble(buildEnsemble([m]), devEx.slice(0, 10), catalog, true);
  assert.equal([withHead.decode.select, withHead.decode.coverageWeight, withHead.decode.mbrNodeWeight, withHead.decode.stepMemoryWeight], ['mbr', ENSEMBLE_COVERAGE_WEIGHT, ENSEMBLE_MBR_NODE_WEIGHT, ENSEMBLE_STEP_MEMORY_WEIGHT]);
  assert.ok([-2, -1.5, -1, -0.5, 0, 0.5, 1].includes(withHead.decode.stopOffset ?? NaN));
  assert.is(plain.steps, undefined);
  const plainEns = calibrateEnsemble(buildEnsemble([plain]), devEx.slice(0, 10), catalog, true);
  assert.equal([plainEns.decode.coverageWeight, plainEns.decode.stepMemoryWeight], [0, 0]);
});

test('Adam gets a gradient for every variable, in order, even when a batch leaves one unused', async () => {
  const tf = await initTf();
  const w = tf.variable(tf.ones([3, 3])), b = tf.variable(tf.ones([2])), c = tf.variable(tf.ones([3, 3]));
  const gradsFor = (withB: boolean): Record<string, any> => ({ [w.name]: tf.ones([3, 3]), ...(withB ? { [b.name]: tf.ones([2]) } : {}), [c.name]: tf.ones([3, 3]) });
  // What tfjs does with a map that drops the unused variable: c lands on b's moments.
  const dropping: Optimizer = tf.train.adam(0.1);
  dropping.applyGradients(gradsFor(true));
  assert.throws(() => dropping.applyGradients(gradsFor(false)), /broadcast/);
  // Typed as the training run holds it (TF.Optimizer takes a map of tensors).
  const adam: Optimizer = tf.train.adam(0.1);
  adam.applyGradients(denseGradients(tf, [w, b, c], gradsFor(true)));
  const before = b.dataSync()[0];
  adam.applyGradients(denseGradients(tf, [w, b, c], gradsFor(false)));
  // b's zero gradient still moves it by its momentum; every moment keeps its variable's shape.
  assert.ok(b.dataSync()[0] < before);
  const moments = (adam as any).accumulatedFirstMoment as { originalName: string; variable: { shape: number[] } }[];
  assert.equal(moments.map((m) => m.variable.shape), [[3, 3], [2], [3, 3]]);
  tf.dispose([w, b, c]);
  dropping.dispose(); adam.dispose();
});

test('inference in plain JS computes what the tfjs training graph computes', async () => {
  const tf = await initTf();
  const g = toolGraph(catalog);
  const N = catalog.tools.length, H = model.config.hidden;
  const toolFeats = catalog.tools.map((t) => featurize(toolText(t), model.config.features, model.idf));
  const vars: Record<string, any> = {};
  for (const [k, v] of Object.entries(model.weights)) vars[k] = tf.tensor(v.data, v.shape);
  const UT = tf.tensor2d(sparseTimesDense(toolFeats, model.weights.W1.data, H).out, [N, H]);
  const E = toolEmbeddings(tf, vars as any, UT, tf.tensor2d(g.inMean, [N, N]), tf.tensor2d(g.outMean, [N, N]), model.config).dataSync();
  let maxDiff = 0;
  for (let i = 0; i < E.length; i++) maxDiff = Math.max(maxDiff, Math.abs(E[i] - model.net.E[i]));
  assert.ok(maxDiff < 1e-4, `tool embeddings differ by ${maxDiff}`);
  const x = featurize('look up Paris online, then summarize it', model.config.features, model.idf);
  const U = tf.tensor2d(sparseTimesDense([x], model.weights.W1.data, H).out, [1, H]);
  const h = encodeInstructions(tf, vars as any, U);
  const ctxTf = tf.add(tf.matMul(h, vars.Wdh), vars.bd).dataSync();
  const ctxJs = model.net.encode(x);
  for (let k = 0; k < H; k++) assert.ok(Math.abs(ctxTf[k] - ctxJs[k]) < 1e-4, `encoder differs at ${k}`);
  // The sub-task-text head, as the auxiliary loss scores it.
  const stLogits = tf.add(tf.matMul(tf.matMul(h, vars.Wst), tf.tensor2d(E, [N, H]), false, true), tf.expandDims(vars.toolBias, 0));
  const stTf = tf.softmax(stLogits).dataSync();
  const stJs = model.net.stepTextProbs(x);
  for (let i = 0; i < N; i++) assert.ok(Math.abs(stTf[i] - stJs[i]) < 1e-5, `sub-task-text head differs at tool ${i}: ${stTf[i]} vs ${stJs[i]}`);
  tf.dispose([...Object.values(vars), UT, U, h, stLogits]);
});

/**
 * Checks that a model's plain-JS decoder (its scorer: encoder, attention, retrieval prior and, when
 * the config has them, word vectors) gives the loss the tfjs training graph gives on one example.
 */
async function decoderMatchesTraining(m: PlannerModel, ex: Example): Promise<void> {
  const tf = await initTf();
  const g = toolGraph(catalog);
  const N = catalog.tools.length, H = m.config.hidden, T = m.config.maxNodes + 1;
  const nodes = ex.nodes.map((n) => g.index.get(n)!);
  const S = nodes.length + 1;
  const w = m.weights;
  const vars: Record<string, any> = {};
  for (const [k, v] of Object.entries(w)) vars[k] = tf.variable(tf.tensor(v.data, v.shape));
  const oneHot = (rows: number, cols: number, at: (r: number) => number | undefined) => {
    const d = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) { const c = at(r); if (c !== undefined) d[r * cols + c] = 1; }
    return tf.tensor2d(d, [rows, cols]);
  };
  const bag = new Float32Array(S * N);
  for (let t = 1; t < S; t++) for (let s = 0; s < t; s++) bag[t * N + nodes[s]] += 1 / t;
  const neigh = m.retrieval!.neighbours(ex.request);
  const nextP = new Float32Array(S * (N + 1)), setP = new Float32Array(S * (N + 1));
  for (let t = 0; t < S; t++) {
    const pr = m.retrieval!.priors(neigh, nodes.slice(0, t), N);
    nextP.set(pr.next, t * (N + 1)); setP.set(pr.set, t * (N + 1));
  }
  const toks = tokenFeatures(ex.request, m.config.features, m.idf, m.config.maxTokens, m.config.tokenContext);
  const toolFeats = catalog.tools.map((t) => featurize(toolText(t), m.config.features, m.idf));
  const vectors: Record<string, any> = {};
  if (m.config.wordVectors) {
    const index = new WordVectorIndex({ ...m.config.wordVectors, vectors: w.wordVec.data });
    const weight = wordIdf(m.idf, m.config.features);
    const dim = index.dim;
    const rows = index.tokenRows(ex.request, m.config.maxTokens);
    const gtok = new Float32Array(rows.length * dim);
    rows.forEach((r, p) => { if (r >= 0) gtok.set(index.unit.subarray(r * dim, (r + 1) * dim), p * dim); });
    vectors.gx = tf.tensor2d(index.dense([index.textMix(ex.request, weight)]), [1, dim]);
    vectors.gt = tf.tensor2d(index.dense(catalog.tools.map((t) => index.textMix(toolText(t), weight))), [N, dim]);
    vectors.gtok = tf.tensor2d(gtok, [rows.length, dim]);
  }
  const batch = {
    U: tf.variable(tf.tensor2d(sparseTimesDense([featurize(ex.request, m.config.features, m.idf)], w.W1.data, H).out, [1, H])),
    UT: tf.variable(tf.tensor2d(sparseTimesDense(toolFeats, w.W1.data, H).out, [N, H])),
    inMean: tf.tensor2d(g.inMean, [N, N]), outMean: tf.tensor2d(g.outMean, [N, N]),
    sel: oneHot(S, 1, () => 0), prev: oneHot(S, N, (t) => (t > 0 ? nodes[t - 1] : undefined)),
    startMask: oneHot(S, 1, (t) => (t === 0 ? 0 : undefined)), bag: tf.tensor2d(bag, [S, N]),
    pos: oneHot(S, T, (t) => t), y: oneHot(S, N + 1, (t) => (t < nodes.length ? nodes[t] : N)),
    nextPrior: tf.tensor2d(nextP, [S, N + 1]), setPrior: tf.tensor2d(setP, [S, N + 1]),
    tok: tf.variable(tf.tensor3d(sparseTimesDense(toks, w.W1.data, H).out, [1, toks.length, H])),
    tokMask: tf.zeros([1, 1, toks.length]), stepMap: oneHot(S, T, (t) => t), T,
    setY: tf.zeros([1, N]), emitted: tf.tensor2d(Float32Array.from({ length: S * N }, (_, k) => (nodes.slice(0, Math.floor(k / N)).includes(k % N) ? 1 : 0)), [S, N]),
    ...vectors,
  };
  const tfLoss = batchLoss(tf, vars as any, batch as any, m.config, { dropout: 0, seed: 1, depWeight: 0, setWeight: 0 }).dataSync()[0];
  const scorer = m.scorer(ex.request, 0);
  let jsLoss = 0;
  for (let t = 0; t < S; t++) {
    const logits = scorer.stepLogits(nodes.slice(0, t));
    // Scoring only some candidates gives exactly their full-catalog logits (and the same stop logit).
    const cands = [0, Math.floor(N / 2), N - 1];
    const part = scorer.stepLogits(nodes.slice(0, t), cands);
    for (const j of [...cands, N]) assert.ok(Math.abs(part[j] - logits[j]) < 1e-4, `candidate logit ${j} at step ${t}: ${part[j]} vs ${logits[j]}`);
    const max = Math.max(...logits);
    const z = logits.reduce((a, l) => a + Math.exp(l - max), 0);
    jsLoss -= logits[t < nodes.length ? nodes[t] : N] - max - Math.log(z);
  }
  jsLoss /= S;
  assert.ok(Math.abs(jsLoss - tfLoss) < 1e-3, `JS loss ${jsLoss} vs tfjs loss ${tfLoss}`);
  tf.dispose(Object.values(vars));
  tf.dispose(Object.values(batch).filter((x: any) => x && typeof x === 'object' && 'dispose' in x) as any);
}

test('the whole decoder step (attention + retrieval prior) in plain JS matches the tfjs training loss', async () => {
  await decoderMatchesTraining(model, testEx.find((e) => e.nodes.length >= 2)!);
});

/** Random but fixed vectors for every word of the synthetic domain (the shape of the packaged table). */
function syntheticWordVectors(dim: number): WordVectorTable {
  const rand = seededRandom(9);
  const vocab = [...new Set([...trainEx, ...testEx].flatMap((e) => words(e.request)).concat(catalog.tools.flatMap((t) => words(toolText(t)))))].concat('zeppelin');
  return { dim, words: vocab, vectors: Float32Array.from({ length: vocab.length * dim }, () => rand() - 0.5) };
}

test('a hidden size that is not a multiple of four (the SIMD kernels pad rows) decodes as tfjs trains', async () => {
  const m = await train(trainEx.slice(0, 60), catalog, { features: SMALL, hidden: 18, epochs: 1, seed: 8, wordVectors: syntheticWordVectors(6) });
  await decoderMatchesTraining(m, testEx.find((e) => e.nodes.length >= 2)!);
});

test('two instructions scored in turn on one model give what each gives alone (the arena reloads their tokens)', () => {
  const [a, b] = [testEx[0].request, testEx[1].request];
  const alone = [a, b].map((t) => { const s = model.scorer(t); return [s.stepLogits([]), s.stepLogits([0])]; });
  const sa = model.scorer(a), sb = model.scorer(b);
  const turns = [sa.stepLogits([]), sb.stepLogits([]), sa.stepLogits([0]), sb.stepLogits([0])];
  assert.equal([turns[0], turns[2]].map((x) => Array.from(x)), alone[0].map((x) => Array.from(x)));
  assert.equal([turns[1], turns[3]].map((x) => Array.from(x)), alone[1].map((x) => Array.from(x)));
  assert.not.equal(Array.from(turns[0]), Array.from(turns[1]));
});

test('a long instruction (its features gathered in several chunks) encodes as the weights say', () => {
  const text = Array.from({ length: 700 }, (_, i) => `term${i}x${(i * 7919) % 1000}`).join(' ');
  const x = featurize(text, model.config.features, model.idf);
  assert.ok(x.idx.length > 1024, `${x.idx.length} features (more than one chunk)`);
  const H = model.config.hidden, w = model.weights;
  const u = sparseTimesDense([x], w.W1.data, H).out.map((v, k) => Math.max(0, v + w.b1.data[k]));
  const e = Array.from({ length: H }, (_, j) => Math.max(0, u.reduce((t, ui, i) => t + ui * w.Wenc.data[i * H + j], 0) + w.benc.data[j]));
  const h = u.map((v, k) => v + e[k]);
  const ctx = model.net.encode(x);
  for (let j = 0; j < H; j++) {
    const want = h.reduce((t, hi, i) => t + hi * w.Wdh.data[i * H + j], 0) + w.bd.data[j];
    assert.ok(Math.abs(ctx[j] - want) < 1e-4 * (1 + Math.abs(want)), `ctx[${j}] ${ctx[j]} vs ${want}`);
  }
});

test('word vectors: the model keeps its vocabulary, plain JS matches tfjs with them, and they survive save/load', async () => {
  const table = syntheticWordVectors(12);
  const few = trainEx.slice(0, 80);
  const m = await train(few, catalog, { features: SMALL, hidden: 16, epochs: 2, seed: 4, wordVectors: table, commonWords: 3 });
  const kept = new Set(m.config.wordVectors!.words);
  assert.equal(m.config.wordVectors!.words.slice(0, 3), table.words.slice(0, 3));
  for (const w of words(few[0].request)) assert.ok(kept.has(w), `training word "${w}" kept`);
  assert.not.ok(kept.has('zeppelin'), 'a word in no training text and not among the most common is not stored');
  assert.equal(m.weights.wordVec.shape, [kept.size, 12]);
  await decoderMatchesTraining(m, testEx.find((e) => e.nodes.length >= 2)!);
  const dir = mkdtempSync(join(tmpdir(), 'planner-wv-'));
  try {
    saveModel(m, dir);
    const loaded = loadModel(dir, catalog);
    for (const e of testEx.slice(0, 10)) assert.equal(loaded.plan(e.request), m.plan(e.request));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('fastMatMul: same value and same gradients as tf.matMul', async () => {
  const tf = await initTf();
  const mm = fastMatMul(tf);
  const a = tf.randomNormal([7, 5], 0, 1, 'float32', 3), b = tf.randomNormal([5, 4], 0, 1, 'float32', 4), w = tf.randomNormal([7, 4], 0, 1, 'float32', 5);
  const loss = (f: (x: any, y: any) => any) => (x: any, y: any) => tf.sum(tf.mul(tf.square(f(x, y)), w));
  const [ga, gb] = tf.grads(loss(mm))([a, b]);
  const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
  const close = (p: any, q: any) => Math.max(...Array.from(tf.abs(tf.sub(p, q)).dataSync() as Float32Array)) < 1e-4;
  assert.ok(close(mm(a, b), tf.matMul(a, b)), 'value');
  assert.ok(close(ga, ra), 'gradient of the left operand');
  assert.ok(close(gb, rb), 'gradient of the right operand');
  tf.dispose([a, b, w, ga, gb, ra, rb]);
});

test('saveModel/loadModel: round trip plans identically; another catalog is refused with the directory and the difference', () => {
  const dir = mkdtempSync(join(tmpdir(), 'planner-model-'));
  try {
    saveModel(model, dir);
    const loaded = loadModel(dir, catalog);
    for (const e of testEx.slice(0, 10)) assert.equal(loaded.plan(e.request), model.plan(e.request));
    const other: Catalog = { ...catalog, tools: [...catalog.tools, { name: 'play_music', description: 'Play a song' }] };
    assert.throws(() => loadModel(dir, other), (err: Error) => err.message.includes(dir) && err.message.includes('tools only in the catalog: play_music'));
    assert.throws(() => loadModel(join(dir, 'nope')), /model\.json: cannot read/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('plan: empty and oversized instructions are clear errors', () => {
  assert.throws(() => model.plan('   '), /instruction is empty/);
  assert.throws(() => model.plan('x'.repeat(10_001)), /10001 characters, over the limit of 10000/);
});

test('fine-tuning and zero-shot: a new tool is scorable through its description and learnable from a few examples', async () => {
  const bigger: Catalog = {
    tools: [...catalog.tools, { name: 'play_music', description: 'Play a song or music playlist' }],
    links: [...catalog.links, { source: 'search_web', target: 'play_music' }],
  };
  const zero = adaptModel(model, bigger);
  assert.is(planProblem(zero.plan('play some music'), bigger), undefined);
  const few = ['play some jazz music', 'play a song by Queen', 'put on my music playlist', 'play music for running', 'play the song Yesterday', 'play relaxing music']
    .map((request, i) => ({ id: `m${i}`, request, nodes: ['play_music'], links: [] }));
  const tuned = await train([...few, ...trainEx.slice(0, 40)], bigger, { from: model, epochs: 10, seed: 1, learningRate: 0.01 });
  assert.equal(tuned.plan('play a song for me').nodes.map((n) => n.worker), ['play_music']);
});

// Validity does not depend on training: random weights on random catalogs must still give valid DAGs.
test('property: every plan is a DAG of known workers, and respects the tool graph when constrained', () => {
  const cfg = (hidden: number, maxNodes: number): ModelConfig => ({ features: { dim: 256, wordBigrams: false, charNgrams: [3], charWeight: 0.5 }, hidden, maxNodes, gnn: true, toolIdEmbedding: true, maxGap: 3, retrieval: true, memoryK: 3, attention: true, maxTokens: 12 });
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10 }),
    fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 30 }),
    fc.record({ beamWidth: fc.integer({ min: 1, max: 4 }), maxNodes: fc.integer({ min: 1, max: 5 }), constrainToGraph: fc.boolean(), allowRepeats: fc.boolean(), allowExtraRoots: fc.boolean() }),
    fc.integer({ min: 0, max: 1000 }),
    fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
    fc.array(fc.array(fc.nat(9), { minLength: 1, maxLength: 6 }), { maxLength: 6 }),
    (n, rawLinks, decode, seed, instruction, pastPlans) => {
      const tools = Array.from({ length: n }, (_, i) => ({ name: `tool_${i}`, description: `does thing ${i}` }));
      const links = [...new Set(rawLinks.filter(([a, b]) => a < n && b < n).map(([a, b]) => `${a}>${b}`))].map((s) => {
        const [a, b] = s.split('>');
        return { source: `tool_${a}`, target: `tool_${b}` };
      });
      const cat: Catalog = { tools, links };
      const config = cfg(8, decode.maxNodes);
      // The retrieval memory may hold any past sequence, even ones off the graph: decoding must still stay valid.
      const memory = { requests: pastPlans.map((p) => `${instruction} ${p.join(' ')}`), plans: pastPlans.map((p) => p.map((i) => `tool_${i % n}`)) };
      const m = buildModel({ config, decode, catalog: cat, idf: fitIdf(tools.map(toolText), config.features), weights: initWeights(config, n, seed), threshold: 0.5, memory });
      const plan = m.plan(instruction);
      assert.is(planProblem(plan, cat), undefined);
      assert.ok(plan.nodes.length >= 1 && plan.nodes.length <= decode.maxNodes);
      const byId = new Map(plan.nodes.map((x, i) => [x.id, i]));
      const allowed = new Set(links.map((l) => `${l.source}>${l.target}`));
      plan.nodes.forEach((node, i) => {
        for (const d of node.dependsOn) assert.ok(byId.get(d)! < i, 'dependency on a later node');
        if (decode.constrainToGraph && links.length > 0) {
          for (const d of node.dependsOn) assert.ok(allowed.has(`${plan.nodes[byId.get(d)!].worker}>${node.worker}`), 'dependency off the tool graph');
        }
      });
      if (!decode.allowRepeats) assert.is(new Set(plan.nodes.map((x) => x.worker)).size, plan.nodes.length);
    },
  ), { numRuns: 150, seed: 42 });
});

test.run();
