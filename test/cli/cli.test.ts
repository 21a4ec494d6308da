import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMachine } from 'xstate';
import { cli } from '../support/cli.ts';

process.env.SLOW_CHAIN_MS = '1';

test('run, runs, show and replay a module workflow', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.equal(result.status, 'succeeded');
  assert.equal(result.output, { n: 6 });
  const runs = JSON.parse((await cli(['runs', '--json'], r.home)).out);
  assert.equal(runs.total, 1);
  assert.equal(runs.runs[0].runId, result.runId);
  const show = await cli(['show', result.runId], r.home);
  assert.match(show.out, /s5\s+slow-step\s+1\s+succeeded/);
  const replay = await cli(['replay', result.runId, '--workflow', 'test/support/slow-chain.ts'], r.home);
  assert.equal(replay.code, 0);
  assert.match(replay.out, /^no divergence: 21 events replayed/);
  const until = JSON.parse((await cli(['replay', result.runId, '--until', '6', '--json', '--workflow', 'test/support/slow-chain.ts'], r.home)).out);
  assert.equal(until.active, ['s1.running']);
  assert.equal(Object.keys(until.context.outputs), ['s0']);
});

test('a history never chooses the code that replays it: the module it records is named, not loaded', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  const { runId } = JSON.parse(r.out);
  const replay = await cli(['replay', runId], r.home);
  assert.equal(replay.code, 1);
  assert.equal(replay.err.split('\n').length, 1, replay.err);
  assert.match(replay.err, 'cannot find workflow "slow-chain"');
  assert.match(replay.err, /it ran from \S+test\/support\/slow-chain\.ts, which a history cannot make us load: list that module in orchestai\.config\.ts/);
});

test('replaying against a reordered workflow prints the first differing event and exits 2', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  const { runId } = JSON.parse(r.out);
  const replay = await cli(['replay', runId, '--workflow', 'test/support/reordered-chain.ts'], r.home);
  assert.equal(replay.code, 2);
  assert.match(replay.out, 'DIVERGENCE at event #2');
  assert.match(replay.out, 'expected (recorded): transition on xstate.init from [] to [s0.running]');
  assert.match(replay.out, 'actual (workflow now): transition on xstate.init from [] to [s1.running]');
});

test('replaying against a workflow with another id names the field that differs', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  const { runId } = JSON.parse(r.out);
  const replay = await cli(['replay', runId, '--workflow', 'build-website'], r.home);
  assert.equal(replay.code, 2);
  assert.match(replay.out, 'DIVERGENCE at event #1');
  assert.match(replay.out, 'expected (recorded): run.started workflowId "slow-chain"');
  assert.match(replay.out, 'actual (workflow now): run.started workflowId "build-website"');
});

test('replay --until N shows the state as of event N, and says so when N is past the end', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--json']);
  const { runId } = JSON.parse(r.out);
  const wf = ['--workflow', 'test/support/slow-chain.ts'];
  const at10 = await cli(['replay', runId, '--until', '10', ...wf], r.home);
  assert.equal(at10.code, 0, at10.err);
  assert.match(at10.out, /^as of event #10: s2\.running$/m);
  assert.match(at10.out, /^event #10: step\.succeeded s2 \(attempt 1\)$/m);
  const json = JSON.parse((await cli(['replay', runId, '--until', '10', '--json', ...wf], r.home)).out);
  assert.equal([json.until, json.asOf, json.active], [10, 10, ['s2.running']]);
  const past = await cli(['replay', runId, '--until', '30', ...wf], r.home);
  assert.equal(past.code, 0, past.err);
  assert.match(past.out, /^as of event #21 \(the last; asked for 30\): succeeded$/m);
  const last = await cli(['replay', runId, '--until', '21', ...wf], r.home);
  assert.match(last.out, /^as of event #21: succeeded$/m);
});

test('export json is a machine config createMachine accepts; mermaid is a state diagram', async () => {
  const json = await cli(['export', 'test/support/slow-chain.ts', '--format', 'json']);
  const machine = createMachine(JSON.parse(json.out));
  assert.ok(machine.getStateNodeById('slow-chain.s3.running'));
  const mermaid = await cli(['export', 'test/support/slow-chain.ts', '--format', 'mermaid']);
  assert.match(mermaid.out, /^stateDiagram-v2/);
});

test('bad input: one clear line and a non-zero exit, no stack trace', async () => {
  const badJson = await cli(['run', 'test/support/slow-chain.ts', '--input', '{nope']);
  assert.equal(badJson.code, 1);
  assert.match(badJson.err, /^orchestai: --input is not valid JSON/);
  assert.not.match(badJson.err, /\n\s+at /);
  const unknownRun = await cli(['show', 'no-such-run']);
  assert.match(unknownRun.err, /^orchestai: unknown run "no-such-run"/);
  const unknownFlag = await cli(['runs', '--bogus']);
  assert.equal(unknownFlag.err, "orchestai: unknown option '--bogus' for runs; run `orchestai runs --help` for its options");
  const unknownCommand = await cli(['frobnicate']);
  assert.equal(unknownCommand.err, 'orchestai: unknown command "frobnicate"; run `orchestai help`');
  const missingModule = await cli(['run', 'nowhere/wf.ts']);
  assert.match(missingModule.err, /workflow module not found/);
});

test('--input takes inline JSON, @file.json, or a file path that becomes { path }', async () => {
  const r = await cli(['run', 'paper-to-presentation', '--input', 'fixtures/papers/street-trees.md', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.status, 'succeeded');
  assert.match(out.output.deck ?? out.output.path, /\.slides\.md$/);
});

test('--debug adds the stack', async () => {
  const r = await cli(['run', 'test/support/slow-chain.ts', '--input', '{nope', '--debug']);
  assert.match(r.err, /\n\s+at /);
});

test.run();
