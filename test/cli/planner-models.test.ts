import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { loadEnsemble } from '../../planner/model/io.ts';
import { modelText, readPreprocessing, defaultCatalog, DEFAULT_MODEL_DIR } from '../../planner/default-model.ts';
import { finishPlan } from '../../planner/finish.ts';
import { catalogFingerprint, loadCatalog } from '../../planner/catalog.ts';
import { planForRun, plannerLabel } from '../../src/cli/plan-run.ts';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { run, createJsonlStore } from '../../src/index.ts';
import { compilePlan, planRunInput } from '../../planner/compile-plan.ts';
import type { Plan } from '../../planner/types.ts';

// Ensembles (`train --members N`) wherever a model is taken (plan, run, eval, train --from), and
// `eval --zero-shot` over another catalog. Models are tiny (1 epoch, 16 hidden units) to stay fast.
const tmp = mkdtempSync(join(tmpdir(), 'orchestai-planner-models-'));
const ens = join(tmp, 'ens');
/** A single (not pooled) model: the default planner is an ensemble, and `adapt` must rebind both kinds. */
const single = join(tmp, 'single');
const instruction = 'Summarise fixtures/papers/street-trees.md and extract its keywords';

// Another catalog, with hand-written examples: a JSONL data directory (catalog.json, train, test).
const other = join(tmp, 'other');
const otherTools = [
  { name: 'fetch-page', description: 'Downloads a web page from a URL', outputType: ['html'] },
  { name: 'translate', description: 'Translates text into another language', inputType: ['html', 'text'], outputType: ['text'] },
  { name: 'send-email', description: 'Sends an email message to a person', inputType: ['text'] },
];
const ex = (id: string, request: string, nodes: string[]) => JSON.stringify({ id, request, nodes, links: nodes.slice(1).map((t, i) => ({ source: nodes[i], target: t })) });
const otherTrain = [
  ex('t1', 'Download the page at example.org and translate it to French', ['fetch-page', 'translate']),
  ex('t2', 'Translate this paragraph into German', ['translate']),
  ex('t3', 'Email my landlord that the heating is broken', ['send-email']),
  ex('t4', 'Fetch the news page and mail it to Ana', ['fetch-page', 'send-email']),
  ex('t5', 'Get the web page of the museum, translate it to Spanish, and email it to Tom', ['fetch-page', 'translate', 'send-email']),
  ex('t6', 'Translate the menu into Italian and send it by email to the chef', ['translate', 'send-email']),
  ex('t7', 'Download the page about tides', ['fetch-page']),
  ex('t8', 'Send an email to the team about Friday', ['send-email']),
  ex('t9', 'Put this letter into Portuguese', ['translate']),
  ex('t10', 'Grab the blog post at the URL and translate it into Dutch', ['fetch-page', 'translate']),
];
const otherTest = [
  ex('q1', 'Translate the recipe to Japanese and email it to my mother', ['translate', 'send-email']),
  ex('q2', 'Download the page at the link and translate it', ['fetch-page', 'translate']),
  ex('q3', 'Email Sam that I am late', ['send-email']),
];

test('the plan header counts tools and requests in words: 1 tool, 4 tools', () => {
  assert.is(plannerLabel({ kind: 'general-model', tools: 1 }), 'general model, zero-shot over 1 tool');
  assert.is(plannerLabel({ kind: 'general-model', tools: 4, remembered: 1 }), 'general model remembering 1 request, over 4 tools');
  assert.is(plannerLabel({ kind: 'clause-matcher', tools: 34 }), 'clause matcher, zero-shot over 34 tools');
});

