import type { z } from 'zod';

/**
 * Reading JSON out of a model's reply. Even with a JSON response format, models (and the
 * servers in front of them) wrap JSON in Markdown fences or prose often enough to be worth undoing.
 */

/**
 * The JSON value in a reply: the whole reply, else the first fenced block, else the outermost
 * `{...}`; undefined when none of them parses.
 *
 * @example
 * findJson('Here:\n```json\n{"a":1}\n```') // { a: 1 }
 */
export function findJson(text: string): { value: unknown } | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const braced = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  for (const candidate of [text, fenced, braced]) {
    if (!candidate || !candidate.trim()) continue;
    try {
      return { value: JSON.parse(candidate) };
    } catch {
      /* try the next shape */
    }
  }
  return undefined;
}

/**
 * `path: message` lines for every zod issue (`(root)` for the value itself).
 *
 * @example
 * zodProblems(z.object({ a: z.string() }).safeParse({}).error!) // ['a: Invalid input: expected string, received undefined']
 */
export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `${path || '(root)'}: ${i.message}`;
  });
}
