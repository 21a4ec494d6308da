/**
 * bench:concurrency — many runs in flight at once in one process, under a small descriptor limit.
 *
 *   npm run bench:concurrency [-- --runs=10000 --fd-limit=256 --step-ms=5]
 *
 * Each engine runs in its own child process started under `ulimit -n <fd-limit>`, so its peak RSS
 * and descriptors are its own: `--runs` runs of a 5-step chain, all started at once, each step a
 * worker that waits `--step-ms` on a timer (a model call, in miniature). orchestai keeps its JSONL
 * histories (default durability) and then replays every run; LangGraph.js with MemorySaver is the
 * peer (checkpoints in memory, nothing on disk). Prints a table and writes
 * bench/results/concurrency.json. A script, not a test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'] as const;
}));
for (const k of args.keys()) if (!['runs', 'fd-limit', 'step-ms', 'engine', 'out'].includes(k)) throw new Error(`bench/concurrency.ts: unknown option --${k}`);
const RUNS = Number(args.get('runs') ?? 10_000);
const FD_LIMIT = Number(args.get('fd-limit') ?? 256);
const STEP_MS = Number(args.get('step-ms') ?? 5);
const STEPS = 5;
for (const [k, v] of [['runs', RUNS], ['fd-limit', FD_LIMIT], ['step-ms', STEP_MS]] as const) if (!(Number.isInteger(v) && v >= 0)) throw new Error(`bench/concurrency.ts: --${k} must be a non-negative integer`);

interface Measured {
  engine: string;
  runs: number;
  succeeded: number;
  failed: number;
  wallMs: number;
  peakRssMiB: number;
  peakFds: number;
  replayed?: number;
  divergences?: number;
  replayMs?: number;
  error?: string;
}

/** Samples RSS and open descriptors every 20 ms while `work` runs. */
async function sampled<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; peakFds: number }> {
  let peakRss = 0;
  let peakFds = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    try {
      peakFds = Math.max(peakFds, fs.readdirSync('/proc/self/fd').length);
    } catch {
      /* not Linux */
    }
  };
  const timer = setInterval(sample, 20);
  try {
    const value = await work();
    sample();
    return { value, peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024), peakFds };
  } finally {
    clearInterval(timer);
  }
}

async function orchestai(): Promise<Measured> {
  const { z } = await import('zod');
  const { defineWorker, defineWorkflow, run, replay, createJsonlStore } = await import('../src/index.ts');
  const wait = defineWorker({ name: 'wait', description: 'Waits a few ms, adds one.', input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: async ({ n }, ctx) => (await ctx.sleep(STEP_MS), { n: n + 1 }) });
  const wf = defineWorkflow({ id: 'chain5', onFailure: 'failed', steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, worker: wait })) });
  const store = createJsonlStore(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-conc-')));
  const t0 = performance.now();
  const { value: results, peakRss, peakFds } = await sampled(() => Promise.allSettled(Array.from({ length: RUNS }, () => run(wf, { n: 0 }, { store }))));
  const wallMs = performance.now() - t0;
  const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'succeeded') as PromiseFulfilledResult<{ runId: string }>[];
  const firstError = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  const t1 = performance.now();
  let divergences = 0;
  for (const r of ok) if (!replay(store.read(r.value.runId), wf).ok) divergences++;
  const replayMs = performance.now() - t1;
  fs.rmSync(store.root, { recursive: true, force: true });
  return { engine: 'orchestai (JSONL histories)', runs: RUNS, succeeded: ok.length, failed: RUNS - ok.length, wallMs, peakRssMiB: peakRss / 2 ** 20, peakFds, replayed: ok.length, divergences, replayMs, ...(firstError ? { error: String(firstError.reason?.message ?? firstError.reason) } : {}) };
}

async function langgraph(): Promise<Measured> {
  const { StateGraph, Annotation, START, END, MemorySaver } = await import('@langchain/langgraph');
  const State = Annotation.Root({ n: Annotation<number>() });
  const g: any = new StateGraph(State);
  for (let i = 0; i < STEPS; i++) g.addNode(`s${i}`, async (s: { n: number }) => (await new Promise((r) => setTimeout(r, STEP_MS)), { n: s.n + 1 }));
  g.addEdge(START, 's0');
  for (let i = 0; i + 1 < STEPS; i++) g.addEdge(`s${i}`, `s${i + 1}`);
  g.addEdge(`s${STEPS - 1}`, END);
  const graph = g.compile({ checkpointer: new MemorySaver() });
  const t0 = performance.now();
  const { value: results, peakRss, peakFds } = await sampled(() => Promise.allSettled(Array.from({ length: RUNS }, (_, i) => graph.invoke({ n: 0 }, { configurable: { thread_id: `t${i}` } }))));
  const wallMs = performance.now() - t0;
  const ok = results.filter((r) => r.status === 'fulfilled' && (r.value as { n: number }).n === STEPS).length;
  return { engine: 'LangGraph.js + MemorySaver (in memory)', runs: RUNS, succeeded: ok, failed: RUNS - ok, wallMs, peakRssMiB: peakRss / 2 ** 20, peakFds };
}

/** Runs one engine in a child process under the descriptor limit; returns what it measured. */
function inChild(engine: string): Measured {
  const self = fileURLToPath(import.meta.url);
  const tsx = pathToFileURL(path.resolve(path.dirname(self), '../node_modules/tsx/dist/loader.mjs')).href;
  const cmd = `ulimit -n ${FD_LIMIT} && exec ${JSON.stringify(process.execPath)} --import ${tsx} ${JSON.stringify(self)} --engine=${engine} --runs=${RUNS} --step-ms=${STEP_MS} --fd-limit=${FD_LIMIT}`;
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { engine, runs: RUNS, succeeded: 0, failed: RUNS, wallMs: 0, peakRssMiB: 0, peakFds: 0, error: `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}` };
  }
}

if (args.has('engine')) {
  const m = args.get('engine') === 'orchestai' ? await orchestai() : await langgraph();
  process.stdout.write(JSON.stringify(m) + '\n');
  process.exit(0);
}

const rows = [inChild('orchestai'), inChild('langgraph')];
const fmt = (n: number | undefined, d = 0) => (n === undefined ? '-' : n.toFixed(d));
console.log(`${RUNS} concurrent runs of a ${STEPS}-step chain (each step waits ${STEP_MS} ms), one process each, ulimit -n ${FD_LIMIT}, Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
console.log('| engine | succeeded | failed | wall s | peak RSS MiB | peak fds | replayed (divergences) | replay s |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
for (const m of rows) console.log(`| ${m.engine} | ${m.succeeded} | ${m.failed} | ${fmt(m.wallMs / 1000, 2)} | ${fmt(m.peakRssMiB)} | ${m.peakFds} | ${m.replayed === undefined ? '-' : `${m.replayed} (${m.divergences})`} | ${fmt(m.replayMs === undefined ? undefined : m.replayMs / 1000, 2)} |`);
for (const m of rows) if (m.error) console.log(`${m.engine}: ${m.error}`);
const out = args.get('out') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'concurrency.json');
const git = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();
fs.writeFileSync(out, JSON.stringify({ meta: { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), git, runs: RUNS, steps: STEPS, stepMs: STEP_MS, fdLimit: FD_LIMIT, command: `npm run bench:concurrency -- --runs=${RUNS} --fd-limit=${FD_LIMIT} --step-ms=${STEP_MS}` }, results: rows }, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), out)}`);
