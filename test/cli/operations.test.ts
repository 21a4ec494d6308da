import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, ROOT } from '../support/cli.ts';

/**
 * Operating runs from another process: approve and cancel (owner alive and dead), SIGTERM,
 * resume --all, the runs filters, prune, delete and repair.
 */

const BIN = path.join(ROOT, 'src/cli/bin.ts');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** `orchestai <args>` as a separate process (no TTY), with the store at `home`. */
const children: ChildProcess[] = [];
// A failed assertion must not leave a child running: its pipes would keep this process alive.
test.after.each(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function child(args: string[], home: string, env: Record<string, string> = {}): { proc: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', TSX, BIN, ...args], { cwd: ROOT, env: { ...process.env, ORCHESTAI_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  return { proc, out: () => out, err: () => err, exit };
}

async function until(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-ops-'));
/** The complete lines of a history another process may be writing right now. */
function historyOf(h: string, runId: string): any[] {
  const text = fs.readFileSync(path.join(h, 'runs', `${runId}.jsonl`), 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
const runIdFrom = (stderr: string) => /run (\S+) \(/.exec(stderr)?.[1];

test('approve from another process: a live run applies it within a second; the waiting run says how to decide', async () => {
  const h = home();
  const run = child(['run', 'test/support/approval-flow.ts'], h);
  await until(() => /waits for approval/.test(run.err()));
  const runId = runIdFrom(run.err())!;
  assert.match(run.err(), `decide with \`orchestai approve ${runId} publish\``);
  const t0 = Date.now();
  const r = await cli(['approve', runId, 'publish', '--by', 'ana', '--comment', 'looks right'], h);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'approved publish: applied by the live run', r.out + r.err);
  assert.is(await run.exit, 0);
  assert.ok(Date.now() - t0 < 3000);
  const approval = historyOf(h, runId).find((e) => e.type === 'approval.received');
  assert.equal([approval.approved, approval.by, approval.comment], [true, 'ana', 'looks right']);
});

test('approve when the owner is gone: queued durably, applied by resume (or --resume here)', async () => {
  const h = home();
  const run = child(['run', 'test/support/approval-flow.ts'], h);
  await until(() => /waits for approval/.test(run.err()));
  const runId = runIdFrom(run.err())!;
  run.proc.kill('SIGKILL');
  await run.exit;
  assert.equal(JSON.parse((await cli(['runs', '--json'], h)).out).runs[0].status, 'interrupted');
  const r = await cli(['approve', runId, 'publish', '--resume', '--workflow', 'test/support/approval-flow.ts'], h);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'approved publish: recorded; no process holds run');
  assert.match(r.out, 'resumed and succeeded');
  assert.equal(JSON.parse((await cli(['runs', '--json'], h)).out).runs[0].status, 'succeeded');
  const shown = (await cli(['show', runId], h)).out;
  assert.match(shown, /crashed after event #\d+ at \+[\d.]+ ?m?s, resumed at/);
  assert.match(shown, /approved publish at \+[\d.]+ ?m?s/);
});

test('cancel from another process ends a running run as cancelled within a second', async () => {
  const h = home();
  const run = child(['run', 'test/support/slow-chain.ts'], h, { SLOW_CHAIN_MS: '400' });
  await until(() => fs.existsSync(path.join(h, 'runs')) && fs.readdirSync(path.join(h, 'runs')).some((f) => f.endsWith('.jsonl')));
  const runId = fs.readdirSync(path.join(h, 'runs')).find((f) => f.endsWith('.jsonl'))!.replace('.jsonl', '');
  await until(() => historyOf(h, runId).some((e) => e.type === 'step.started'));
  const t0 = Date.now();
  const r = await cli(['cancel', runId, '--reason', 'wrong input', '--by', 'ops'], h);
  assert.match(r.out, 'cancel: applied by the live run', r.out + r.err);
  assert.is(await run.exit, 130);
  assert.ok(Date.now() - t0 < 1500, `${Date.now() - t0} ms`);
  const last = historyOf(h, runId);
  assert.equal(last.find((e) => e.type === 'run.cancelled'), { ...last.find((e) => e.type === 'run.cancelled'), reason: 'wrong input', by: 'ops' });
  assert.equal(last.at(-1).status, 'cancelled');
});

test('SIGTERM interrupts a run gracefully (recorded, interrupted, not running); resume --all finishes it', async () => {
  const h = home();
  const run = child(['run', 'test/support/slow-chain.ts'], h, { SLOW_CHAIN_MS: '150' });
  await until(() => fs.existsSync(path.join(h, 'runs')) && fs.readdirSync(path.join(h, 'runs')).some((f) => f.endsWith('.jsonl')));
  const runId = fs.readdirSync(path.join(h, 'runs')).find((f) => f.endsWith('.jsonl'))!.replace('.jsonl', '');
  await until(() => historyOf(h, runId).filter((e) => e.type === 'step.succeeded').length >= 1);
  run.proc.kill('SIGTERM');
  assert.is(await run.exit, 130);
  const events = historyOf(h, runId);
  assert.equal(events.at(-1).type, 'run.interrupted');
  assert.equal(events.at(-1).reason, 'SIGTERM');
  assert.equal(JSON.parse((await cli(['runs', '--status', 'interrupted', '--json'], h)).out).total, 1);
  const r = await cli(['resume', '--all', '--workflow', 'test/support/slow-chain.ts'], h);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'resumed and succeeded');
  assert.match((await cli(['show', runId], h)).out, /stopped \(SIGTERM\) after event #\d+/);
});

test('bad requests are one line naming the problem; nothing is sent', async () => {
  const h = home();
  const done = JSON.parse((await cli(['run', 'test/support/slow-chain.ts', '--json'], h)).out);
  const notWaiting = await cli(['approve', done.runId, 'publish'], h);
  assert.is(notWaiting.code, 1);
  assert.match(notWaiting.err, `orchestai: run ${done.runId} already finished (succeeded)`);
  const unknown = await cli(['cancel', 'nope-123'], h);
  assert.match(unknown.err, 'orchestai: unknown run "nope-123"');
  assert.not.ok(fs.existsSync(path.join(h, 'control')) && fs.readdirSync(path.join(h, 'control')).length > 0);
});

test('runs filters; prune lists with --dry-run, needs --yes without a terminal, deletes old finished runs; delete; repair', async () => {
  const h = home();
  const a = JSON.parse((await cli(['run', 'test/support/slow-chain.ts', '--json'], h)).out);
  const b = JSON.parse((await cli(['run', 'build-website', '--json'], h)).out);
  assert.equal(JSON.parse((await cli(['runs', '--workflow', 'build-website', '--json'], h)).out).runs.map((r: any) => r.runId), [b.runId]);
  assert.equal(JSON.parse((await cli(['runs', '--since', '1h', '--json'], h)).out).total, 2);
  assert.equal(JSON.parse((await cli(['runs', '--since', '2999-01-01', '--json'], h)).out).total, 0);
  await new Promise((r) => setTimeout(r, 20));
  const dry = await cli(['prune', '--older-than', '1ms', '--dry-run'], h);
  assert.match(dry.out, 'would delete 2 run(s)');
  const refused = await cli(['prune', '--older-than', '1ms'], h);
  assert.is(refused.code, 1);
  assert.match(refused.err, 'pass --yes');
  assert.is(JSON.parse((await cli(['runs', '--json'], h)).out).total, 2);
  const file = path.join(h, 'runs', `${a.runId}.jsonl`);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.slice(0, -15));
  const repaired = await cli(['repair', a.runId], h);
  assert.match(repaired.out, 'cut a torn last line');
  assert.ok(fs.existsSync(`${file}.bak`));
  const del = await cli(['delete', b.runId, '--yes'], h);
  assert.match(del.out, 'deleted 1 run(s)');
  const pruned = await cli(['prune', '--older-than', '1ms', '--status', 'interrupted', '--yes'], h);
  assert.match(pruned.out, 'deleted 1 run(s)');
  assert.is(JSON.parse((await cli(['runs', '--json'], h)).out).total, 0);
});

test.run();
