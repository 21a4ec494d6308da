import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Example, StepText } from '../types.ts';
import { parseJsonLines } from './jsonl.ts';
import { readJsonFile as readJson } from './json-file.ts';

/** An id as GNN4TaskPlan publishes it (a string, or an integer in RestBench/TMDB), as a string; undefined otherwise. */
function idString(x: unknown): string | undefined {
  if (typeof x === 'string' && x !== '') return x;
  return typeof x === 'number' && Number.isInteger(x) ? String(x) : undefined;
}

function typeTags(x: unknown, where: string): string[] | undefined {
  if (x === undefined) return undefined;
  if (!Array.isArray(x) || !x.every((t) => typeof t === 'string' && t !== '')) throw new Error(`${where} must be an array of type names`);
  return [...x];
}

/**
 * A catalog from GNN4TaskPlan's published files: tools from `nodes[{ id, desc, "input-type"?,
 * "output-type"? }]` (ids strings or integers, kept as strings; other fields such as `domain` or
 * `parameters` ignored), hand-offs from the value's own `links` (graph_desc.json) or else from
 * `graphFile`. Descriptions are kept exactly as published.
 *
 * @example
 * gnn4TaskPlanCatalog({ nodes: [{ id: 'a', desc: 'does a' }], links: [] }, 'graph_desc.json') // { tools: [...], links: [] }
 */
export function gnn4TaskPlanCatalog(value: unknown, file: string, graphFile?: string): Catalog {
  const v = value as any;
  if (!Array.isArray(v?.nodes)) throw new Error(`${file}: expected { nodes: [{ id, desc }] }`);
  const seen = new Set<string>();
  const tools: Catalog['tools'] = v.nodes.map((n: any, i: number) => {
    const name = idString(n?.id);
    if (name === undefined || typeof n?.desc !== 'string') throw new Error(`${file}: nodes[${i}] needs "id" (string or integer) and string "desc"`);
    if (seen.has(name)) throw new Error(`${file}: nodes[${i}]: duplicate tool id "${name}"`);
    seen.add(name);
    const inputType = typeTags(n['input-type'], `${file}: nodes[${i}]."input-type"`);
    const outputType = typeTags(n['output-type'], `${file}: nodes[${i}]."output-type"`);
    return { name, description: n.desc, ...(inputType ? { inputType } : {}), ...(outputType ? { outputType } : {}) };
  });
  const linkFile = Array.isArray(v.links) ? file : graphFile;
  const rawLinks = Array.isArray(v.links) ? v.links : graphFile ? readJson(graphFile)?.links : [];
  if (!Array.isArray(rawLinks)) throw new Error(`${linkFile}: expected { links: [{ source, target }] }`);
  const links = rawLinks.map((l: any, i: number) => {
    const source = idString(l?.source), target = idString(l?.target);
    if (source === undefined || target === undefined) throw new Error(`${linkFile}: links[${i}] needs "source" and "target" (strings or integers)`);
    for (const end of [source, target]) if (!seen.has(end)) throw new Error(`${linkFile}: links[${i}] names unknown tool "${end}"`);
    return { source, target };
  });
  return { tools, links };
}

/**
 * Reads a GNN4TaskPlan catalog directory (UltraTool and the others): tools from `tool_desc.json`,
 * hand-offs from `graph_desc.json` (see `gnn4TaskPlanCatalog`).
 *
 * @example
 * const catalog = loadUltraToolCatalog('../shared/data/ultratool');
 */
export function loadUltraToolCatalog(dir: string): Catalog {
  const toolFile = join(dir, 'tool_desc.json');
  return gnn4TaskPlanCatalog(readJson(toolFile), toolFile, join(dir, 'graph_desc.json'));
}

/**
 * The sub-task texts of `task_steps` ("Step 2 Call book_flight to book the flight for Li Lei") as
 * (worker, "book the flight for Li Lei") pairs. Steps not in that form are skipped: they are optional
 * supervision, not part of the gold plan.
 *
 * @example
 * stepTexts(['Step 1 Call flight_search to check flights']) // [{ worker: 'flight_search', text: 'check flights' }]
 */
export function stepTexts(steps: unknown): StepText[] {
  if (!Array.isArray(steps)) return [];
  const out: StepText[] = [];
  for (const s of steps) {
    const m = typeof s === 'string' ? /^\s*Step\s+\d+\s+Call\s+([A-Za-z0-9_]+)\s+(?:to\s+)?(.*)$/s.exec(s) : null;
    // The worker's name is cut out wherever it appears, so the text teaches words, not the name.
    if (m && m[2].trim()) out.push({ worker: m[1], text: m[2].split(m[1]).join(' ').trim() });
  }
  return out;
}

/**
 * Converts one UltraTool record. Only `user_request` becomes the request. `task_steps` spell out the
 * gold tool names: they become `steps`, training supervision that no prediction path reads (a planner
 * is given the instruction string alone).
 *
 * @example
 * ultraToolRecordToExample({ id: '1', user_request: 'hi', task_nodes: [{ task: 'a' }], task_links: [] }, 'data.jsonl', 1)
 */
