import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Example, StepText } from '../types.ts';
import { parseJsonLines } from './jsonl.ts';

function readJson(file: string): any {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: malformed JSON (${(err as Error).message})`);
  }
}

/**
 * Reads the UltraTool catalog: tools from `tool_desc.json` (`nodes[{id, desc}]`), hand-offs from
 * `graph_desc.json` (`links[{source, target}]`).
 *
 * @example
 * const catalog = loadUltraToolCatalog('../shared/data/ultratool');
 */
export function loadUltraToolCatalog(dir: string): Catalog {
  const toolFile = join(dir, 'tool_desc.json');
  const graphFile = join(dir, 'graph_desc.json');
  const toolDesc = readJson(toolFile);
  if (!Array.isArray(toolDesc?.nodes)) throw new Error(`${toolFile}: expected { nodes: [{ id, desc }] }`);
  const tools = toolDesc.nodes.map((n: any, i: number) => {
    if (typeof n?.id !== 'string' || typeof n?.desc !== 'string') throw new Error(`${toolFile}: nodes[${i}] needs string "id" and "desc"`);
    return { name: n.id, description: n.desc };
  });
  const graph = readJson(graphFile);
  if (!Array.isArray(graph?.links)) throw new Error(`${graphFile}: expected { links: [{ source, target }] }`);
  const links = graph.links.map((l: any, i: number) => {
    if (typeof l?.source !== 'string' || typeof l?.target !== 'string') throw new Error(`${graphFile}: links[${i}] needs string "source" and "target"`);
    return { source: l.source, target: l.target };
  });
  return { tools, links };
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
  const id = typeof r.id === 'number' ? String(r.id) : r.id;
  if (typeof id !== 'string') throw new Error(`${where}: field "id" must be a string`);
  if (typeof r.user_request !== 'string') throw new Error(`${where}: field "user_request" must be a string`);
  if (!Array.isArray(r.task_nodes) || !r.task_nodes.every((n: any) => typeof n?.task === 'string')) {
    throw new Error(`${where}: field "task_nodes" must be an array of { task: string }`);
  }
  const links = r.task_links ?? [];
  if (!Array.isArray(links) || !links.every((l: any) => typeof l?.source === 'string' && typeof l?.target === 'string')) {
    throw new Error(`${where}: field "task_links" must be an array of { source, target } strings`);
  }
  return {
    id,
    request: r.user_request.trim(),
    nodes: r.task_nodes.map((n: any) => n.task),
    links: links.map((l: any) => ({ source: l.source, target: l.target })),
    steps: stepTexts(r.task_steps),
  };
}

/**
 * Loads the reformatted UltraTool benchmark directory (see its SOURCE.md): catalog, examples, and the
 * official split (test = `test_ids.chain`, train = every other id).
 *
 * @example
 * const { catalog, examples, testIds, trainIds } = loadUltraTool('../shared/data/ultratool');
 */
export function loadUltraTool(dir: string): { catalog: Catalog; examples: Example[]; testIds: string[]; trainIds: string[] } {
  const catalog = loadUltraToolCatalog(dir);
  const dataFile = join(dir, 'data.jsonl');
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
  const split = readJson(splitFile);
  const testIds = split?.test_ids?.chain;
  if (!Array.isArray(testIds) || !testIds.every((x: unknown) => typeof x === 'string')) {
    throw new Error(`${splitFile}: expected { test_ids: { chain: [string ids] } }`);
  }
  const testSet = new Set<string>(testIds);
  for (const id of testIds) if (!seen.has(id)) throw new Error(`${splitFile}: test id "${id}" is not in ${dataFile}`);
  const trainIds = examples.filter((e) => !testSet.has(e.id)).map((e) => e.id);
  return { catalog, examples, testIds: [...testIds], trainIds };
}
