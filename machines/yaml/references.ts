import { isDeepStrictEqual } from 'node:util';
import { parsePath } from '../../transformers/path.ts';
import { template } from '../../transformers/template.ts';
import type { Condition, InputExpression, WorkerRef } from './schema.ts';
import { errorAt, type DataPath, type WorkflowFile } from './parse.ts';

/**
 * The checks a schema cannot make: step ids unique, every target and step reference naming a
 * step (or a final), paths and templates well formed, conditions testing something, a step's candidates distinct. Throws the
 * first problem at its place in the file.
 *
 * @example
 * checkReferences(wf); // throws 'flow.yaml:12:15: step "coder": onSuccess names no step or final: "codr"'
 */
export function checkReferences(wf: WorkflowFile): void {
  const { data } = wf;
  const fail = (path: DataPath, message: string, key = false) => {
    throw errorAt(wf, path, message, key);
  };
  const finals = Object.keys(data.finals ?? { succeeded: 0, failed: 0 });
  const ids = new Set<string>();
  data.steps.forEach((s, i) => {
    if (ids.has(s.id)) fail(['steps', i, 'id'], `duplicate step id ${JSON.stringify(s.id)}`);
    if (finals.includes(s.id)) fail(['steps', i, 'id'], `step id ${JSON.stringify(s.id)} is also a final state id`);
    ids.add(s.id);
  });
  const isStep = (id: string) => ids.has(id);
  const isTarget = (id: string) => ids.has(id) || finals.includes(id);
  const target = (path: DataPath, id: string | undefined, what: string) => {
    if (id !== undefined && !isTarget(id)) fail(path, `${what} names no step or final: ${JSON.stringify(id)} (steps: ${[...ids].join(', ')}; finals: ${finals.join(', ')})`);
  };
  target(['start'], data.start, 'start');
  if (data.start !== undefined && !isStep(data.start)) fail(['start'], `start must be a step, not the final ${JSON.stringify(data.start)}`);
  target(['onFailure'], data.onFailure, 'onFailure');
  const refs = { isStep, fail };
  data.steps.forEach((s, i) => {
    const at = ['steps', i];
    const name = `step ${JSON.stringify(s.id)}`;
    if (typeof s.onSuccess === 'string') target([...at, 'onSuccess'], s.onSuccess, `${name}: onSuccess`);
    else s.onSuccess?.forEach((b, j) => {
      target([...at, 'onSuccess', j, 'target'], b.target, `${name}: branch ${j + 1}`);
      if (b.when) checkCondition(b.when, [...at, 'onSuccess', j, 'when'], refs);
    });
    target([...at, 'onFailure'], s.onFailure, `${name}: onFailure`);
    s.dependsOn?.forEach((d, j) => {
      if (!isStep(d)) fail([...at, 'dependsOn', j], `${name}: dependsOn names no step: ${JSON.stringify(d)}`);
    });
    if ('input' in s && s.input) checkInput(s.input, [...at, 'input'], refs);
    if ('candidates' in s) checkCandidates(s.candidates, [...at, 'candidates'], name, refs);
  });
  if (data.output) checkInput(data.output, ['output'], refs);
}

interface Refs {
  isStep(id: string): boolean;
  fail(path: DataPath, message: string, key?: boolean): never;
}

function checkStep(id: string, path: DataPath, refs: Refs) {
  if (!refs.isStep(id)) refs.fail(path, `names no step: ${JSON.stringify(id)}`);
}

function checkPath(text: string | undefined, path: DataPath, refs: Refs) {
  if (text === undefined) return;
  try {
    parsePath(text);
  } catch (e) {
    refs.fail(path, (e as Error).message);
  }
}

/** Every step an input expression reads must exist; paths and templates must parse. */
function checkInput(e: InputExpression, path: DataPath, refs: Refs): void {
  if ('from' in e) checkPath(e.path, [...path, 'path'], refs);
  else if ('step' in e) {
    checkStep(e.step, [...path, 'step'], refs);
    checkPath(e.path, [...path, 'path'], refs);
  } else if ('pick' in e) checkStep(e.pick.step, [...path, 'pick', 'step'], refs);
  else if ('rename' in e) {
    checkStep(e.rename.step, [...path, 'rename', 'step'], refs);
    if (new Set(Object.values(e.rename.map)).size !== Object.keys(e.rename.map).length) refs.fail([...path, 'rename', 'map'], 'two keys are renamed to the same name');
  } else if ('template' in e) checkTemplate(e.template, [...path, 'template'], refs);
  else if ('object' in e) for (const [k, v] of Object.entries(e.object)) checkInput(v, [...path, 'object', k], refs);
  else if ('merge' in e) e.merge.forEach((v, i) => checkInput(v, [...path, 'merge', i], refs));
  else if ('first' in e) e.first.forEach((v, i) => checkInput(v, [...path, 'first', i], refs));
  else if ('dirname' in e) checkInput(e.dirname, [...path, 'dirname'], refs);
}

/** A candidate named twice (the same reference) could never be told apart from itself by a router. */
function checkCandidates(candidates: readonly WorkerRef[], path: DataPath, name: string, refs: Refs) {
  candidates.forEach((ref, j) => {
    const first = candidates.findIndex((other) => isDeepStrictEqual(other, ref));
    if (first < j) refs.fail([...path, j], `${name}: duplicate candidate ${JSON.stringify(ref)} (also candidates[${first}])`);
  });
}

const STEP_PLACEHOLDER = /\{\{\s*steps\.([A-Za-z][A-Za-z0-9_-]*)/g;

function checkTemplate(spec: string | Record<string, string>, path: DataPath, refs: Refs) {
  const texts = typeof spec === 'string' ? [[path, spec] as const] : Object.entries(spec).map(([k, t]) => [[...path, k], t] as const);
  for (const [at, text] of texts) {
    try {
      template(text);
    } catch (e) {
      refs.fail(at, (e as Error).message);
    }
    for (const m of text.matchAll(STEP_PLACEHOLDER)) if (!refs.isStep(m[1])) refs.fail(at, `template placeholder {{steps.${m[1]}...}} names no step`);
  }
}


const FIELD_ROOTS = ['output', 'input', 'shared', 'steps'];

function checkCondition(c: Condition, path: DataPath, refs: Refs): void {
  if ('field' in c) {
    let segments: (string | number)[] = [];
    try {
      segments = parsePath(c.field);
    } catch (e) {
      refs.fail([...path, 'field'], (e as Error).message);
    }
    if (!FIELD_ROOTS.includes(String(segments[0]))) refs.fail([...path, 'field'], `a condition field starts with output, input, shared or steps.<id>, got ${JSON.stringify(c.field)}`);
    if (segments[0] === 'steps') checkStep(String(segments[1] ?? ''), [...path, 'field'], refs);
    if (c.equals === undefined && c.notEquals === undefined && c.exists === undefined) refs.fail(path, 'a field condition needs equals, notEquals or exists');
  } else if ('all' in c) c.all.forEach((x, i) => checkCondition(x, [...path, 'all', i], refs));
  else if ('any' in c) c.any.forEach((x, i) => checkCondition(x, [...path, 'any', i], refs));
  else if ('not' in c) checkCondition(c.not, [...path, 'not'], refs);
}
