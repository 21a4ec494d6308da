import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../support/cli.ts';
import { calls, FIXTURE, ROOT, SERVER_COMMAND, serverChildren } from './helpers.ts';
import { recordedServerHint } from '../../src/cli/plan-run.ts';
import { recordedMcpServer, resolveRecordedWorkflow } from '../../src/project/resolve.ts';
import { WorkflowResolver } from '../../src/ui/workflows.ts';

/**
 * Runs planned over an MCP server replay without it and resume only over a server the user names:
 * the history records the server as a hint (`plan:<json>` source, `mcp`) and nothing ever starts
 * or calls what a history names.
 */

const BIN = path.join(ROOT, 'src/cli/bin.ts');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const COUNT = `Count the words of ${FIXTURE} and format a word report`;
/**
 * The zero-shot plan of this one is two parallel steps, read-text and upper-case: one to finish,
 * one (made slow) to stop mid-call. `--input` gives upper-case, a root step, its text.
 */
const TWO_STEPS = `Read ${FIXTURE} and convert the text to upper case`;
const TWO_STEPS_INPUT = JSON.stringify({ path: FIXTURE, text: 'quiet water' });

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const historyOf = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l));
};

const children: ChildProcess[] = [];
test.after.each(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** `orchestai run <instruction> --mcp <server> --yes` in its own process, killed with SIGKILL once `upper-case` is in flight. */
async function killedMidCall(home: string, server: string, reached: () => boolean = () => true): Promise<{ runId: string; file: string }> {
  const proc = spawn(process.execPath, ['--import', TSX, BIN, 'run', TWO_STEPS, '--input', TWO_STEPS_INPUT, '--mcp', server, '--yes'], { cwd: ROOT, env: { ...process.env, ORCHESTAI_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise((r) => proc.once('exit', r));
  const runs = path.join(home, 'runs');
  const end = Date.now() + 20_000;
  for (;;) {
    const name = fs.existsSync(runs) ? fs.readdirSync(runs).find((f) => f.endsWith('.jsonl')) : undefined;
    const events = name ? historyOf(path.join(runs, name)) : [];
    const done = new Set(events.filter((e) => e.type === 'step.succeeded').map((e) => e.step));
    const inFlight = events.find((e) => e.type === 'step.started' && e.worker === 'upper-case');
    // The history records a step as started before its call goes out: `reached` waits for the server to have it.
    if (inFlight && done.size > 0 && reached()) {
      proc.kill('SIGKILL');
      await exited;
      return { runId: name!.replace(/\.jsonl$/, ''), file: path.join(runs, name!) };
    }
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`the run never had upper-case in flight: ${err}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a finished run --mcp replays with no server: ok, no divergence, same definition hash; the viewer draws it', async () => {
  const r = await cli(['run', COUNT, '--mcp', SERVER_COMMAND, '--yes', '--json']);
  assert.is(r.code, 0, r.err);
  const { runId, history } = JSON.parse(r.out);
  const started = historyOf(history)[0];
  assert.equal(recordedMcpServer(started.source), { command: SERVER_COMMAND, name: 'orchestai-test-server' });
  const replayed = await cli(['replay', runId, '--json'], r.home);
  assert.is(replayed.code, 0, replayed.err);
  const doc = JSON.parse(replayed.out);
  assert.equal([doc.ok, doc.status, doc.definitionChanged, doc.divergence], [true, 'succeeded', false, undefined]);
  assert.equal(serverChildren(), [], 'replay started a server');
  const viewer = await new WorkflowResolver({ cwd: ROOT }).resolve(started.workflowId, started.source);
  assert.is(viewer.workflow.hash, started.workflowHash);
  assert.match(viewer.from, /replayed without starting it/);
  assert.ok(viewer.config.states, 'a chart config');
  // Finished, it needs no server to say so.
  const again = await cli(['resume', runId], r.home);
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /^already finished: succeeded/);
});

test('stand-ins throw if called; without replayOnly or a server, resolving names the recorded server', async () => {
  const source = `plan:${JSON.stringify({ nodes: [{ id: 'n1', worker: 'read-text', dependsOn: [] }], confidence: 1, source: 'model', handOffs: [], mcp: { command: 'node "my server.mjs"' } })}`;
  const { workflow } = await resolveRecordedWorkflow({ workflowId: 'plan:x', source }, { cwd: ROOT, replayOnly: true });
  const worker = workflow.steps[0].worker!;
  assert.is(worker.name, 'read-text');
  assert.ok(worker.input.safeParse({ anything: [1] }).success);
  assert.throws(() => worker.run({}, {} as any), /replay-only worker "read-text" was called/);
  try {
    await resolveRecordedWorkflow({ workflowId: 'plan:x', source, runId: 'r1' }, { cwd: ROOT });
    assert.unreachable('resolved without a server');
  } catch (e) {
    assert.is((e as Error).message, 'run r1 used MCP server `node "my server.mjs"`, which a history cannot make us start: pass --mcp "node \\"my server.mjs\\"" to resume it');
  }
  // An older history without the hint: its workers are not built in, so it is still an MCP plan.
  const old = `plan:${JSON.stringify({ nodes: [{ id: 'n1', worker: 'read-text', dependsOn: [] }], confidence: 1, source: 'model', handOffs: [] })}`;
  assert.equal(recordedMcpServer(old), {});
  assert.equal(recordedMcpServer(`plan:${JSON.stringify({ nodes: [{ id: 'n1', worker: 'summarise', dependsOn: [] }] })}`), undefined);
  try {
    await resolveRecordedWorkflow({ workflowId: 'plan:x', source: old }, { cwd: ROOT });
    assert.unreachable('resolved without a server');
  } catch (e) {
    assert.match((e as Error).message, /^the run was planned over tools that are not built in \(read-text\), from an MCP server its history does not name: pass --mcp "<command>" or --mcp-url <url>/);
  }
});

test('the recorded hint keeps no URL query, credentials or secret flag values', () => {
  assert.equal(recordedServerHint({ mcpUrl: 'https://ann:pw@tools.example:8443/mcp/v1?key=s3cret#x' }), { url: 'https://tools.example:8443/mcp/v1' });
  assert.equal(recordedServerHint({ mcp: 'node s.mjs --api-key abc --root ./docs --token=xyz' }), { command: 'node s.mjs --api-key *** --root ./docs --token=***' });
  assert.equal(recordedServerHint({ mcp: 'node "my  server.mjs"' }), { command: 'node "my  server.mjs"' });
});

test('a run --mcp killed mid-call: resume needs --mcp, then finishes without re-running a completed step', async () => {
  const home = tmp('orchestai-mcp-resume-');
  const log = path.join(tmp('orchestai-mcp-log-'), 'calls.log');
  const slow = `${SERVER_COMMAND} --call-log ${log} --slow upper-case=2000`;
  const { runId, file } = await killedMidCall(home, slow, () => calls(log).includes('upper-case'));
  // read-text, then upper-case on its text (the matcher links them by the text type); killed while upper-case runs.
  assert.equal(calls(log).sort(), ['readText', 'upper-case']);
  const before = historyOf(file);
  assert.ok(!before.some((e) => e.type === 'run.finished'));

  const replayed = await cli(['replay', runId, '--json'], home);
  assert.is(replayed.code, 0, replayed.err);
  assert.is(JSON.parse(replayed.out).ok, true);

  const refused = await cli(['resume', runId], home);
  assert.is(refused.code, 1);
  assert.is(refused.err, `orchestai: run ${runId} used MCP server \`${slow}\`, which a history cannot make us start: pass --mcp "${slow}" to resume it`);
  assert.equal(calls(log).sort(), ['readText', 'upper-case'], 'refusing started the server');

  const other = await cli(['resume', runId, '--mcp', SERVER_COMMAND, '--workflow', 'build-website'], home);
  assert.match(other.err, /^orchestai: --workflow and --mcp name what to continue the run with; give one of them$/);

  const resumed = await cli(['resume', runId, '--mcp', `${SERVER_COMMAND} --call-log ${log}`, '--json'], home);
  assert.is(resumed.code, 0, resumed.err);
  const doc = JSON.parse(resumed.out);
  assert.equal([doc.resumed, doc.status], [true, 'succeeded']);
  assert.match(JSON.stringify(doc.output), /VILLAGE POND/);
  // readText ran once, before the kill; only the call in flight ran again.
  assert.equal(calls(log).sort(), ['readText', 'upper-case', 'upper-case']);
  const after = historyOf(file);
  assert.is(after.filter((e) => e.type === 'step.started' && e.worker === 'read-text').length, 1);
  assert.match(JSON.stringify(after.find((e) => e.type === 'step.succeeded' && e.step === 'read-text')), /village pond/);
  assert.equal(serverChildren(), []);
});

test('cancel --resume of a killed run --mcp: the same message without --mcp; with it, the run ends cancelled', async () => {
  const home = tmp('orchestai-mcp-cancel-');
  const slow = `${SERVER_COMMAND} --slow upper-case=2000`;
  const { runId } = await killedMidCall(home, slow);
  const refused = await cli(['cancel', runId, '--resume'], home);
  assert.is(refused.code, 1);
  assert.match(refused.err, `orchestai: run ${runId} used MCP server \`${slow}\``);
  const done = await cli(['cancel', runId, '--resume', '--mcp', SERVER_COMMAND], home);
  assert.is(done.code, 130, done.out + done.err);
  assert.match(done.out, /resumed and cancelled/);
  const plain = await cli(['resume', runId, '--mcp', SERVER_COMMAND], home);
  assert.match(plain.out, /already finished: cancelled/);
  assert.equal(serverChildren(), []);
});

test.run();
