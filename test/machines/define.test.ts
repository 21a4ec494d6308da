import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineWorkflow, WorkflowDefinitionError, type Problem } from '../../machines/index.ts';
import { echo } from '../support/workers.ts';

function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (e) {
    assert.instance(e, WorkflowDefinitionError);
    return [...(e as WorkflowDefinitionError).problems];
  }
  assert.unreachable('expected a WorkflowDefinitionError');
  return [];
}

test('one error lists every problem with its step and field', () => {
  const problems = problemsOf(() =>
    defineWorkflow({
      id: 'bad',
      steps: [
        { id: 'a', worker: echo, onSuccess: 'nowhere', onFailure: 'failed' },
        { id: 'a', worker: echo, onFailure: 'failed' },
        { id: 'c', worker: echo, onSuccess: 'succeeded' },
        { id: 'd', worker: echo, onSuccess: 'succeeded', onFailure: 'failed' },
      ],
    }),
  );
  const text = problems.map((p) => `${p.step}/${p.field}: ${p.message}`);
  assert.ok(text.some((t) => t.startsWith('a/onSuccess: unknown target "nowhere"')), text.join('\n'));
  assert.ok(text.some((t) => t.startsWith('a/id: duplicate')), text.join('\n'));
  assert.ok(text.some((t) => t.startsWith('c/onFailure: no failure path')), text.join('\n'));
  assert.ok(text.some((t) => t.startsWith('d/undefined: unreachable')), text.join('\n'));
});

test('DAG form: unknown dependency, self-dependency and cycles are reported', () => {
  const problems = problemsOf(() =>
    defineWorkflow({
      id: 'dag',
      steps: [
        { id: 'a', worker: echo, dependsOn: ['c'] },
        { id: 'b', worker: echo, dependsOn: ['a', 'ghost'] },
        { id: 'c', worker: echo, dependsOn: ['b'] },
        { id: 'd', worker: echo, dependsOn: ['d'] },
      ],
    }),
  );
  const messages = problems.map((p) => p.message).join('\n');
  assert.match(messages, 'unknown step "ghost"');
  assert.match(messages, 'depends on itself');
  assert.match(messages, /dependency cycle among steps "a", "b", "c"/);
});

test('mixing dependsOn and onSuccess is rejected', () => {
  const problems = problemsOf(() => defineWorkflow({ id: 'mix', steps: [{ id: 'a', worker: echo, dependsOn: [] }, { id: 'b', worker: echo, onSuccess: 'succeeded' }] }));
  assert.ok(problems.some((p) => p.step === 'b' && p.field === 'onSuccess'));
});

test('retry policy fields are validated per step', () => {
  const problems = problemsOf(() => defineWorkflow({ id: 'r', onFailure: 'failed', steps: [{ id: 'a', worker: echo, retry: { maxAttempts: 0 } }] }));
  assert.equal(problems[0].step, 'a');
  assert.equal(problems[0].field, 'retry.maxAttempts');
});

test('a task step without a worker and an approval without timeout are reported', () => {
  const problems = problemsOf(() => defineWorkflow({ id: 'w', onFailure: 'failed', steps: [{ id: 'a' } as any, { id: 'b', type: 'approval' } as any] }));
  assert.ok(problems.some((p) => p.step === 'a' && p.field === 'worker'));
  assert.ok(problems.some((p) => p.step === 'b' && p.field === 'timeoutMs'));
});

test('graph form defaults: next step on success, worker retry policy, stable hash', () => {
  const make = () => defineWorkflow({ id: 'lin', onFailure: 'failed', steps: [{ id: 'a', worker: echo }, { id: 'b', worker: echo }] });
  const wf = make();
  assert.equal(wf.form, 'graph');
  assert.equal(wf.steps[0].branches, [{ target: 'b' }]);
  assert.equal(wf.steps[1].branches, [{ target: 'succeeded' }]);
  assert.equal(wf.hash, make().hash);
  const other = defineWorkflow({ id: 'lin', onFailure: 'failed', steps: [{ id: 'b', worker: echo }, { id: 'a', worker: echo }] });
  assert.is.not(other.hash, wf.hash);
});

test.run();
