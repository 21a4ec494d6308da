/**
 * bench:engine — the per-step overhead of orchestai against a plain await loop (the
 * floor), raw XState v5 and LangGraph.js, on the same no-op shapes in one process.
 *
 *   node --import tsx bench/engine.ts [--budget=60] [--quick] [--engines=floor,xstate,orchestai,langgraph] [--out=file]
 *
 * A full run (no --quick, all engines) writes bench/results/engine.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorEngine } from './lib/floor.ts';
import { xstateEngine } from './lib/xstate.ts';
import { loadOrchestai, type OrchestaiBench } from './lib/orchestai.ts';
import { loadLangGraphEngines } from './lib/langgraph.ts';
import { measureCell, predictRunMs, type CellResult, type MeasureOptions } from './lib/measure.ts';
import { measureReplay, type ReplayResult } from './lib/replay.ts';
import { evaluateBars, ratio, renderTable, FLAT_MAX_RATIO, type Results } from './lib/report.ts';
import { chain, fanout, type Engine, type Shape } from './lib/shapes.ts';

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'] as const;
}));
const known = new Set(['budget', 'quick', 'engines', 'out']);
for (const k of args.keys()) if (!known.has(k)) throw new Error(`bench/engine.ts: unknown option --${k} (known: ${[...known].join(', ')})`);

const quick = args.has('quick');
const budgetS = Number(args.get('budget') ?? 60);
if (!(budgetS > 0)) throw new Error(`bench/engine.ts: --budget must be a positive number of seconds, got ${args.get('budget')}`);
const ALL = ['floor', 'xstate', 'orchestai', 'langgraph'];
const selected = (args.get('engines') ?? ALL.join(',')).split(',');
for (const e of selected) if (!ALL.includes(e)) throw new Error(`bench/engine.ts: unknown engine "${e}" in --engines (known: ${ALL.join(', ')})`);
const fullRun = !quick && ALL.every((e) => selected.includes(e));
const outPath = args.get('out') ?? (fullRun ? join(dirname(fileURLToPath(import.meta.url)), 'results', 'engine.json') : undefined);

const opts: MeasureOptions = quick
  ? { warmupRuns: 1, warmupMs: 0, minRuns: 3, minTimeMs: 0, maxRuns: 3, budgetMs: budgetS * 1000 }
  : { warmupRuns: 3, warmupMs: 500, minRuns: 5, minTimeMs: 1000, maxRuns: 2000, budgetMs: budgetS * 1000 };

const shapes: Shape[] = [chain(10), chain(100), chain(1000), fanout(100), fanout(400), fanout(1000)];
const results: Results = {};
const engineInfo: { id: string; title: string; describe: string }[] = [];
const notes: string[] = [];
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const loadStart = load();

async function bench(engine: Engine): Promise<void> {
  // Start every engine on a settled heap: raw XState's widest cell leaves hundreds of MB of
  // garbage that would otherwise be collected on the next engine's clock (run with --expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
    await new Promise((r) => setTimeout(r, 200));
  } else notes.push('run with node --expose-gc so each engine starts on a settled heap');
  engineInfo.push({ id: engine.id, title: engine.title, describe: engine.describe });
  results[engine.id] = {};
  console.log(`\n== ${engine.title}: ${engine.describe}`);
  // Earlier cells of the same kind, to predict whether the next, larger one fits the budget.
  const measured: Record<string, { units: number; ms: number }[]> = {};
  for (const shape of shapes) {
    const prev = (measured[shape.kind] ??= []);
    let cell: CellResult;
    try {
      const runner = await engine.prepare(shape);
      cell = await measureCell(runner, shape, opts, predictRunMs(prev, shape.units));
    } catch (err) {
      cell = { status: 'error', runs: 0, loadavg1m: load()[0], note: `prepare failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (cell.status === 'ok') prev.push({ units: shape.units, ms: cell.medianMs! });
    else if (cell.firstRunMs !== undefined) prev.push({ units: shape.units, ms: cell.firstRunMs });
    results[engine.id][shape.label] = cell;
    const what = cell.status === 'ok'
      ? `${cell.usPerUnit!.toFixed(1).padStart(8)} µs/${shape.kind === 'chain' ? 'step' : 'node'}  (median ${cell.medianMs!.toFixed(2)} ms/run, ${cell.runs} runs, fastest ${cell.minUsPerUnit!.toFixed(1)}, cpu ${cell.cpuUsPerUnit!.toFixed(1)} µs/unit${cell.extra ? ', ' + JSON.stringify(cell.extra) : ''})`
      : cell.status === 'skipped' ? cell.note! : `${cell.status}: ${cell.note}`;
    console.log(`  ${shape.label.padEnd(15)} ${what}  load ${cell.loadavg1m}`);
  }
}

/** Which engine code was measured: the commit, and the engine files that differ from it. */
function gitState(): { head: string | null; uncommitted: string[] } {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'machines', 'transformers'], { cwd: root, encoding: 'utf8' });
    return { head, uncommitted: status.split('\n').filter(Boolean).map((l) => l.slice(3)) };
  } catch {
    return { head: null, uncommitted: [] };
  }
}

