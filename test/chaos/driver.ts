import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { createPgStore } from '../../src/history/pg/pg-store.ts';
import { replay } from '../../src/replay.ts';
import { newRunId } from '../../src/run.ts';
import { Cluster } from '../support/cluster.ts';
import { startPostgres, startRedis } from '../support/services.ts';
import { chaosDag } from './flow.ts';

/**
 * The chaos suite: runs of a 6-step DAG over hub and worker PROCESSES (`orchestai hub`,
 * `orchestai worker`) on a real PostgreSQL and Redis, while a random worker is killed with
 * SIGKILL every `killEveryMs` and each hub once; killed processes are started again. Then it
 * checks every run from the store and the workers' execution logs.
 */

export interface ChaosOptions {
  runs: number;
  hubs: number;
  workers: number;
  killEveryMs: number;
  /** How long a dead hub's runs wait before another hub takes them. */
  leaseMs: number;
  /** Per worker process. */
  concurrency: number;
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  runs: number;
  final: number;
  succeeded: number;
  /** Step bodies that started after the history recorded that step as completed. */
  rerunCompletedSteps: number;
  /** Attempts whose body started more than once (a killed worker's job, delivered again): at-least-once, expected. */
  redeliveredAttempts: number;
  /** Gaps in a run's sequence numbers, runs without their end, attempts started and never answered nor resumed. */
  lostEvents: number;
  /** Histories that do not replay onto the workflow, or whose output is not the one the input determines. */
  divergences: number;
  kills: { workers: number; hubs: number };
  /** From each hub's SIGKILL to each of its runs' `run.resumed` by another hub. */
  failoverMs: { p50: number; p99: number; max: number; runs: number };
  wallMs: number;
  steps: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FLOW = path.join(ROOT, 'test/chaos/flow.ts');

/**
 * Runs the chaos suite and returns what it found.
 *
 * @example
 * const report = await runChaos({ runs: 1000, hubs: 2, workers: 3, killEveryMs: 2000, leaseMs: 2000, concurrency: 40, timeoutMs: 600_000 });
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const say = o.log ?? (() => {});
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-chaos-'));
  const store = await createPgStore(pg.url, { leaseMs: o.leaseMs });
  const procs = new Cluster({ store: pg.url, redis: redis.url, workflow: FLOW, env: { CHAOS_LOG: logDir }, leaseMs: o.leaseMs, concurrency: o.concurrency, say });
  const started = Date.now();
  try {
    for (let i = 0; i < o.hubs; i++) procs.spawn('hub', i);
    for (let i = 0; i < o.workers; i++) procs.spawn('worker', i);
    await procs.ready();
    const ids = Array.from({ length: o.runs }, () => newRunId());
    for (const id of ids) await store.submit(id, { workflowId: chaosDag.id }, { n: 1 });
    say(`chaos: ${o.runs} runs submitted`);
    const hubKills: number[] = [];
    const unfinished = async () => (await store.listRuns({ status: ['running', 'interrupted'], limit: 1 })).total;
    let nextKill = Date.now() + o.killEveryMs;
    const hubsToKill = Array.from({ length: o.hubs }, (_, i) => i);
    while (Date.now() - started < o.timeoutMs) {
      const left = await unfinished();
      if (left === 0) break;
      // Each hub dies once, spread over the first two thirds of the work.
      const done = 1 - left / o.runs;
      if (hubsToKill.length > 0 && done >= ((o.hubs - hubsToKill.length + 1) / (o.hubs + 1)) * 0.66) {
        hubKills.push(Date.now());
        await procs.kill('hub', hubsToKill.shift()!);
      }
      if (Date.now() >= nextKill) {
        nextKill += o.killEveryMs;
        await procs.kill('worker', Math.floor(Math.random() * o.workers));
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const wallMs = Date.now() - started;
    say(`chaos: runs done after ${(wallMs / 1000).toFixed(1)} s; checking`);
    const report = await check(store, ids, logDir, hubKills);
    return { ...report, kills: { workers: procs.kills.worker, hubs: procs.kills.hub }, wallMs };
  } finally {
    await procs.stopAll();
    await store.close();
    await Promise.all([pg.stop(), redis.stop()]);
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

type StepLog = { starts: number[]; ends: number; byAttempt: Map<number, number> };

/** Every body start and end the workers logged, by run and step. */
function readLogs(dir: string): Map<string, StepLog> {
  const out = new Map<string, StepLog>();
  for (const f of fs.readdirSync(dir)) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const [kind, run, step, attempt, t] = line.split(' ');
      if (!t) continue;
      const key = `${run} ${step}`;
      let s = out.get(key);
      if (!s) out.set(key, (s = { starts: [], ends: 0, byAttempt: new Map() }));
      if (kind === 'start') s.starts.push(Number(t)), s.byAttempt.set(Number(attempt), (s.byAttempt.get(Number(attempt)) ?? 0) + 1);
      else s.ends++;
    }
  }
  return out;
}

async function check(store: Awaited<ReturnType<typeof createPgStore>>, ids: string[], logDir: string, hubKills: number[]) {
  const logs = readLogs(logDir);
  let final = 0, succeeded = 0, rerun = 0, redelivered = 0, lost = 0, divergences = 0, steps = 0;
  const failovers: number[] = [];
  for (const id of ids) {
    const events = await store.read(id);
    const finished = events.find((e) => e.type === 'run.finished');
    if (finished) final++;
    else lost++;
    if (finished && (finished as any).status === 'succeeded') succeeded++;
    lost += events.filter((e, i) => e.seq !== i + 1).length;
    lost += unansweredAttempts(events);
    const replayed = replay(events, chaosDag);
    if (!replayed.ok || (finished && (finished as any).status === 'succeeded' && (finished as any).output?.n !== 11)) divergences++;
    for (const e of events) {
      if (e.type !== 'step.succeeded') continue;
      steps++;
      const log = logs.get(`${id} ${e.step}`);
      rerun += log?.starts.filter((t) => t > e.t).length ?? 0;
    }
    for (const log of new Set([...logs.entries()].filter(([k]) => k.startsWith(id + ' ')).map(([, v]) => v))) for (const n of log.byAttempt.values()) if (n > 1) redelivered += n - 1;
    for (const [i, e] of events.entries()) {
      if (e.type !== 'run.resumed') continue;
      // Only a run its hub held when killed: its event before the resume predates the kill.
      const killedAt = hubKills.filter((k) => k <= e.t && k >= events[i - 1].t).at(-1);
      if (killedAt !== undefined) failovers.push(e.t - killedAt);
    }
  }
  failovers.sort((a, b) => a - b);
  const q = (p: number) => (failovers.length ? failovers[Math.min(failovers.length - 1, Math.floor(p * failovers.length))] : 0);
  return { runs: ids.length, final, succeeded, rerunCompletedSteps: rerun, redeliveredAttempts: redelivered, lostEvents: lost, divergences, failoverMs: { p50: q(0.5), p99: q(0.99), max: failovers.at(-1) ?? 0, runs: failovers.length }, steps };
}

/** Attempts recorded as started that have neither an answer nor a later `run.resumed` (which runs them again). */
function unansweredAttempts(events: HistoryEvent[]): number {
  const open = new Set<string>();
  for (const e of events) {
    if (e.type === 'step.started') open.add(`${e.step}#${e.attempt}`);
    else if (e.type === 'step.succeeded' || e.type === 'step.failed') open.delete(`${e.step}#${e.attempt}`);
    else if (e.type === 'run.resumed') open.clear();
    else if (e.type === 'run.finished') open.clear(); // a finished run abandons what was still running
  }
  return open.size;
}
