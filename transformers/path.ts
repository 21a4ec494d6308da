import type { Json } from './types.ts';

/**
 * Paths into JSON values. One syntax is used both ways: what `NotJsonError` and
 * `MissingDataError` print (`files[2].size`, `meta["content-type"]`) is exactly what
 * `parsePath` accepts, so a path copied from an error message can be pasted back.
 */
export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][\w$-]*$/;
const TOKEN = /\.([^.[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|^([^.[\]"]+)/y;

/**
 * Parses `a.b[0]["odd.key"]` into `['a', 'b', 0, 'odd.key']`. `''` is the whole value.
 * Parsed once when a transformer is built, so a malformed path fails at definition time.
 *
 * @example
 * parsePath('files[2].size'); // ['files', 2, 'size']
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < path.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(path);
    if (!m || (at === 0 && m[1] !== undefined)) {
      throw new Error(`bad path ${JSON.stringify(path)} at character ${at + 1}: use a.b, a[0] or a["key with . or ["]`);
    }
    if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
    else segments.push((m[1] ?? m[4]) as string);
  }
  return segments;
}

/**
 * The printable form of a path, optionally after a root label.
 *
 * @example
 * formatPath(['files', 2, 'size'], 'outputs.coder'); // 'outputs.coder.files[2].size'
 */
export function formatPath(segments: readonly PathSegment[], root = ''): string {
  let out = root;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** A step output, input or shared path that is not there. Thrown by input transformers. */
export class MissingDataError extends Error {
  override name = 'MissingDataError';
  constructor(
    /** What was being read, e.g. `output of step "coder"`. */
    readonly source: string,
    /** The full path asked for. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function kind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/**
 * Reads `segments` from `value`, throwing a `MissingDataError` that names `source`, the
 * full path and the first segment that failed. Only own properties count, so
 * `constructor` or `__proto__` never leak in from the prototype.
 *
 * @example
 * getPath({ a: [1, 2] }, ['a', 1], 'run input'); // 2
 */
export function getPath(value: Json, segments: readonly PathSegment[], source: string): Json {
  let cur = value;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    let next: Json | undefined;
    if (Array.isArray(cur)) {
      const idx = typeof seg === 'number' ? seg : /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : -1;
      if (idx >= 0 && idx < cur.length) next = cur[idx];
      else {
        const why = idx < 0 ? `${formatPath(segments.slice(0, i)) || 'it'} is an array, not an object` : `${formatPath(segments.slice(0, i)) || 'it'} has ${cur.length} items`;
        throw missing(source, segments, why);
      }
    } else if (cur !== null && typeof cur === 'object') {
      const key = String(seg);
      if (Object.hasOwn(cur, key)) next = cur[key];
      else throw missing(source, segments, `${formatPath(segments.slice(0, i)) || 'it'} has no key ${JSON.stringify(key)} (keys: ${keyList(cur)})`);
    } else {
      throw missing(source, segments, `${formatPath(segments.slice(0, i)) || 'it'} is ${kind(cur)}`);
    }
    cur = next as Json;
  }
  return cur;
}

function keyList(obj: object): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return 'none';
  return keys.slice(0, 10).map((k) => JSON.stringify(k)).join(', ') + (keys.length > 10 ? ', ...' : '');
}

function missing(source: string, segments: readonly PathSegment[], why: string): MissingDataError {
  const path = formatPath(segments);
  return new MissingDataError(source, path, `${source} has no ${path}: ${why}`);
}
