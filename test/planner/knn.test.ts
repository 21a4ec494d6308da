import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitKnn } from '../../planner/knn.ts';
import { syntheticCatalog, syntheticExamples } from '../../planner/data/synthetic.ts';
import { evaluate } from '../../planner/eval.ts';

test('knn: returns the voted training plan of the nearest requests', () => {
  const train = [
    { id: '1', request: 'book a flight to Paris', nodes: ['book_flight'], links: [] },
    { id: '2', request: 'book a flight to Rome and remind me', nodes: ['book_flight', 'create_reminder'], links: [{ source: 'book_flight', target: 'create_reminder' }] },
    { id: '3', request: 'check the weather in Oslo', nodes: ['fetch_weather'], links: [] },
  ];
  const knn = fitKnn(train, 1);
  const p = knn.plan('please book a flight to Rome and remind me the day before');
  assert.equal(p.nodes.map((n) => n.worker), ['book_flight', 'create_reminder']);
  assert.equal(p.nodes[1].dependsOn, ['n1']);
  assert.is(p.source, 'knn');
  assert.equal(knn.plan('weather in Oslo please').nodes.map((n) => n.worker), ['fetch_weather']);
});

test('knn: on the synthetic domain it beats chance clearly and never produces an invalid plan', () => {
  const catalog = syntheticCatalog();
  const train = syntheticExamples(300, 1), test_ = syntheticExamples(60, 2);
  const ev = evaluate(fitKnn(train).plan, test_, catalog);
  assert.is(ev.invalidPlans, 0);
  assert.ok(ev.nodeF1 > 0.6, `node F1 ${ev.nodeF1}`);
});

test('knn: an empty training set is an error', () => {
  assert.throws(() => fitKnn([]), /no training examples/);
});

test.run();
