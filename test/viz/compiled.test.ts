import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, compileWorkflow } from '../../machines/index.ts';
import { readChart } from '../../src/viz/chart.ts';
import { renderWorkflowSvg } from '../../src/viz/svg.ts';

const worker = defineWorker({ name: 'echo', description: 'Echoes.', input: z.any(), output: z.any(), run: (x) => x, retry: { maxAttempts: 3 } });

test('compiled graph workflow: every state drawn, retry loop and failure edges present', async () => {
  const wf = defineWorkflow({
    id: 'g1',
    onFailure: 'failed',
    steps: [
      { id: 'fetch', worker, onSuccess: 'check', timeoutMs: 1000 },
      { id: 'check', worker, onSuccess: [{ target: 'fetch', label: 'again', maxTimes: 2, when: ({ output }) => output === 1 }, { target: 'review' }] },
      { id: 'review', type: 'approval', timeoutMs: 60_000, onSuccess: 'succeeded' },
    ],
  });
  const { config } = compileWorkflow(wf);
  const chart = readChart(config);
  const svg = await renderWorkflowSvg(config);
  assert.is((svg.match(/<g class="state /g) ?? []).length, chart.states.length);
  assert.is((svg.match(/<g class="transition /g) ?? []).length, chart.transitions.length);
  const labels = chart.transitions.map((t) => t.label);
  assert.ok(labels.includes('fail.fetch [canRetry(maxAttempts: 3)]'), labels.join(' | '));
  assert.ok(labels.includes('after backoff_fetch'));
  assert.ok(labels.includes('done.check [again ≤2×]'), labels.join(' | '));
  const timeout = chart.transitions.find((t) => t.delay === 'timeout_fetch' && t.targets.includes('g1.failed'))!;
  assert.is(timeout.kind, 'failure');
  assert.is(chart.transitions.find((t) => t.event === 'reject.review')!.kind, 'failure');
});

test('compiled DAG workflow: parallel regions, blocked -> running on deps', async () => {
  const wf = defineWorkflow({
    id: 'd1',
    steps: [
      { id: 'a', worker },
      { id: 'b', worker },
      { id: 'c', worker, dependsOn: ['a', 'b'] },
    ],
  });
  const { config } = compileWorkflow(wf);
  const chart = readChart(config);
  assert.is(chart.states.find((s) => s.relPath === 'dag')!.kind, 'parallel');
  assert.equal(chart.states.filter((s) => s.region).map((s) => s.key), ['a', 'b', 'c']);
  assert.ok(chart.transitions.some((t) => t.label === 'always [after a, b]'));
  const svg = await renderWorkflowSvg(config);
  assert.is((svg.match(/<g class="state /g) ?? []).length, chart.states.length);
});

test.run();
