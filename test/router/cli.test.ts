import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { cli } from '../support/cli.ts';
import { cascade, random } from '../../planner/router/index.ts';
import { pair, runAll, texts, twoSteps } from './support.ts';

test('route train writes a policy file from histories; route eval prints observed and off-policy rows', async () => {
  const workflow = twoSteps(pair(false));
  const { store } = await runAll(workflow, texts(30), random(3));
  const more = await runAll(workflow, texts(10), cascade());
  for (const r of more.runs) fs.copyFileSync(more.store.pathOf((r.history[0] as any).runId), store.pathOf((r.history[0] as any).runId));
  const out = path.join(store.root, 'policy.json');
  const train = await cli(['route', 'train', '--from-history', store.root, '--out', out, '--seed', '7']);
  assert.is(train.code, 0, train.err);
  assert.match(train.out, /trained a ppo policy on 40 runs/);
  const file = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal([file.kind, file.version, file.catalog.capabilities], ['ppo', '1', { answer: ['cheap', 'dear'] }]);
  const evalRun = await cli(['route', 'eval', '--from-history', store.root, '--policy', out, '--json']);
  assert.is(evalRun.code, 0, evalRun.err);
  const rows = JSON.parse(evalRun.out).policies;
  assert.equal(rows.map((r: any) => [r.policy, r.runs, r.estimate.split(' ')[0]]), [['cascade@1', 10, 'observed'], ['random@3', 30, 'observed'], ['ppo@1', 40, 'off-policy']]);
  assert.is(rows[0].success, 1);
  const text = await cli(['route', 'eval', '--from-history', store.root]);
  assert.match(text.out, /POLICY\s+RUNS\s+SUCCESS\s+COST\s+LATENCY_MS\s+REWARD\s+ESTIMATE/);
});

test('route refuses an unknown action, a missing --out and an empty history directory in one line', async () => {
  const empty = await cli(['route', 'train', '--out', 'x.json']);
  assert.is(empty.code, 1);
  assert.match(empty.err, /^orchestai: route train: no finished run with a routed step in /);
  assert.match((await cli(['route', 'fly'])).err, /route: unknown action "fly" \(expected train or eval\)/);
  const { store } = await runAll(twoSteps(pair(false)), texts(1), cascade());
  assert.match((await cli(['route', 'train', '--from-history', store.root])).err, /route train needs --out <policy.json>/);
});

test.run();
