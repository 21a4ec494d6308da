/**
 * bench:scale — the scale-out path on a real PostgreSQL and Redis started for the run.
 *
 *   npm run bench:scale [-- --parts=a,b,c --runs=5 --steps=100 --workers=1,2,4 --step-ms=50]
 *
 * (a) durable per-step overhead: a chain of `--steps` no-op steps, one run after another, every
 *     step recorded in Postgres: orchestai (a hub in process, attempts in the hub) against DBOS
 *     Transact on the same server (fsync on), each in its own process.
 * (b) throughput in steps/s of I/O-bound runs (5-step chains, 50 ms per step) with 1, 2 and 4
 *     `orchestai worker` processes (concurrency 20 each) behind one `orchestai hub`.
 * (c) hub failover: a hub driving 100 runs is killed with SIGKILL; a standby hub takes each run
 *     over once its lease (2 s) expired: the time from the kill to each run's `run.resumed`.
 * Prints a table and writes `bench/results/scale.json` under "bench" (the chaos suite writes the
 * rest of that file). A script, not a test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgStore, type PgStore } from '../src/history/pg/pg-store.ts';
import { newRunId } from '../src/run.ts';
import { Cluster } from '../test/support/cluster.ts';
import { startPostgres, startRedis } from '../test/support/services.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'] as const;
}));
for (const k of args.keys()) if (!['parts', 'runs', 'steps', 'workers', 'step-ms', 'out'].includes(k)) throw new Error(`bench/scale.ts: unknown option --${k}`);
const PARTS = (args.get('parts') ?? 'a,b,c').split(',');
const RUNS = Number(args.get('runs') ?? 5);
const STEPS = Number(args.get('steps') ?? 100);
const WORKERS = (args.get('workers') ?? '1,2,4').split(',').map(Number);
const STEP_MS = Number(args.get('step-ms') ?? 50);
const OUT = args.get('out') ?? path.join(ROOT, 'bench/results/scale.json');
const IO_FLOW = path.join(ROOT, 'bench/scale/io-flow.ts');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const say = (line: string) => process.stderr.write(line + '\n');

/** Runs a probe script in its own process and returns the JSON it prints last. */
function probe(script: string, url: string): { engine: string; perStepUs: number[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/scale', script), `--url=${url}`, `--steps=${STEPS}`, `--runs=${RUNS}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

async function partA() {
  const pg = await startPostgres({ durable: true });
  try {
    // Twice each, alternating, so neither engine always gets the warmer server.
    const runs = [probe('orchestai-chain.ts', pg.url), probe('dbos-chain.ts', pg.url), probe('orchestai-chain.ts', pg.url), probe('dbos-chain.ts', pg.url)];
    const of = (engine: string) => runs.filter((r) => r.engine === engine).flatMap((r) => r.perStepUs);
    const row = (engine: string) => ({ engine, medianPerStepUs: Math.round(median(of(engine))), minPerStepUs: Math.round(Math.min(...of(engine))), runs: of(engine).length });
    return { steps: STEPS, server: 'PostgreSQL, fsync on, synchronous_commit on, loopback', rows: [row('orchestai'), row('dbos')] };
  } finally {
    await pg.stop();
  }
}

/** Resolves when no run of the store is unfinished; returns when. */
async function allFinished(store: PgStore, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await store.listRuns({ status: ['running', 'interrupted'], limit: 1 })).total === 0) return Date.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`runs still unfinished after ${timeoutMs} ms`);
}

