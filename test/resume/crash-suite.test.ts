import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { replay } from '../../src/index.ts';
import { createJsonlStore } from '../../src/history/jsonl-store.ts';
import { crashChain, crashDag } from '../support/crash-flows.ts';

/**
 * The crash suite: 24 trials of `orchestai run` killed with SIGKILL at a random moment, over a
 * chain and a DAG workflow, then `orchestai resume`; in a third of the trials the resume is killed
 * too and resumed again. Every trial must end succeeded with 0 completed steps run again, 0 events
 * lost and a history that replays without divergence. Seeded, so a failure can be rerun.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'src/cli/bin.ts');
/** tsx by path: the children run in a temporary project, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const TRIALS = 24;
const workflows = { 'crash-chain': crashChain, 'crash-dag': crashDag };

/** A small deterministic generator (mulberry32) so trials are reproducible. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cli(project: string, home: string, log: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, BIN, ...args], { cwd: project, env: { ...process.env, ORCHESTAI_HOME: home, CRASH_LOG: log }, stdio: 'ignore' });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

/** Complete lines of a history being written (a line in the middle of being written is left out). */
function completeEvents(file: string): any[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 3));
  }
  return pred();
}

async function trial(project: string, i: number, random: () => number) {
  const id = i % 2 === 0 ? 'crash-chain' : 'crash-dag';
  const home = path.join(project, `home-${i}`);
  const log = path.join(project, `exec-${i}.log`);
  const runs = path.join(home, 'runs');
  const child = cli(project, home, log, ['run', id, '--json']);
  const historyFile = () => (fs.existsSync(runs) ? fs.readdirSync(runs).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(runs, f))[0] : undefined);
  // Kill after a random number of completed steps (0 to 5), at a random moment of the next one.
  const after = Math.floor(random() * 6);
  await waitFor(() => {
    const ev = completeEvents(historyFile() ?? '');
    return ev.length > 0 && ev.filter((e) => e.type === 'step.succeeded').length >= after;
  }, 20_000);
  await new Promise((r) => setTimeout(r, random() * 25));
  child.kill('SIGKILL');
  await exited(child);
  const file = historyFile()!;
  assert.ok(file, `trial ${i}: no history`);
  const before = completeEvents(file);
  const completed = new Set(before.filter((e) => e.type === 'step.succeeded').map((e) => e.step));
  const runId = path.basename(file, '.jsonl');
  let kills = 1;
  if (i % 3 === 0) {
    // Kill the resume as well, once it has started working.
    const r = cli(project, home, log, ['resume', runId, '--json']);
    await waitFor(() => completeEvents(file).some((e) => e.type === 'run.resumed'), 20_000);
    await new Promise((res) => setTimeout(res, random() * 40));
    r.kill('SIGKILL');
    await exited(r);
    kills++;
  }
  const last = cli(project, home, log, ['resume', runId, '--json']);
  assert.is(await exited(last), 0, `trial ${i}: the final resume failed`);
  const store = createJsonlStore(home);
  const after_ = store.read(runId);
  assert.is(after_.at(-1)!.type, 'run.finished', `trial ${i}`);
  assert.is((after_.at(-1) as any).status, 'succeeded', `trial ${i}`);
  // No event lost: everything complete before the kill is still there, unchanged.
  for (const e of before) assert.equal(after_[e.seq - 1], e, `trial ${i}: event ${e.seq} changed or lost`);
  // No completed step ran again: each body that had succeeded before the kill ran exactly once.
  const ran = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[1]);
  for (const step of completed) assert.is(ran.filter((s) => s === step).length, 1, `trial ${i}: ${step} ran again after the kill`);
  const r = replay(after_, workflows[id as keyof typeof workflows]);
  assert.ok(r.ok, `trial ${i}: ${r.divergence?.message}`);
  return { kills, rerunCompleted: 0 };
}

test(`crash suite: ${TRIALS} SIGKILL trials over a chain and a DAG (a third killed again while resuming)`, async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-crash-'));
  fs.writeFileSync(path.join(project, 'orchestai.config.mjs'), `export default { workflows: [${JSON.stringify(path.join(ROOT, 'test/support/crash-flows.ts'))}] };\n`);
  const random = rng(20261204);
  let kills = 0;
  // Two trials at a time: the machine has two cores.
  for (let i = 0; i < TRIALS; i += 2) {
    const pair = await Promise.all([trial(project, i, random), trial(project, i + 1, random)]);
    kills += pair.reduce((n, t) => n + t.kills, 0);
  }
  assert.ok(kills >= TRIALS + TRIALS / 3, `${kills} kills`);
});

test.run();
