import fs from 'node:fs';
import path from 'node:path';
import { isWorker, type AnyWorker } from '../../machines/worker.ts';
import type { Workflow } from '../../machines/definition.ts';
import { errorAt, parseWorkflowFile, workerRefs, workflowFromFile, type WorkerRef, type WorkflowFile } from '../../machines/yaml/index.ts';
import { builtinWorkflows } from '../../workflows/builtins.ts';
import { defaultWorkers } from '../../workflows/catalog.ts';
import { importUserModule } from './import-module.ts';

/** Loads the MCP client (and its SDK) only for a file that names an MCP tool. */
const loadMcp = () => import('../../workflows/mcp/index.ts');

/** A workflow file by its extension: YAML or JSON. */
export const WORKFLOW_FILE = /\.(ya?ml|json)$/i;

/** A workflow file, loaded: its workflow, and what to close when the runs that use it are done. */
export interface LoadedWorkflowFile {
  workflow: Workflow;
  /** The file names MCP tools, so servers are running until `close`. */
  usesMcp: boolean;
  /** Stops the MCP servers the file's workers talk to; nothing to do when there are none. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Loads a workflow file the user named (a command-line argument or a project config entry):
 * parses and checks it, then resolves its workers (each step's `worker`, and each of a routed
 * step's `candidates`). A name is a built-in worker; `{ module, export }` is imported relative to
 * the file, as workflow modules are; `{ mcp, tool }` starts the MCP server (one per distinct
 * command line, in the file's folder) and takes the worker of that tool. Every problem is one
 * line, `file:line:column: problem`, naming the file as `shownAs` (e.g. the path as the user
 * typed it).
 *
 * @example
 * const { workflow, close } = await loadWorkflowFile('/home/ana/flows/site.yaml');
 * try { await run(workflow, input, { store }); } finally { await close(); }
 */
export async function loadWorkflowFile(file: string, shownAs = file): Promise<LoadedWorkflowFile> {
  const wf = parseWorkflowFile(fs.readFileSync(file, 'utf8'), shownAs);
  const servers = new Map<string, Promise<McpServer>>();
  const close = async () => {
    const open = [...servers.values()];
    servers.clear();
    await Promise.all(open.map(async (s) => (await s.catch(() => undefined))?.close()));
  };
  try {
    const resolved = new Map<WorkerRef, AnyWorker>();
    for (const { ref, path: at, step } of workerRefs(wf)) {
      if (resolved.has(ref)) continue;
      try {
        const worker = await resolveRef(ref, file, servers);
        resolved.set(ref, worker);
        if (typeof ref !== 'string') loadedRefs.set(worker, { ref, file });
      } catch (e) {
        throw errorAt(wf, at, `step ${JSON.stringify(step)}: ${firstLine((e as Error).message)}`);
      }
    }
    const workflow = workflowFromFile(wf, (ref) => resolved.get(ref)!);
    return { workflow, usesMcp: servers.size > 0, close };
  } catch (e) {
    await close();
    throw e;
  }
}

const firstLine = (s: string) => s.split('\n')[0];

/** How each worker loaded from a file was named there, so `export --format yaml` can name it the same way. */
const loadedRefs = new WeakMap<AnyWorker, { ref: WorkerRef; file: string }>();

/**
 * The reference a workflow file would use for `worker`, written from the folder `dir`: the
 * reference it was loaded by (module paths re-based onto `dir`), else its name.
 *
 * @example
 * workerRefFor(summariseWorker, process.cwd()) // 'summarise'
 */
export function workerRefFor(worker: AnyWorker, dir: string): WorkerRef {
  const loaded = loadedRefs.get(worker);
  if (!loaded || typeof loaded.ref === 'string') return worker.name;
  if ('module' in loaded.ref) {
    const abs = path.resolve(path.dirname(loaded.file), loaded.ref.module);
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    return { ...loaded.ref, module: rel.startsWith('.') ? rel : `./${rel}` };
  }
  return loaded.ref;
}

/** The built-in workers by name: the catalog's and those of the built-in workflows. */
function builtinWorkers(): Map<string, AnyWorker> {
  const byName = new Map(defaultWorkers.map((w) => [w.name, w]));
  for (const make of Object.values(builtinWorkflows)) {
    for (const s of make().steps) for (const w of s.candidates ?? (s.worker ? [s.worker] : [])) if (!byName.has(w.name)) byName.set(w.name, w);
  }
  return byName;
}

interface McpServer {
  workers: AnyWorker[];
  toolNames: Map<string, string>;
  close(): Promise<void>;
}

async function resolveRef(ref: WorkerRef, file: string, servers: Map<string, Promise<McpServer>>): Promise<AnyWorker> {
  if (typeof ref === 'string') {
    const workers = builtinWorkers();
    const w = workers.get(ref);
    if (!w) throw new Error(`unknown worker ${JSON.stringify(ref)}: name a built-in worker (${[...workers.keys()].join(', ')}), or use { module, export } or { mcp, tool }`);
    return w;
  }
  if ('module' in ref) return fromModule(path.resolve(path.dirname(file), ref.module), ref.export ?? 'default');
  const mcp = await loadMcp();
  const { command, args } = mcp.parseMcpCommand(ref.mcp);
  const key = JSON.stringify([command, ...args, ...(ref.args ?? [])]);
  let server = servers.get(key);
  if (!server) servers.set(key, (server = mcp.mcpWorkers({ command, args: [...args, ...(ref.args ?? [])], cwd: path.dirname(file) })));
  const { workers, toolNames } = await server;
  const name = [...toolNames].find(([, tool]) => tool === ref.tool)?.[0];
  const worker = workers.find((w) => w.name === name);
  if (!worker) throw new Error(`MCP server "${ref.mcp}" has no tool ${JSON.stringify(ref.tool)} (tools: ${[...toolNames.values()].join(', ')})`);
  return worker;
}

async function fromModule(file: string, name: string): Promise<AnyWorker> {
  if (!fs.existsSync(file)) throw new Error(`worker module not found: ${file}`);
  const mod = await importUserModule(file);
  const value = mod[name];
  if (!isWorker(value)) {
    const workers = Object.entries(mod).filter(([, v]) => isWorker(v)).map(([k]) => k);
    throw new Error(`${file} has no worker export ${JSON.stringify(name)} (worker exports: ${workers.join(', ') || 'none'}); export one made by defineWorker`);
  }
  return value;
}

