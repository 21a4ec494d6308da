import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import { compileWorkflow, defineWorkflow, toMermaid, WorkflowDefinitionError } from '../../machines/index.ts';
import { echo } from '../support/workers.ts';

const review = () =>
  defineWorkflow({
    id: 'review',
    onFailure: 'failed',
    steps: [
      { id: 'write', worker: echo, retry: { maxAttempts: 3, initialDelayMs: 100 }, timeoutMs: 5000 },
      { id: 'check', worker: echo, onSuccess: [{ when: ({ output }) => output.ok === true, target: 'succeeded', label: 'approved' }, { target: 'write', maxTimes: 2, label: 'changes requested' }] },
    ],
  });

test('the config is plain JSON that createMachine accepts, with every step state visible', () => {
  const { config } = compileWorkflow(review());
  const json = JSON.parse(JSON.stringify(config));
  assert.equal(json, config);
  const machine = createMachine(json);
  assert.ok(machine.getStateNodeById('review.write.running'));
  assert.ok(machine.getStateNodeById('review.write.waiting'));
  assert.equal(config.states.write.states.waiting.after, { backoff_write: { target: 'running' } });
  const onFail = config.states.write.states.running.on['fail.write'];
  assert.equal(onFail[0].guard, { type: 'canRetry', params: { step: 'write', maxAttempts: 3, nonRetryable: [] } });
  assert.ok(config.states.write.states.running.after.timeout_write, 'the per-attempt timeout is a delayed transition');
  const loop = config.states.check.states.running.on['done.check'];
  assert.equal(loop[1].guard.params.maxTimes, 2);
  assert.equal(loop[2].target, '#review.failed', 'an exhausted loop fails the run');
  assert.equal(config.states.succeeded.type, 'final');
});

test('a workflow that can loop forever is rejected after compiling', () => {
  const wf = defineWorkflow({ id: 'forever', onFailure: 'failed', steps: [{ id: 'a', worker: echo, onSuccess: 'b' }, { id: 'b', worker: echo, onSuccess: 'a' }] });
  try {
    compileWorkflow(wf);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, WorkflowDefinitionError);
    assert.match((e as Error).message, /can loop forever/);
  }
  // The same loop with a bound compiles.
  compileWorkflow(defineWorkflow({ id: 'bounded', onFailure: 'failed', steps: [{ id: 'a', worker: echo, onSuccess: 'b' }, { id: 'b', worker: echo, onSuccess: [{ target: 'a', maxTimes: 3 }, { target: 'succeeded' }] }] }));
});

test('DAG form: parallel regions joined before dependants; wide fan-outs become one group state', () => {
  const members = Array.from({ length: 40 }, (_, i) => `m${i}`);
  const wf = defineWorkflow({
    id: 'fan',
    steps: [{ id: 'src', worker: echo, dependsOn: [] }, { id: 'side', worker: echo, dependsOn: [] }, ...members.map((id) => ({ id, worker: echo, dependsOn: ['src'] })), { id: 'sink', worker: echo, dependsOn: [...members, 'side'] }],
  });
  const { config, groups } = compileWorkflow(wf);
  assert.equal(config.states.dag.type, 'parallel');
  assert.equal(Object.keys(config.states.dag.states), ['src', 'side', 'group_m0', 'sink']);
  assert.equal(groups.get('group_m0')!.members.length, 40);
  assert.equal(config.states.dag.states.sink.states.blocked.always.guard, { type: 'depsDone', params: { deps: ['group_m0', 'side'] } });
  const narrow = compileWorkflow(wf, { maxParallelRegions: 100 });
  assert.equal(Object.keys(narrow.config.states.dag.states).length, 43);
});

test('mermaid export names every state and labels retry bounds', () => {
  const text = toMermaid(compileWorkflow(review()));
  assert.match(text, 'stateDiagram-v2');
  assert.match(text, 'write__running --> write__waiting : fail.write [canRetry < 3]');
  assert.match(text, 'check__running --> write : done.check [branch x2 changes requested]');
});

test.run();
