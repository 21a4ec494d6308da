/**
 * A value as one line of JSON, cut to `max` characters: for error messages and CLI previews.
 *
 * @example
 * preview({ a: 'x'.repeat(500) }, 20) // '{"a":"xxxxxxxxxxx...'
 */
export function preview(value: unknown, max = 80): string {
  let s: string;
  try {
    s = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
