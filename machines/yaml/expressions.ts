import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { described } from '../../transformers/describe.ts';
import { fromInput, fromLast, fromStep, mergeDeps, pick, rename, stepOutput } from '../../transformers/input.ts';
import { appendTo, mergeIntoShared, toShared } from '../../transformers/output.ts';
import { getPath, MissingDataError, parsePath, type PathSegment } from '../../transformers/path.ts';
import { template } from '../../transformers/template.ts';
import type { InputTransformer, Json, JsonObject, OutputTransformer, RunContext, StepInfo } from '../../transformers/types.ts';
import type { Condition, InputExpression, JsonKind, OutputExpression } from './schema.ts';

/**
 * A workflow file's expressions turned into the functions the definition language takes. Each
 * maps onto a builder of transformers/ (fromInput, fromStep, pick, rename, template, mergeDeps,
 * toShared, ...); the rest (object, merge, first, value, dirname, defaults) are small pure
 * combinators over them. The top-level function of each expression carries the expression as its
 * description (for `workflowToYaml`) and as its source text: the workflow hash reads transformer
 * sources, so editing an expression in the file changes the hash, as editing code does.
 */

/** What `code` placeholders turn into: an error when they would run. */
export type CodePlaceholder = (code: string, what: string) => (...args: any[]) => never;

/** `optional` inside object/merge: the key is left out. */
const OMIT: unique symbol = Symbol('omit');
type Value = Json | typeof OMIT;
type Eval = (ctx: RunContext, step: StepInfo) => Value;

/**
 * An input expression as an input transformer.
 *
 * @example
 * const t = inputTransformer({ step: 'coder', path: 'files' }, placeholder);
 * t(ctx, { id: 'reviewer', dependsOn: [] }) // ctx.outputs.coder.files
 */
export function inputTransformer(expression: InputExpression, code: CodePlaceholder): InputTransformer<Json> {
  const inner = evaluator(expression, code);
  const fn = (ctx: RunContext, step: StepInfo): Json => {
    const value = inner(ctx, step);
    if (value === OMIT) throw new MissingDataError('expression', '', 'an optional value is missing and there is no object key to leave out');
    return value;
  };
  return sourced(fn, expression);
}

/**
 * A workflow-level `output:` expression as the run's output function.
 *
 * @example
 * runOutput({ step: 'render-deck', path: 'path' }, placeholder)(ctx) // ctx.outputs['render-deck'].path
 */
export function runOutput(expression: InputExpression, code: CodePlaceholder): (ctx: RunContext) => Json {
  const t = inputTransformer(expression, code);
  return sourced((ctx: RunContext) => t(ctx, { id: '(workflow output)', dependsOn: [] }), expression);
}

/**
 * An output expression as an output transformer.
 *
 * @example
 * outputTransformer({ toShared: 'plan' }, placeholder) // toShared('plan')
 */
export function outputTransformer(expression: OutputExpression, code: CodePlaceholder): OutputTransformer<Json> {
  let fn: OutputTransformer<Json>;
  if ('toShared' in expression) fn = toShared(expression.toShared);
  else if ('appendTo' in expression) fn = appendTo(expression.appendTo);
  else if ('mergeIntoShared' in expression) fn = mergeIntoShared(expression.mergeIntoShared === true ? undefined : expression.mergeIntoShared);
  else fn = code(expression.code, 'output transformer');
  const wrapped: OutputTransformer<Json> = (draft, output, ctx) => fn(draft, output, ctx);
  return sourced(wrapped, expression);
}

/**
 * A branch condition as a `when` predicate.
 *
 * @example
 * branchCondition({ field: 'output.review.approved', equals: true }, placeholder)({ output: { review: { approved: true } }, ctx })
 */
export function branchCondition(condition: Condition, code: CodePlaceholder): (args: { output: any; ctx: RunContext }) => boolean {
  const test = conditionOf(condition, code);
  return sourced((args: { output: any; ctx: RunContext }) => test(args), condition as unknown as Json);
}

/** Describes `fn` by its expression, and makes its source text the expression (see the file comment). */
function sourced<F extends (...args: any[]) => any>(fn: F, expression: unknown): F {
  const text = `yaml ${JSON.stringify(expression)}`;
  Object.defineProperty(fn, 'toString', { value: () => text, enumerable: false });
  return described(fn, { kind: 'expression', expression: expression as Json });
}

function evaluator(e: InputExpression, code: CodePlaceholder): Eval {
  if ('from' in e || 'step' in e) return reference(e);
  if ('pick' in e) return pick(e.pick.step, e.pick.fields);
  if ('rename' in e) return rename(e.rename.step, e.rename.map);
  if ('template' in e) return template(e.template as Record<string, string>) as Eval;
  if ('mergeDeps' in e) return mergeDeps();
  if ('value' in e) return () => e.value as Json;
  if ('object' in e) return objectOf(Object.entries(e.object).map(([k, v]) => [k, evaluator(v, code)] as const));
  if ('merge' in e) return mergeOf(e.merge.map((v) => evaluator(v, code)));
  if ('first' in e) return firstOf(e.first.map((v) => evaluator(v, code)), e);
  if ('dirname' in e) return dirnameOf(evaluator(e.dirname, code));
  return code(e.code, 'input transformer');
}

