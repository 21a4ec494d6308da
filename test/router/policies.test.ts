import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cascade, cheapest, fixed, mostAccurate, random } from '../../planner/router/index.ts';
import { request } from './support.ts';

test('fixed picks the named worker, or the first candidate when the step does not offer it', () => {
  assert.is(fixed('mid').route(request()).worker, 'mid');
  assert.is(fixed('other').route(request()).worker, 'dear');
  assert.equal(fixed('mid').route(request()).probabilities, [0, 0, 1]);
});

test('cheapest picks the lowest declared price, token prices counted on the input', () => {
  assert.is(cheapest().route(request()).worker, 'cheap');
  const tokens = request({ candidates: [{ worker: 'per-token', price: { perInputToken: 1 } }, { worker: 'flat', price: { perCall: 3 } }], input: { text: 'a long input of many words' } });
  assert.is(cheapest().route(tokens).worker, 'flat');
});

test('cascade goes cheap first and escalates past every candidate that already failed the step', () => {
  const c = cascade();
  assert.is(c.route(request()).worker, 'cheap');
  assert.is(c.route(request({ attempt: 2, failedWorkers: ['cheap'] })).worker, 'mid');
  assert.is(c.route(request({ attempt: 3, failedWorkers: ['cheap', 'mid'] })).worker, 'dear');
  assert.is(c.route(request({ attempt: 4, failedWorkers: ['cheap', 'mid', 'dear'] })).worker, 'dear');
});

test('mostAccurate picks the best observed success rate for the capability, ties to the cheaper', () => {
  const stats = { answer: { dear: { n: 10, successes: 9, cost: 200, latencyMs: 0 }, cheap: { n: 10, successes: 5, cost: 10, latencyMs: 0 } } };
  assert.is(mostAccurate(stats).route(request()).worker, 'dear');
  const tie = { answer: { dear: { n: 4, successes: 4, cost: 0, latencyMs: 0 }, cheap: { n: 4, successes: 4, cost: 0, latencyMs: 0 }, mid: { n: 4, successes: 4, cost: 0, latencyMs: 0 } } };
  assert.is(mostAccurate(tie).route(request()).worker, 'cheap');
  assert.is(mostAccurate({}).route(request({ capability: 'unknown' })).worker, 'cheap');
});

test('random is uniform, says so, and repeats under a seed', () => {
  const one = random(7);
  const seq = Array.from({ length: 300 }, () => one.route(request()).worker);
  const again = random(7);
  assert.equal(Array.from({ length: 300 }, () => again.route(request()).worker), seq);
  for (const w of ['dear', 'cheap', 'mid']) assert.ok(seq.filter((x) => x === w).length > 70, `${w} drawn often enough`);
  assert.equal(one.route(request()).probabilities!.map((p) => p.toFixed(3)), ['0.333', '0.333', '0.333']);
});

test.run();
