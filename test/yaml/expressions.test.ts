import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeTransformer, fromStep, pick, rename, template, toShared, customInput, combine } from '../../transformers/index.ts';
import { applyInput, applyOutput } from '../../transformers/apply.ts';
import type { RunContext } from '../../transformers/types.ts';
import { fromText } from './helpers.ts';

/** Expressions of a workflow file, evaluated through the definition they compile to. */

const ctx: RunContext = {
  input: { topic: 'tides', path: '/papers/a/tides.md', n: 3 },
  outputs: { read: { title: 'Tides', text: 'Moon.', notes: 'n' }, stats: { words: 1 } },
  shared: { seen: ['x'] },
  last: 'stats',
};

/** The input of step `use` in a two-step DAG whose second step has `input` (YAML flow text). */
function inputOf(input: string, c: RunContext = ctx) {
  const wf = fromText(
    `id: t\nsteps:\n  - { id: read, worker: read-file, dependsOn: [] }\n  - { id: stats, worker: text-stats, dependsOn: [read] }\n  - id: use\n    worker: summarise\n    dependsOn: [stats]\n    input: ${input}\n`,
    't.yaml',
  );
  const step = wf.steps.find((s) => s.id === 'use')!;
  return applyInput(step.input!, c, { id: 'use', dependsOn: step.dependsOn });
}

test('references: from input/last, step with path, default, optional in object, is', () => {
  assert.equal(inputOf('{ from: input, path: topic }'), 'tides');
  assert.equal(inputOf('{ from: last }'), { words: 1 });
  assert.equal(inputOf('{ step: read, path: title }'), 'Tides');
  assert.equal(inputOf('{ step: read, path: missing, default: 7 }'), 7);
  assert.equal(inputOf('{ object: { a: { step: read, path: nope, optional: true }, b: { from: input, path: n, is: number } } }'), { b: 3 });
  assert.equal(inputOf('{ object: { a: { from: input, path: n, is: string, optional: true } } }'), {});
  assert.throws(() => inputOf('{ step: read, path: nope }'), /step "use": input transformer: .*has no key "nope"/);
});

test('pick, rename, template, mergeDeps, value, merge, first, dirname', () => {
  assert.equal(inputOf('{ pick: { step: read, fields: [title] } }'), { title: 'Tides' });
  assert.equal(inputOf('{ rename: { step: read, map: { notes: context } } }'), { title: 'Tides', text: 'Moon.', context: 'n' });
  assert.equal(inputOf('{ template: "About {{input.topic}}: {{steps.read.text}}" }'), 'About tides: Moon.');
  assert.equal(inputOf('{ template: { prompt: "{{shared.seen}}" } }'), { prompt: '["x"]' });
  assert.equal(inputOf('{ mergeDeps: true }'), { words: 1 });
  assert.equal(inputOf('{ value: { k: [1, 2] } }'), { k: [1, 2] });
  assert.equal(inputOf('{ merge: [{ step: read }, { step: stats }, { value: { title: T2 } }] }'), { title: 'T2', text: 'Moon.', notes: 'n', words: 1 });
  assert.equal(inputOf('{ first: [{ step: read, path: x }, { from: input, path: topic }] }'), 'tides');
  assert.equal(inputOf('{ first: [{ step: read, path: x }], default: null }'), null);
  assert.equal(inputOf('{ dirname: { from: input, path: path } }'), '/papers/a');
  assert.throws(() => inputOf('{ merge: [{ step: read, path: title }] }'), /merge: item 1 is string, not an object/);
});

test('output expressions fold into shared as the transformers/ builders do', () => {
  const wf = fromText(
    'id: t\nsteps:\n  - { id: a, worker: text-stats, dependsOn: [], output: { appendTo: seen } }\n  - { id: b, worker: text-stats, dependsOn: [a], output: { mergeIntoShared: [words] } }\n  - { id: c, worker: text-stats, dependsOn: [b], output: { toShared: last } }\n',
    't.yaml',
  );
  const [a, b, c] = wf.steps;
  const step = (id: string) => ({ ...ctx, step: { id, dependsOn: [] } });
  let shared = applyOutput(a.output!, ctx.shared as any, 'y', step('a'));
  shared = applyOutput(b.output!, shared, { words: 4, other: 1 }, step('b'));
  shared = applyOutput(c.output!, shared, { z: 1 }, step('c'));
  assert.equal(shared, { seen: ['x', 'y'], words: 4, last: { z: 1 } });
});

test('conditions: equals, notEquals, exists, all, any, not, over output, input and steps', () => {
  const wf = fromText(
    `id: t\nonFailure: failed\nsteps:\n  - id: a\n    worker: text-stats\n    onSuccess:\n      - { target: succeeded, when: { all: [{ field: output.ok, equals: true }, { not: { field: input.skip, exists: true } }] } }\n      - { target: succeeded, when: { any: [{ field: steps.a.ok, notEquals: true }, { field: shared.flag, equals: [1] }] } }\n`,
    't.yaml',
  );
  const [first, second] = wf.steps[0].branches;
  const c = (input: any, outputs: any = {}, shared: any = {}) => ({ ...ctx, input, outputs, shared });
  assert.is(first.when!({ output: { ok: true }, ctx: c({}) }), true);
  assert.is(first.when!({ output: { ok: true }, ctx: c({ skip: 1 }) }), false);
  assert.is(first.when!({ output: { ok: 'true' }, ctx: c({}) }), false);
  assert.is(second.when!({ output: {}, ctx: c({}, { a: { ok: false } }) }), true);
  assert.is(second.when!({ output: {}, ctx: c({}, { a: { ok: true } }, { flag: [1] }) }), true);
  assert.is(second.when!({ output: {}, ctx: c({}, { a: { ok: true } }) }), false);
});

test('editing an expression changes the workflow hash (replay notices), re-reading the same text does not', () => {
  const text = (path: string) => `id: t\nsteps:\n  - { id: read, worker: read-file, dependsOn: [], input: { object: { path: { from: input, path: ${path} } } } }\n`;
  assert.is(fromText(text('path'), 'a.yaml').hash, fromText(text('path'), 'b.yaml').hash);
  assert.is.not(fromText(text('path'), 'a.yaml').hash, fromText(text('file'), 'a.yaml').hash);
});

test('transformers/ builders describe themselves without changing what they do', () => {
  assert.equal(describeTransformer(fromStep('coder', 'files')), { kind: 'fromStep', step: 'coder', path: 'files' });
  assert.equal(describeTransformer(pick('r', ['a'])), { kind: 'pick', step: 'r', fields: ['a'] });
  assert.equal(describeTransformer(rename('r', { a: 'b' })), { kind: 'rename', step: 'r', mapping: { a: 'b' } });
  assert.equal(describeTransformer(template('x {{input}}')), { kind: 'template', spec: 'x {{input}}' });
  assert.equal(describeTransformer(toShared('k')), { kind: 'toShared', key: 'k' });
  const fn = () => 1;
  assert.is((describeTransformer(customInput(fn)) as any).fn, fn);
  assert.equal(Object.keys(combine({ a: fromStep('read') })), [], 'nothing enumerable added');
  assert.is(describeTransformer(() => 1), undefined);
  assert.equal(fromStep('read', 'title')(ctx, { id: 'x', dependsOn: [] }), 'Tides');
});

test.run();
