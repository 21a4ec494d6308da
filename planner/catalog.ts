import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DirectedGraph } from 'graphology';
import { z } from 'zod';
import type { AnyWorker } from '../machines/worker.ts';
import { linksByType } from '../machines/type-tags.ts';
import type { Catalog, CatalogTool } from './types.ts';
import { catalogFingerprint as modelFingerprint } from './model/planner.ts';
import { gnn4TaskPlanCatalog, loadUltraToolCatalog } from './data/ultratool.ts';
import { readToolList } from './tool-lists.ts';
import { parseJsonText } from './data/json-file.ts';

/**
 * The catalog a planner may use: workers by name and description (what the model reads),
 * optional type tags, and the allowed hand-offs (the tool graph). A catalog file is JSON:
 * `{ "tools": [{ "name", "description", "inputType"?, "outputType"? }], "links"?: [{ "source", "target" }] }`;
 * without `links`, hand-offs are derived from the type tags. An MCP `tools/list` result, OpenAI
 * function tools or Anthropic tools are read too (planner/tool-lists.ts). `loadCatalog` also reads
 * a catalog in GNN4TaskPlan's published layout (UltraTool, TaskBench, RestBench): a directory with
 * `tool_desc.json` + `graph_desc.json`, or either file.
 */

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const ToolSchema = z
  .object({
    name: z.string({ error: 'a tool needs a name (a string)' }).refine((n) => NAME.test(n), { error: (i) => `${JSON.stringify(i.input)} is not a worker name: ASCII letters, digits, ".", "_" and "-", starting with a letter or digit` }),
    // Kept as written (not trimmed): a catalog file must mean the very catalog a model was trained on.
    description: z.string({ error: 'a tool needs a description (a string; the planner matches requests to it)' }).refine((d) => d.trim() !== '', 'must be a non-empty description'),
    inputType: z.array(z.string().min(1)).optional(),
    outputType: z.array(z.string().min(1)).optional(),
  })
  .strict();

const LinkSchema = z.object({ source: z.string().min(1), target: z.string().min(1) }).strict();

export const CatalogFileSchema = z
  .object({
    tools: z.array(ToolSchema).min(1, 'must list at least one tool'),
    links: z.array(LinkSchema).optional(),
  })
  .strict()
  .superRefine((cat, ctx) => {
    const seen = new Map<string, number>();
    cat.tools.forEach((t, i) => {
      const first = seen.get(t.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `duplicate tool name "${t.name}" (also tools[${first}])` });
      else seen.set(t.name, i);
    });
    cat.links?.forEach((l, i) => {
      for (const end of ['source', 'target'] as const) {
        if (!seen.has(l[end])) ctx.addIssue({ code: 'custom', path: ['links', i, end], message: `names unknown tool "${l[end]}"` });
      }
    });
  });

/** A catalog that failed its schema; `message` names the file (or label) and every bad field. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  constructor(readonly where: string, readonly problems: string[]) {
    super(`${where}: invalid catalog: ${problems.join('; ')}`);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(root)';
}

/**
 * Validates a parsed catalog value, ours or a published tool list (see planner/tool-lists.ts).
 * `where` labels errors (usually the file name).
 *
 * @example
 * parseCatalog({ tools: [{ name: 'a', description: 'does a' }] }, 'inline') // { tools: [...], links: [] }
 */
export function parseCatalog(value: unknown, where = 'catalog'): Catalog {
  // An MCP, OpenAI or Anthropic tool list is read as the catalog it describes (planner/tool-lists.ts).
  const listed = readToolList(value);
  if (listed?.problems.length) throw new CatalogError(where, listed.problems);
  // A bare array of our own tools is the catalog's `tools` (as a tool list may be a bare array), with no links given.
  const bare = !listed && Array.isArray(value);
  const parsed = CatalogFileSchema.safeParse(listed?.value ?? (bare ? { tools: value } : value));
  // A tool's fields are named where the file has them (`[2].function.name`, `[2].name`), not where the catalog put them.
  const at = (path: readonly PropertyKey[]) => {
    if (listed && path[0] === 'tools' && typeof path[1] === 'number') return listed.fieldAt(path[1], path.slice(2));
    return fieldPath(bare && path[0] === 'tools' ? path.slice(1) : path);
  };
  if (!parsed.success) throw new CatalogError(where, parsed.error.issues.map((i) => `${at(i.path)}: ${i.message}`));
  const tools: CatalogTool[] = parsed.data.tools.map((t) => ({
    name: t.name,
    description: t.description,
    ...(t.inputType ? { inputType: [...t.inputType] } : {}),
    ...(t.outputType ? { outputType: [...t.outputType] } : {}),
  }));
  const links = parsed.data.links ? dedupeLinks(parsed.data.links) : linksByType(tools);
  return { tools, links };
}