test('setup: a tiny ensemble of 2, a tiny single model, and a data directory over another catalog', async () => {
  mkdirSync(other, { recursive: true });
  writeFileSync(join(other, 'catalog.json'), JSON.stringify({ tools: otherTools }));
  writeFileSync(join(other, 'train.jsonl'), otherTrain.join('\n') + '\n');
  writeFileSync(join(other, 'test.jsonl'), otherTest.join('\n') + '\n');
  const lines = readFileSync('fixtures/planner/dev.jsonl', 'utf8').trim().split('\n').slice(0, 60);
  writeFileSync(join(tmp, 'ens.jsonl'), lines.join('\n') + '\n');
  const r = await cli(['train', '--data', join(tmp, 'ens.jsonl'), '--out', ens, '--epochs', '1', '--seed', '3', '--hidden', '16', '--members', '2']);
  assert.is(r.code, 0, r.err);
  assert.ok(existsSync(join(ens, 'ensemble.json')) && !existsSync(join(ens, 'model.json')));
  const s = await cli(['train', '--data', join(tmp, 'ens.jsonl'), '--out', single, '--epochs', '1', '--seed', '3', '--hidden', '16']);
  assert.is(s.code, 0, s.err);
  assert.ok(existsSync(join(single, 'model.json')));
});

test('plan --model <ensemble dir> plans with the ensemble (same DAG as the ensemble itself)', async () => {
  const r = await cli(['plan', instruction, '--model', ens, '--json']);
  assert.is(r.code, 0, r.err);
  const { plan } = JSON.parse(r.out);
  assert.is(plan.source, 'model');
  // As `plan` finishes any planner's plan (planner/finish.ts): this one-epoch ensemble plans steps no input reaches.
  const direct = finishPlan(loadEnsemble(ens).plan(modelText(instruction, readPreprocessing(ens))), instruction, defaultCatalog()).plan;
  assert.equal(plan.nodes.map((n: any) => [n.worker, n.dependsOn]), direct.nodes.map((n) => [n.worker, n.dependsOn]));
  assert.ok(plan.nodes.length > 0);
});

