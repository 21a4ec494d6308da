import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { f1, hallucination, scoreGraphs, planToLists, scorePlans, exampleToLists } from '../../planner/metrics.ts';
import type { Catalog, Plan } from '../../planner/types.ts';

const catalog: Catalog = {
  tools: ['a', 'b', 'c', 'd'].map((name) => ({ name, description: name })),
  links: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }],
};
const close = (x: number, y: number, msg?: string) => assert.ok(Math.abs(x - y) < 1e-6, `${msg ?? ''} ${x} != ${y}`);

test('f1: hand-computed cases', () => {
  close(f1(['a', 'b'], ['a', 'b']), 1);
  close(f1(['a', 'b'], ['a', 'c']), 0.5);
  close(f1(['a'], ['a', 'b', 'c']), 0.5); // p = 1, r = 1/3 -> 2/3 * ... = 0.5
  close(f1(['x'], ['a']), 0);
  assert.is(f1([], ['a']), 0);
  assert.is(f1(['a'], []), 0);
});

test('f1: repeats count in the list denominators like the paper (set intersection, list lengths)', () => {
  // intersection {a} = 1, precision 1/2, recall 1/1 -> 2/3
  close(f1(['a', 'a'], ['a']), 2 / 3);
  // gold with a repeat can reach only 2/3 even with the identical list: inter {a,b}=2, p=r=2/3
  close(f1(['a', 'b', 'a'], ['a', 'b', 'a']), 2 / 3);
});

test('hallucination: per-request share and any-flag; empty prediction is [0, 0]', () => {
  assert.equal(hallucination(['a', 'x', 'y', 'b'], new Set(['a', 'b'])), [0.5, 1]);
  assert.equal(hallucination(['a'], new Set(['a'])), [0, 0]);
  assert.equal(hallucination([], new Set(['a'])), [0, 0]);
});

test('scoreGraphs: averages over requests, accuracy at node F1 >= 0.99, link hallucination against the tool graph', () => {
  const m = scoreGraphs(
    [
      { nodes: ['a', 'b', 'c'], links: ['a, b', 'b, c'] }, // perfect
      { nodes: ['a', 'z'], links: ['a, z'] }, // NF 0.5, LF 0, 1 of 2 nodes unknown, link unknown
    ],
    [
      { nodes: ['a', 'b', 'c'], links: ['a, b', 'b, c'] },
      { nodes: ['a', 'b'], links: ['a, b'] },
    ],
    catalog,
  );
  close(m.nodeF1, 0.75);
  close(m.linkF1, 0.5);
  close(m.accuracy, 0.5);
  close(m.nh1, 0.25);
  close(m.nh2, 0.5);
  close(m.lh1, 0.5);
  close(m.lh2, 0.5);
  assert.is(m.n, 2);
});

test('plans and examples map to the paper lists; empty input is an error', () => {
  const plan: Plan = {
    instruction: 'x', confidence: 1, lowConfidence: false, source: 'model',
    nodes: [
      { id: 'n1', worker: 'a', dependsOn: [], confidence: 1 },
      { id: 'n2', worker: 'b', dependsOn: ['n1'], confidence: 1 },
      { id: 'n3', worker: 'c', dependsOn: ['n2'], confidence: 1 },
    ],
  };
  assert.equal(planToLists(plan), { nodes: ['a', 'b', 'c'], links: ['a, b', 'b, c'] });
  const ex = { id: '1', request: 'x', nodes: ['a', 'b', 'd'], links: [{ source: 'a', target: 'b' }, { source: 'b', target: 'd' }] };
  assert.equal(exampleToLists(ex).links, ['a, b', 'b, d']);
  const m = scorePlans([plan], [ex], catalog);
  close(m.nodeF1, 2 / 3);
  close(m.linkF1, 0.5);
  assert.throws(() => scoreGraphs([], [], catalog), /nothing to score/);
});

test.run();
