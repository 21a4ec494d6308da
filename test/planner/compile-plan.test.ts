import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { createMachine } from 'xstate';
import { defineWorker } from '../../machines/worker.ts';
import { compileWorkflow } from '../../machines/compile.ts';
import { compilePlan, planProblems, planRunInput, PlanError, workflowFromRecordedPlan } from '../../planner/compile-plan.ts';
import type { Plan } from '../../planner/types.ts';
import { loadCatalog } from '../../planner/catalog.ts';
import { DEFAULT_CATALOG_FILE } from '../../planner/default-model.ts';

const w = (name: string, input: Record<string, z.ZodType>, output: Record<string, z.ZodType>, run: (i: any) => any) =>
  defineWorker({ name, description: `test ${name}`, input: z.object(input), output: z.object(output), run, retry: { maxAttempts: 2, initialDelayMs: 5 } });
const read = w('read-file', { path: z.string() }, { text: z.string() }, ({ path }) => ({ text: `contents of ${path}` }));
const extract = w('extract-text', { text: z.string() }, { text: z.string(), sections: z.array(z.string()) }, ({ text }) => ({ text, sections: [text] }));
const summarise = w('summarise', { text: z.string() }, { summary: z.string() }, ({ text }) => ({ summary: text.slice(0, 8) }));
const keywords = w('extract-keywords', { text: z.string() }, { keywords: z.array(z.string()) }, ({ text }) => ({ keywords: text.split(' ') }));
const slides = w('structure-slides', { summary: z.string(), sections: z.array(z.string()), keywords: z.array(z.string()) }, { slides: z.number() },
  ({ summary, sections, keywords }) => ({ slides: summary.length + sections.length + keywords.length }));
const workers = [read, extract, summarise, keywords, slides];

const plan: Plan = {
  instruction: 'Make slides from docs/q3.md with keywords',
  confidence: 0.9,
  lowConfidence: false,
  source: 'model',
  nodes: [
    { id: 'n1', worker: 'read-file', dependsOn: [], confidence: 0.99 },
    { id: 'n2', worker: 'extract-text', dependsOn: ['n1'], confidence: 0.99 },
    { id: 'n3', worker: 'summarise', dependsOn: ['n2'], confidence: 0.9 },
    { id: 'n4', worker: 'extract-keywords', dependsOn: ['n2'], confidence: 0.8 },
    { id: 'n5', worker: 'structure-slides', dependsOn: ['n3', 'n4'], confidence: 0.85 },
  ],
};

test('a plan compiles to a DAG workflow with the workers default retry and a createMachine-ready config', () => {
  const wf = compilePlan(plan, workers);
  assert.is(wf.form, 'dag');
  assert.ok(wf.id.startsWith('plan:'));
  assert.equal(wf.steps.map((s) => s.id), ['read-file', 'extract-text', 'summarise', 'extract-keywords', 'structure-slides']);
  assert.equal(wf.steps.find((s) => s.id === 'structure-slides')!.dependsOn, ['summarise', 'extract-keywords']);
  assert.is(wf.steps[0].retry.maxAttempts, 2);
  const { config } = compileWorkflow(wf);
  const json = JSON.parse(JSON.stringify(config));
  assert.equal(json, config);
  const m = createMachine(json);
  assert.ok(m.root.states['structure-slides'] || JSON.stringify(json).includes('structure-slides'));
});

test('a step input is the run input merged with ancestor and dependency outputs, by field name', () => {
  const wf = compilePlan(plan, workers);
  const input = planRunInput({ ...plan, instruction: plan.instruction + ', save them in ./out/' });
  assert.is(input.path, 'docs/q3.md');
  assert.is(input.outDir, './out/');
  const ctx = {
    input: input as any,
    outputs: { 'read-file': { text: 'raw' }, 'extract-text': { text: 'clean words', sections: ['s1'] }, summarise: { summary: 'sum' }, 'extract-keywords': { keywords: ['k'] } },
    shared: {},
  };
  const step = wf.steps.find((s) => s.id === 'structure-slides')!;
  const got = step.input!(ctx, { id: step.id, dependsOn: step.dependsOn }) as any;
  assert.is(got.summary, 'sum');
  assert.equal(got.sections, ['s1']); // from an ancestor, not a direct dependency
  assert.is(got.text, 'clean words'); // the nearer producer wins
  assert.is(got.plan, undefined);
  assert.is(got.path, undefined); // instruction data feeds entry steps only
  assert.is(got.outDir, './out/'); // options reach every step
  const entry = wf.steps[0];
  assert.is((entry.input!(ctx, { id: entry.id, dependsOn: [] }) as any).path, 'docs/q3.md');
});

test('with a catalog, only ancestors that may hand off to a step feed it', () => {
  const catalog = { tools: workers.map((x) => ({ name: x.name, description: x.description })), links: [
    { source: 'read-file', target: 'extract-text' }, { source: 'extract-text', target: 'summarise' }, { source: 'extract-text', target: 'extract-keywords' },
    { source: 'summarise', target: 'structure-slides' }, { source: 'extract-keywords', target: 'structure-slides' }] };
  const wf = compilePlan(plan, workers, { catalog });
  const step = wf.steps.find((s) => s.id === 'structure-slides')!;
  const ctx = { input: {}, outputs: { 'read-file': { text: 'raw', path: '/doc.md' }, 'extract-text': { text: 'clean', sections: ['s1'] }, summarise: { summary: 's' }, 'extract-keywords': { keywords: [] } }, shared: {} };
  const got = step.input!(ctx, { id: step.id, dependsOn: step.dependsOn }) as any;
  assert.is(got.path, undefined); // read-file cannot hand off to structure-slides
  assert.equal(Object.keys(got).sort(), ['keywords', 'summary']);
  const loose = compilePlan(plan, workers).steps.find((s) => s.id === 'structure-slides')!;
  assert.equal((loose.input!(ctx, { id: step.id, dependsOn: step.dependsOn }) as any).sections, ['s1']);
});