test('run "<instruction>" --model <ensemble dir> plans its workflow with the ensemble', async () => {
  const err: string[] = [];
  const io = { cwd: process.cwd(), env: {}, isTTY: false, err: (s: string) => err.push(s), confirm: async () => false };
  const planned = await planForRun(instruction, { model: ens, yes: true, io });
  const direct = finishPlan(loadEnsemble(ens).plan(modelText(instruction, readPreprocessing(ens))), instruction, defaultCatalog()).plan;
  assert.equal(planned.plan.nodes.map((n) => n.worker), direct.nodes.map((n) => n.worker));
  assert.is(planned.from, 'planned from an instruction');
  assert.match(err[0], /^plan \(ensemble of 2 trained models, confidence/);
});

test('plan --zero-shot with an ensemble plans over another catalog, saying which planner made the plan; without it the refusal says to pass it', async () => {
  const catalog = join(other, 'catalog.json');
  const refused = await cli(['plan', 'Translate this page and email it', '--model', ens, '--catalog', catalog]);
  assert.is(refused.code, 1);
  assert.match(refused.err, /trained for another catalog.*; pass --zero-shot to plan over this catalog/);
  const r = await cli(['plan', 'Translate this page and email it to Ana', '--model', ens, '--catalog', catalog, '--zero-shot', '--json']);
  assert.is(r.code, 0, r.err);
  const names = new Set(otherTools.map((t) => t.name));
  const doc = JSON.parse(r.out);
  for (const n of doc.plan.nodes) assert.ok(names.has(n.worker), n.worker);
  // Which planner made it: the shipped general model (the default zero-shot method), named in --json and the header.
  assert.equal(doc.planner, { kind: 'general-model', tools: otherTools.length });
  const text = await cli(['plan', 'Translate this page and email it to Ana', '--model', ens, '--catalog', catalog, '--zero-shot']);
  assert.match(text.out, new RegExp(`^plan \\(general model, zero-shot over ${otherTools.length} tools, confidence`));
  const adapted = await cli(['plan', 'Translate this page and email it to Ana', '--model', ens, '--catalog', catalog, '--zero-shot', '--zero-shot-method', 'adapt', '--json']);
  assert.equal(JSON.parse(adapted.out).planner, { kind: 'adapted-model', tools: otherTools.length, members: 2 });
  const matched = await cli(['plan', 'Translate this page and email it to Ana', '--catalog', catalog, '--zero-shot-method', 'match', '--json']);
  assert.equal(JSON.parse(matched.out).planner, { kind: 'clause-matcher', tools: otherTools.length });
  const own = await cli(['plan', 'Summarise docs/q3.md', '--json']);
  assert.equal(JSON.parse(own.out).planner, { kind: 'ensemble', tools: 17, members: 5 });
});

test('eval refuses a model from another catalog naming --zero-shot; eval --zero-shot scores the shipped general model (also with no --model), the clause matcher, or with adapt a model and an ensemble', async () => {
  const refused = await cli(['eval', '--data', other, '--model', DEFAULT_MODEL_DIR]);
  assert.is(refused.code, 1);
  assert.match(refused.err, /trained for another catalog.*; pass --zero-shot to plan over the data's catalog from its tool descriptions$/);
  // The default scores what `plan` plans with on another catalog (the shipped general model); `match`, the clause matcher; `adapt`, the trained model rebound.
  const cases = [
    [DEFAULT_MODEL_DIR, [], /^shipped general model, zero-shot \(catalog \d+ tools\)$/],
    [DEFAULT_MODEL_DIR, ['--zero-shot-method', 'match'], /^zero-shot clause matcher \(catalog \d+ tools\)$/],
    [DEFAULT_MODEL_DIR, ['--zero-shot-method', 'adapt'], /^ensemble of 5 adapted zero-shot/],
    [single, ['--zero-shot-method', 'adapt'], /^model adapted zero-shot/],
    [ens, ['--zero-shot-method', 'adapt'], /^ensemble of 2 adapted zero-shot/],
  ] as const;
  for (const [dir, method, name] of cases) {
    const r = await cli(['eval', '--data', other, '--model', dir, '--zero-shot', ...method, '--json']);
    assert.is(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.is(doc.n, otherTest.length);
    assert.match(doc.rows[0].name, name);
    assert.is(doc.rows[0].invalidPlans, 0);
  }
  // --zero-shot without --model: the shipped general model, with no other preparation.
  const shipped = await cli(['eval', '--data', other, '--zero-shot', '--json']);
  assert.is(shipped.code, 0, shipped.err);
  assert.match(JSON.parse(shipped.out).rows[0].name, /^shipped general model, zero-shot/);
});

test('eval --failures lists the requests whose plan is not the gold graph, as written, with gold, plan and confidence; --json carries them; a directory with no train.jsonl is enough to score', async () => {
  // What a user scoring their own catalog zero-shot has: the catalog and labelled requests, no training data.
  const scoring = join(tmp, 'scoring');
  mkdirSync(scoring, { recursive: true });
  writeFileSync(join(scoring, 'catalog.json'), JSON.stringify({ tools: otherTools }));
  writeFileSync(join(scoring, 'test.jsonl'), otherTest.join('\n') + '\n');
  const r = await cli(['eval', '--data', scoring, '--zero-shot', '--failures', '2']);
  assert.is(r.code, 0, r.err);
  const j = await cli(['eval', '--data', scoring, '--zero-shot', '--failures', '2', '--json']);
  const { failures, accuracy } = JSON.parse(j.out).rows[0];
  assert.is(failures.count, Math.round(otherTest.length * (1 - accuracy)), 'a plan with every gold step in another order also fails');
  assert.ok(failures.shown.length === Math.min(2, failures.count));
  assert.match(r.out, new RegExp(`: ${failures.count} of ${otherTest.length} plans are not the gold graph`));
  for (const f of failures.shown) {
    const written = otherTest.map((l) => JSON.parse(l)).find((e) => e.id === f.id);
    assert.is(f.request, written.request);
    assert.ok(r.out.includes(`  ${f.id}  "${written.request}"`), r.out);
    assert.ok(r.out.includes(`      gold  ${written.nodes.join(' > ')}`), r.out);
    assert.match(r.out, /      plan  .*\(confidence \d\.\d{3}(, flagged)?\)/);
  }
  assert.match((await cli(['eval', '--data', other, '--zero-shot', '--failures', '0'])).err, /--failures must be a positive integer \(1 or more\), got "0"/);
  // Training still needs its training requests, and says which files would do.
  assert.match((await cli(['train', '--data', scoring, '--out', join(tmp, 'never')])).err, /scoring: not a data directory \(expected GNN4TaskPlan's data\.json \(or data\.jsonl\) \+ tool_desc\.json, or train\.jsonl\)$/);
  assert.match((await cli(['eval', '--data', join(tmp, 'never-made'), '--zero-shot'])).err, /never-made: no such data file or directory/);
});

test('train --catalog --synthetic adapts the general model in seconds; plan --model uses it over the saved catalog; --general takes real examples', async () => {
  const out = join(tmp, 'general-synthetic');
  const catalog = join(other, 'catalog.json');
  const r = await cli(['train', '--catalog', catalog, '--synthetic', '--synthetic-count', '60', '--out', out, '--json']);
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.is(doc.synthetic, 60);
  assert.ok(doc.seconds < 30, `${doc.seconds} s`);
  const p = await cli(['plan', 'Translate this page and email it to Ana', '--model', out, '--json']);
  assert.is(p.code, 0, p.err);
  const names = new Set(JSON.parse(readFileSync(catalog, 'utf8')).tools.map((t: { name: string }) => t.name));
  for (const n of JSON.parse(p.out).plan.nodes) assert.ok(names.has(n.worker), n.worker);
  assert.equal(JSON.parse(p.out).planner, { kind: 'general-model', tools: names.size, remembered: 60 });
  // eval names what it scores: a general model remembering requests is not zero-shot.
  const e = await cli(['eval', '--data', other, '--model', out]);
  assert.is(e.code, 0, e.err);
  assert.match(e.out, /general model \(.*general-synthetic\), 60 remembered request\(s\) \(catalog 3 tools\)/);
  const g = await cli(['train', '--general', '--data', other, '--out', join(tmp, 'general-examples'), '--json']);
  assert.is(g.code, 0, g.err);
  const adapted = JSON.parse(g.out);
  assert.ok(adapted.examples > 0);
  const { requests, sameTools, aloneSameTools, nodeF1, aloneNodeF1 } = adapted.leaveOneOut;
  assert.is(requests, adapted.examples);
  for (const n of [sameTools, aloneSameTools]) assert.ok(Number.isInteger(n) && n >= 0 && n <= requests, JSON.stringify(adapted.leaveOneOut));
  for (const f of [nodeF1, aloneNodeF1]) assert.ok(f >= 0 && f <= 1);
  const text = await cli(['train', '--general', '--data', other, '--out', join(tmp, 'general-examples-text')]);
  assert.match(text.out, new RegExp(`leave-one-out over the ${requests} remembered request\\(s\\): ${sameTools} planned with exactly their tools \\(${aloneSameTools} by the general model alone\\)`));
  assert.match((await cli(['train', '--general', '--out', join(tmp, 'nothing')])).err, /needs --catalog <file>/);
  // The CLI has no workers for this catalog: run says so before asking, and nothing runs.
  const home = mkdtempSync(join(tmpdir(), 'orchestai-foreign-'));
  const ran = await cli(['run', 'Translate this page and email it to Ana', '--model', out, '--yes'], home);
  assert.is(ran.code, 1, ran.err);
  assert.match(ran.err, /orchestai: not run: the CLI runs the built-in workers, MCP tools \(--mcp\) and the workers orchestai.config.ts lists, and "[a-z-]+"(, "[a-z-]+")* (is|are) none of these; list your workers in the config's workers/);
  assert.not.ok(existsSync(join(home, 'runs')) && readdirSync(join(home, 'runs')).length > 0, 'no run was started');
});

test('train --general --from-history learns from the LLM fallback\'s successful runs over the catalog, not from the planner\'s own plans', async () => {
  const store = createJsonlStore(join(tmp, 'history'));
  const worker = (name: string, fail = false) => defineWorker({ name, description: name, input: z.record(z.string(), z.any()), output: z.record(z.string(), z.any()), retry: { maxAttempts: 1 },
    run: () => { if (fail) throw new Error('down'); return { done: name }; } });
  const workers = otherTools.map((t) => worker(t.name));
  const chain = (instruction: string, source: Plan['source'], names: string[]): Plan => ({ instruction, confidence: 0.5, lowConfidence: source !== 'llm', source,
    nodes: names.map((w, k) => ({ id: `n${k + 1}`, worker: w, dependsOn: k ? [`n${k}`] : [], confidence: 1 })) });
  const runPlan = (p: Plan, ws = workers) => run(compilePlan(p, ws), planRunInput(p) as any, { store, instruction: p.instruction });
  const llmPlans = [
    chain('Grab the museum page and put it into Spanish', 'llm', ['fetch-page', 'translate']),
    chain('Mail the team the Friday rota', 'llm', ['send-email']),
  ];
  for (const p of llmPlans) assert.is((await runPlan(p)).status, 'succeeded');
  assert.is((await runPlan(llmPlans[1])).status, 'succeeded'); // the same request again: one example
  assert.is((await runPlan(chain('Translate the menu', 'model', ['translate']))).status, 'succeeded');
  assert.is((await runPlan(chain('Email Ana the page', 'llm', ['fetch-page', 'send-email']), [workers[0], workers[1], worker('send-email', true)])).status, 'failed');
  const catalog = join(other, 'catalog.json');
  const r = await cli(['train', '--general', '--catalog', catalog, '--from-history', join(tmp, 'history'), '--out', join(tmp, 'general-history'), '--json']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /^history: 2 example\(s\) from .*history \(1 run\(s\) skipped, 0 outside the catalog, 1 of the planner's own plans left out, 1 repeated\)$/m);
  const doc = JSON.parse(r.out);
  assert.is(doc.examples, 2);
  assert.equal(doc.history, { examples: 2, skipped: 1, outside: 0, ownPlans: 1, repeated: 1 });
  const saved = JSON.parse(readFileSync(join(tmp, 'general-history', 'general-model.json'), 'utf8'));
  assert.equal(saved.memory.examples.map((e: { request: string }) => e.request).sort(), llmPlans.map((p) => p.instruction).sort());
  // Only the planner's own plans: nothing to learn, said so; no catalog: which one is needed.
  const own = createJsonlStore(join(tmp, 'history-own'));
  const p = chain('Translate the menu', 'model', ['translate']);
  await run(compilePlan(p, workers), planRunInput(p) as any, { store: own, instruction: p.instruction });
  assert.match((await cli(['train', '--general', '--catalog', catalog, '--from-history', join(tmp, 'history-own'), '--out', join(tmp, 'never')])).err, /history-own has no successful run over the catalog but the planner's own plans/);
  assert.match((await cli(['train', '--general', '--from-history', join(tmp, 'history'), '--out', join(tmp, 'never')])).err, /needs --catalog <file> .*: the catalog whose workers the runs of --from-history used/);
});

test('train --from <ensemble dir> fine-tunes every member, here onto another catalog, which eval then scores as its own', async () => {
  const out = join(tmp, 'ens-tuned');
  const r = await cli(['train', '--data', other, '--from', ens, '--out', out, '--epochs', '1', '--seed', '5']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /fine-tuning the 2 members of /);
  assert.match(r.out, /ensemble of 2 fine-tuned from /);
  assert.is(r.out.split('\n').filter((l) => /^member [12]\/2 \[/.test(l)).length, 2, r.out);
  const tuned = loadEnsemble(out);
  assert.is(tuned.members.length, 2);
  assert.is(tuned.fingerprint, catalogFingerprint(loadCatalog(join(other, 'catalog.json'))));
  assert.is(tuned.combine, loadEnsemble(ens).combine);
  const e = await cli(['eval', '--data', other, '--model', out, '--json']);
  assert.is(e.code, 0, e.err);
  assert.match(JSON.parse(e.out).rows[0].name, /^ensemble of 2 \(/);
});

test.run();
