import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachine } from 'xstate';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/command.ts';
import { planWithDetails } from '../../planner/plan.ts';

const tmp = mkdtempSync(join(tmpdir(), 'orchestai-plan-cli-'));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, confirm: async () => false, cwd: process.cwd(), env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('plan --json prints a DAG of catalog workers with confidences', async () => {
  const r = await cli('plan', 'Summarise fixtures/papers/street-trees.md and extract its keywords', '--json');
  assert.is(r.code, 0, r.err);
  const { plan } = JSON.parse(r.out);
  const workers = plan.nodes.map((n: any) => n.worker);
  assert.equal(workers, ['read-file', 'extract-text', 'summarise', 'extract-keywords']);
  for (const n of plan.nodes) assert.ok(n.confidence > 0 && n.confidence <= 1);
});

test('plan --export json prints the DAG, the run input and a config createMachine accepts; mermaid too', async () => {
  const r = await cli('plan', 'Chart fixtures/data/sales.csv and put the chart in a report', '--export', 'json');
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.ok(doc.workflowId.startsWith('plan:'));
  assert.is(doc.input.csvPath, 'fixtures/data/sales.csv');
  const machine = createMachine(doc.config);
  assert.is(machine.id, doc.workflowId);
  for (const n of doc.plan.nodes) assert.ok(JSON.stringify(doc.config).includes(n.worker));
  const m = await cli('plan', 'Build a landing page for a bakery and review the code', '--export', 'mermaid');
  assert.is(m.code, 0, m.err);
  assert.match(m.out, /stateDiagram|flowchart/);
});

test('bad input: empty and oversized instructions, a bad catalog file, a model directory that is not one', async () => {
  assert.match((await cli('plan', '')).err, /instruction is empty/);
  assert.match((await cli('plan', 'x'.repeat(10_001))).err, /10001 characters, over the limit of 10000/);
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({ tools: [{ name: 'a' }] }));
  const b = await cli('plan', 'do it', '--catalog', bad);
  assert.is(b.code, 1);
  assert.ok(b.err.includes(bad) && b.err.includes('tools[0].description'), b.err);
  // Another catalog with the default model is planned zero-shot (from the tools' descriptions), not refused.
  const other = join(tmp, 'other.json');
  writeFileSync(other, JSON.stringify({ tools: [{ name: 'translate', description: 'Translates text into another language' }] }));
  const zs = await cli('plan', 'translate this text into French', '--catalog', other, '--json');
  assert.is(zs.code, 0, zs.err);
  assert.equal(JSON.parse(zs.out).plan.nodes.map((n: { worker: string }) => n.worker), ['translate']);
  assert.match((await cli('plan', 'x', '--model', join(tmp, 'nowhere'))).err, /no planner model here/);
  assert.match((await cli('plan', 'x', '--export', 'svg')).err, /^orchestai: --export must be json or mermaid, got "svg"$/);
});

test('zero-shot planning over another catalog never names an unknown worker', async () => {
  const other = join(tmp, 'other2.json');
  writeFileSync(other, JSON.stringify({ tools: [
    { name: 'fetch-page', description: 'Downloads a web page', inputType: ['url'], outputType: ['document'] },
    { name: 'extract-text', description: 'Parses a document into plain text and sections', inputType: ['document'], outputType: ['text'] },
    { name: 'translate', description: 'Translates text into another language', inputType: ['text'], outputType: ['text'] },
  ] }));
  const r = await cli('plan', 'Download the page and translate its text', '--catalog', other, '--zero-shot', '--json');
  assert.is(r.code, 0, r.err);
  for (const n of JSON.parse(r.out).plan.nodes) assert.ok(['fetch-page', 'extract-text', 'translate'].includes(n.worker));
});

