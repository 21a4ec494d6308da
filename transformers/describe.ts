import type { Json } from './types.ts';

/**
 * What a built transformer is, as data: the builder's name and its arguments. Workflow files
 * (machines/yaml) read it to write a workflow back out as YAML. It is attached to the function as
 * a non-enumerable symbol-keyed property, so the function's behaviour and its source text (which
 * the workflow hash reads) are exactly what they were without it. `custom` transformers carry no
 * description: user code cannot be written as data.
 */
export type TransformerDescription =
  | { kind: 'fromInput'; path: string }
  | { kind: 'fromStep'; step: string; path: string }
  | { kind: 'fromLast' }
  | { kind: 'pick'; step: string; fields: readonly string[] }
  | { kind: 'rename'; step: string; mapping: Readonly<Record<string, string>> }
  | { kind: 'mergeDeps' }
  | { kind: 'combine'; parts: Readonly<Record<string, unknown>> }
  | { kind: 'template'; spec: string | Readonly<Record<string, string>> }
  | { kind: 'toShared'; key: string }
  | { kind: 'mergeIntoShared'; fields?: readonly string[] }
  | { kind: 'appendTo'; key: string }
  /** `custom`: the user's own function, whose source is all that can be shown of it. */
  | { kind: 'custom'; fn: (...args: any[]) => unknown }
  /** Anything else that can describe itself as data, e.g. a workflow file's own expressions. */
  | { kind: 'expression'; expression: Json };

const DESCRIPTION = Symbol.for('orchestai.transformer.description');

/**
 * Attaches `description` to `fn` (non-enumerable, frozen) and returns `fn`.
 *
 * @example
 * const t = described((ctx) => ctx.input, { kind: 'fromInput', path: '' });
 */
export function described<F extends (...args: any[]) => any>(fn: F, description: TransformerDescription): F {
  Object.defineProperty(fn, DESCRIPTION, { value: Object.freeze(description), enumerable: false });
  return fn;
}

/**
 * The description a transformer was built with, or undefined (a `custom` one, or plain code).
 *
 * @example
 * describeTransformer(fromStep('coder', 'files')) // { kind: 'fromStep', step: 'coder', path: 'files' }
 */
export function describeTransformer(fn: unknown): TransformerDescription | undefined {
  return typeof fn === 'function' ? ((fn as unknown as Record<symbol, TransformerDescription>)[DESCRIPTION] ?? undefined) : undefined;
}