async function partB() {
  const rows = [];
  for (const workers of WORKERS) {
    const [pg, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
    const store = await createPgStore(pg.url);
    const cluster = new Cluster({ store: pg.url, redis: redis.url, workflow: IO_FLOW, leaseMs: 5000, concurrency: 20, env: { BENCH_STEP_MS: String(STEP_MS) } });
    try {
      cluster.spawn('hub', 0);
      for (let i = 0; i < workers; i++) cluster.spawn('worker', i);
      await cluster.ready();
      const runs = 150 * workers;
      const t0 = Date.now();
      for (let i = 0; i < runs; i++) await store.submit(newRunId(), { workflowId: 'io-chain' }, { n: 0 });
      const t1 = await allFinished(store, 300_000);
      const stepsPerS = (runs * 5) / ((t1 - t0) / 1000);
      rows.push({ workers, runs, steps: runs * 5, wallMs: t1 - t0, stepsPerS: Math.round(stepsPerS) });
      say(`(b) ${workers} worker(s): ${Math.round(stepsPerS)} steps/s`);
    } finally {
      await cluster.stopAll();
      await store.close();
      await Promise.all([pg.stop(), redis.stop()]);
    }
  }
  const base = rows[0].stepsPerS;
  return { stepMs: STEP_MS, concurrencyPerWorker: 20, hubs: 1, rows: rows.map((r) => ({ ...r, speedup: Number((r.stepsPerS / base).toFixed(2)) })) };
}

async function partC() {
  const leaseMs = 2000;
  const [pg, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
  const store = await createPgStore(pg.url);
  const cluster = new Cluster({ store: pg.url, redis: redis.url, workflow: IO_FLOW, leaseMs, concurrency: 100, env: { BENCH_STEP_MS: '2000' } });
  try {
    cluster.spawn('hub', 0);
    cluster.spawn('worker', 0);
    await cluster.ready();
    const ids = Array.from({ length: 100 }, () => newRunId());
    for (const id of ids) await store.submit(id, { workflowId: 'io-chain' }, { n: 0 });
    const held = async () => (await Promise.all(ids.map((id) => store.holderOf(id)))).filter((h) => h?.alive).length;
    while ((await held()) < ids.length) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    cluster.spawn('hub', 1); // the standby: every run is held by hub 0 now
    await cluster.ready();
    const killedAt = Date.now();
    await cluster.kill('hub', 0, false);
    await allFinished(store, 120_000);
    const delays: number[] = [];
    for (const id of ids) {
      const resumed = (await store.read(id)).find((e) => e.type === 'run.resumed' && e.t >= killedAt);
      if (resumed) delays.push(resumed.t - killedAt);
    }
    return { leaseMs, runs: ids.length, taken: delays.length, p50Ms: quantile(delays, 0.5), p99Ms: quantile(delays, 0.99), maxMs: Math.max(...delays), goalMs: leaseMs + 1000 };
  } finally {
    await cluster.stopAll();
    await store.close();
    await Promise.all([pg.stop(), redis.stop()]);
  }
}

const bench: Record<string, unknown> = { machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, at: new Date().toISOString() };
if (PARTS.includes('a')) {
  const a = (bench.overhead = await partA()) as Awaited<ReturnType<typeof partA>>;
  console.log(`\n(a) durable per-step overhead, chain of ${a.steps} no-op steps (${a.server})`);
  console.log('| engine | median µs/step | best µs/step | runs |\n|---|--:|--:|--:|');
  for (const r of a.rows) console.log(`| ${r.engine} | ${r.medianPerStepUs} | ${r.minPerStepUs} | ${r.runs} |`);
}
if (PARTS.includes('b')) {
  // The shape (50 ms) is the default; another step time is kept apart under its own key.
  const b = (bench[STEP_MS === 50 ? 'throughput' : `throughput${STEP_MS}ms`] = await partB()) as Awaited<ReturnType<typeof partB>>;
  console.log(`\n(b) throughput, 5-step chains of ${b.stepMs} ms I/O-bound steps, concurrency ${b.concurrencyPerWorker} per worker process, ${b.hubs} hub`);
  console.log('| worker processes | runs | steps/s | speed-up |\n|--:|--:|--:|--:|');
  for (const r of b.rows) console.log(`| ${r.workers} | ${r.runs} | ${r.stepsPerS} | ${r.speedup}x |`);
}
if (PARTS.includes('c')) {
  const c = (bench.failover = await partC()) as Awaited<ReturnType<typeof partC>>;
  console.log(`\n(c) hub failover, lease ${c.leaseMs} ms: ${c.taken}/${c.runs} runs taken over; p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms, max ${c.maxMs} ms (goal ≤ ${c.goalMs} ms)`);
}
const prior = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : {};
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify({ ...prior, bench: { ...(prior.bench ?? {}), ...bench } }, null, 2) + '\n');
console.log(`\nwritten: ${path.relative(ROOT, OUT)}`);