test('eval prints the paper table for the default model and the kNN baseline', async () => {
  const r = await cli('eval', '--data', 'fixtures/planner', '--model', 'fixtures/planner/model', '--baseline', 'knn', '--split', 'dev', '--json');
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  // The default planner is an ensemble of five pooled models (scripts/fixtures-gen/pool-default.ts).
  assert.equal(doc.rows.map((x: any) => x.name), ['ensemble of 5 (fixtures/planner/model)', 'knn (tf-idf, k=10)']);
  for (const row of doc.rows) assert.is(row.invalidPlans, 0);
  assert.ok(doc.rows[0].nodeF1 > doc.rows[1].nodeF1, 'the model should beat the kNN baseline on dev');
  const t = await cli('eval', '--data', 'fixtures/planner', '--model', 'fixtures/planner/model', '--split', 'dev');
  assert.match(t.out, /planner\s+NF\s+LF\s+Acc\s+NH-1\s+NH-2\s+LH-1\s+LH-2/);
});

test('eval scores the plans `plan` makes: with the second opinion saved beside the model, and declined steps dropped', async () => {
  // hw-2224: the members pooled plan no step for "what people complain about most"; the second opinion adds extract-keywords.
  // hw-2229: every model plans compose-report after "- no report needed"; plan drops it.
  const chosen = readFileSync('fixtures/planner/handwritten.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.id === 'hw-2224' || r.id === 'hw-2229');
  assert.is(chosen.length, 2);
  const dir = join(tmp, 'as-planned');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'test.jsonl'), chosen.map(({ id, request, nodes, links }) => JSON.stringify({ id, request, nodes, links })).join('\n') + '\n');
  const r = await cli('eval', '--data', dir, '--catalog', 'fixtures/planner/catalog.json', '--model', 'fixtures/planner/model', '--json');
  assert.is(r.code, 0, r.err);
  for (const request of chosen) {
    const { plan } = await planWithDetails(request.request, { llm: null, env: {} });
    assert.equal(plan.nodes.map((n) => n.worker).sort(), [...request.nodes].sort(), request.id);
  }
  assert.is(JSON.parse(r.out).rows[0].accuracy, 1, 'eval and plan agree on both');
});

test('plan names the chosen workers the instruction declines, in its text and in --json', async () => {
  const instruction = 'Bar chart from data/la-spending.csv, one bar per local authority. No report, just the chart.';
  const t = await cli('plan', instruction);
  assert.is(t.code, 0, t.err);
  assert.match(t.out, /^declined: compose-report \(the instruction says not to; left out\)$/m);
  const j = JSON.parse((await cli('plan', instruction, '--json')).out);
  assert.equal([j.plan.nodes.map((n: any) => n.worker), j.declined], [['csv-stats', 'render-chart'], ['compose-report']]);
});

test('plan names apart the workers that only fed a declined one, in its text and in --json', async () => {
  const instruction = 'Report for the couple: chart from weddings/guests.csv plus the tone of their feedback in weddings/feedback.txt. On reflection leave the tone out.';
  const t = await cli('plan', instruction);
  assert.is(t.code, 0, t.err);
  assert.match(t.out, /^left out: read-file \(it only fed a declined worker\)$/m);
  const j = JSON.parse((await cli('plan', instruction, '--json')).out);
  assert.equal([j.plan.nodes.map((n: any) => n.worker), j.declined, j.idle], [['csv-stats', 'render-chart', 'compose-report'], ['sentiment'], ['read-file', 'extract-text']]);
});

test('plan names the chosen workers nothing the instruction gives can feed, in its text and in --json', async () => {
  // hw-2241 (dev): the second opinion adds readability statistics of a text the instruction does not
  // carry ("Word counts per job"). (hw-0526, a CSV request with a read of a document it never
  // names, was this test's case until the second opinion was retrained on more requests.)
  const instruction = 'Word counts per job for the month are in invoices/words-per-job-march.csv. Bar chart plus a little report for my accountant, who asks every year what it is I actually do.';
  const t = await cli('plan', instruction);
  assert.is(t.code, 0, t.err);
  assert.match(t.out, /^unreachable: text-stats \(nothing the instruction gives can feed it; left out\)$/m);
  const j = JSON.parse((await cli('plan', instruction, '--json')).out);
  assert.equal([j.plan.nodes.map((n: any) => n.worker), j.unreachable], [['csv-stats', 'render-chart', 'compose-report'], ['text-stats']]);
});

