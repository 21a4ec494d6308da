import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate } from '../../planner/eval.ts';
import type { Catalog, Example, Plan } from '../../planner/types.ts';

// evaluate's failure list (`orchestai eval --failures`): which plans are not their gold graphs.
const catalog: Catalog = {
  tools: [{ name: 'search', description: 'finds flights' }, { name: 'book', description: 'books a flight' }, { name: 'mail', description: 'sends an email' }],
  links: [{ source: 'search', target: 'book' }, { source: 'book', target: 'search' }, { source: 'book', target: 'mail' }],
};
const chain = (id: string, request: string, nodes: string[]): Example => ({ id, request, nodes, links: nodes.slice(1).map((t, i) => ({ source: nodes[i], target: t })) });
const examples = [
  chain('right', 'find a flight and book it', ['search', 'book']),
  chain('order', 'book it after finding it', ['search', 'book']),
  chain('short', 'find, book and mail me', ['search', 'book', 'mail']),
];
/** Plans as a chain of the given workers, per request. */
const planned: Record<string, string[]> = { 'find a flight and book it': ['search', 'book'], 'book it after finding it': ['book', 'search'], 'find, book and mail me': ['search', 'book'] };
const planFn = (request: string): Plan => {
  const ws = planned[request];
  return { instruction: request, nodes: ws.map((w, i) => ({ id: `n${i + 1}`, worker: w, dependsOn: i > 0 ? [`n${i}`] : [], confidence: 0.9 })), confidence: request.startsWith('find,') ? 0.2 : 0.9, lowConfidence: request.startsWith('find,'), source: 'model' };
};

test('evaluate lists the plans that are not their gold graphs, in order, only when asked', () => {
  assert.is(evaluate(planFn, examples, catalog).failures, undefined);
  const ev = evaluate(planFn, examples, catalog, { failures: 5 });
  assert.is(ev.failures!.count, 2, 'the same steps in another order count, as a missing step does');
  assert.equal(ev.failures!.shown.map((f) => f.id), ['order', 'short']);
  const short = ev.failures!.shown[1];
  assert.equal(short.gold, { nodes: ['search', 'book', 'mail'], links: ['search, book', 'book, mail'] });
  assert.equal(short.plan, { nodes: ['search', 'book'], links: ['search, book'] });
  assert.is(short.confidence, 0.2);
  assert.is(short.lowConfidence, true);
  const one = evaluate(planFn, examples, catalog, { failures: 1 });
  assert.is(one.failures!.count, 2, 'the count is of all failures, whatever is shown');
  assert.equal(one.failures!.shown.map((f) => f.id), ['order']);
});

test.run();
