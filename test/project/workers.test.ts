import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempProject } from '../support/project.ts';
import { cli, ROOT } from '../support/cli.ts';
import { loadConfigFile } from '../../src/project/config.ts';
import { projectPlanning } from '../../src/project/workers.ts';
import { loadProjectPlanner } from '../../src/ui/load-planner.ts';

// A project that lists its own workers in orchestai.config.ts: plan, run, replay, train and the viewer's planner over them.
const MACHINES = path.join(ROOT, 'machines/index.ts');

const project = (files: Record<string, string>) => tempProject(files);

const WORKERS = `
import { z } from 'zod';
import { defineWorker } from '${MACHINES}';
export const findOrder = defineWorker({
  name: 'find-order', description: 'Looks up a customer order by its number',
  input: z.object({ instruction: z.string() }), output: z.object({ order: z.string(), amount: z.number() }),
  run: ({ instruction }) => ({ order: /\\d+/.exec(instruction)?.[0] ?? 'none', amount: 42 }),
});
export const refundOrder = defineWorker({
  name: 'refund-order', description: 'Refunds the payment of an order to the customer',
  input: z.object({ order: z.string(), amount: z.number() }), output: z.object({ refunded: z.number() }),
  run: ({ amount }) => ({ refunded: amount }),
});
export const emailCustomer = defineWorker({
  name: 'email-customer', description: 'Sends the customer an email about their order',
  input: z.object({ order: z.string() }), output: z.object({ sent: z.boolean() }),
  run: () => ({ sent: true }),
});
`;
/** Passes when `p` rejects with a message matching `re`. */
async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  const error = await p.then(() => undefined, (e: Error) => e);
  assert.ok(error, `expected a rejection matching ${re}`);
  assert.match(error!.message, re, error!.message);
}

const INSTRUCTION = 'Look up order 1042 and refund the payment';

