import { described } from './describe.ts';
import { stepOutput, stepSource } from './input.ts';
import { getPath, parsePath } from './path.ts';
import type { InputTransformer, Json } from './types.ts';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * A prompt string with `{{input.x}}`, `{{steps.<id>.x}}` and `{{shared.x}}` filled in.
 * Strings are inserted as they are, other JSON as `JSON.stringify`. A placeholder whose
 * path is missing is an error naming the placeholder: an empty string would slip an
 * incomplete prompt past every check. Given an object of templates, it fills each one and
 * returns an object with the same keys, for workers whose input is an object of strings.
 *
 * @example
 * template('Write about {{input.topic}} using: {{steps.research.notes}}');
 * template({ prompt: 'Write about {{input.topic}}' }); // input { prompt: 'Write about tides' }
 */
export function template(text: string): InputTransformer<string>;
export function template<K extends string>(fields: Readonly<Record<K, string>>): InputTransformer<Record<K, string>>;
export function template(spec: string | Readonly<Record<string, string>>): InputTransformer<string | Record<string, string>> {
  if (typeof spec === 'string') return described(fill(spec), { kind: 'template', spec });
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw new Error('template: expected a string or an object of strings');
  const fields = Object.entries(spec).map(([key, text]) => {
    if (typeof text !== 'string') throw new Error(`template: field ${JSON.stringify(key)} must be a string`);
    return [key, fill(text)] as const;
  });
  const fn: InputTransformer<Record<string, string>> = (ctx, step) => Object.fromEntries(fields.map(([key, f]) => [key, f(ctx, step)]));
  return described(fn, { kind: 'template', spec: { ...spec } });
}

/** One template string compiled into a transformer: placeholders parsed once, filled per call. */
function fill(text: string): InputTransformer<string> {
  const parts = text.split(PLACEHOLDER); // odd indexes are placeholder bodies
  const holes = parts.map((body, i) => {
    if (i % 2 === 0) return null;
    let segments;
    try {
      segments = parsePath(body);
    } catch (e) {
      throw new Error(`template: {{${body}}}: ${(e as Error).message}`);
    }
    const [root, ...rest] = segments;
    if (root === 'input' || root === 'shared') return { body, root, id: '', path: rest };
    if (root === 'steps' && typeof rest[0] === 'string') return { body, root, id: rest[0], path: rest.slice(1) };
    throw new Error(`template: {{${body}}} must start with input, steps.<id> or shared`);
  });
  return (ctx) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const hole = holes[i];
      if (!hole) {
        out += parts[i];
        continue;
      }
      let value: Json;
      try {
        const base = hole.root === 'input' ? ctx.input : hole.root === 'shared' ? ctx.shared : stepOutput(ctx, hole.id);
        const source = hole.root === 'input' ? 'run input' : hole.root === 'shared' ? 'shared' : stepSource(hole.id);
        value = getPath(base, hole.path, source);
      } catch (e) {
        throw new Error(`template placeholder {{${hole.body}}}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      out += typeof value === 'string' ? value : JSON.stringify(value);
    }
    return out;
  };
}