test('plan names a clause that names a worker the general planner leaves out, in its text and in --json', async () => {
  const catalog = join(tmp, 'flights.json');
  writeFileSync(catalog, JSON.stringify({
    tools: [
      { name: 'search_flights', description: 'Search flights between two cities on a date' },
      { name: 'book_flight', description: 'Book a seat on a chosen flight' },
      { name: 'send_email', description: 'Send an email to a recipient' },
    ],
    links: [{ source: 'search_flights', target: 'book_flight' }, { source: 'book_flight', target: 'send_email' }, { source: 'search_flights', target: 'send_email' }],
  }));
  const instruction = 'Search flights from Oslo to Rome on Friday, book the cheapest and email me the ticket';
  const j = JSON.parse((await cli('plan', instruction, '--catalog', catalog, '--json')).out);
  if (j.plan.nodes.some((n: any) => n.worker === 'send_email')) return assert.not.ok('passedOver' in j, 'planned: nothing passed over');
  assert.equal([j.passedOver, j.plan.lowConfidence], [[{ clause: 'email me the ticket', worker: 'send_email' }], true]);
  const t = await cli('plan', instruction, '--catalog', catalog);
  assert.match(t.out, /^passed over: "email me the ticket" names send_email, which the plan leaves out$/m);
});

test('a plan that cannot start from the instruction is said so, has confidence 0, and run does not start it unattended', async () => {
  // The members plan summarise at 1.00, and the run used to fail at its first step: no file named, no text quoted.
  const t = await cli('plan', 'summarise my meeting notes');
  assert.is(t.code, 0, t.err);
  assert.match(t.out, /^cannot start: summarise needs text or sections, which nothing the instruction gives provides$/m);
  const j = JSON.parse((await cli('plan', 'summarise my meeting notes', '--json')).out);
  assert.equal([j.cannotStart, j.plan.confidence, j.plan.lowConfidence], [['summarise'], 0, true]);
  const r = await cli('run', 'summarise my meeting notes');
  assert.is(r.code, 3);
  assert.match(r.err, /not run: no step of the plan can start from the instruction \(summarise needs text or sections\)/);
  const named = JSON.parse((await cli('plan', 'summarise notes/meeting.md', '--json')).out);
  assert.not.ok('cannotStart' in named, 'a named file feeds the read');
  // With --input the run's input is the caller's: the plan is not judged by what the instruction carries, and runs.
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, confirm: async () => false, cwd: tmp, env: { ORCHESTAI_HOME: join(tmp, 'home') } };
  const given = await main(['run', 'summarise my meeting notes', '--input', '{"text": "We met on Monday. We agreed to ship on Friday. Nobody objected to the date."}'], io);
  assert.is(given, 0, err.join('\n'));
  assert.not.match(err.join('\n'), /cannot start/);
  assert.match(out.join('\n'), /^succeeded in /m);
});

test('train: a malformed data line is named; a short run prints one progress line per epoch and saves a model', async () => {
  const lines = readFileSync('fixtures/planner/dev.jsonl', 'utf8').trim().split('\n').slice(0, 40);
  const bad = join(tmp, 'bad.jsonl');
  writeFileSync(bad, [...lines.slice(0, 3), '{"id": "x", "request": ', ...lines.slice(3)].join('\n') + '\n');
  assert.match((await cli('train', '--data', bad, '--out', join(tmp, 'm0'))).err, /bad\.jsonl:4: malformed JSON line/);
  const good = join(tmp, 'good.jsonl');
  writeFileSync(good, lines.join('\n') + '\n');
  const out = join(tmp, 'm1');
  const r = await cli('train', '--data', good, '--out', out, '--epochs', '2', '--seed', '7', '--hidden', '16', '--word-vectors');
  assert.is(r.code, 0, r.err);
  assert.is(r.out.split('\n').filter((l) => /epoch\s+\d+\/2\s+loss \d/.test(l)).length, 2, r.out);
  assert.ok(existsSync(join(out, 'model.json')) && existsSync(join(out, 'weights.bin')));
  // With --word-vectors the model keeps the packaged vectors of its vocabulary.
  assert.ok(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).config.wordVectors.words.includes('report'));
  assert.match((await cli('train', '--data', good, '--out', out, '--epochs', 'many')).err, /--epochs must be a positive integer/);
});

