import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { run, createJsonlStore } from '../../src/index.ts';
import { compilePlan, planRunInput } from '../../planner/compile-plan.ts';
import { examplesFromHistory, scanHistory } from '../../planner/history.ts';
import type { Plan } from '../../planner/types.ts';

const w = (name: string, run: (i: any) => any, fail = false) =>
  defineWorker({ name, description: name, input: z.object({ text: z.string().optional(), path: z.string().optional() }), output: z.record(z.string(), z.any()),
    run: (i) => { if (fail) throw new Error('boom'); return run(i); }, retry: { maxAttempts: 1 } });
const workers = [
  w('read-file', ({ path }) => ({ text: `text of ${path}` })),
  w('sentiment', ({ text }) => ({ sentiment: text.length % 2 ? 'positive' : 'negative' })),
  w('text-stats', ({ text }) => ({ stats: { words: text.split(' ').length } })),
  w('compose-report', (i) => ({ report: JSON.stringify(i).length })),
];
const broken = [...workers.slice(0, 3), w('compose-report', () => ({}), true)];

const plan: Plan = {
  instruction: 'Read notes.txt, get the sentiment and word counts, and write a report',
  confidence: 0.9, lowConfidence: false, source: 'model',
  nodes: [
    { id: 'n1', worker: 'read-file', dependsOn: [], confidence: 1 },
    { id: 'n2', worker: 'sentiment', dependsOn: ['n1'], confidence: 1 },
    { id: 'n3', worker: 'text-stats', dependsOn: ['n1'], confidence: 1 },
    { id: 'n4', worker: 'compose-report', dependsOn: ['n2', 'n3'], confidence: 1 },
  ],
};

test('a successful planned run becomes an example; failed and unplanned runs are skipped with a reason', async () => {
  const root = mkdtempSync(join(tmpdir(), 'orchestai-hist-'));
  const store = createJsonlStore(root);
  const ok = await run(compilePlan(plan, workers), planRunInput(plan) as any, { store, instruction: plan.instruction });
  assert.is(ok.status, 'succeeded');
  const bad = await run(compilePlan(plan, broken), planRunInput(plan) as any, { store, instruction: plan.instruction });
  assert.is(bad.status, 'failed');
  await run(compilePlan(plan, workers), { path: 'x.txt' }, { store });
  const scan = scanHistory(join(root, 'runs'));
  assert.is(scan.examples.length, 1);
  assert.equal(scan.examples[0], {
    id: `history-${ok.runId}`,
    request: plan.instruction,
    nodes: ['read-file', 'sentiment', 'text-stats', 'compose-report'],
    links: [
      { source: 'read-file', target: 'sentiment' },
      { source: 'read-file', target: 'text-stats' },
      { source: 'sentiment', target: 'compose-report' },
      { source: 'text-stats', target: 'compose-report' },
    ],
    planSource: 'model',
  });
  assert.equal(scan.skipped.map((s) => s.reason).sort(), ['not planned from an instruction', 'run failed']);
  assert.equal(examplesFromHistory(root), scan.examples); // the store root works too
});

const line = (o: object) => JSON.stringify(o);
test('without a recorded plan, the DAG is inferred from waves of starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-hist-'));
  const events = [
    { seq: 1, t: 0, type: 'run.started', runId: 'r1', workflowId: 'doc', workflowHash: 'h', input: { path: 'a.md' }, instruction: 'summarise a.md and tag it' },
    { seq: 2, t: 1, type: 'step.started', step: 'read', worker: 'read-file', attempt: 1, input: {} },
    { seq: 3, t: 2, type: 'step.succeeded', step: 'read', attempt: 1, output: {}, durationMs: 1 },
    { seq: 4, t: 3, type: 'step.started', step: 'sum', worker: 'summarise', attempt: 1, input: {} },
    { seq: 5, t: 3, type: 'step.started', step: 'kw', worker: 'extract-keywords', attempt: 1, input: {} },
    { seq: 6, t: 4, type: 'step.succeeded', step: 'kw', attempt: 1, output: {}, durationMs: 1 },
    { seq: 7, t: 5, type: 'step.started', step: 'sum', worker: 'summarise', attempt: 2, input: {} },
    { seq: 8, t: 6, type: 'step.succeeded', step: 'sum', attempt: 2, output: {}, durationMs: 1 },
    { seq: 9, t: 7, type: 'run.finished', status: 'succeeded', cost: 0, durationMs: 7 },
  ];
  writeFileSync(join(dir, 'r1.jsonl'), events.map(line).join('\n') + '\n');
  const [ex] = examplesFromHistory(dir);
  assert.equal(ex.nodes, ['read-file', 'summarise', 'extract-keywords']);
  assert.equal(ex.links, [{ source: 'read-file', target: 'summarise' }, { source: 'read-file', target: 'extract-keywords' }]);
});

test('a malformed line is an error naming file and line; a missing directory is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-hist-'));
  mkdirSync(join(dir, 'runs'));
  const f = join(dir, 'runs', 'r2.jsonl');
  writeFileSync(f, line({ seq: 1, t: 0, type: 'run.started', runId: 'r2', input: {}, instruction: 'x' }) + '\n{not json\n' + line({ seq: 3, t: 1, type: 'run.finished', status: 'succeeded' }) + '\n');
  assert.throws(() => examplesFromHistory(dir), (e: Error) => e.message.startsWith(`${f}:2: not valid JSON`));
  assert.throws(() => examplesFromHistory(join(dir, 'nope')), /nope: not a history directory/);
});

test.run();
