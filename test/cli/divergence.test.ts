import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeDifference } from '../../src/replay.ts';

/** What `orchestai replay` prints as "expected (recorded)" and "actual (workflow now)" for two events. */
const diff = (expected: object, actual: object) => describeDifference({ seq: 1, t: 0, ...expected } as any, actual as any);

test('same type, different field: the field is named with its value on each side', () => {
  assert.equal(diff({ type: 'run.started', runId: 'r', workflowId: 'slow-chain', workflowHash: 'h', input: { n: 0 } }, { type: 'run.started', runId: 'r', workflowId: 'reordered-chain', workflowHash: 'h', input: { n: 0 } }), {
    expected: 'run.started workflowId "slow-chain"',
    actual: 'run.started workflowId "reordered-chain"',
  });
  assert.equal(diff({ type: 'run.started', workflowId: 'w', input: { n: 0 } }, { type: 'run.started', workflowId: 'w', input: { n: 1 } }), { expected: 'run.started input {"n":0}', actual: 'run.started input {"n":1}' });
  const started = { type: 'step.started', step: 's1', worker: 'summarise', attempt: 1, input: { text: 'a' } };
  assert.equal(diff(started, { ...started, input: { text: 'b' } }), { expected: 'step.started s1 input {"text":"a"}', actual: 'step.started s1 input {"text":"b"}' });
  assert.equal(diff(started, { ...started, worker: 'translate' }), { expected: 'step.started s1 worker "summarise"', actual: 'step.started s1 worker "translate"' });
  assert.equal(diff(started, { ...started, attempt: 2 }), { expected: 'step.started s1 attempt 1', actual: 'step.started s1 attempt 2' });
  const finished = { type: 'run.finished', status: 'succeeded', final: 'succeeded', output: { ok: true } };
  assert.equal(diff(finished, { ...finished, output: undefined }), { expected: 'run.finished output {"ok":true}', actual: 'run.finished output null' });
});

test('a large value: the path to where it differs, not two identical truncated previews', () => {
  const doc = { title: 'x'.repeat(300), sections: [{ heading: 'Intro', words: 120 }, { heading: 'Method', words: 800 }] };
  const changed = { ...doc, sections: [doc.sections[0], { heading: 'Methods', words: 800 }] };
  const started = { type: 'step.started', step: 'outline', worker: 'structure', attempt: 1 };
  assert.equal(diff({ ...started, input: { doc } }, { ...started, input: { doc: changed } }), {
    expected: 'step.started outline input.doc.sections[1].heading "Method"',
    actual: 'step.started outline input.doc.sections[1].heading "Methods"',
  });
  assert.equal(diff({ ...started, input: { doc, extra: 1 } }, { ...started, input: { doc } }), { expected: 'step.started outline input.extra 1', actual: 'step.started outline input.extra (absent)' });
  assert.equal(diff({ ...started, input: { doc, 'a key': 1 } }, { ...started, input: { doc, 'a key': 2 } }), { expected: 'step.started outline input["a key"] 1', actual: 'step.started outline input["a key"] 2' });
});

test('fields the description already shows, and different types, are described as they are', () => {
  assert.equal(diff({ type: 'transition', event: 'xstate.init', from: [], to: ['s0.running'] }, { type: 'transition', event: 'xstate.init', from: [], to: ['s1.running'] }), {
    expected: 'transition on xstate.init from [] to [s0.running]',
    actual: 'transition on xstate.init from [] to [s1.running]',
  });
  assert.equal(diff({ type: 'step.succeeded', step: 'a', attempt: 1 }, { type: 'step.succeeded', step: 'b', attempt: 1 }), { expected: 'step.succeeded a (attempt 1)', actual: 'step.succeeded b (attempt 1)' });
  assert.equal(diff({ type: 'timer.set', id: 't', delayMs: 10 }, { type: 'timer.set', id: 't', delayMs: 20 }), { expected: 'timer.set t (10 ms)', actual: 'timer.set t (20 ms)' });
  assert.equal(diff({ type: 'step.started', step: 'a', worker: 'w', attempt: 1, input: null }, { type: 'step.started', step: 'b', worker: 'w', attempt: 1, input: null }), {
    expected: 'step.started a (worker w, attempt 1)',
    actual: 'step.started b (worker w, attempt 1)',
  });
  assert.equal(diff({ type: 'timer.fired', id: 't' }, { type: 'step.started', step: 'b', worker: 'w', attempt: 1, input: null }), { expected: 'timer.fired t', actual: 'step.started b (worker w, attempt 1)' });
});

test.run();