const cpu = cpus();
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  platform: `${platform()} ${arch()}`,
  cpuModel: cpu[0]?.model ?? 'unknown',
  cpuCount: cpu.length,
  totalMemGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  git: gitState(),
  command: `node --import tsx bench/engine.ts ${process.argv.slice(2).join(' ')}`.trim(),
  settings: { ...opts, quick, selected },
};
console.log(`bench:engine  ${meta.date}  node ${meta.node}  ${meta.cpuModel} x${meta.cpuCount}  loadavg ${loadStart.join(' ')}`);
console.log(`median of >= ${opts.minRuns} runs (and >= ${opts.minTimeMs} ms) after warm-up; budget ${budgetS} s per cell; no-op workers; µs per step (chain) or per node (fan-out: W + 2 nodes)`);

if (selected.includes('floor')) await bench(floorEngine);
if (selected.includes('xstate')) await bench(xstateEngine);

let replay: ReplayResult | undefined;
if (selected.includes('orchestai')) {
  const loaded = await loadOrchestai();
  if ('missing' in loaded) {
    const note = `orchestai skipped: ${loaded.missing} (the engine's run() has not landed)`;
    notes.push(note);
    console.log(`\n== orchestai: ${note}`);
  } else {
    const o: OrchestaiBench = loaded;
    try {
      await bench(o.engine);
      const last = o.lastRun(chain(1000));
      if (last) {
        replay = await measureReplay(o.core.replay, (id) => o.store.read(id), last.runId, last.workflow, quick ? 3 : 5, quick ? 0 : 1000);
        console.log(replay.status === 'ok'
          ? `  replay of the chain N=1000 history: ${replay.events} events, median ${replay.medianMs!.toFixed(2)} ms -> ${replay.eventsPerSec!.toLocaleString('en-US')} events/s (read from JSONL + replay: ${replay.fromFileEventsPerSec!.toLocaleString('en-US')} events/s)`
          : `  replay: error: ${replay.note}`);
      } else {
        replay = { status: 'error', note: 'no successful chain N=1000 run to replay' };
      }
    } finally {
      await o.engine.dispose?.();
    }
  }
}

