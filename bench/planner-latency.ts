/**
 * Planning latency by catalog size, and `eval --zero-shot` wall time on a GNN4TaskPlan-layout folder
 * (issue 18's acceptance checks: "planning p50 <= 5 ms on one core for catalogs up to 500 tools";
 * "`orchestai eval --data <dir> --zero-shot` ... in under a minute for 100 requests").
 *
 * Catalogs and requests:
 * - built-in: the 17 tools of the default model (fixtures/planner/model), the trained model plans;
 *   requests: fixtures/planner/handwritten.jsonl (all of them);
 * - the shipped general model (planner/general, what `plan --catalog` uses on a catalog no trained model knows) over UltraTool-made
 *   catalogs of 100, 260 (UltraTool's own) and 500 tools; requests: the first 200 official test ids.
 *   100 tools: the tools the 200 requests use most (ties in catalog order), their links among them.
 *   500 tools: UltraTool's 260 plus copies of its first 240 under a new name (`<name>_alt`), each
 *   description's words in a seeded shuffled order, and every link of an original repeated for its
 *   copy (copy -> same targets, same sources -> copy), so the graph grows with the catalog.
 *
 * Two per-request figures: `core` is the planner alone (`model.plan` / `planner.plan`); `front door`
 * is `planWithDetails` (instruction checks, open-world check, fallback decision with no LLM), what
 * `plan()` costs a caller. Each request is planned untimed once (warm-up), then timed over ROUNDS
 * passes; p50/p95/max over all timed calls. The one-time cost is the general planner's catalog view build per
 * catalog (median of repeated builds, and the first) and, for the built-in catalog, the model load.
 * `catalogFingerprintMedianMs` is one `catalogFingerprint(catalog)`, which the front door computes on
 * every zero-shot call: most of the gap between its figures and the core's.
 *
 * One core: on Linux the script re-runs itself under `taskset -c 0` (so does the `eval` child).
 *
 * Run: node --import tsx bench/planner-latency.ts   (ORCHESTAI_ULTRATOOL overrides the data
 * directory, default ../shared/data/ultratool). Writes bench/results/planner-latency.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadUltraTool } from '../planner/data/ultratool.ts';
import { parseJsonLines } from '../planner/data/jsonl.ts';
import { shuffled } from '../planner/data/split.ts';
import { DEFAULT_MODEL_DIR, loadPlannerModel, modelText, readPreprocessing } from '../planner/default-model.ts';
import { loadAnyModel } from '../planner/model/io.ts';
import { planWithDetails } from '../planner/plan.ts';
import { evaluate } from '../planner/eval.ts';
import { catalogFingerprint } from '../planner/catalog.ts';
import { createGeneralPlanner, loadGeneralModel } from '../planner/general/index.ts';

/** What `plan` uses on a catalog no trained model knows: the shipped general model. */
const catalogPlanner = (catalog: Catalog) => createGeneralPlanner(loadGeneralModel(), catalog);
import type { Catalog, Example } from '../planner/types.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = fileURLToPath(import.meta.url);
const PINNED = 'ORCHESTAI_BENCH_PINNED';

// Pin to one core before anything is measured: the child inherits the affinity.
if (process.platform === 'linux' && !process.env[PINNED]) {
  const r = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, script, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, [PINNED]: '1' } });
  if (!r.error) process.exit(r.status ?? 1);
  console.error(`taskset unavailable (${r.error.message}); running unpinned`);
  process.env[PINNED] = 'unpinned';
}

const dataDir = resolve(root, process.env.ORCHESTAI_ULTRATOOL ?? '../shared/data/ultratool');
const ROUNDS = 5;
const BUILD_REPEATS = 20;
const EVAL_REQUESTS = 100;
const log = (...xs: unknown[]) => console.error(...xs);
const ms = (x: number) => Number(x.toFixed(3));

/** The q-quantile (nearest rank) of ascending `sorted`. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

interface Timing { calls: number; p50: number; p95: number; max: number; mean: number; cpuMeanMs: number }

/**
 * Times `fn` on every text: one untimed pass, then ROUNDS timed passes; wall quantiles per call
 * and the process CPU time per call.
 */
async function timeCalls(texts: readonly string[], fn: (s: string) => unknown | Promise<unknown>): Promise<Timing> {
  for (const s of texts) await fn(s);
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of texts) {
      const t0 = performance.now();
      await fn(s);
      times.push(performance.now() - t0);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const sorted = times.sort((a, b) => a - b);
  return {
    calls: sorted.length, p50: ms(quantile(sorted, 0.5)), p95: ms(quantile(sorted, 0.95)), max: ms(sorted.at(-1)!),
    mean: ms(sorted.reduce((a, b) => a + b, 0) / sorted.length), cpuMeanMs: ms((cpu.user + cpu.system) / 1000 / sorted.length),
  };
}

