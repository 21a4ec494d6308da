import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  TransformError, appendTo, customOutput, mergeIntoShared, toShared,
  type JsonObject, type OutputTransformer, type RunContext, type StepInfo,
} from '../../transformers/index.ts';
import { applyOutput } from '../../transformers/apply.ts';
import { deepFreeze } from '../../transformers/json.ts';

const base: RunContext = { input: null, outputs: {}, shared: {} };
const ctxFor = (id = 'draft'): RunContext & { step: StepInfo } => ({ ...base, step: { id, dependsOn: [] } });

function failure(t: OutputTransformer<any>, shared: JsonObject, output: unknown, id = 'draft'): TransformError {
  try {
    applyOutput(t, shared, output, ctxFor(id));
  } catch (e) {
    assert.instance(e, TransformError);
    return e as TransformError;
  }
  throw new assert.Assertion({ message: 'expected the output transformer to fail' } as any);
}

test('toShared: stores the output under a key, keeping the other keys by reference', () => {
  const prev = deepFreeze({ plan: 'old', keep: { big: [1, 2] } });
  const next = applyOutput(toShared('plan'), prev, { steps: ['a'] }, ctxFor());
  assert.equal(next, { plan: { steps: ['a'] }, keep: { big: [1, 2] } });
  assert.is(next.keep, prev.keep); // structural sharing: unchanged parts are not copied
  assert.is(prev.plan, 'old');
});

test('mergeIntoShared: all fields or only the listed ones; errors name the step', () => {
  const prev = deepFreeze({ title: 'x', n: 1 });
  assert.equal(applyOutput(mergeIntoShared(), prev, { title: 'y', extra: true }, ctxFor()), { title: 'y', n: 1, extra: true });
  assert.equal(applyOutput(mergeIntoShared(['extra']), prev, { title: 'y', extra: true }, ctxFor()), { title: 'x', n: 1, extra: true });
  assert.is(failure(mergeIntoShared(['summary']), prev, { title: 'y' }).message, 'step "draft": output transformer: mergeIntoShared: output of step "draft" has no field summary');
  assert.match(failure(mergeIntoShared(), prev, ['a'], 'lister').message, /^step "lister": output transformer: mergeIntoShared needs the output of step "lister" to be an object, got an array$/);
});

test('appendTo: creates the array, then appends; a non-array is an error naming the key', () => {
  let shared: JsonObject = deepFreeze({});
  for (const v of ['v1', 'v2', 'v3']) shared = applyOutput(appendTo('drafts'), shared, { text: v }, ctxFor());
  assert.equal(shared, { drafts: [{ text: 'v1' }, { text: 'v2' }, { text: 'v3' }] });
  assert.match(failure(appendTo('drafts'), { drafts: 'nope' }, 1).message, /appendTo: shared\.drafts is "nope", not an array/);
});

test('the previous shared is never mutated: frozen input, mutating and replacing transformers', () => {
  const prev = deepFreeze({ count: 1, list: [{ a: 1 }], nested: { deep: { x: 1 } } });
  const snapshot = structuredClone(prev);
  const mutate: OutputTransformer = (s) => {
    (s.count as number)++;
    (s.list as any[]).push({ a: 2 });
    (s.list as any[])[0].a = 99;
    (s.nested as any).deep.x = 2;
  };
  const mutated = applyOutput(mutate, prev, null, ctxFor());
  assert.equal(mutated, { count: 2, list: [{ a: 99 }, { a: 2 }], nested: { deep: { x: 2 } } });
  const replaced = applyOutput(() => ({ fresh: true }), prev, null, ctxFor());
  assert.equal(replaced, { fresh: true });
  assert.equal(prev, snapshot);
});

test('the result is deeply frozen, including data the output brought in', () => {
  const output = { files: [{ name: 'a.ts' }] };
  const next = applyOutput(toShared('code'), {}, output, ctxFor()) as any;
  assert.ok(Object.isFrozen(next) && Object.isFrozen(next.code.files[0]));
  assert.throws(() => { next.code.files[0].name = 'b.ts'; }, TypeError);
  const replaced = applyOutput(() => ({ r: { s: [1] } }), {}, null, ctxFor()) as any;
  assert.ok(Object.isFrozen(replaced.r.s));
});

test('non-JSON put into shared is rejected with the step and the path', () => {
  const e = failure((s) => { s.when = new Date(0) as any; }, {}, null, 'clock');
  assert.is(e.step, 'clock');
  assert.is(e.phase, 'output');
  assert.is(e.message, 'step "clock": output transformer: shared.when is a Date (store date.toISOString()), which is not JSON');
  assert.match(failure(toShared('x'), {}, { n: NaN }).message, /shared\.x\.n is NaN/);
  // Deep inside data that was already there: only the changed branch is walked, and it is.
  const prev = deepFreeze({ a: { b: [1] }, other: { big: [1, 2, 3] } });
  assert.match(failure((s) => { (s.a as any).b.push(NaN); }, prev, null).message, /shared\.a\.b\[1\] is NaN/);
});

test('shared must stay a plain object; mutating and returning at once is refused', () => {
  assert.match(failure((() => [1]) as any, {}, null).message, /shared must stay a plain object, but the transformer made it an array/);
  const both = failure((s) => { s.a = 1; return { b: 2 }; }, {}, null);
  assert.is(both.message, 'step "draft": output transformer: it both changed its draft and returned a new object; do one or the other');
});

test('errors thrown by a transformer are wrapped with the step id', () => {
  const e = failure(() => { throw new Error('score missing'); }, {}, null, 'judge');
  assert.is(e.message, 'step "judge": output transformer: score missing');
  assert.instance(e.cause, Error);
});

test('customOutput: mutate or return an object; anything else names the step', () => {
  const best = customOutput<{ score: number }>((s, out) => { s.best = Math.max(Number(s.best ?? 0), out.score); });
  let shared: JsonObject = {};
  for (const score of [3, 9, 4]) shared = applyOutput(best, shared, { score }, ctxFor());
  assert.equal(shared, { best: 9 });
  assert.equal(applyOutput(customOutput(() => ({ only: 1 })), { x: 1 }, null, ctxFor()), { only: 1 });
  assert.match(failure(customOutput(() => 'text' as any), {}, null, 'j').message, /custom output transformer of step "j" must return nothing or a plain object, got "text"/);
  assert.throws(() => customOutput(null as any), /expected a function/);
});

test('no output transformer leaves shared as it is', () => {
  const prev = deepFreeze({ a: 1 });
  assert.is(applyOutput(undefined, prev, { x: 1 }, ctxFor()), prev);
});

test.run();
