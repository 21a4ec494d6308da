import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StepMemory } from '../../planner/model/step-memory.ts';
import { TfIdfIndex } from '../../planner/model/text-index.ts';
import { MEMORY_FEATURES, memoryFromExamples, remember } from '../../planner/model/memory.ts';
import type { Catalog, Example } from '../../planner/types.ts';

const catalog: Catalog = {
  tools: ['clock_alarm_cancel', 'clock_alarm_change', 'send_sms'].map((name) => ({ name, description: name.replace(/_/g, ' ') })),
  links: [],
};
const example = (request: string, steps: [string, string][]): Example => ({
  id: request, request, nodes: steps.map(([w]) => w), links: [], steps: steps.map(([worker, text]) => ({ worker, text })),
});
const examples = [
  example('cancel the 8am alarm and text Li that I overslept', [['clock_alarm_cancel', 'cancel the alarm set for 8:00 AM'], ['send_sms', 'text Li that I overslept']]),
  example('move my daily alarm to 6:30', [['clock_alarm_change', 'change the daily alarm to 6:30 AM']]),
  example('cancel tomorrow alarm', [['clock_alarm_cancel', 'cancel the alarm for tomorrow'], ['unknown_tool', 'cancel the alarm for good']]),
];

test('TfIdfIndex: the k most similar texts sharing a word, best first; excluded and left-out documents never returned', () => {
  const texts = ['cancel my alarm', 'cancel the meeting', 'send a text', 'cancel my alarm now'];
  const index = new TfIdfIndex(texts, MEMORY_FEATURES, (doc) => doc !== 3);
  const hits = index.search('cancel my alarm', 2);
  assert.equal(hits.map((h) => h.doc), [0, 1]);
  assert.ok(hits[0].sim > hits[1].sim && Math.abs(hits[0].sim - 1) < 1e-5, `identical text has cosine 1, got ${hits[0].sim}`);
  assert.equal(index.search('cancel my alarm', 2, 0).map((h) => h.doc), [1]);
  assert.equal(index.search('zebra', 5), []);
  // The scores are scratch shared by every search: a search after others (one excluding its best hit) gives the same hits.
  index.search('send a text', 3);
  assert.equal(index.search('cancel my alarm', 2), hits);
});

test('StepMemory: a clause gets the similarity-weighted workers of its nearest past sub-tasks; unknown workers and unrelated clauses give nothing', () => {
  const steps = new StepMemory(memoryFromExamples(examples), catalog, 2);
  assert.is(steps.size, 4, 'the sub-task of a worker outside the catalog is left out');
  const p = steps.workers('please cancel the alarm for 8:00 AM')!;
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.ok(p[0] > 0.99, `both nearest sub-tasks are cancellations: ${Array.from(p)}`);
  const q = steps.workers('change the alarm')!;
  assert.ok(q[1] > 0 && q[0] > 0 && q[2] === 0, `a change and a cancellation share the words: ${Array.from(q)}`);
  assert.is(steps.workers('quantum chromodynamics lecture'), undefined);
  assert.is(new StepMemory({ requests: ['x'], plans: [['send_sms']] }, catalog).size, 0, 'older memories have no sub-tasks');
});

test('remember: sub-task texts stay aligned with the requests, even when the first examples had none', () => {
  const memory = memoryFromExamples([{ id: 'a', request: 'a', nodes: ['send_sms'], links: [] }]);
  assert.is(memory.steps, undefined, 'no sub-tasks, nothing stored');
  remember(memory, examples[1]);
  assert.equal(memory.steps, [[], [{ worker: 'clock_alarm_change', text: 'change the daily alarm to 6:30 AM' }]]);
  remember(memory, { id: 'b', request: 'b', nodes: ['send_sms'], links: [] });
  assert.equal(memory.steps?.length, memory.requests.length);
});

test.run();
