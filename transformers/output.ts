import { described } from './describe.ts';
import { formatPath } from './path.ts';
import type { Json, JsonObject, OutputTransformer, RunContext, StepInfo } from './types.ts';

/**
 * Output transformers: how a step's output is folded into `shared`. They receive an
 * immer draft (see `applyOutput`), so plain mutation is safe and the previous state is
 * never touched. Every key is a top-level key of `shared`, taken literally.
 */

type OutputCtx = RunContext & { readonly step: StepInfo };

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  const text = v === undefined ? 'undefined' : JSON.stringify(v) ?? typeof v;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Stores the whole output under `shared[key]`, replacing what was there.
 *
 * @example
 * toShared('plan'); // shared.plan = output
 */
export function toShared(key: string): OutputTransformer<Json> {
  const fn: OutputTransformer<Json> = (draft, output) => {
    draft[key] = output;
  };
  return described(fn, { kind: 'toShared', key });
}

/**
 * Copies the output's top-level fields (all, or only `fields`) into `shared`, reducer
 * style: a field overwrites the key of the same name. A listed field the output lacks
 * is an error, not a silent skip.
 *
 * @example
 * mergeIntoShared(['title', 'summary']);
 */
export function mergeIntoShared(fields?: readonly string[]): OutputTransformer<Json> {
  const only = fields ? [...fields] : undefined;
  const fn: OutputTransformer<Json> = (draft, output, ctx) => {
    if (!isPlainObject(output)) throw new Error(`mergeIntoShared needs the output of step "${ctx.step.id}" to be an object, got ${describe(output)}`);
    for (const key of only ?? Object.keys(output)) {
      if (!Object.hasOwn(output, key)) throw new Error(`mergeIntoShared: output of step "${ctx.step.id}" has no field ${key}`);
      draft[key] = output[key];
    }
  };
  return described(fn, only ? { kind: 'mergeIntoShared', fields: [...only] } : { kind: 'mergeIntoShared' });
}

/**
 * Pushes the output onto the array `shared[key]`, creating it on first use: collects
 * the results of a loop or of parallel branches.
 *
 * @example
 * appendTo('drafts'); // shared.drafts = [...shared.drafts, output]
 */
export function appendTo(key: string): OutputTransformer<Json> {
  const fn: OutputTransformer<Json> = (draft, output) => {
    const list = Object.hasOwn(draft, key) ? draft[key] : (draft[key] = []);
    if (!Array.isArray(list)) throw new Error(`appendTo: ${formatPath([key], 'shared')} is ${describe(list)}, not an array`);
    list.push(output);
  };
  return described(fn, { kind: 'appendTo', key });
}

/**
 * Wraps a user function that mutates the draft or returns a replacement object; any
 * other return value is an error naming the step.
 *
 * @example
 * custom((shared, out: { score: number }) => { shared.best = Math.max(Number(shared.best ?? 0), out.score); });
 */
export function custom<O = Json>(fn: (shared: JsonObject, output: O, ctx: OutputCtx) => void | JsonObject): OutputTransformer<O> {
  if (typeof fn !== 'function') throw new Error('custom: expected a function');
  const wrapped: OutputTransformer<O> = (draft, output, ctx) => {
    const result = fn(draft, output, ctx);
    if (result !== undefined && !isPlainObject(result)) {
      throw new Error(`custom output transformer of step "${ctx.step.id}" must return nothing or a plain object, got ${describe(result)}`);
    }
    return result;
  };
  return described(wrapped, { kind: 'custom', fn: fn as (...args: any[]) => unknown });
}