test('train --members 2 --refit saves an ensemble that eval scores; --members with --from, --refit alone are refused', async () => {
  const lines = readFileSync('fixtures/planner/dev.jsonl', 'utf8').trim().split('\n').slice(0, 60);
  const data = join(tmp, 'ens.jsonl');
  writeFileSync(data, lines.join('\n') + '\n');
  const out = join(tmp, 'ens');
  const r = await cli('train', '--data', data, '--out', out, '--epochs', '2', '--seed', '7', '--hidden', '16', '--members', '2', '--refit');
  assert.is(r.code, 0, r.err);
  assert.is(r.out.split('\n').filter((l) => /^member [12]\/2 \[.*epoch\s+\d+\/2\s+loss \d/.test(l)).length, 4, r.out);
  assert.ok(r.out.split('\n').filter((l) => /^member [12]\/2 refit \[.*epoch\s+\d+\/2\s+loss \d/.test(l)).length >= 2, r.out);
  assert.match(r.out, /ensemble of 2 refitted on train \+ dev/);
  assert.ok(existsSync(join(out, 'ensemble.json')) && !existsSync(join(out, 'model.json')));
  assert.is(JSON.parse(readFileSync(join(out, 'ensemble.json'), 'utf8')).members[0].config.wordVectors, undefined);
  const test = join(tmp, 'ens-test');
  mkdirSync(test, { recursive: true });
  writeFileSync(join(test, 'train.jsonl'), lines.slice(0, 50).join('\n') + '\n');
  writeFileSync(join(test, 'test.jsonl'), lines.slice(50).join('\n') + '\n');
  const e = await cli('eval', '--data', test, '--model', out, '--catalog', 'fixtures/planner/catalog.json', '--json');
  assert.is(e.code, 0, e.err);
  const rows = JSON.parse(e.out).rows;
  assert.match(rows[0].name, /^ensemble of 2/);
  assert.is(rows[0].invalidPlans, 0);
  assert.match((await cli('train', '--data', data, '--out', join(tmp, 'x'), '--members', '2', '--from', out)).err, /--members trains new models/);
  assert.match((await cli('train', '--data', data, '--out', join(tmp, 'x'), '--refit')).err, /--refit applies to an ensemble/);
});

test('train --from-history learns from successful instruction runs and can fine-tune --from a model', async () => {
  const runs = join(tmp, 'history', 'runs');
  mkdirSync(runs, { recursive: true });
  const ev = (o: object, i: number) => JSON.stringify({ seq: i + 1, t: i, ...o });
  const events = [
    { type: 'run.started', runId: 'r1', workflowId: 'plan:x', workflowHash: 'h', instruction: 'Chart data/q.csv', input: { plan: { nodes: [{ id: 'n1', worker: 'csv-stats', dependsOn: [] }, { id: 'n2', worker: 'render-chart', dependsOn: ['n1'] }] } } },
    { type: 'run.finished', status: 'succeeded', cost: 0, durationMs: 1 },
  ];
  writeFileSync(join(runs, 'r1.jsonl'), events.map(ev).join('\n') + '\n');
  writeFileSync(join(runs, 'r2.jsonl'), [{ ...events[0], runId: 'r2' }, { ...events[1], status: 'failed' }].map(ev).join('\n') + '\n');
  const r = await cli('train', '--from-history', join(tmp, 'history'), '--from', join(tmp, 'm1'), '--out', join(tmp, 'm2'), '--epochs', '1');
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /history: 1 example\(s\) from .* \(1 run\(s\) skipped, 0 outside the catalog\)/);
  assert.match(r.err, /fine-tuning/);
  assert.ok(existsSync(join(tmp, 'm2', 'preprocess.json')));
});

test.run();
