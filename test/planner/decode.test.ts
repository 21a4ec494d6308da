import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { beamDecode, clauseCoverage, withoutDoubtfulLeaves, type DecodeOptions, type StepScorer } from '../../planner/decode/beam.ts';
import { splitClauses } from '../../planner/encode/clauses.ts';

// Tools: 0 = x, 1 = a, 2 = b, 3 = c; index 4 = stop.
const STOP = 4;
const tree: Record<string, number[]> = {
  '': [0.35, 0.65, 0, 0, 0],
  '0': [0, 0, 0, 0, 1],
  '1': [0, 0, 0.33 / 0.65, 0.32 / 0.65, 0],
  '1,2': [0, 0, 0, 0, 1],
  '1,3': [0, 0, 0, 0, 1],
};
const asLogits = (p: number[]) => Float32Array.from(p, (v) => Math.log(Math.max(v, 1e-12)));
const treeScorer = (seen: (number[] | undefined)[] = []): StepScorer => ({
  nTools: 4,
  stepLogits(prefix, candidates) {
    seen.push(candidates ? [...candidates] : undefined);
    return asLogits(tree[prefix.join(',')] ?? [0, 0, 0, 0, 1]);
  },
  dependencyProb: () => 0.9,
});
const base: DecodeOptions = { beamWidth: 4, maxNodes: 3, constrainToGraph: false, allowRepeats: false, allowExtraRoots: false };

test('beamDecode: MAP takes the single most probable plan; expected F1 takes the plan the posterior agrees on', () => {
  const map = beamDecode(treeScorer(), [], base);
  assert.equal(map.nodes.map((n) => n.tool), [0]); // P = 0.35
  // E[F1]([x]) = 0.35; E[F1]([a, b]) = 0.33 + 0.32 * F1([a, b], [a, c]) = 0.33 + 0.32 * 0.5 = 0.49.
  const mbr = beamDecode(treeScorer(), [], { ...base, select: 'mbr' });
  assert.equal(mbr.nodes.map((n) => n.tool), [1, 2]);
  assert.ok(Math.abs(Math.exp(mbr.logProb) - 0.33) < 1e-4, `the chosen plan keeps its own probability, got ${Math.exp(mbr.logProb)}`);
});

test('beamDecode: minLeafProb drops a last step the model half-believes and keeps the sequence probability', () => {
  // MBR picks [a, b]; b's own step probability is 0.33 / 0.65 = 0.51.
  const kept = beamDecode(treeScorer(), [], { ...base, select: 'mbr', minLeafProb: 0.5 });
  assert.equal(kept.nodes.map((n) => n.tool), [1, 2]);
  const cut = beamDecode(treeScorer(), [], { ...base, select: 'mbr', minLeafProb: 0.65 });
  assert.equal(cut.nodes.map((n) => n.tool), [1]);
  assert.ok(Math.abs(Math.exp(cut.logProb) - 0.33) < 1e-4, 'a plan that lost a doubtful step stays as doubtful as it was');
});

test('withoutDoubtfulLeaves: only steps nothing depends on go, weakest first, dependencies re-indexed, one step always kept', () => {
  const nodes = [{ tool: 0, prob: 0.4, deps: [] }, { tool: 1, prob: 0.3, deps: [] }, { tool: 2, prob: 0.9, deps: [1] }, { tool: 3, prob: 0.5, deps: [2] }];
  // 0 goes (the weakest leaf under 0.6), then 3; 1 stays (2 depends on it) and 2 stays (over 0.6).
  assert.equal(withoutDoubtfulLeaves(nodes, 0.6), [{ tool: 1, prob: 0.3, deps: [] }, { tool: 2, prob: 0.9, deps: [0] }]);
  assert.equal(withoutDoubtfulLeaves([{ tool: 5, prob: 0.1, deps: [] }], 0.6).length, 1);
  assert.equal(withoutDoubtfulLeaves(nodes, 0), nodes);
});

test('beamDecode: a heavier node F1 in the MBR score makes a hedging plan win', () => {
  // Tools 1 = a, 2 = b. Finished plans: [a] 0.5, [b] 0.35, [a, b] 0.15 (link a>b).
  // Weight 1: U([a]) = 0.5 * 2 + 0.15 * 2/3 = 1.10 beats U([a, b]) = 0.15 * 3 + 0.85 * 2/3 = 1.02.
  // Weight 3: U([a]) = 0.5 * 4 + 0.15 * 2 = 2.30 loses to U([a, b]) = 0.15 * 5 + 0.85 * 2 = 2.45.
  const hedge: Record<string, number[]> = { '': [0, 0.65, 0.35, 0, 0], '1': [0, 0, 0.15 / 0.65, 0, 0.5 / 0.65] };
  const scorer: StepScorer = { nTools: 4, stepLogits: (p) => asLogits(hedge[p.join(',')] ?? [0, 0, 0, 0, 1]), dependencyProb: () => 0.9 };
  const pick = (mbrNodeWeight?: number) => beamDecode(scorer, [], { ...base, select: 'mbr', mbrNodeWeight }).nodes.map((n) => n.tool);
  assert.equal(pick(), [1]);
  assert.equal(pick(1), [1]);
  assert.equal(pick(3), [1, 2]);
});

