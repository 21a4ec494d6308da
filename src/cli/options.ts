import { CliError } from './command.ts';

/**
 * Typed option parsers for every CLI command: each turns the text after a flag into a value or
 * throws a one-line `CliError` naming the flag and the text, e.g.
 * `--limit must be a positive integer, got "abc"`. A command declares them in its `options`
 * (see command.ts); main.ts hands them to commander, which calls them while parsing, so a bad
 * value stops the command before it does anything.
 */

/** Turns an option's text into its value; throws a `CliError` naming `flag` and the text. */
export interface Parser<T> {
  (raw: string, flag: string): T;
  /** What the value must be, for help and errors: `a positive integer`, `json, mermaid or svg`. */
  readonly expects: string;
  /** The value's placeholder in usage lines: `n` for `--limit <n>`. */
  readonly placeholder: string;
}

function parser<T>(placeholder: string, expects: string, fn: (raw: string, flag: string) => T): Parser<T> {
  return Object.assign(fn, { expects, placeholder });
}

const got = (raw: string) => `got ${JSON.stringify(raw)}`;

/**
 * An integer in [min, max] (from 0 and up to Number.MAX_SAFE_INTEGER by default). Only digits
 * with an optional sign: `1e3`, `0x10`, `1.5` and `` are refused.
 *
 * @example
 * integer({ min: 0, max: 65535 })('8080', '--port') // 8080
 * integer({ min: 1 })('-3', '--until') // throws: --until must be a positive integer (1 or more), got "-3"
 */
export function integer({ min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): Parser<number> {
  const unbounded = max === Number.MAX_SAFE_INTEGER;
  const kind = unbounded && min === 1 ? 'a positive integer' : unbounded && min === 0 ? 'a non-negative integer' : unbounded ? `an integer, ${min} or more` : `an integer from ${min} to ${max}`;
  // The range, said again when the value is a number outside it (`positive` alone may not say that 0 is out).
  const range = unbounded ? (min === 0 || min === 1 ? ` (${min} or more)` : '') : '';
  return parser('n', kind, (raw, flag) => {
    if (!/^[+-]?\d+$/.test(raw)) throw new CliError(`${flag} must be ${kind}, ${got(raw)}`);
    const n = Number(raw);
    if (n < min) throw new CliError(`${flag} must be ${kind}${range}, ${got(raw)}`);
    if (n > max) throw new CliError(`${flag} must be ${kind}${unbounded ? ` (at most ${max})` : ''}, ${got(raw)}`);
    return n === 0 ? 0 : n; // not -0
  });
}

/** 1, 2, 3, ...: counts and sizes (`--limit`, `--concurrency`, `--epochs`, `--until`). */
export const positiveInt = integer({ min: 1 });
/** 0, 1, 2, ...: offsets and seeds. */
export const nonNegativeInt = integer({ min: 0 });
/** A TCP port, 0 meaning any free one. */
export const port = integer({ min: 0, max: 65535 });

/**
 * One of a fixed set of words.
 *
 * @example
 * oneOf('json', 'mermaid')('svg', '--export') // throws: --export must be json or mermaid, got "svg"
 */
export function oneOf<const T extends string>(...choices: T[]): Parser<T> {
  const list = choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return parser(choices.join('|'), list, (raw, flag) => {
    if (!(choices as string[]).includes(raw)) throw new CliError(`${flag} must be ${list}, ${got(raw)}`);
    return raw as T;
  });
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A duration such as `30d`, `12h`, `90m`, `45s`, `500ms`, `2w` or `1h30m`, in milliseconds;
 * undefined when the text is not one (a bare number has no unit, so it is not one either).
 *
 * @example
 * parseDuration('1h30m') // 5400000
 * parseDuration('30') // undefined
 */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(n) * UNIT_MS[unit];
  return Number.isSafeInteger(Math.round(total)) ? Math.round(total) : undefined;
}

const DURATION_EXPECTS = 'a duration like 30d, 12h, 90m, 45s or 500ms';

/**
 * `--older-than 30d`: a duration in milliseconds.
 *
 * @example
 * duration('12h', '--older-than') // 43200000
 */
export const duration: Parser<number> = parser('duration', DURATION_EXPECTS, (raw, flag) => {
  const ms = parseDuration(raw);
  if (ms === undefined) throw new CliError(`${flag} must be ${DURATION_EXPECTS}, ${got(raw)}`);
  return ms;
});

const DATE_EXPECTS = 'a date (2025-01-31), a date-time (2025-01-31T14:00, 2025-01-31T14:00:00Z) or a duration meaning that long ago (7d, 12h)';
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time: an ISO date or date-time, or a duration meaning "that long before `now`". As in
 * ISO 8601, a date or date-time without `Z` or an offset is local time (a date is its midnight).
 * Impossible dates (2025-02-30, 25:00) are refused rather than rolled over.
 *
 * @example
 * parseDate('7d', '--since', Date.parse('2025-01-08T00:00:00Z')).toISOString() // '2025-01-01T00:00:00.000Z'
 * parseDate('2025-01-31T14:00Z', '--before') // 2025-01-31T14:00:00.000Z
 */
export function parseDate(raw: string, flag: string, now = Date.now()): Date {
  const ago = parseDuration(raw);
  if (ago !== undefined) return new Date(now - ago);
  const m = ISO.exec(raw);
  const bad = () => new CliError(`${flag} must be ${DATE_EXPECTS}, ${got(raw)}`);
  if (!m) throw bad();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0'))] as const;
  // Round-trip through UTC to catch rolled-over fields (February 30th becomes March 2nd).
  const utc = new Date(Date.UTC(...parts));
  utc.setUTCFullYear(parts[0]); // years 0..99 are not 1900..1999
  if (utc.getUTCFullYear() !== parts[0] || utc.getUTCMonth() !== parts[1] || utc.getUTCDate() !== parts[2] || utc.getUTCHours() !== parts[3] || utc.getUTCMinutes() !== parts[4] || utc.getUTCSeconds() !== parts[5]) throw bad();
  if (zone === undefined) {
    const local = new Date(...parts);
    local.setFullYear(parts[0]);
    return local;
  }
  if (zone === 'Z') return utc;
  const [, sign, oh, om] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(oh) > 23 || Number(om) > 59) throw bad();
  return new Date(utc.getTime() - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000);
}