/** Median and first wall time of `repeats` calls of `build`, ms. */
function timeBuild(build: () => unknown, repeats: number): { firstMs: number; medianMs: number } {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    build();
    times.push(performance.now() - t0);
  }
  return { firstMs: ms(times[0]), medianMs: ms(quantile([...times].sort((a, b) => a - b), 0.5)) };
}

/** Plans through the front door; a refusal ("no worker fits") is an answer too, and timed as one. */
async function frontDoor(request: string, options: Parameters<typeof planWithDetails>[1]): Promise<'planned' | 'refused'> {
  try {
    await planWithDetails(request, options);
    return 'planned';
  } catch (e) {
    if ((e as Error).name === 'PlanRefusedError') return 'refused';
    throw e;
  }
}

/** The `n` tools the examples use most (ties in catalog order), with the catalog's links among them. */
function mostUsedTools(catalog: Catalog, examples: readonly Example[], n: number): Catalog {
  const uses = new Map<string, number>();
  for (const e of examples) for (const t of new Set(e.nodes)) uses.set(t, (uses.get(t) ?? 0) + 1);
  const order = catalog.tools.map((t, i) => ({ t, i, u: uses.get(t.name) ?? 0 })).sort((a, b) => b.u - a.u || a.i - b.i);
  const keep = new Set(order.slice(0, n).map((x) => x.t.name));
  return { tools: catalog.tools.filter((t) => keep.has(t.name)), links: catalog.links.filter((l) => keep.has(l.source) && keep.has(l.target)) };
}

/** The catalog plus `extra` renamed copies of its first tools (words of the description reordered), links repeated for the copies. */
function enlargedCatalog(catalog: Catalog, extra: number, seed: number): Catalog {
  if (extra > catalog.tools.length) throw new Error(`enlargedCatalog: ${extra} copies asked of ${catalog.tools.length} tools`);
  const copyOf = new Map<string, string>();
  const copies = catalog.tools.slice(0, extra).map((t, i) => {
    const name = `${t.name}_alt`;
    copyOf.set(t.name, name);
    return { name, description: shuffled(t.description.split(/\s+/), seed + i).join(' ') };
  });
  const links = [...catalog.links];
  for (const l of catalog.links) {
    const s = copyOf.get(l.source), t = copyOf.get(l.target);
    if (s) links.push({ source: s, target: l.target });
    if (t) links.push({ source: l.source, target: t });
  }
  return { tools: [...catalog.tools, ...copies], links };
}

/**
 * `copies` copies of a typed catalog, each with its own names and type tags (`<name>-2`, `<type>-2`):
 * a catalog of typed workers as large as wanted, whose type completion stays within one copy.
 */
function typedCopies(catalog: Catalog, copies: number): Catalog {
  const tools: Catalog['tools'] = [], links: Catalog['links'] = [];
  for (let c = 1; c <= copies; c++) {
    const tag = (x: string) => (c === 1 ? x : `${x}-${c}`);
    for (const t of catalog.tools) tools.push({ ...t, name: tag(t.name), inputType: t.inputType?.map(tag), outputType: t.outputType?.map(tag) });
    for (const l of catalog.links) links.push({ source: tag(l.source), target: tag(l.target) });
  }
  return { tools, links };
}

// --- data -----------------------------------------------------------------------------------
const ultra = loadUltraTool(dataDir);
const byId = new Map(ultra.examples.map((e) => [e.id, e]));
const test200 = ultra.testIds.slice(0, 200).map((id) => byId.get(id)!);
// All requests, the out-of-catalog ones (empty gold plan) too: a caller's latency includes them.
const handwrittenFile = resolve(root, 'fixtures/planner/handwritten.jsonl');
const handwritten = parseJsonLines(readFileSync(handwrittenFile, 'utf8'), handwrittenFile).map(({ value }) => ({ request: String((value as { request: unknown }).request) }));
const builtInCatalog = loadAnyModel(DEFAULT_MODEL_DIR).catalog;
const catalogs: { label: string; catalog: Catalog; texts?: string[] }[] = [
  { label: 'UltraTool 100 (most used by the 200 requests)', catalog: mostUsedTools(ultra.catalog, test200, 100) },
  { label: 'UltraTool 260 (as published)', catalog: ultra.catalog },
  { label: 'UltraTool 500 (260 + 240 renamed copies)', catalog: enlargedCatalog(ultra.catalog, 240, 42) },
  // Typed tools take the typed path (clause picks joined, completion by type): the hand-written requests over 30 copies of the built-in catalog.
  { label: 'built-in x 30 (typed, 510 tools)', catalog: typedCopies(builtInCatalog, 30), texts: handwritten.map((e) => e.request) },
];
log(`pinned: ${process.env[PINNED]}; load ${loadavg()[0].toFixed(2)}; ${test200.length} UltraTool requests, ${handwritten.length} handwritten`);