test('beamDecode: clause coverage picks the plan that accounts for every clause, and only scores clauses when there is a choice', () => {
  // Two clauses: one about x or a, one clearly about b. MAP alone takes [x] (P = 0.35).
  const clauses = [Float32Array.from([0.5, 0.5, 0, 0]), Float32Array.from([0, 0, 0.9, 0.1])];
  let calls = 0;
  const scorer: StepScorer = { ...treeScorer(), clauseProbs: () => { calls++; return clauses; } };
  assert.equal(beamDecode(scorer, [], base).nodes.map((n) => n.tool), [0]);
  assert.is(calls, 0, 'weight 0: clauses are never scored');
  const covered = beamDecode(scorer, [], { ...base, coverageWeight: 1 });
  assert.equal(covered.nodes.map((n) => n.tool), [1, 2]);
  assert.ok(Math.abs(Math.exp(covered.logProb) - 0.33) < 1e-4, 'the plan keeps its own probability');
  assert.is(calls, 1);
  // One finished plan: nothing to choose, nothing scored.
  const single: StepScorer = { nTools: 2, stepLogits: (p) => asLogits(p.length === 0 ? [1, 0, 0] : [0, 0, 1]), dependencyProb: () => 0.9, clauseProbs: () => { calls++; return clauses; } };
  beamDecode(single, [], { ...base, coverageWeight: 1 });
  assert.is(calls, 1);
});

test('beamDecode: the step memory, mixed into the clause distributions, can change which plan covers the clauses', () => {
  // The head reads clause 2 as c rather than b (0.55 vs 0.45), so coverage alone takes [a, c];
  // past sub-tasks like clause 2 all used b, and at weight 0.5 clause 2 becomes [0, 0, 0.725, 0.275].
  // Clause 1 has no near sub-task (undefined): its head distribution is kept.
  const head = [Float32Array.from([0.5, 0.5, 0, 0]), Float32Array.from([0, 0, 0.45, 0.55])];
  let priorCalls = 0;
  const scorer: StepScorer = { ...treeScorer(), clauseProbs: () => head, clausePriors: () => { priorCalls++; return [undefined, Float32Array.from([0, 0, 1, 0])]; } };
  const pick = (stepMemoryWeight?: number) => beamDecode(scorer, [], { ...base, coverageWeight: 1, stepMemoryWeight }).nodes.map((n) => n.tool);
  assert.equal(pick(), [1, 3]);
  assert.equal(pick(0), [1, 3]);
  assert.is(priorCalls, 0, 'weight 0: the memory is never consulted');
  assert.equal(pick(0.5), [1, 2]);
  assert.is(priorCalls, 1);
});

test('clauseCoverage: mean over clauses of the log mass the plan takes, repeats counted once', () => {
  const qs = [Float32Array.from([0.9, 0.1]), Float32Array.from([0.2, 0.8])];
  assert.ok(Math.abs(clauseCoverage(qs, [0, 0]) - (Math.log(0.92) + Math.log(0.22)) / 2) < 1e-6);
  assert.ok(clauseCoverage(qs, [0, 1]) > clauseCoverage(qs, [0]));
  assert.is(clauseCoverage([], [0]), 0);
});

test('splitClauses: cuts at punctuation and chaining words, drops fragments under three words', () => {
  assert.equal(splitClauses('Book a flight to Paris, then reserve a hotel near the station. Thanks!'), ['Book a flight to Paris', 'reserve a hotel near the station']);
  assert.equal(splitClauses('Check my balance and transfer 200 yuan to Li Ming; after that log me out please'), ['Check my balance', 'transfer 200 yuan to Li Ming', 'log me out please']);
  assert.equal(splitClauses(''), []);
});

test('beamDecode: with the tool graph, later steps ask only for the allowed tools, and scores outside them are never read', () => {
  // Graph: x -> a, a -> b; c unreachable after a first node.
  const succ = [new Set([1]), new Set([2]), new Set<number>(), new Set<number>()];
  const seen: (number[] | undefined)[] = [];
  const poisoned: StepScorer = {
    nTools: 4,
    stepLogits(prefix, candidates) {
      seen.push(candidates ? [...candidates] : undefined);
      const full = asLogits(prefix.length === 0 ? [0.7, 0.1, 0.1, 0.1, 0] : prefix.length === 1 ? [0, 0.6, 0.2, 0.1, 0.1] : [0, 0, 0.8, 0, 0.2]);
      if (!candidates) return full;
      const out = new Float32Array(5).fill(Number.NaN);
      for (const j of [...candidates, STOP]) out[j] = full[j];
      return out;
    },
    dependencyProb: () => 0.9,
  };
  const d = beamDecode(poisoned, succ, { ...base, constrainToGraph: true, beamWidth: 2 });
  assert.equal(d.nodes.map((n) => n.tool), [0, 1, 2]);
  assert.ok(Number.isFinite(d.logProb), `log-probability ${d.logProb}`);
  assert.is(seen[0], undefined, 'the first step scores the whole catalog');
  assert.ok(seen.slice(1).every((c) => c !== undefined && c.length < 4), `later steps: ${JSON.stringify(seen)}`);
});

test.run();
