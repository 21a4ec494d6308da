import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { noop } from './noop.ts';
import type { Engine, Shape } from './shapes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The slice of the engine API (see the owner's api notes) this bench uses. Typed
 * locally because the bench must also run, baselines only, before `src/index.ts`
 * exists, so it cannot import it statically.
 */
interface RunResult {
  runId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: unknown;
}
interface HistoryStore {
  read(runId: string): unknown[];
  pathOf(runId: string): string;
}
interface CoreApi {
  run(workflow: unknown, input: unknown, options?: { store?: HistoryStore }): Promise<RunResult>;
  replay(history: unknown[], workflow: unknown): { ok: boolean; divergence?: unknown; status: string };
  createJsonlStore(root?: string): HistoryStore;
}
interface MachinesApi {
  defineWorkflow(spec: unknown): unknown;
}

/** Where the adapter's modules live; both must exist for the orchestai column. */
export const ORCHESTAI_MODULES = ['src/index.ts', 'machines/index.ts'];

/**
 * Names the engine modules that are not there yet (empty when orchestai can run).
 *
 * @example
 * missingOrchestaiModules(); // [] once the owner has landed run()
 */
export function missingOrchestaiModules(): string[] {
  return ORCHESTAI_MODULES.filter((p) => !existsSync(join(ROOT, p)));
}

const noopWorker = defineWorker({
  name: 'bench-noop',
  description: 'Returns its input unchanged; the benchmark no-op.',
  input: z.unknown(),
  output: z.unknown(),
  run: (input) => noop(input),
});

/**
 * Graph form chain: s0 -> s1 -> ... -> s{n-1} -> succeeded.
 *
 * @example
 * chainSpec(3).steps.map((s) => s.onSuccess); // ['s1', 's2', 'succeeded']
 */
export function chainSpec(n: number) {
  return {
    id: `bench-chain-${n}`,
    onFailure: 'failed',
    steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, worker: noopWorker, onSuccess: i + 1 < n ? `s${i + 1}` : 'succeeded' })),
  };
}

/**
 * DAG form fan-out: src -> w0..w{w-1} (each dependsOn src) -> sink (dependsOn all).
 *
 * @example
 * fanoutSpec(2).steps.map((s) => s.id); // ['src', 'w0', 'w1', 'sink']
 */
export function fanoutSpec(w: number) {
  const workers = Array.from({ length: w }, (_, i) => `w${i}`);
  return {
    id: `bench-fanout-${w}`,
    steps: [
      { id: 'src', worker: noopWorker, dependsOn: [] },
      ...workers.map((id) => ({ id, worker: noopWorker, dependsOn: ['src'] })),
      { id: 'sink', worker: noopWorker, dependsOn: workers },
    ],
  };
}

export interface OrchestaiBench {
  engine: Engine;
  /** The last succeeded run of each shape, for the replay measurement. */
  lastRun(shape: Shape): { runId: string; workflow: unknown } | undefined;
  core: CoreApi;
  store: HistoryStore;
}

/**
 * Loads orchestai and builds its bench engine: `run(workflow, {v: 0}, { store })` with
 * JSONL history on in a temp store root (also exported as ORCHESTAI_HOME), default
 * durability. Returns undefined with the reason when the modules are not there yet.
 *
 * @example
 * const o = await loadOrchestai(); if ('engine' in o) await (await o.engine.prepare(chain(10))).run();
 */
export async function loadOrchestai(): Promise<OrchestaiBench | { missing: string }> {
  const missing = missingOrchestaiModules();
  if (missing.length) return { missing: `not there yet: ${missing.join(', ')}` };
  const core = (await import(pathToFileURL(join(ROOT, 'src/index.ts')).href)) as CoreApi;
  const machines = (await import(pathToFileURL(join(ROOT, 'machines/index.ts')).href)) as MachinesApi;
  for (const [name, fn] of [['run', core.run], ['replay', core.replay], ['createJsonlStore', core.createJsonlStore], ['defineWorkflow', machines.defineWorkflow]] as const) {
    if (typeof fn !== 'function') return { missing: `${name} is not exported yet` };
  }

  const home = mkdtempSync(join(tmpdir(), 'orchestai-bench-'));
  process.env.ORCHESTAI_HOME = home;
  const store = core.createJsonlStore(home);
  const last = new Map<string, { runId: string; workflow: unknown }>();

  const engine: Engine = {
    id: 'orchestai',
    title: 'orchestai',
    describe: `run() from src/index.ts, JSONL history on (store root ${home}), default durability; chain = graph form s0..s{N-1}; fan-out = DAG form src -> W -> sink`,
    async prepare(shape) {
      const workflow = machines.defineWorkflow(shape.kind === 'chain' ? chainSpec(shape.size) : fanoutSpec(shape.size));
      const runIds: string[] = [];
      return {
        async run() {
          const result = await core.run(workflow, { v: 0 }, { store });
          if (result.status !== 'succeeded') throw new Error(`orchestai ${shape.label}: run ${result.runId} ${result.status}: ${JSON.stringify(result.error)}`);
          runIds.push(result.runId);
        },
        async finish() {
          // Proof that history was really on: every run left a JSONL file, and the last one reads back.
          const runId = runIds[runIds.length - 1];
          const files = readdirSync(join(home, 'runs')).filter((f) => f.endsWith('.jsonl'));
          const missingFiles = runIds.filter((id) => !files.includes(`${id}.jsonl`));
          if (missingFiles.length) throw new Error(`orchestai ${shape.label}: ${missingFiles.length} runs left no history file in ${home}/runs`);
          const history = store.read(runId);
          // Keep only the last history per shape (the replay input) so thousands of short runs don't fill the disk.
          for (const id of runIds.slice(0, -1)) rmSync(join(home, 'runs', `${id}.jsonl`), { force: true });
          last.set(shape.label, { runId, workflow });
          return { historyEventsPerRun: history.length, historyFilesChecked: runIds.length };
        },
      };
    },
    async dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
  return { engine, core, store, lastRun: (shape) => last.get(shape.label) };
}