export function ultraToolRecordToExample(rec: unknown, file: string, line: number): Example {
  const where = `${file}:${line}`;
  const r = rec as any;
  if (!r || typeof r !== 'object') throw new Error(`${where}: expected an object`);
  const id = idString(r.id);
  if (id === undefined) throw new Error(`${where}: field "id" must be a string or an integer`);
  if (typeof r.user_request !== 'string') throw new Error(`${where}: field "user_request" must be a string`);
  const nodes = Array.isArray(r.task_nodes) ? r.task_nodes.map((n: any) => idString(n?.task)) : [undefined];
  if (nodes.includes(undefined)) throw new Error(`${where}: field "task_nodes" must be an array of { task } (tool ids, strings or integers)`);
  const rawLinks = r.task_links ?? [];
  const links = Array.isArray(rawLinks) ? rawLinks.map((l: any) => ({ source: idString(l?.source), target: idString(l?.target) })) : [{ source: undefined, target: undefined }];
  if (links.some((l: { source?: string; target?: string }) => l.source === undefined || l.target === undefined)) {
    throw new Error(`${where}: field "task_links" must be an array of { source, target } (tool ids, strings or integers)`);
  }
  return { id, request: r.user_request.trim(), nodes, links: links as { source: string; target: string }[], steps: stepTexts(r.task_steps) };
}

/** The examples file of a GNN4TaskPlan directory: `data.json` as published (JSON Lines), or `data.jsonl`. */
export const DATA_FILES = ['data.json', 'data.jsonl'] as const;

/**
 * The examples file of `dir` (see DATA_FILES), or undefined when it has none.
 *
 * @example
 * dataFileIn('../shared/data/ultratool') // '../shared/data/ultratool/data.jsonl'
 */
export function dataFileIn(dir: string): string | undefined {
  return DATA_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
}

/**
 * The official test ids of `split_ids.json`: every list under `test_ids` (`chain`, and `single` or
 * `dag` where published), in order without repeats; ids strings or integers, kept as strings.
 */
function testIdsOf(split: any, splitFile: string): string[] {
  const lists = Array.isArray(split?.test_ids) ? [split.test_ids] : split?.test_ids && typeof split.test_ids === 'object' ? Object.values(split.test_ids) : undefined;
  const ids = lists?.every(Array.isArray) ? (lists as unknown[][]).flat().map(idString) : [undefined];
  if (ids.includes(undefined)) throw new Error(`${splitFile}: expected { test_ids: { chain: [ids] } } (ids strings or integers)`);
  return [...new Set(ids as string[])];
}

/**
 * Loads a benchmark directory in GNN4TaskPlan's layout (UltraTool as in its SOURCE.md, or TaskBench,
 * RestBench as published): catalog, examples (`data.json` or `data.jsonl`), and the official split
 * (test = every id under `test_ids`, train = every other id). With `allTestWithoutSplit`, a
 * directory without `split_ids.json` has every request in test (what scoring reads) and none in train.
 *
 * @example
 * const { catalog, examples, testIds, trainIds } = loadUltraTool('../shared/data/ultratool');
 */
export function loadUltraTool(dir: string, options: { allTestWithoutSplit?: boolean } = {}): { catalog: Catalog; examples: Example[]; testIds: string[]; trainIds: string[] } {
  const catalog = loadUltraToolCatalog(dir);
  const dataFile = dataFileIn(dir);
  if (!dataFile) throw new Error(`${dir}: no examples (expected ${DATA_FILES.join(' or ')})`);
  let text: string;
  try {
    text = readFileSync(dataFile, 'utf8');
  } catch (err) {
    throw new Error(`${dataFile}: cannot read (${(err as Error).message})`);
  }
  const seen = new Set<string>();
  const examples = parseJsonLines(text, dataFile).map(({ line, value }) => {
    const ex = ultraToolRecordToExample(value, dataFile, line);
    if (seen.has(ex.id)) throw new Error(`${dataFile}:${line}: duplicate id "${ex.id}"`);
    seen.add(ex.id);
    return ex;
  });
  const splitFile = join(dir, 'split_ids.json');
  // Without the split file every request is a test one: scoring needs no training requests.
  if (options.allTestWithoutSplit && !existsSync(splitFile)) return { catalog, examples, testIds: examples.map((e) => e.id), trainIds: [] };
  const testIds = testIdsOf(readJson(splitFile), splitFile);
  const testSet = new Set<string>(testIds);
  for (const id of testIds) if (!seen.has(id)) throw new Error(`${splitFile}: test id "${id}" is not in ${dataFile}`);
  const trainIds = examples.filter((e) => !testSet.has(e.id)).map((e) => e.id);
  return { catalog, examples, testIds, trainIds };
}