function dedupeLinks(links: readonly { source: string; target: string }[]): Catalog['links'] {
  const seen = new Set<string>();
  const out: Catalog['links'] = [];
  for (const l of links) {
    const key = `${l.source}\u0000${l.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ source: l.source, target: l.target });
  }
  return out;
}

/**
 * Reads and validates a catalog JSON file; any problem is one `CatalogError` naming the file and field.
 * A GNN4TaskPlan data directory, or its `tool_desc.json` or `graph_desc.json`, is read as published:
 * tools from `tool_desc.json`, links from `graph_desc.json` (see `loadUltraToolCatalog`).
 *
 * @example
 * const catalog = loadCatalog('fixtures/planner/catalog.json');
 * const ultra = loadCatalog('../shared/data/ultratool'); // tool_desc.json + graph_desc.json
 */
export function loadCatalog(file: string): Catalog {
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (existsSync(join(file, 'tool_desc.json'))) return loadUltraToolCatalog(file);
    throw new CatalogError(file, ['a directory, but not a GNN4TaskPlan one (expected tool_desc.json and graph_desc.json); give a catalog JSON file']);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CatalogError(file, [`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  let value: unknown;
  try {
    value = parseJsonText(text);
  } catch (e) {
    throw new CatalogError(file, [`malformed JSON (${(e as Error).message})`]);
  }
  if (isGnn4TaskPlanFile(value)) {
    // Either file of a GNN4TaskPlan directory means its catalog: tools as tool_desc.json describes
    // them (graph_desc.json repeats them, in places worded differently), links from graph_desc.json.
    const dir = dirname(file);
    if (existsSync(join(dir, 'tool_desc.json')) && existsSync(join(dir, 'graph_desc.json'))) return loadUltraToolCatalog(dir);
    return gnn4TaskPlanCatalog(value, file);
  }
  return parseCatalog(value, file);
}

/** `{ nodes: [{ id, desc }] }` and no `tools`: GNN4TaskPlan's tool_desc.json or graph_desc.json. */
function isGnn4TaskPlanFile(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as any).nodes) && !('tools' in value);
}

/**
 * The tool graph as a graphology DirectedGraph: one node per tool (attributes = the tool), one
 * edge per allowed hand-off.
 *
 * @example
 * buildToolGraph(catalog).hasDirectedEdge('read-file', 'extract-text') // true
 */
export function buildToolGraph(catalog: Catalog): DirectedGraph<CatalogTool> {
  const g = new DirectedGraph<CatalogTool>();
  for (const t of catalog.tools) g.addNode(t.name, { ...t });
  for (const l of catalog.links) {
    if (!g.hasNode(l.source) || !g.hasNode(l.target)) throw new CatalogError('catalog', [`link ${l.source} -> ${l.target} names an unknown tool`]);
    if (!g.hasDirectedEdge(l.source, l.target)) g.addDirectedEdge(l.source, l.target);
  }
  return g;
}

/** Type tags for one worker, when the zod schemas' field names are not the right vocabulary. */
export interface WorkerTypes {
  inputType?: string[];
  outputType?: string[];
}

/** Top-level keys of a zod object schema (through optional/default/refine wrappers), or [] if none. */
function objectKeys(schema: unknown): string[] {
  let s: any = schema;
  for (let i = 0; i < 8 && s; i++) {
    const shape = s.shape ?? s._zod?.def?.shape;
    if (shape && typeof shape === 'object') return Object.keys(shape);
    s = s._zod?.def?.innerType ?? s._zod?.def?.in ?? s._zod?.def?.schema;
  }
  return [];
}

/**
 * A catalog from worker definitions. Type tags come from `types[worker.name]` when given, else
 * from the top-level field names of the worker's zod input and output schemas; links are derived.
 *
 * @example
 * const catalog = catalogFromWorkers(defaultWorkers, defaultTypeTags);
 */
export function catalogFromWorkers(workers: readonly AnyWorker[], types: Readonly<Record<string, WorkerTypes>> = {}): Catalog {
  const tools: CatalogTool[] = workers.map((w) => {
    const tags = types[w.name];
    const inputType = tags?.inputType ?? objectKeys(w.input);
    const outputType = tags?.outputType ?? objectKeys(w.output);
    return { name: w.name, description: w.description, inputType: [...inputType], outputType: [...outputType] };
  });
  return parseCatalog({ tools }, 'catalogFromWorkers');
}

/**
 * The catalog's fingerprint (tool names, descriptions, types and links, order independent): the
 * one the model records, so a model directory trained on another catalog is refused. Re-exported
 * from the model so there is exactly one definition.
 *
 * @example
 * catalogFingerprint(catalog) // 'sha256:3f9a0c1d...'
 */
export const catalogFingerprint: (catalog: Catalog) => string = modelFingerprint;

/** A catalog in its file form, for `catalog.json` next to a model or in fixtures.
 *
 * @example
 * writeFileSync('catalog.json', catalogToJson(catalog))
 */
export function catalogToJson(catalog: Catalog): string {
  return JSON.stringify({ tools: catalog.tools, links: catalog.links }, null, 2) + '\n';
}
