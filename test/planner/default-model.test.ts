import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkers } from '../../workflows/catalog.ts';
import { run, createJsonlStore } from '../../src/index.ts';
import { compileWorkflow } from '../../machines/index.ts';
import { plan, planWithDetails, compilePlan, planRunInput, PlanRefusedError, type Plan } from '../../planner/index.ts';
import { planProblems } from '../../planner/compile-plan.ts';
import { examplesFromHistory } from '../../planner/history.ts';
import { DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';

const tmp = mkdtempSync(join(tmpdir(), 'orchestai-default-model-'));
const store = createJsonlStore(join(tmp, 'home'));

async function planAndRun(instruction: string): Promise<{ plan: Plan; result: Awaited<ReturnType<typeof run>> }> {
  const { plan: p, catalog } = await planWithDetails(instruction, { llm: null });
  const wf = compilePlan(p, defaultWorkers, { catalog });
  compileWorkflow(wf); // the statechart compiles
  const result = await run(wf, planRunInput(p, { catalog }) as any, { store, instruction });
  return { plan: p, result };
}

test('the committed default model is small and loads', () => {
  const manifest = existsSync(join(DEFAULT_MODEL_DIR, 'ensemble.json')) ? 'ensemble.json' : 'model.json';
  const bytes = statSync(join(DEFAULT_MODEL_DIR, 'weights.bin')).size + statSync(join(DEFAULT_MODEL_DIR, manifest)).size;
  assert.ok(bytes < 20e6, `${bytes} bytes`);
});

test('the committed model still scores what its metrics.json says on the held-out fixtures (guards against inference drift)', async () => {
  const { evaluate } = await import('../../planner/eval.ts');
  const { loadAnyModel } = await import('../../planner/model/io.ts');
  const { loadExamplesJsonl } = await import('../../planner/data/jsonl.ts');
  const { modelText, readPreprocessing } = await import('../../planner/default-model.ts');
  const recorded = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'metrics.json'), 'utf8')).model.test;
  const model = loadAnyModel(DEFAULT_MODEL_DIR);
  // Read as pool-default.ts scored it: with the model's own preprocessing (paths and quoted passages masked).
  const pre = readPreprocessing(DEFAULT_MODEL_DIR);
  const test = loadExamplesJsonl('fixtures/planner/test.jsonl').map((e) => ({ ...e, request: modelText(e.request, pre) }));
  const ev = evaluate((s) => model.plan(s), test, model.catalog);
  assert.is(ev.invalidPlans, 0);
  for (const k of ['nodeF1', 'linkF1', 'accuracy'] as const) assert.ok(Math.abs(100 * ev[k] - recorded[k]) < 0.5, `${k}: ${100 * ev[k]} vs recorded ${recorded[k]}`);
});

test('a bare .md path does not suggest HTML conversion; the plan names only what was asked', async () => {
  const p = await plan('Summarise fixtures/papers/street-trees.md', { llm: null });
  assert.equal(p.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  assert.equal(p.nodes.map((n) => n.dependsOn), [[], ['n1'], ['n2']]);
});

test('a document -> slide deck instruction plans, compiles and runs offline (parallel branches)', async () => {
  const out = join(tmp, 'deck');
  const { plan: p, result } = await planAndRun(`Make a slide deck from fixtures/papers/street-trees.md with the key figures, and save it to ${out}/`);
  assert.equal(p.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise', 'extract-figures', 'structure-slides', 'render-deck']);
  assert.is(result.status, 'succeeded', JSON.stringify(result.error));
  const deck = (result.output as any).path;
  assert.ok(deck.startsWith(out) && existsSync(deck), deck);
  assert.match(readFileSync(deck, 'utf8'), /---/);
});

test('a CSV chart report and a sentiment/stats/keywords report run end to end', async () => {
  const out = join(tmp, 'report');
  const csv = join(tmp, 'sales.csv');
  writeFileSync(csv, 'month,revenue\nJan,120\nFeb,135\nMar,160\n');
  const chart = await planAndRun(`Make a bar chart from ${csv} and put everything into a report in ${out}/`);
  assert.equal(chart.plan.nodes.map((n) => n.worker).sort(), ['compose-report', 'csv-stats', 'render-chart']);
  assert.is(chart.result.status, 'succeeded', JSON.stringify(chart.result.error));
  const doc = await planAndRun('Analyse the sentiment of fixtures/papers/sparse-retrieval.md, count the words in it, extract the keywords and compile the results into one report');
  assert.equal(doc.plan.nodes.map((n) => n.worker).sort(), ['compose-report', 'extract-keywords', 'extract-text', 'read-file', 'sentiment', 'text-stats']);
  assert.is(doc.result.status, 'succeeded', JSON.stringify(doc.result.error));
  const report = readFileSync((doc.result.output as any).path, 'utf8');
  assert.match(report, /sentiment/i);
  // and these successful planned runs are now training examples
  const examples = examplesFromHistory(store.root);
  assert.ok(examples.some((e) => e.request.startsWith('Analyse the sentiment') && e.nodes.includes('compose-report')));
});

test('gibberish is refused clearly; so is a request no worker does; an odd one is a flagged plan; none crashes or names an unknown worker', async () => {
  let refused: Error | undefined;
  await plan('asdf qwer zxcv', { llm: null }).catch((e) => (refused = e));
  assert.instance(refused, PlanRefusedError);
  assert.match(refused!.message, /most words of this instruction are unknown to the planner \(0% known\)/);
  // Every clause is something no worker does (and the model has no conviction): no plan, the clause named.
  let none: Error | undefined;
  await plan('Book a flight to Rome', { llm: null }).catch((e) => (none = e));
  assert.instance(none, PlanRefusedError);
  assert.match(none!.message, 'no worker of the catalog fits this instruction (unmatched: "Book a flight to Rome")');
  // Words the planner knows put together in a way no worker reads: planned, but flagged.
  const odd = await plan('Chart the mayor', { llm: null });
  assert.ok(odd.lowConfidence);
  // With an endpoint configured, the unknown instruction goes to it instead of being refused.
  const answer = { nodes: [{ id: 'a', worker: 'product-manager', dependsOn: [] }] };
  const fakeFetch = (async () => new Response(JSON.stringify({ choices: [{ message: { content: JSON.stringify(answer) } }] }), { status: 200 })) as typeof fetch;
  const viaLlm = await planWithDetails('asdf qwer zxcv', { llm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'm' }, fetch: fakeFetch });
  assert.is(viaLlm.plan.source, 'llm');
  assert.equal(viaLlm.outcome, { status: 'used' });
  for (const text of ['asdf qwer zxcv', '🙂🙂🙂', 'the', '12345 67890']) {
    try {
      const p = await plan(text, { llm: null });
      assert.equal(planProblems(p, new Set(defaultWorkers.map((w) => w.name))), []);
    } catch (e) {
      assert.instance(e, PlanRefusedError);
    }
  }
});


test('a CSV table pasted into the instruction plans csv-stats and runs on the pasted rows', async () => {
  const instruction = 'quick numbers on this please\nproduct,units_sold,price\nteapot,14,18.50\nmug,62,6.00';
  const p = await plan(instruction, { llm: null, env: {} });
  assert.equal(p.nodes.map((n) => n.worker), ['csv-stats']);
  const r = await run(compilePlan(p, defaultWorkers), planRunInput(p) as any, { store });
  assert.is(r.status, 'succeeded');
  assert.equal((r.output as any).columns.map((c: any) => [c.name, c.type]), [['product', 'string'], ['units_sold', 'number'], ['price', 'number']]);
});

test.run();
