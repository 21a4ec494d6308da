import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'src/cli/bin.ts');

function events(file: string): any[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return []; // a line being written right now
    }
  });
}

test('kill -9 mid-run, then `orchestai resume` completes it without re-running completed steps', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-kill-'));
  const log = path.join(home, 'executions.log');
  const env = { ...process.env, ORCHESTAI_HOME: home, SLOW_CHAIN_LOG: log, SLOW_CHAIN_MS: '120' };
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'run', 'test/support/slow-chain.ts', '--json'], { cwd: ROOT, env, stdio: 'ignore' });
  const runsDir = path.join(home, 'runs');
  let file = '';
  const deadline = Date.now() + 20_000;
  // Wait until two steps have completed and a third is in flight, then kill without warning.
  for (;;) {
    if (Date.now() > deadline) throw new Error('the child run made no progress');
    if (!file && fs.existsSync(runsDir)) file = fs.readdirSync(runsDir).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(runsDir, f))[0] ?? '';
    const ev = file ? events(file) : [];
    if (ev.filter((e) => e.type === 'step.succeeded').length >= 2 && ev.at(-1)?.type === 'step.started') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const before = events(file);
  assert.not.ok(before.some((e) => e.type === 'run.finished'), 'the run was killed before finishing');
  const completedBefore = before.filter((e) => e.type === 'step.succeeded').map((e) => e.step);
  assert.ok(completedBefore.length >= 2);

  const runId = path.basename(file, '.jsonl');
  const out = execFileSync(process.execPath, ['--import', 'tsx', BIN, 'resume', runId, '--workflow', 'test/support/slow-chain.ts', '--json'], { cwd: ROOT, env, encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').at(-1)!);
  assert.equal(result.status, 'succeeded');
  assert.equal(result.resumed, true);
  assert.equal(result.output, { n: 6 });

  const after = events(file);
  assert.equal(after.at(-1).type, 'run.finished');
  assert.ok(after.some((e) => e.type === 'run.resumed'));
  // No completed step started twice, in the history...
  for (const step of completedBefore) assert.equal(after.filter((e) => e.type === 'step.started' && e.step === step).length, 1, `step ${step} started twice`);
  // ...nor in reality: each completed step's worker body ran once.
  const ran = fs.readFileSync(log, 'utf8').trim().split('\n');
  for (const step of completedBefore) assert.equal(ran.filter((s) => s === step).length, 1, `${step} executed ${ran.filter((s) => s === step).length} times`);
  assert.equal(new Set(ran).size, 6, 'every step ran');

  // And the resumed history replays cleanly.
  const replay = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', BIN, 'replay', runId, '--workflow', 'test/support/slow-chain.ts', '--json'], { cwd: ROOT, env, encoding: 'utf8' }));
  assert.equal(replay.ok, true);
});

test.run();