// Last: importing LangGraph turns on AsyncLocalStorage / promise hooks for the whole process.
if (selected.includes('langgraph')) {
  let engines: Engine[] = [];
  try {
    engines = await loadLangGraphEngines();
  } catch (err) {
    notes.push(`LangGraph skipped: @langchain/langgraph failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const engine of engines) await bench(engine);
}

const shown = engineInfo;
const table = renderTable(shapes, shown, results, 'wall');
const cpuTable = renderTable(shapes, shown, results, 'cpu');
const bars = evaluateBars(results, replay);
const loadEnd = load();
console.log(`\n${table}\n\n${cpuTable}\n(process CPU time: user + system of all this process's threads over the timed runs; less disturbed by other processes on the shared cores than wall time)\n`);
if (replay?.status === 'ok') console.log(`orchestai replay: ${replay.eventsPerSec!.toLocaleString('en-US')} events/s (${replay.events} events of the chain N=1000 history; ${replay.fromFileEventsPerSec!.toLocaleString('en-US')} events/s including JSONL read)`);
for (const b of bars) console.log(`${b.pass === null ? 'n/a ' : b.pass ? 'PASS' : 'FAIL'}  ${b.bar}: ${b.measured}`);
console.log(`loadavg start ${loadStart.join(' ')} / end ${loadEnd.join(' ')} (2 cores shared with other processes)`);
// The largest width each engine actually measured (raw XState stops when wide joins exceed the budget).
const largestFanout = Object.fromEntries(Object.entries(results).map(([id, cells]) => [
  id,
  Math.max(0, ...shapes.filter((s) => s.kind === 'fanout' && cells[s.label]?.status === 'ok').map((s) => s.size)) || null,
]));

for (const [id, cells] of Object.entries(results)) {
  const skipped = shapes.filter((sh) => sh.kind === 'fanout' && cells[sh.label] && cells[sh.label]!.status !== 'ok');
  if (skipped.length) console.log(`${id}: largest fan-out width measured ${largestFanout[id] ?? 'none'}; ${skipped.map((sh) => `${sh.label}: ${cells[sh.label]!.note}`).join('; ')}`);
}
for (const n of notes) console.log(`note: ${n}`);

if (outPath) {
  const ratios = Object.fromEntries(shapes.map((s) => [s.label, {
    orchestaiOverFloor: ratio(results.orchestai?.[s.label], results.floor?.[s.label]) ?? null,
    xstateOverFloor: ratio(results.xstate?.[s.label], results.floor?.[s.label]) ?? null,
    langgraphOverOrchestai: ratio(results.langgraph?.[s.label], results.orchestai?.[s.label]) ?? null,
    langgraphMemorySaverOverOrchestai: ratio(results['langgraph-memorysaver']?.[s.label], results.orchestai?.[s.label]) ?? null,
    cpu: {
      orchestaiOverFloor: ratio(results.orchestai?.[s.label], results.floor?.[s.label], 'cpu') ?? null,
      xstateOverFloor: ratio(results.xstate?.[s.label], results.floor?.[s.label], 'cpu') ?? null,
      langgraphOverOrchestai: ratio(results.langgraph?.[s.label], results.orchestai?.[s.label], 'cpu') ?? null,
      langgraphMemorySaverOverOrchestai: ratio(results['langgraph-memorysaver']?.[s.label], results.orchestai?.[s.label], 'cpu') ?? null,
    },
  }]));
  const json = {
    meta: { ...meta, loadavgStart: loadStart, loadavgEnd: loadEnd, flatMaxRatio: FLAT_MAX_RATIO, unit: 'median µs per step (chain: run time / N) or per node (fan-out: run time / (W + 2))' },
    engines: shown,
    shapes,
    results,
    largestFanoutMeasured: largestFanout,
    ratios,
    replay: replay ?? null,
    bars,
    notes,
    table,
    cpuTable,
  };
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(json, null, 2) + '\n');
  console.log(`wrote ${outPath}`);
}

// Failed bars are findings, not failures of the bench; a cell or replay that errored is.
const errored = Object.entries(results).flatMap(([id, cells]) => Object.entries(cells).filter(([, c]) => c?.status === 'error').map(([label]) => `${id} ${label}`));
if (replay?.status === 'error') errored.push('orchestai replay');
if (errored.length) {
  console.error(`bench:engine: errors in ${errored.join(', ')} (see above)`);
  process.exitCode = 1;
}
