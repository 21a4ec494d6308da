import { preview as previewJson } from '../util/preview.ts';
import { parseJsonText } from '../../planner/data/json-file.ts';

/** Small text helpers for CLI output. */

/**
 * A plain text table with left-aligned columns.
 *
 * @example
 * table([['a', 'b'], ['1', '2']]) // 'a  b\n1  2'
 */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/**
 * A one-line JSON preview, wider by default for the terminal.
 *
 * @example
 * preview({ ok: true }) // '{"ok":true}'
 */
export const preview = (value: unknown, max = 160): string => previewJson(value, max);

/**
 * Milliseconds as a short human duration.
 *
 * @example
 * ms(1500) // '1.5s'
 */
export function ms(n: number | undefined): string {
  if (n === undefined) return '-';
  if (n < 1000) return `${Math.round(n)}ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(1)}s`;
  return `${Math.floor(n / 60_000)}m${Math.round((n % 60_000) / 1000)}s`;
}

/**
 * Parses `--input`: inline JSON, `@file` holding JSON, or the path of an existing file, which
 * becomes `{ "path": <path> }` (so `--input fixtures/papers/x.md` feeds a workflow that reads a
 * file). Errors name the flag or the file.
 *
 * @example
 * parseInputArg('{"n":1}', { readFile, exists }) // { n: 1 }
 */
export function parseInputArg(arg: string | undefined, fsx: { readFile: (p: string) => string; exists: (p: string) => boolean }): unknown {
  if (arg === undefined) return undefined;
  if (!arg.startsWith('@') && !/^\s*[[{"]/.test(arg) && fsx.exists(arg)) return { path: arg };
  const text = arg.startsWith('@') ? fsx.readFile(arg.slice(1)) : arg;
  try {
    return parseJsonText(text);
  } catch (e) {
    const where = arg.startsWith('@') ? `file ${arg.slice(1)}` : '--input';
    throw new Error(`${where} is not valid JSON (${(e as Error).message}); give JSON, @file.json, or the path of an existing file`);
  }
}