type Reference = Extract<InputExpression, { path?: string }>;

/** from/step: the transformers/ builder itself, or around it the default, optional and type filter. */
function reference(e: Reference): Eval {
  const path = e.path ?? '';
  const base = 'step' in e ? fromStep(e.step, path) : e.from === 'last' ? fromLast() : fromInput(path);
  if (e.default === undefined && !e.optional && !e.is) return base;
  const where = 'step' in e ? `output of step "${e.step}"` : e.from === 'last' ? 'last output' : 'run input';
  return (ctx, step) => {
    let value: Json;
    try {
      value = base(ctx, step);
    } catch (err) {
      if (!(err instanceof MissingDataError)) throw err;
      return fallback(e, err);
    }
    if (e.is && kindOf(value) !== e.is) return fallback(e, new MissingDataError(where, path, `${where} at ${path || '(whole)'} is ${kindOf(value)}, not ${e.is}`));
    return value;
  };
}

function fallback(e: { default?: unknown; optional?: boolean }, err: Error): Value {
  if (e.default !== undefined) return e.default as Json;
  if (e.optional) return OMIT;
  throw err;
}

function kindOf(v: Json): JsonKind {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as JsonKind);
}

function objectOf(parts: readonly (readonly [string, Eval])[]): Eval {
  return (ctx, step) => {
    const out: JsonObject = {};
    for (const [key, part] of parts) {
      let value: Value;
      try {
        value = part(ctx, step);
      } catch (err) {
        throw prefixed(`object key ${key}`, err);
      }
      if (value !== OMIT) out[key] = value;
    }
    return out;
  };
}

function mergeOf(parts: readonly Eval[]): Eval {
  return (ctx, step) => {
    const out: JsonObject = {};
    parts.forEach((part, i) => {
      const value = part(ctx, step);
      if (value === OMIT) return;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`merge: item ${i + 1} is ${kindOf(value)}, not an object`);
      Object.assign(out, value);
    });
    return out;
  };
}

function firstOf(parts: readonly Eval[], e: { default?: unknown; optional?: boolean }): Eval {
  return (ctx, step) => {
    const why: string[] = [];
    for (const part of parts) {
      try {
        const value = part(ctx, step);
        if (value !== OMIT) return value;
      } catch (err) {
        if (!(err instanceof MissingDataError)) throw err;
        why.push(err.message);
      }
    }
    return fallback(e, new MissingDataError('first', '', `none of the ${parts.length} alternatives is there (${why.join('; ')})`));
  };
}

function dirnameOf(part: Eval): Eval {
  return (ctx, step) => {
    const value = part(ctx, step);
    if (value === OMIT) return OMIT;
    if (typeof value !== 'string') throw new Error(`dirname needs a string, got ${kindOf(value)}`);
    return dirname(value);
  };
}

function prefixed(where: string, err: unknown): Error {
  if (err instanceof MissingDataError) return new MissingDataError(err.source, err.path, `${where}: ${err.message}`);
  return new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function conditionOf(c: Condition, code: CodePlaceholder): (args: { output: any; ctx: RunContext }) => boolean {
  if ('all' in c) {
    const parts = c.all.map((x) => conditionOf(x, code));
    return (a) => parts.every((p) => p(a));
  }
  if ('any' in c) {
    const parts = c.any.map((x) => conditionOf(x, code));
    return (a) => parts.some((p) => p(a));
  }
  if ('not' in c) {
    const inner = conditionOf(c.not, code);
    return (a) => !inner(a);
  }
  if ('code' in c) return code(c.code, 'condition');
  const segments = parsePath(c.field);
  const read = fieldReader(segments);
  return (a) => {
    const value = read(a);
    if (c.exists !== undefined && (value !== undefined) !== c.exists) return false;
    if (c.equals !== undefined && !isDeepStrictEqual(value, c.equals)) return false;
    if (c.notEquals !== undefined && isDeepStrictEqual(value, c.notEquals)) return false;
    return true;
  };
}

/** output.x, input.x, shared.x, steps.<id>.x; a missing value reads as undefined. */
function fieldReader(segments: PathSegment[]): (a: { output: any; ctx: RunContext }) => Json | undefined {
  const [root, ...rest] = segments;
  const baseOf = (a: { output: any; ctx: RunContext }): Json => {
    if (root === 'output') return a.output as Json;
    if (root === 'input') return a.ctx.input;
    if (root === 'shared') return a.ctx.shared as Json;
    return stepOutput(a.ctx, String(rest[0]));
  };
  const path = root === 'steps' ? rest.slice(1) : rest;
  return (a) => {
    try {
      return getPath(baseOf(a), path, String(root));
    } catch (err) {
      if (err instanceof MissingDataError) return undefined;
      throw err;
    }
  };
}
