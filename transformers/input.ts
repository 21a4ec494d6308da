import { applyInput } from './apply.ts';
import { described } from './describe.ts';
import { MissingDataError, formatPath, getPath, parsePath } from './path.ts';
import type { InputTransformer, Json, JsonObject, RunContext, StepInfo } from './types.ts';

/**
 * Input transformers: how a step's worker input is computed from the run's context.
 * Each builder checks its arguments when called (definition time) and returns a pure
 * function that only reads `ctx`; a missing step output or path throws a
 * `MissingDataError` naming the step and the path, which `applyInput` prefixes with
 * the id of the step being fed.
 */

/** How errors name a step's output. */
export const stepSource = (id: string) => `output of step "${id}"`;

/**
 * The stored output of step `id`, or a `MissingDataError` listing which steps have one.
 *
 * @example
 * stepOutput(ctx, 'research'); // ctx.outputs.research
 */
export function stepOutput(ctx: RunContext, id: string): Json {
  if (Object.hasOwn(ctx.outputs, id)) return ctx.outputs[id];
  const have = Object.keys(ctx.outputs);
  const list = have.length ? have.slice(0, 10).map((s) => `"${s}"`).join(', ') + (have.length > 10 ? ', ...' : '') : 'none';
  throw new MissingDataError(stepSource(id), '', `step "${id}" has no output yet (steps with an output: ${list})`);
}

function objectOutputOf(ctx: RunContext, id: string, what: string): JsonObject {
  const out = stepOutput(ctx, id);
  if (out === null || typeof out !== 'object' || Array.isArray(out)) {
    throw new MissingDataError(stepSource(id), '', `${what} needs the output of step "${id}" to be an object, got ${Array.isArray(out) ? 'an array' : JSON.stringify(out)}`);
  }
  return out;
}

/**
 * The run's input, or the part of it at `path`.
 *
 * @example
 * fromInput('brief.topic'); // ctx.input.brief.topic
 */
export function fromInput(path = ''): InputTransformer<Json> {
  const segments = parsePath(path);
  return described((ctx) => getPath(ctx.input, segments, 'run input'), { kind: 'fromInput', path });
}

/**
 * The output of step `stepId`, or the part of it at `path`.
 *
 * @example
 * fromStep('coder', 'files[0].name');
 */
export function fromStep(stepId: string, path = ''): InputTransformer<Json> {
  const segments = parsePath(path);
  return described((ctx) => getPath(stepOutput(ctx, stepId), segments, stepSource(stepId)), { kind: 'fromStep', step: stepId, path });
}

/**
 * The output of the step that succeeded most recently (`ctx.last`): the graph form's
 * natural hand-off.
 *
 * @example
 * { id: 'review', worker: reviewer, input: fromLast() }
 */
export function fromLast(): InputTransformer<Json> {
  const fn: InputTransformer<Json> = (ctx) => {
    if (ctx.last === undefined) throw new MissingDataError('last output', '', 'no step has succeeded yet, so there is no last output');
    return stepOutput(ctx, ctx.last);
  };
  return described(fn, { kind: 'fromLast' });
}

/**
 * An object with only `fields` (top-level keys, taken literally) of step `stepId`'s output.
 *
 * @example
 * pick('research', ['title', 'notes']); // { title, notes }
 */
export function pick(stepId: string, fields: readonly string[]): InputTransformer<JsonObject> {
  const keys = [...fields];
  return described((ctx: RunContext) => {
    const out = objectOutputOf(ctx, stepId, 'pick');
    const result: JsonObject = {};
    for (const key of keys) result[key] = getPath(out, [key], stepSource(stepId));
    return result;
  }, { kind: 'pick', step: stepId, fields: [...keys] });
}

/**
 * Step `stepId`'s output with some keys renamed (`{ from: to }`); other keys are kept.
 * A rename onto a key that is still there is an error rather than a silent overwrite.
 *
 * @example
 * rename('research', { notes: 'context' }); // { title, context }
 */
export function rename(stepId: string, mapping: Readonly<Record<string, string>>): InputTransformer<JsonObject> {
  const pairs = Object.entries(mapping);
  const targets = new Set(pairs.map(([, to]) => to));
  if (targets.size !== pairs.length) throw new Error(`rename("${stepId}"): two keys are renamed to the same name`);
  return described((ctx: RunContext) => {
    const out = objectOutputOf(ctx, stepId, 'rename');
    const result: JsonObject = { ...out };
    for (const [from] of pairs) {
      getPath(out, [from], stepSource(stepId)); // throws naming the step and key if absent
      delete result[from];
    }
    for (const [from, to] of pairs) {
      if (Object.hasOwn(result, to)) throw new Error(`rename("${stepId}"): renaming ${from} to ${to} would overwrite the existing key ${to}`);
      result[to] = out[from];
    }
    return result;
  }, { kind: 'rename', step: stepId, mapping: Object.fromEntries(pairs) });
}

/**
 * DAG form's default: no dependencies -> the run input; one -> that step's output;
 * several -> `{ [depId]: output }`. Keyed by step id rather than shallow-merged because
 * two dependencies that both return e.g. `{ text }` would silently clobber each other,
 * and which one won would depend on declaration order.
 *
 * @example
 * // step 'write' dependsOn ['research', 'outline']
 * mergeDeps(); // { research: {...}, outline: {...} }
 */
export function mergeDeps(): InputTransformer<Json> {
  return described((ctx: RunContext, step: StepInfo) => {
    const deps = step.dependsOn;
    if (deps.length === 0) return ctx.input;
    if (deps.length === 1) return stepOutput(ctx, deps[0]);
    const result: JsonObject = {};
    for (const id of deps) result[id] = stepOutput(ctx, id);
    return result;
  }, { kind: 'mergeDeps' });
}

/**
 * An object whose every key is computed by its own transformer.
 *
 * @example
 * combine({ topic: fromInput('topic'), notes: fromStep('research', 'notes') });
 */
export function combine(parts: Readonly<Record<string, InputTransformer>>): InputTransformer<JsonObject> {
  const entries = Object.entries(parts);
  for (const [key, t] of entries) if (typeof t !== 'function') throw new Error(`combine: ${key} is not a transformer`);
  return described((ctx: RunContext, step: StepInfo) => {
    const result: JsonObject = {};
    for (const [key, t] of entries) {
      try {
        result[key] = t(ctx, step) as Json;
      } catch (e) {
        throw new Error(`combine ${formatPath([key])}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
    return result;
  }, { kind: 'combine', parts: Object.fromEntries(entries) });
}

/**
 * Wraps a user function; its result is checked to be JSON and any failure is a
 * `TransformError` naming the step, even when called outside the hub.
 *
 * @example
 * custom((ctx) => ({ words: String(ctx.outputs.draft).split(' ').length }));
 */
export function custom<I extends Json>(fn: (ctx: RunContext, step: StepInfo) => I): InputTransformer<I> {
  if (typeof fn !== 'function') throw new Error('custom: expected a function');
  const wrapped: InputTransformer<I> = (ctx, step) => applyInput(fn, ctx, step);
  return described(wrapped, { kind: 'custom', fn });
}
