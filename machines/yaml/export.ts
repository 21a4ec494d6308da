import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { describeTransformer } from '../../transformers/describe.ts';
import type { Json } from '../../transformers/types.ts';
import type { NormalStep, Workflow } from '../definition.ts';
import { DEFAULT_FINALS } from '../workflow.ts';
import type { AnyWorker } from '../worker.ts';
import type { WorkerRef } from './schema.ts';

export interface ToYamlOptions {
  /** How the file names a worker; default: its name (a built-in or project worker). */
  workerRef?: (worker: AnyWorker, step: string) => WorkerRef;
  /** Relative path of the JSON Schema, written as the `yaml-language-server` line; none: no line. */
  schema?: string;
}

/**
 * A workflow as a workflow file (YAML) that parses back to the same definition. Transformers built
 * by transformers/ (fromStep, pick, rename, template, combine, toShared, ...) and a file's own
 * expressions are written as expressions; code (`customInput`, a `when` function, a run `output`
 * function) cannot be, so it is kept as `code:` with its source, listed in the header: such a file
 * has the same chart, but runs only once those entries are rewritten as expressions.
 *
 * @example
 * fs.writeFileSync('flow.yaml', workflowToYaml(workflow, { schema: './workflow.schema.json' }));
 */
export function workflowToYaml(workflow: Workflow, options: ToYamlOptions = {}): string {
  const code: string[] = [];
  const steps = workflow.steps.map((s, i) => stepData(workflow, s, i, options, code));
  const failures = new Set(workflow.steps.map((s) => s.onFailure));
  const sharedFailure = workflow.form === 'graph' && failures.size === 1 ? [...failures][0] : undefined;
  if (sharedFailure !== undefined) for (const s of steps) delete s.onFailure;
  const data: Record<string, unknown> = {
    id: workflow.id,
    ...(workflow.description ? { description: workflow.description } : {}),
    ...(workflow.form === 'graph' && workflow.start !== workflow.steps[0].id ? { start: workflow.start } : {}),
    ...(sharedFailure !== undefined ? { onFailure: sharedFailure } : {}),
    ...(isDeepStrictEqual({ ...workflow.finals }, { ...DEFAULT_FINALS }) ? {} : { finals: workflow.finals }),
    steps,
    ...(workflow.output ? { output: inputExpression(workflow.output, 'output', code) } : {}),
  };
  const header = [
    ...(options.schema ? [`# yaml-language-server: $schema=${options.schema}`] : []),
    `# Workflow ${workflow.id}, exported by orchestai.`,
    ...(code.length
      ? [`# ${code.length} part${code.length === 1 ? ' is' : 's are'} code, kept as "code:" for reference (${code.join(', ')}):`, '# the chart is complete, but the file runs only once they are rewritten as expressions.']
      : []),
  ];
  const doc = new Document(data, { aliasDuplicateObjects: false });
  // Small maps, and lists of worker names (`candidates: [ small, large ]`), read best on one line.
  visit(doc, {
    Map: (_key, map, path) => void (path.length > 4 && isSmall(map) && (map.flow = true)),
    Pair: (_key, pair) => void (isScalar(pair.key) && pair.key.value === 'candidates' && isSeq(pair.value) && pair.value.items.every(isScalar) && (pair.value.flow = true)),
  });
  return `${header.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}

/** Small leaf maps (`{ step: coder, path: files }`) read best on one line. */
function isSmall(map: unknown): boolean {
  if (!isMap(map) || map.items.length > 4) return false;
  const short = (v: unknown) => isScalar(v) && String(v.value).length <= 60;
  return map.items.every((p) => short(p.value) || (isSeq(p.value) && p.value.items.every(short)));
}

function stepData(workflow: Workflow, s: NormalStep, index: number, options: ToYamlOptions, code: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.id };
  if (s.description) out.description = s.description;
  if (s.type === 'approval') {
    out.type = 'approval';
    if (s.prompt !== undefined) out.prompt = s.prompt;
    out.timeoutMs = s.approvalTimeoutMs;
  } else {
    const worker = s.worker!;
    const ref = (w: AnyWorker) => (options.workerRef ? options.workerRef(w, s.id) : w.name);
    if (s.candidates) out.candidates = s.candidates.map(ref);
    else out.worker = ref(worker);
    // A routed step's capability defaults to its id: written only when it says more.
    if (s.capability !== undefined && !(s.candidates && s.capability === s.id)) out.capability = s.capability;
    if (s.input) out.input = inputExpression(s.input, `${s.id}.input`, code);
    if (s.output) out.output = outputExpression(s.output, `${s.id}.output`, code);
    if (!isDeepStrictEqual(s.retry, worker.retry)) out.retry = s.retry;
    if (s.timeoutMs !== worker.timeoutMs && s.timeoutMs !== undefined) out.timeoutMs = s.timeoutMs;
  }
  if (workflow.form === 'dag') out.dependsOn = [...s.dependsOn];
  else {
    const success = successData(workflow, s, index, code);
    if (success !== undefined) out.onSuccess = success;
    out.onFailure = s.onFailure;
  }
  return out;
}

/** Graph form: the success edges, left out when they are the default (on to the next step, or to the success final). */
function successData(workflow: Workflow, s: NormalStep, index: number, code: string[]): unknown {
  const plain = s.branches.length === 1 && s.branches[0].when === undefined && s.branches[0].label === undefined && s.branches[0].maxTimes === undefined;
  if (plain) {
    const next = workflow.steps[index + 1]?.id;
    const byDefault = next ?? (workflow.finals.succeeded?.status === 'succeeded' ? 'succeeded' : Object.entries(workflow.finals).find(([, f]) => f.status === 'succeeded')?.[0]);
    return s.branches[0].target === byDefault ? undefined : s.branches[0].target;
  }
  return s.branches.map((b, j) => ({
    target: b.target,
    ...(b.when ? { when: condition(b.when, `${s.id}.onSuccess[${j}].when`, code) } : {}),
    ...(b.label !== undefined ? { label: b.label } : {}),
    ...(b.maxTimes !== undefined ? { maxTimes: b.maxTimes } : {}),
  }));
}

function codeOf(fn: unknown, where: string, code: string[]): { code: string } {
  code.push(where);
  const d = describeTransformer(fn);
  return { code: String(d?.kind === 'custom' ? d.fn : fn) };
}

function condition(fn: unknown, where: string, code: string[]): unknown {
  const d = describeTransformer(fn);
  return d?.kind === 'expression' ? d.expression : codeOf(fn, where, code);
}

/** A transformers/ input transformer (or a file's expression) as an input expression; code otherwise. */
function inputExpression(fn: unknown, where: string, code: string[]): unknown {
  const d = describeTransformer(fn);
  const withPath = (base: Record<string, unknown>, path: string) => (path ? { ...base, path } : base);
  switch (d?.kind) {
    case 'expression':
      return d.expression;
    case 'fromInput':
      return withPath({ from: 'input' }, d.path);
    case 'fromLast':
      return { from: 'last' };
    case 'fromStep':
      return withPath({ step: d.step }, d.path);
    case 'pick':
      return { pick: { step: d.step, fields: [...d.fields] } };
    case 'rename':
      return { rename: { step: d.step, map: { ...d.mapping } } };
    case 'mergeDeps':
      return { mergeDeps: true };
    case 'template':
      return { template: typeof d.spec === 'string' ? d.spec : { ...d.spec } };
    case 'combine':
      return { object: Object.fromEntries(Object.entries(d.parts).map(([k, part]) => [k, inputExpression(part, `${where}.${k}`, code)])) };
    default:
      return codeOf(fn, where, code);
  }
}

function outputExpression(fn: unknown, where: string, code: string[]): Json {
  const d = describeTransformer(fn);
  if (d?.kind === 'expression') return d.expression;
  if (d?.kind === 'toShared') return { toShared: d.key };
  if (d?.kind === 'appendTo') return { appendTo: d.key };
  if (d?.kind === 'mergeIntoShared') return { mergeIntoShared: d.fields ? [...d.fields] : true };
  return codeOf(fn, where, code);
}