/**
 * `--since 2025-01-31` or `--since 7d`: a `Date` (see `parseDate`), durations counted back from the
 * moment the command line is parsed.
 */
export const date: Parser<Date> = parser('date', DATE_EXPECTS, (raw, flag) => parseDate(raw, flag));

/** A declared option of a command (the key in `options` is its long name: `limit` for `--limit`). */
export interface OptionSpec<T = unknown> {
  /** One line for `orchestai <cmd> --help`. */
  help: string;
  /**
   * The placeholder of a free-text value (`file` for `--out <file>`); the value is then a string.
   * Without `value` and `parse` the option is a boolean flag.
   */
  value?: string;
  /** Parses and checks the value (`positiveInt`, `integer({ min, max })`, `duration`, `date`, ...). */
  parse?: Parser<T>;
  /**
   * The words the value may be (`['json', 'mermaid', 'svg']`), checked with `oneOf`; the value is
   * typed as their union. (A list here rather than `parse: oneOf(...)`: a generic call there makes
   * TypeScript lose the option types of the whole command.)
   */
  choices?: readonly string[];
  /** The value when the option is not given (shown in help). */
  default?: T;
  /** For help only: what happens without the option when that is decided later than parsing (`no limit`, `4`). */
  defaultText?: string;
  /** A one-letter alias: `y` for `-y`. */
  short?: string;
}

/** A declared positional argument. */
export interface ArgSpec {
  /** As shown in usage lines: `runId`, `runId|file.jsonl`; ending in `...` (`runId...`), it takes the rest of the arguments. */
  name: string;
  help: string;
  /** Required unless false; commander refuses a command line without it. */
  required?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec<any>>;

type Value<S> = S extends { choices: readonly (infer C)[] } ? C : S extends { parse: Parser<infer T> } ? T : S extends { value: string } ? string : boolean;
type OptionValue<S> = S extends { default: {} } ? Value<S> : Value<S> | undefined;

/** The `values` a command's `run` receives: each declared option by its long name, typed by its parser. */
export type OptionValues<O> = { -readonly [K in keyof O]: OptionValue<O[K]> } & { json?: boolean; debug?: boolean };

/** `--json` and `--debug`, which every command takes. */
export const COMMON_OPTIONS = {
  json: { help: 'print machine-readable JSON' },
  debug: { help: 'print the stack trace of an error' },
} satisfies OptionSpecs;

/**
 * The help text of an option: its own line plus what the value must be and its default.
 *
 * @example
 * optionHelp({ help: 'runs per page', parse: positiveInt, default: 20 }) // 'runs per page (a positive integer; default 20)'
 */
export function optionHelp(spec: OptionSpec<any>): string {
  const shown = spec.default !== undefined ? (typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default)) : spec.defaultText;
  const notes = [spec.choices ? undefined : parserOf(spec)?.expects, shown !== undefined ? `default ${shown}` : undefined].filter(Boolean);
  return notes.length ? `${spec.help} (${notes.join('; ')})` : spec.help;
}

/** `--limit <n>`, `-y, --yes`: the flags of an option as commander reads them. */
export function optionFlags(name: string, spec: OptionSpec<any>): string {
  const placeholder = spec.value ?? parserOf(spec)?.placeholder;
  return `${spec.short ? `-${spec.short}, ` : ''}--${name}${placeholder ? ` <${placeholder}>` : ''}`;
}

/** The parser of a declared option: its `parse`, or `oneOf` its `choices`; none for free text and flags. */
export function parserOf(spec: OptionSpec<any>): Parser<unknown> | undefined {
  return spec.choices ? oneOf(...spec.choices) : spec.parse;
}
