import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { oneLine, WorkflowFileError, type SourcePosition } from './errors.ts';
import { inputOptions, outputOptions, stepOptions, UNION_MESSAGES, whenOptions, workerOptions, WorkflowFileSchema, type WorkflowFileData } from './schema.ts';
import { checkReferences } from './references.ts';

/** A path into the file's data, e.g. `['steps', 2, 'input']`. */
export type DataPath = readonly (string | number)[];

/**
 * A parsed, schema-checked workflow file: plain data plus where each value and key sits in the
 * text, so later stages (worker resolution, the definition checks) can name a line and column.
 */
export interface WorkflowFile {
  file: string;
  data: WorkflowFileData;
  /** Position of each value, by `pathKey(path)`. */
  values: Record<string, SourcePosition>;
  /** Position of each map key, by `pathKey(path)` of its value. */
  keys: Record<string, SourcePosition>;
}

/**
 * The key under which a path's position is kept.
 *
 * @example
 * pathKey(['steps', 0, 'worker']) // '["steps",0,"worker"]'
 */
export const pathKey = (path: DataPath) => JSON.stringify(path);

/**
 * Where `path` is in the file: the value itself, else (for a missing key) the nearest enclosing
 * value that exists. With `key`, the key's position when there is one (for unknown keys).
 *
 * @example
 * positionOf(wf, ['steps', 1, 'onFailure']) // { line: 14, col: 16 }
 */
export function positionOf(wf: Pick<WorkflowFile, 'values' | 'keys'>, path: DataPath, key = false): SourcePosition {
  if (key && wf.keys[pathKey(path)]) return wf.keys[pathKey(path)];
  for (let n = path.length; n >= 0; n--) {
    const at = wf.values[pathKey(path.slice(0, n))];
    if (at) return at;
  }
  return { line: 1, col: 1 };
}

/**
 * An error at `path` of the file, as a `WorkflowFileError`.
 *
 * @example
 * throw errorAt(wf, ['steps', 0, 'worker'], 'unknown worker "sumarise"');
 */
export function errorAt(wf: Pick<WorkflowFile, 'file' | 'values' | 'keys'>, path: DataPath, problem: string, key = false): WorkflowFileError {
  return new WorkflowFileError(wf.file, positionOf(wf, path, key), problem);
}

/**
 * Parses a workflow file (YAML, or JSON, which is YAML too) and checks it against the format:
 * YAML syntax, unknown keys, wrong types, duplicate step ids, targets and step references that
 * name no step. The first problem is thrown as a `WorkflowFileError` (`file:line:column: problem`).
 *
 * @example
 * const wf = parseWorkflowFile(fs.readFileSync('flow.yaml', 'utf8'), 'flow.yaml');
 * wf.data.steps.map((s) => s.id)
 */
export function parseWorkflowFile(text: string, file: string): WorkflowFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): SourcePosition => lineCounter.linePos(offset);
  const syntax = doc.errors[0];
  if (syntax) throw new WorkflowFileError(file, pos(syntax.pos[0]), `YAML: ${oneLine(syntax.message).replace(/ at line \d+, column \d+:?$/, '')}`);
  const values: Record<string, SourcePosition> = {};
  const keys: Record<string, SourcePosition> = {};
  recordPositions(doc.contents as Node | null, [], values, keys, pos);
  const wf = { file, values, keys };
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw errorAt(wf, [], 'a workflow file is a mapping with id and steps');
  const parsed = WorkflowFileSchema.safeParse(raw);
  if (!parsed.success) {
    const { path, message, key } = explain(parsed.error.issues[0], raw);
    throw errorAt(wf, path, message, key);
  }
  const result: WorkflowFile = { file, data: parsed.data, values, keys };
  checkReferences(result);
  return result;
}

function recordPositions(node: Node | null, path: (string | number)[], values: Record<string, SourcePosition>, keys: Record<string, SourcePosition>, pos: (o: number) => SourcePosition) {
  if (!node) return;
  if (node.range) values[pathKey(path)] = pos(node.range[0]);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const child = [...path, String(pair.key.value)];
      if (pair.key.range) keys[pathKey(child)] = pos(pair.key.range[0]);
      if (pair.value) recordPositions(pair.value as Node, child, values, keys, pos);
      else if (pair.key.range) values[pathKey(child)] = pos(pair.key.range[0]);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => recordPositions(item as Node, [...path, i], values, keys, pos));
  }
}

type Issue = z.core.$ZodIssue;

/** Which option of a union a value means, by the key that tells the options apart. */
const UNIONS: Record<string, (v: Record<string, unknown>) => z.ZodType | undefined> = {
  [UNION_MESSAGES.input]: (v) => byKey(inputOptions, v),
  [UNION_MESSAGES.output]: (v) => byKey(outputOptions, v),
  [UNION_MESSAGES.when]: (v) => byKey(whenOptions, v),
  [UNION_MESSAGES.worker]: (v) => byKey(workerOptions, v),
  [UNION_MESSAGES.step]: (v) => (v.type === 'approval' ? stepOptions.approval : !('candidates' in v) ? stepOptions.task : 'worker' in v ? WORKER_AND_CANDIDATES : stepOptions.routed),
};

/** A task step with both `worker` and `candidates` fits neither kind; said plainly, at its candidates. */
const WORKER_AND_CANDIDATES = z.unknown().superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', path: ['candidates'], message: 'give either worker or candidates, not both' }));

const byKey = (options: Record<string, z.ZodType>, v: Record<string, unknown>) => Object.entries(options).find(([k]) => k in v)?.[1];

/**
 * One zod issue as a path and a sentence; a failed union is narrowed to the option the value
 * meant (by its telling key) and explained from there. `prefix` is where `root` sits in the file.
 */
function explain(issue: Issue, root: unknown, prefix: DataPath = []): { path: DataPath; message: string; key?: boolean } {
  const rel = issue.path as (string | number)[];
  const path = [...prefix, ...rel];
  const value = valueAt(root, rel);
  if (value === undefined && path.length > 0) return { path, message: `missing ${JSON.stringify(String(path.at(-1)))}${where(path.slice(0, -1))}` };
  if (issue.code === 'invalid_union' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const option = UNIONS[issue.message]?.(value as Record<string, unknown>);
    if (!option) return { path, message: unknownKind(issue.message, value as Record<string, unknown>) };
    const inner = option.safeParse(value);
    if (!inner.success) return explain(inner.error.issues[0], value, path);
  }
  if (issue.code === 'unrecognized_keys') return { path: [...path, issue.keys[0]], key: true, message: `unknown key ${JSON.stringify(issue.keys[0])}${where(path)}` };
  return { path, message: `${formatPath(path)}: ${issue.message}` };
}

function unknownKind(message: string, value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (message === UNION_MESSAGES.input && keys.length) return `unknown transformer ${JSON.stringify(keys[0])}: use one of ${Object.keys(inputOptions).join(', ')}`;
  return message;
}

const where = (path: DataPath) => (path.length ? ` in ${formatPath(path)}` : ' at the top level');

/**
 * A data path for people: `steps[2].input.object.brief`.
 *
 * @example
 * formatPath(['steps', 2, 'input']) // 'steps[2].input'
 */
export function formatPath(path: DataPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

function valueAt(root: unknown, path: DataPath): unknown {
  let cur = root;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}
