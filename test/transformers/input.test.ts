import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  TransformError, combine, customInput, fromInput, fromLast, fromStep, mergeDeps, pick, rename, template,
  type InputTransformer, type RunContext, type StepInfo,
} from '../../transformers/index.ts';
import { applyInput } from '../../transformers/apply.ts';
import { deepFreeze } from '../../transformers/json.ts';

const ctx: RunContext = deepFreeze({
  input: { topic: 'tides', brief: { words: 300, tags: ['sea', 'moon'] } },
  outputs: {
    research: { title: 'Tides', notes: 'The moon pulls.', sources: [{ url: 'a' }, { url: 'b' }] },
    outline: { title: 'Outline', sections: ['intro', 'body'] },
    count: 3,
  },
  shared: { tone: 'calm', drafts: ['d1'] },
  last: 'outline',
}) as RunContext;

const step = (id = 'write', dependsOn: string[] = []): StepInfo => ({ id, dependsOn });

/** Runs through applyInput, as the hub does, and returns the thrown TransformError. */
function failure(t: InputTransformer, c: RunContext = ctx, s: StepInfo = step()): TransformError {
  try {
    applyInput(t, c, s);
  } catch (e) {
    assert.instance(e, TransformError);
    return e as TransformError;
  }
  throw new assert.Assertion({ message: 'expected the transformer to fail' } as any);
}

test('fromInput: whole input and dotted paths', () => {
  assert.is(applyInput(fromInput(), ctx, step()), ctx.input);
  assert.is(applyInput(fromInput('brief.tags[1]'), ctx, step()), 'moon');
  assert.is(applyInput(fromInput('brief.tags.0'), ctx, step()), 'sea');
});

test('fromInput: a missing path names the path and what is there', () => {
  const e = failure(fromInput('brief.length'));
  assert.is(e.step, 'write');
  assert.is(e.phase, 'input');
  assert.is(e.message, 'step "write": input transformer: run input has no brief.length: brief has no key "length" (keys: "words", "tags")');
  assert.match(failure(fromInput('brief.tags[5]')).message, /brief\.tags\[5\]: brief\.tags has 2 items/);
  assert.match(failure(fromInput('topic.x')).message, /topic is a string/);
});

test('fromInput: a malformed path fails when the transformer is built', () => {
  assert.throws(() => fromInput('a..b'), /bad path "a\.\.b" at character 2/);
  assert.throws(() => fromInput('a[x]'), /bad path/);
});

test('fromStep: output, path, and errors naming the step and the path', () => {
  assert.is(applyInput(fromStep('research', 'sources[1].url'), ctx, step()), 'b');
  assert.equal(applyInput(fromStep('outline'), ctx, step()), ctx.outputs.outline);
  const missingStep = failure(fromStep('review'));
  assert.match(missingStep.message, /^step "write": input transformer: step "review" has no output yet \(steps with an output: "research", "outline", "count"\)$/);
  const missingPath = failure(fromStep('research', 'sources[0].title'));
  assert.match(missingPath.message, /output of step "research" has no sources\[0\]\.title/);
});

test('fromStep: prototype keys are not outputs', () => {
  assert.match(failure(fromStep('research', 'constructor')).message, /has no key "constructor"/);
  assert.match(failure(fromStep('toString')).message, /step "toString" has no output yet/);
});

test('fromLast: the most recent output, or a clear error before any step succeeded', () => {
  assert.is(applyInput(fromLast(), ctx, step()), ctx.outputs.outline);
  const e = failure(fromLast(), { ...ctx, last: undefined });
  assert.match(e.message, /no step has succeeded yet/);
});

test('pick: only the listed fields; a missing one names the step and field', () => {
  assert.equal(applyInput(pick('research', ['title', 'notes']), ctx, step()), { title: 'Tides', notes: 'The moon pulls.' });
  assert.match(failure(pick('research', ['title', 'summary'])).message, /output of step "research" has no summary/);
  assert.match(failure(pick('count', ['x'])).message, /pick needs the output of step "count" to be an object, got 3/);
});

test('rename: renames, keeps the rest, swaps work, clobbering is refused', () => {
  assert.equal(applyInput(rename('outline', { sections: 'parts' }), ctx, step()), { title: 'Outline', parts: ['intro', 'body'] });
  assert.equal(applyInput(rename('outline', { sections: 'title', title: 'sections' }), ctx, step()), { title: ['intro', 'body'], sections: 'Outline' });
  assert.match(failure(rename('outline', { sections: 'title' })).message, /would overwrite the existing key title/);
  assert.match(failure(rename('outline', { nope: 'x' })).message, /output of step "outline" has no nope/);
  assert.throws(() => rename('outline', { a: 'x', b: 'x' }), /same name/);
});