// --- latency ----------------------------------------------------------------------------------
const rows: Record<string, unknown>[] = [];

{
  const load = timeBuild(() => loadAnyModel(DEFAULT_MODEL_DIR), 5);
  const model = loadPlannerModel(DEFAULT_MODEL_DIR);
  const pre = readPreprocessing(DEFAULT_MODEL_DIR);
  const texts = handwritten.map((e) => e.request);
  const t0 = performance.now();
  await frontDoor(texts[0], { llm: null });
  const firstCallMs = performance.now() - t0;
  const core = await timeCalls(texts, (s) => model.plan(modelText(s, pre)));
  let refused = 0;
  const front = await timeCalls(texts, async (s) => { if ((await frontDoor(s, { llm: null })) === 'refused') refused++; });
  rows.push({ catalog: 'built-in (trained default model)', tools: model.catalog.tools.length, links: model.catalog.links.length, requests: texts.length, planner: 'trained model', oneTime: { what: 'model load (loadAnyModel)', ...load, firstFrontDoorCallMs: ms(firstCallMs) }, core, frontDoor: front, refusedShare: Number((refused / front.calls).toFixed(3)) });
  log(rows.at(-1));
}

for (const { label, catalog, texts: own } of catalogs) {
  const build = timeBuild(() => catalogPlanner(catalog), BUILD_REPEATS);
  // planWithDetails fingerprints the catalog on every call (to spot the model's own catalog): part of the front door's cost.
  const fingerprint = timeBuild(() => catalogFingerprint(catalog), BUILD_REPEATS);
  const planner = catalogPlanner(catalog);
  const texts = own ?? test200.map((e) => e.request);
  // The front door keeps one planner per catalog object: its first call builds it.
  const t0 = performance.now();
  await frontDoor(texts[0], { catalog, zeroShot: true, zeroShotMethod: 'general', llm: null });
  const firstCallMs = performance.now() - t0;
  const core = await timeCalls(texts, (s) => planner.plan(s));
  let refused = 0;
  const front = await timeCalls(texts, async (s) => { if ((await frontDoor(s, { catalog, zeroShot: true, zeroShotMethod: 'general', llm: null })) === 'refused') refused++; });
  rows.push({ catalog: label, tools: catalog.tools.length, links: catalog.links.length, requests: texts.length, planner: 'shipped general model (zero-shot)', oneTime: { what: 'catalog view build (createGeneralPlanner)', ...build, firstFrontDoorCallMs: ms(firstCallMs) }, catalogFingerprintMedianMs: fingerprint.medianMs, core, frontDoor: front, refusedShare: Number((refused / front.calls).toFixed(3)) });
  log(rows.at(-1));
}

