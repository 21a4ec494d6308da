import { readFileSync } from 'node:fs';
import type { Example } from '../types.ts';

/**
 * Parses JSON Lines text; every bad line becomes one error naming the file and the 1-based line.
 * Blank lines are skipped (a trailing newline is normal).
 *
 * @example
 * parseJsonLines('{"a":1}\n{"a":2}\n', 'x.jsonl') // [{ a: 1 }, { a: 2 }]
 */
export function parseJsonLines(text: string, file: string): { line: number; value: unknown }[] {
  const out: { line: number; value: unknown }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (err) {
      throw new Error(`${file}:${i + 1}: malformed JSON line (${(err as Error).message})`);
    }
  }
  return out;
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}

function isLinkArray(x: unknown): x is { source: string; target: string }[] {
  return Array.isArray(x) && x.every((l) => l && typeof l === 'object' && typeof (l as any).source === 'string' && typeof (l as any).target === 'string');
}

/**
 * Checks one parsed record against our own example format `{ id, request, nodes, links }`.
 * Links must join nodes of the same example (otherwise the gold DAG is meaningless); `id` may be
 * left out (`line-N`) and `links` too (none).
 *
 * @example
 * toExample({ id: '1', request: 'hi', nodes: ['a', 'b'], links: [{ source: 'a', target: 'b' }] }, 'f.jsonl', 1)
 */
export function toExample(value: unknown, file: string, line: number): Example {
  const where = `${file}:${line}`;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected an object { id, request, nodes, links }`);
  const v = value as Record<string, unknown>;
  // An example written by hand may leave out its id: its line names it.
  const id = v.id === undefined ? `line-${line}` : typeof v.id === 'number' ? String(v.id) : v.id;
  if (typeof id !== 'string' || id === '') throw new Error(`${where}: field "id" must be a non-empty string (or left out: the line names the example)`);
  if (typeof v.request !== 'string' || v.request.trim() === '') throw new Error(`${where}: field "request" must be a non-empty string`);
  if (!isStringArray(v.nodes) || v.nodes.length === 0) throw new Error(`${where}: field "nodes" must be a non-empty array of worker names`);
  const links = v.links ?? [];
  if (!isLinkArray(links)) throw new Error(`${where}: field "links" must be an array of { source, target } strings`);
  const names = new Set(v.nodes);
  for (const l of links) {
    if (!names.has(l.source) || !names.has(l.target)) throw new Error(`${where}: link ${l.source} -> ${l.target} names a worker that is not in "nodes"`);
  }
  return { id, request: v.request, nodes: [...v.nodes], links: links.map((l) => ({ source: l.source, target: l.target })) };
}

/**
 * Loads examples in our own JSONL format `{ id, request, nodes, links }`, one per line.
 * Duplicate ids are rejected with both line numbers.
 *
 * @example
 * const examples = loadExamplesJsonl('fixtures/planner/train.jsonl');
 */
export function loadExamplesJsonl(file: string): Example[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read examples (${(err as Error).message})`);
  }
  const seen = new Map<string, number>();
  return parseJsonLines(text, file).map(({ line, value }) => {
    const ex = toExample(value, file, line);
    const prev = seen.get(ex.id);
    if (prev !== undefined) throw new Error(`${file}:${line}: duplicate id "${ex.id}" (first seen on line ${prev})`);
    seen.set(ex.id, line);
    return ex;
  });
}
