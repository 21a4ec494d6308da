import { stepOutput, stepSource } from './input.ts';
import { getPath, parsePath } from './path.ts';
import type { InputTransformer, Json } from './types.ts';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * A prompt string with `{{input.x}}`, `{{steps.<id>.x}}` and `{{shared.x}}` filled in.
 * Strings are inserted as they are, other JSON as `JSON.stringify`. A placeholder whose
 * path is missing is an error naming the placeholder: an empty string would slip an
 * incomplete prompt past every check.
 *
 * @example
 * template('Write about {{input.topic}} using: {{steps.research.notes}}');
 */
export function template(text: string): InputTransformer<string> {
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