// --- eval --zero-shot on a GNN4TaskPlan-layout folder -----------------------------------------
/** 100 UltraTool test requests in GNN4TaskPlan's layout as published: data.json (JSON Lines), tool_desc.json, graph_desc.json, split_ids.json. */
function writeLayout(dir: string, ids: readonly string[]): void {
  const wanted = new Set(ids);
  const lines = readFileSync(join(dataDir, 'data.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '' && wanted.has(String(JSON.parse(l).id)));
  writeFileSync(join(dir, 'data.json'), lines.join('\n') + '\n');
  for (const f of ['tool_desc.json', 'graph_desc.json']) writeFileSync(join(dir, f), readFileSync(join(dataDir, f)));
  writeFileSync(join(dir, 'split_ids.json'), JSON.stringify({ test_ids: { chain: ids } }, null, 2) + '\n');
}

const evalIds = ultra.testIds.slice(0, EVAL_REQUESTS);
const tmp = mkdtempSync(join(tmpdir(), 'orchestai-zero-shot-eval-'));
let evalRun: Record<string, unknown>;
try {
  writeLayout(tmp, evalIds);
  const args = ['--import', 'tsx', 'src/cli/bin.ts', 'eval', '--data', tmp, '--zero-shot', '--json'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const wallS = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`eval --zero-shot exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const out = JSON.parse(r.stdout) as { n: number; rows: { name: string; nodeF1: number; linkF1: number; accuracy: number; invalidPlans: number; latencyMs: { p50: number } }[] };
  const row = out.rows[0];
  // The same requests through the general model in this process, as a check on the CLI's figures.
  const examples = evalIds.map((id) => byId.get(id)!);
  const planner = catalogPlanner(ultra.catalog);
  planner.plan(examples[0].request); // warm-up, as the CLI's own model gets none either way
  const m = evaluate((s) => planner.plan(s), examples, ultra.catalog);
  const pct = (x: number) => Number((100 * x).toFixed(2));
  evalRun = {
    command: `node --import tsx src/cli/bin.ts eval --data <tmp: ${EVAL_REQUESTS} UltraTool test requests, data.json + tool_desc.json + graph_desc.json + split_ids.json> --zero-shot --json`,
    requests: out.n, wallSeconds: Number(wallS.toFixed(2)), underAMinute: wallS < 60,
    scores: { planner: row.name, NF: pct(row.nodeF1), LF: pct(row.linkF1), Acc: pct(row.accuracy), invalidPlans: row.invalidPlans, p50ms: ms(row.latencyMs.p50) },
    sameRequestsInProcess: { NF: pct(m.nodeF1), LF: pct(m.linkF1), Acc: pct(m.accuracy), invalidPlans: m.invalidPlans, p50ms: ms(m.latencyMs.p50) },
    note: '`eval --zero-shot` (no --model) scores the shipped general model, what `plan` uses on a catalog no trained model knows; the second row plans the same requests in process, as a check. The general model was fitted on UltraTool training requests, so on UltraTool this is in-domain for it: the figure is about speed',
  };
  log(evalRun);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** Issue 18's two bars against what was measured. */
function acceptance(): { bar: string; measured: string; pass: boolean }[] {
  const p50 = (which: 'core' | 'frontDoor') => (rows as { tools: number; core: Timing; frontDoor: Timing }[]).map((r) => ({ tools: r.tools, p50: r[which].p50 }));
  const bars = (['core', 'frontDoor'] as const).map((which) => ({
    bar: `planning p50 <= 5 ms on one core, catalogs up to 500 tools (${which === 'core' ? 'planner alone' : 'planWithDetails'})`,
    measured: p50(which).map((x) => `${x.tools} tools ${x.p50.toFixed(2)} ms`).join(', '),
    pass: p50(which).every((x) => x.p50 <= 5),
  }));
  const e = evalRun as { wallSeconds: number; requests: number };
  bars.push({ bar: 'eval --zero-shot on a GNN4TaskPlan-layout folder, 100 requests, under a minute', measured: `${e.wallSeconds} s for ${e.requests} requests`, pass: e.wallSeconds < 60 });
  return bars;
}

// --- report -----------------------------------------------------------------------------------
const out = resolve(root, 'bench/results/planner-latency.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({
  command: 'node --import tsx bench/planner-latency.ts', date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, pinned: process.env[PINNED] === '1' ? 'taskset -c 0' : 'no', loadavg1mAtEnd: Number(loadavg()[0].toFixed(2)),
  method: { warmup: 'one untimed pass over the requests', timedRounds: ROUNDS, indexBuildRepeats: BUILD_REPEATS, enlarged500: '260 UltraTool tools + their first 240 copied as <name>_alt, description words shuffled (seed 42 + i), links repeated for the copies', catalog100: 'the 100 tools the 200 requests use most (ties in catalog order), links among them', typed510: 'the built-in catalog copied 30 times, names and type tags suffixed per copy; requests: the hand-written ones' },
  latency: rows, evalZeroShot: evalRun, acceptance: acceptance(),
}, null, 2) + '\n');

type Row = { catalog: string; tools: number; requests: number; oneTime: { medianMs: number; firstMs: number }; core: Timing; frontDoor: Timing; refusedShare: number };
console.log('| catalog | tools | requests | one-time build ms (median / first) | core p50 / p95 / max ms | front door p50 / p95 / max ms | refused |');
console.log('|---|--:|--:|--:|--:|--:|--:|');
for (const r of rows as Row[]) {
  const t = (x: Timing) => `${x.p50.toFixed(2)} / ${x.p95.toFixed(2)} / ${x.max.toFixed(2)}`;
  console.log(`| ${r.catalog} | ${r.tools} | ${r.requests} | ${r.oneTime.medianMs.toFixed(2)} / ${r.oneTime.firstMs.toFixed(2)} | ${t(r.core)} | ${t(r.frontDoor)} | ${(100 * r.refusedShare).toFixed(1)}% |`);
}
const e = evalRun as { requests: number; wallSeconds: number; scores: { NF: number; LF: number; Acc: number }; sameRequestsInProcess: { NF: number; LF: number; Acc: number } };
console.log(`\neval --zero-shot, ${e.requests} UltraTool test requests in GNN4TaskPlan layout: ${e.wallSeconds} s wall (${e.wallSeconds < 60 ? 'under' : 'OVER'} a minute); NF ${e.scores.NF} LF ${e.scores.LF} Acc ${e.scores.Acc}`);
console.log(`general model in process on the same requests: NF ${e.sameRequestsInProcess.NF} LF ${e.sameRequestsInProcess.LF} Acc ${e.sameRequestsInProcess.Acc}`);
for (const b of acceptance()) console.log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.bar}: ${b.measured}`);
console.log(`wrote ${out}`);
