import { formatPath, type PathSegment } from './path.ts';
import type { Json } from './types.ts';

/** A value that would not survive `JSON.stringify` → `JSON.parse` unchanged. */
export class NotJsonError extends Error {
  override name = 'NotJsonError';
  constructor(
    /** Where the bad part sits, starting at `where`: `outputs.coder.files[2].size`. */
    readonly path: string,
    /** The label of the checked value, as given to `assertJson`. */
    readonly where: string,
    /** What the bad part is: `undefined`, `a Date (...)`, `a circular reference`... */
    readonly reason: string,
  ) {
    super(`${path} is ${reason}, which is not JSON`);
  }
}

interface Failure {
  reason: string;
  /** Filled in on the way back up, so paths cost nothing when the value is fine. */
  reversed: PathSegment[];
}

const fail = (reason: string): Failure => ({ reason, reversed: [] });

const HINTS: Record<string, string> = {
  Date: 'a Date (store date.toISOString())',
  Map: 'a Map (use a plain object)',
  Set: 'a Set (use an array)',
};

function describeObject(proto: object): string {
  const name = (proto as { constructor?: { name?: string } }).constructor?.name;
  return (name && Object.hasOwn(HINTS, name) ? HINTS[name] : undefined) ?? `an instance of ${name || 'an unnamed class'} (only plain objects are JSON)`;
}

/**
 * Plain recursion: one visit per node, no allocation unless something is wrong.
 * `ancestors` holds the objects on the current branch only, so a value shared by two
 * branches is fine (JSON just repeats it) while a real cycle is caught. `prev` is the
 * same place in a value already known to be JSON: an object identical to it is skipped.
 */
function check(v: unknown, ancestors: Set<object>, prev: unknown): Failure | null {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(v) ? null : fail(String(v));
    case 'undefined':
      return fail('undefined');
    case 'function':
      return fail('a function');
    case 'symbol':
      return fail('a symbol');
    case 'bigint':
      return fail('a bigint');
  }
  if (v === null) return null;
  const obj = v as object;
  if (obj === prev) return null;
  if (ancestors.has(obj)) return fail('a circular reference');
  if (Array.isArray(obj)) {
    ancestors.add(obj);
    const before = Array.isArray(prev) ? prev : undefined;
    for (let i = 0; i < obj.length; i++) {
      const f = check(obj[i], ancestors, before?.[i]);
      if (f) return f.reversed.push(i), f;
    }
    ancestors.delete(obj);
    return null;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return fail(describeObject(proto));
  ancestors.add(obj);
  const before = prev !== null && typeof prev === 'object' && !Array.isArray(prev) ? (prev as Record<string, unknown>) : undefined;
  for (const key of Object.keys(obj)) {
    const f = check((obj as Record<string, unknown>)[key], ancestors, before && Object.hasOwn(before, key) ? before[key] : undefined);
    if (f) return f.reversed.push(key), f;
  }
  ancestors.delete(obj);
  return null;
}

function run(value: unknown, previous?: Json): Failure | null {
  try {
    return check(value, new Set(), previous);
  } catch (e) {
    // Only a pathological nesting depth overflows the stack; report it rather than crash.
    if (e instanceof RangeError) return fail('nested too deeply');
    throw e;
  }
}

/**
 * Throws a `NotJsonError` naming the first part of `value` that is not JSON: undefined,
 * functions, symbols, bigints, NaN/Infinity, Dates, Maps, Sets, class instances, cycles.
 * `where` labels the value and starts the error's path.
 *
 * @example
 * assertJson({ files: [{ size: 1n }] }, 'outputs.coder');
 * // NotJsonError: outputs.coder.files[0].size is a bigint, which is not JSON
 */
export function assertJson(value: unknown, where: string): asserts value is Json {
  const f = run(value);
  if (f) throw new NotJsonError(formatPath(f.reversed.reverse(), where), where, f.reason);
}

/**
 * `assertJson` for a new version of a value: parts that are the very same objects as in
 * `previous` (immer's structural sharing) are not walked again, so folding an output
 * into a large `shared` costs what changed, not the size of `shared`. `previous` must be
 * JSON and frozen, e.g. the result of an earlier `applyOutput`.
 *
 * @example
 * const next = { ...prev, added: new Map() };
 * assertJsonSince(next, prev, 'shared'); // NotJsonError: shared.added is a Map ...
 */
export function assertJsonSince(value: unknown, previous: Json, where: string): asserts value is Json {
  const f = run(value, previous);
  if (f) throw new NotJsonError(formatPath(f.reversed.reverse(), where), where, f.reason);
}

/**
 * True when `value` is JSON (see `assertJson`).
 *
 * @example
 * isJson({ a: [1, 'x', null] }); // true
 * isJson({ at: new Date() });    // false
 */
export function isJson(value: unknown): value is Json {
  return run(value) === null;
}

/**
 * Freezes a JSON value and everything in it, so stored outputs cannot be changed by
 * whoever holds a reference. Already-frozen objects are still walked: a shallow
 * `Object.freeze` by a user must not hide mutable children.
 *
 * @example
 * const out = deepFreeze({ files: [{ name: 'a.ts' }] });
 * Object.isFrozen(out.files[0]); // true
 */
export function deepFreeze<T extends Json>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Array.isArray(value) ? value : Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