test('mergeDeps: zero deps -> input, one -> that output, several -> keyed by step id', () => {
  assert.is(applyInput(mergeDeps(), ctx, step('s', [])), ctx.input);
  assert.is(applyInput(mergeDeps(), ctx, step('s', ['research'])), ctx.outputs.research);
  const both = applyInput(mergeDeps(), ctx, step('s', ['research', 'outline'])) as any;
  // Both outputs have a `title`; keyed by step id neither is lost.
  assert.is(both.research.title, 'Tides');
  assert.is(both.outline.title, 'Outline');
  assert.equal(Object.keys(both), ['research', 'outline']);
  assert.match(failure(mergeDeps(), ctx, step('s', ['research', 'review'])).message, /^step "s": .*step "review" has no output yet/);
});

test('combine: builds an object; a failing part names its key', () => {
  const t = combine({ topic: fromInput('topic'), notes: fromStep('research', 'notes'), all: mergeDeps() });
  assert.equal(applyInput(t, ctx, step('s', ['count'])), { topic: 'tides', notes: 'The moon pulls.', all: 3 });
  const e = failure(combine({ topic: fromInput('topic'), review: fromStep('review', 'verdict') }));
  assert.match(e.message, /^step "write": input transformer: combine review: step "review" has no output yet/);
  assert.throws(() => combine({ x: 'nope' as any }), /combine: x is not a transformer/);
});

test('template: fills input, steps and shared; non-strings as JSON', () => {
  const t = template('Write {{input.brief.words}} words on {{ input.topic }} ({{shared.tone}}). Notes: {{steps.research.notes}} Tags: {{input.brief.tags}}');
  assert.is(applyInput(t, ctx, step()), 'Write 300 words on tides (calm). Notes: The moon pulls. Tags: ["sea","moon"]');
  assert.is(applyInput(template('no placeholders'), ctx, step()), 'no placeholders');
});

test('template: an object of templates fills each field and keeps the keys', () => {
  const t = template({ prompt: 'Write about {{input.topic}}', notes: '{{steps.research.notes}}' });
  assert.equal(applyInput(t, ctx, step()), { prompt: 'Write about tides', notes: 'The moon pulls.' });
  assert.match(failure(template({ prompt: '{{shared.mood}}' })).message, /placeholder \{\{shared\.mood\}\}: shared has no mood/);
  assert.throws(() => template({ prompt: 3 } as any), /template: field "prompt" must be a string/);
});

test('template: a missing path is an error naming the placeholder, never an empty string', () => {
  assert.match(failure(template('Sum: {{steps.summarise.summary}}')).message, /template placeholder \{\{steps\.summarise\.summary\}\}: step "summarise" has no output yet/);
  assert.match(failure(template('{{steps.research.summary}}')).message, /placeholder \{\{steps\.research\.summary\}\}: output of step "research" has no summary/);
  assert.match(failure(template('{{shared.mood}}')).message, /placeholder \{\{shared\.mood\}\}: shared has no mood/);
  assert.throws(() => template('{{ctx.input}}'), /\{\{ctx\.input\}\} must start with input, steps\.<id> or shared/);
  assert.throws(() => template('{{steps}}'), /must start with/);
  assert.throws(() => template('Hi {{input..x}}'), /^template: \{\{input\.\.x\}\}: bad path/);
});

test('customInput: result is checked; errors name the step once', () => {
  assert.equal(applyInput(customInput((c) => ({ n: Object.keys(c.outputs).length })), ctx, step()), { n: 3 });
  const bad = failure(customInput(() => ({ when: new Date(0) }) as any));
  assert.is(bad.message, 'step "write": input transformer: input.when is a Date (store date.toISOString()), which is not JSON');
  // Outside the hub it still names the step.
  assert.throws(() => customInput(() => ({ f: undefined }) as any)(ctx, step('solo')), /^step "solo": input transformer: input\.f is undefined/);
  const thrown = failure(customInput(() => { throw 'boom'; }));
  assert.match(thrown.message, /^step "write": input transformer: threw a non-Error value: boom$/);
  assert.throws(() => customInput(3 as any), /expected a function/);
});

test('applyInput: a plain transformer returning non-JSON is reported with its path', () => {
  const e = failure(() => ({ cb: () => 1 }));
  assert.is(e.message, 'step "write": input transformer: input.cb is a function, which is not JSON');
});

test('transformers never change ctx, and what they return from ctx cannot be changed', () => {
  const before = structuredClone(ctx);
  const all: InputTransformer[] = [
    fromInput(), fromInput('brief'), fromStep('research'), fromLast(), pick('research', ['sources']), rename('outline', { title: 't' }),
    mergeDeps(), combine({ a: fromStep('outline', 'sections') }), template('{{steps.research.sources}}'),
  ];
  for (const t of all) {
    const out = applyInput(t, ctx, step('s', ['research', 'outline'])) as any;
    if (out && typeof out === 'object') {
      // Whatever came straight from ctx is frozen; fresh objects may be changed freely without reaching ctx.
      try { out.sources?.push?.('x'); } catch { /* frozen: fine */ }
      try { out.research && (out.research.title = 'x'); } catch { /* frozen: fine */ }
    }
  }
  assert.equal(ctx, before);
  assert.throws(() => (applyInput(fromStep('research'), ctx, step()) as any).sources.push(1), TypeError);
});

test.run();