test('planRunInput reads a named CSV into csv, and names an unreadable one', () => {
  const p: Plan = { ...plan, instruction: 'chart fixtures/planner/nope.csv', nodes: [{ id: 'n1', worker: 'csv-stats', dependsOn: [], confidence: 1 }] };
  assert.throws(() => planRunInput(p), /names fixtures\/planner\/nope\.csv, which cannot be read \(ENOENT\)/);
  assert.is(planRunInput(p, { readFiles: false }).csvPath, 'fixtures/planner/nope.csv');
  // A table pasted into the instruction is the CSV itself: nothing to read.
  const pasted: Plan = { ...p, instruction: 'quick numbers on this please\nproduct,units\nmug,62\ncoaster,40' };
  assert.equal([planRunInput(pasted).csv, planRunInput(pasted).csvPath], ['product,units\nmug,62\ncoaster,40', undefined]);
});

test('the run output merges every sink', () => {
  const p: Plan = { ...plan, nodes: plan.nodes.slice(0, 4) };
  const wf = compilePlan(p, workers);
  const out = wf.output!({ input: {}, outputs: { summarise: { summary: 's' }, 'extract-keywords': { keywords: ['a'] } }, shared: {} }) as any;
  assert.equal(out, { summary: 's', keywords: ['a'] });
});

test('unknown worker, unknown dependency and cycles are rejected with the node named', () => {
  const bad = { ...plan, nodes: [...plan.nodes, { id: 'n6', worker: 'render-deck', dependsOn: ['n5'], confidence: 1 }] };
  assert.throws(() => compilePlan(bad, workers), (e: Error) => e instanceof PlanError && /node n6: unknown worker "render-deck"/.test(e.message) && /known workers: read-file/.test(e.message));
  const cyc = { nodes: [{ id: 'a', worker: 'summarise', dependsOn: ['b'] }, { id: 'b', worker: 'extract-text', dependsOn: ['a'] }] };
  assert.equal(planProblems(cyc, new Set(['summarise', 'extract-text'])), ['dependency cycle among nodes a, b']);
  const dangling = { nodes: [{ id: 'a', worker: 'summarise', dependsOn: ['zz'] }] };
  assert.equal(planProblems(dangling, new Set(['summarise'])), ['node a: depends on unknown node "zz"']);
  const catalog = { tools: [{ name: 'summarise', description: 'x' }, { name: 'read-file', description: 'y' }], links: [] };
  assert.equal(planProblems({ nodes: [{ id: 'a', worker: 'read-file', dependsOn: [] }, { id: 'b', worker: 'summarise', dependsOn: ['a'] }] }, catalog, { requireHandOffs: true }),
    ['node b: read-file -> summarise is not an allowed hand-off in the tool graph']);
});

test('a recorded plan rebuilds the same workflow (hash included), with or without its catalog hand-offs', async () => {
  const catalog = { tools: workers.map((x) => ({ name: x.name, description: x.description })), links: [
    { source: 'read-file', target: 'extract-text' }, { source: 'extract-text', target: 'summarise' }, { source: 'extract-text', target: 'structure-slides' }] };
  const wf = compilePlan(plan, workers, { catalog });
  const recorded = planRunInput(plan, { catalog }).plan;
  assert.equal(recorded.handOffs, [['extract-text', 'structure-slides'], ['extract-text', 'summarise'], ['read-file', 'extract-text']]);
  const again = workflowFromRecordedPlan(JSON.stringify(recorded), workers);
  assert.is(again.hash, wf.hash);
  assert.is(again.id, wf.id);
  assert.is.not(compilePlan(plan, workers).id, wf.id); // the hand-offs are part of the identity
  const bare = workflowFromRecordedPlan({ ...recorded, handOffs: undefined }, workers);
  assert.is(bare.hash, compilePlan(plan, workers).hash);
  assert.throws(() => workflowFromRecordedPlan('{"nodes": [{"id": "a", "worker": "x", "dependsOn": ["b"]}]}', workers), /node a: depends on unknown node "b"/);
});

test('without recorded hand-offs, a plan rebuilds with the catalog it was planned over (either link spelling)', async () => {
  const { defaultWorkers, defaultCatalog } = await import('../../workflows/catalog.ts');
  const rec = { nodes: plan.nodes.map(({ id, worker, dependsOn }) => ({ id, worker, dependsOn })), confidence: 1, source: 'model' as const };
  const rebuilt = workflowFromRecordedPlan(rec, defaultWorkers, { catalog: loadCatalog(DEFAULT_CATALOG_FILE) });
  assert.is(rebuilt.hash, compilePlan(plan, defaultWorkers, { catalog: loadCatalog(DEFAULT_CATALOG_FILE) }).hash);
  assert.is(rebuilt.hash, compilePlan(plan, defaultWorkers, { catalog: defaultCatalog as any }).hash);
});

test('the same worker twice gets distinct step ids', () => {
  const wf = compilePlan({ nodes: [{ id: 'a', worker: 'summarise', dependsOn: [], confidence: 1 }, { id: 'b', worker: 'summarise', dependsOn: ['a'], confidence: 1 }] }, workers);
  assert.equal(wf.steps.map((s) => s.id), ['summarise', 'summarise-2']);
});

test.run();