test('plan and run plan over the workers orchestai.config.ts lists and run them; replay rebuilds the run from them', async () => {
  const dir = project({ 'orchestai.config.ts': "export default { workers: ['./workers.ts'] };\n", 'workers.ts': WORKERS });
  const planned = await cli(['plan', INSTRUCTION, '--json'], undefined, dir);
  assert.is(planned.code, 0, planned.err);
  const doc = JSON.parse(planned.out);
  assert.equal(doc.planner, { kind: 'general-model', tools: 3 });
  assert.equal(doc.plan.nodes.map((n: { worker: string }) => n.worker), ['find-order', 'refund-order']);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-workers-home-'));
  const ran = await cli(['run', INSTRUCTION, '--yes', '--json'], home, dir);
  assert.is(ran.code, 0, ran.err);
  assert.match(ran.err, /plan \(general model, zero-shot over 3 tools/);
  const result = JSON.parse(ran.out);
  assert.is(result.status, 'succeeded');
  assert.equal(result.output, { refunded: 42 });
  const replay = await cli(['replay', result.runId], home, dir);
  assert.is(replay.code, 0, replay.err);
  assert.match(replay.out, /identical|no divergence|matches/i);
  // train --general adapts the planner to the project's workers; the config's planner then plans there.
  const own = await cli(['train', '--general', '--from-history', home, '--out', path.join(dir, 'models/never')], home, dir);
  assert.match(own.err, /catalog: the 3 workers of .*orchestai\.config\.ts/);
  assert.match(own.err, /has no successful run over the catalog but the planner's own plans/);
  const adapted = project({ 'orchestai.config.ts': "export default { workers: ['./workers.ts'], planner: './models/shop' };\n", 'workers.ts': WORKERS });
  const trained = await cli(['train', '--synthetic', '--synthetic-count', '30', '--out', path.join(adapted, 'models/shop')], home, adapted);
  assert.is(trained.code, 0, trained.err);
  const withPlanner = await cli(['plan', INSTRUCTION, '--json'], home, adapted);
  assert.equal(JSON.parse(withPlanner.out).planner, { kind: 'general-model', tools: 3, remembered: 30 });
  // The viewer's planner panel and POST /api/plan plan there as `plan` does.
  const panel = await loadProjectPlanner(adapted)();
  const viewed = await panel.planWithDetails(INSTRUCTION, { llm: null });
  assert.equal(viewed.planner, { kind: 'general-model', tools: 3, remembered: 30 });
  assert.equal((await (await loadProjectPlanner(ROOT)()).planWithDetails('Summarise fixtures/papers/street-trees.md', { llm: null })).planner.kind, 'ensemble');
  // Elsewhere, the run's workers cannot be found: one line says where to run it.
  const elsewhere = await cli(['replay', result.runId], home, fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-nowhere-')));
  assert.is(elsewhere.code, 1);
  assert.match(elsewhere.err, new RegExp(`run ${result.runId} was planned over the workers of a project config, and no orchestai.config.ts from .* up lists workers; run this in that project`));
  // A project whose config no longer lists a worker the run used.
  const fewer = project({ 'orchestai.config.ts': "export default { workers: ['./workers.ts'] };\n", 'workers.ts': WORKERS.replace(/export const refundOrder[\s\S]*?\n\}\);\n/, '') });
  const gone = await cli(['replay', result.runId], home, fewer);
  assert.is(gone.code, 1);
  assert.match(gone.err, new RegExp(`orchestai\\.config\\.ts lists no worker "refund-order", which run ${result.runId} used`));
});

test("a config's workers entry must be a module that exports workers; the planner entry is resolved against the project", async () => {
  const dir = project({ 'orchestai.config.mjs': "export default { workers: [42] };\n" });
  await rejects(loadConfigFile(path.join(dir, 'orchestai.config.mjs')), /workers\[0\]: expected a module path or a worker made by defineWorker/);
  const none = project({ 'orchestai.config.ts': "export default { workers: ['./nothing.ts'], planner: 'models/shop' };\n", 'nothing.ts': 'export const x = 1;\n' });
  await rejects(projectPlanning(none), /workers\[0\]: \.\/nothing\.ts exports no worker/);
  const twice = project({ 'orchestai.config.ts': "export default { workers: ['./a.ts', './b.ts'], planner: 'models/shop' };\n", 'a.ts': WORKERS, 'b.ts': WORKERS });
  await rejects(projectPlanning(twice), /workers\[1\]: worker name "[a-z-]+" is declared twice \(\.\/a\.ts and \.\/b\.ts\)/);
  const ok = project({ 'orchestai.config.ts': "export default { workers: ['./workers.ts'], planner: 'models/shop' };\n", 'workers.ts': WORKERS });
  const planning = await projectPlanning(ok);
  assert.is(planning?.modelDir, path.join(ok, 'models/shop'));
  assert.equal(planning?.catalog.tools.map((t) => t.name).sort(), ['email-customer', 'find-order', 'refund-order']);
});

const EXAMPLES = [
  ['Look up order 1042 and refund the payment', ['find-order', 'refund-order']],
  ['Find order 77 and email the customer about it', ['find-order', 'email-customer']],
  ['What is in order 12?', ['find-order']],
  ['Tell the buyer of order 9 that it shipped', ['find-order', 'email-customer']],
] as const;
const examplesJsonl = EXAMPLES.map(([request, nodes], i) =>
  JSON.stringify({ id: `e${i}`, request, nodes, links: nodes.slice(1).map((n, k) => ({ source: nodes[k], target: n })) })).join('\n') + '\n';

test("in a project, examples that name no catalog are over its workers: eval scores what plan uses, train trains over them; run --catalog runs them", async () => {
  const dir = project({ 'orchestai.config.ts': "export default { workers: ['./workers.ts'], planner: './models/net' };\n", 'workers.ts': WORKERS, 'examples.jsonl': examplesJsonl });
  // The in-process CLI resolves relative paths against the test's cwd, so paths are absolute here.
  const at = (rel: string) => path.join(dir, rel);
  const net = await cli(['train', '--data', at('examples.jsonl'), '--out', at('models/net'), '--epochs', '2', '--json'], undefined, dir);
  assert.is(net.code, 0, net.err);
  assert.match(net.err, /catalog 3 tools \(the workers of .*orchestai\.config\.ts\)/);
  // No --model: the config's planner, the network just trained over the project's three workers.
  const scored = await cli(['eval', '--data', at('examples.jsonl'), '--json'], undefined, dir);
  assert.is(scored.code, 0, scored.err);
  const [row] = JSON.parse(scored.out).rows;
  assert.match(row.name, /^model \(.*models\/net\)$/);
  assert.is(row.n, EXAMPLES.length);
  const general = await cli(['train', '--general', '--data', at('examples.jsonl'), '--out', at('models/general'), '--json'], undefined, dir);
  assert.is(general.code, 0, general.err);
  assert.is(JSON.parse(general.out).examples, EXAMPLES.length);
  const zeroShot = await cli(['eval', '--data', at('examples.jsonl'), '--zero-shot', '--json'], undefined, dir);
  assert.match(JSON.parse(zeroShot.out).rows[0].name, /^shipped general model, zero-shot \(catalog 3 tools\)$/);
  // A catalog file describing the same workers in other words: planned over it, run on the project's workers.
  const words = { tools: [
    { name: 'find-order', description: 'Finds an order from its number and tells what was bought and paid' },
    { name: 'refund-order', description: 'Gives the customer their money back for an order' },
  ], links: [{ source: 'find-order', target: 'refund-order' }] };
  fs.writeFileSync(at('words.json'), JSON.stringify(words));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-workers-home-'));
  const ran = await cli(['run', 'Give the money back for order 5', '--catalog', at('words.json'), '--yes', '--json'], home, dir);
  assert.is(ran.code, 0, ran.err);
  assert.equal(JSON.parse(ran.out).output, { refunded: 42 });
  const replay = await cli(['replay', JSON.parse(ran.out).runId], home, dir);
  assert.is(replay.code, 0, replay.err);
  // Outside the project, the same plan has no workers to run on.
  const outside = await cli(['run', 'Give the money back for order 5', '--catalog', at('words.json'), '--yes'], home);
  assert.is(outside.code, 1);
  assert.match(outside.err, /"find-order", "refund-order" are none of these; list your workers in the config's workers/);
});

test.run();
