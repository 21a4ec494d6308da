/**
 * Secret scrubbing for text: known secret values and the shapes of common credentials, replaced by
 * `[redacted]`. Pure and dependency-free, so every floor can use it (the LLM clients scrub the
 * error messages they build; the history's redactor in `src/history/redact.ts` builds on it).
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * A credential shape. `prefix`, when given, is matched before `body` and kept verbatim
 * (`Bearer [redacted]`, `?api-key=[redacted]`), so the text still says what was there.
 */
export interface SecretPattern {
  readonly name: string;
  readonly prefix?: string;
  readonly body: string;
  /** Literal texts of which every match contains at least one: long texts without any skip the RegExp. */
  readonly needles?: readonly string[];
}

/**
 * The built-in shapes: OpenAI/Anthropic keys (`sk-...`, `sk-proj-...`, `sk-ant-...`), `Bearer`
 * tokens, AWS access key ids, GitHub tokens, keys and tokens in query strings (`?api-key=`,
 * `&key=`, `?token=`, `?access_token=`) and `api-key:`/`x-api-key:` header lines. Written without
 * flags (case variants spelt out) so they combine into one RegExp with the secret values.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  { name: 'openai-anthropic-key', body: String.raw`\bsk-[A-Za-z0-9_-]{20,}`, needles: ['k-'] },
  { name: 'bearer', prefix: String.raw`\b[Bb]earer\s+`, body: String.raw`[A-Za-z0-9._~+/-]{8,}=*`, needles: ['Bearer', 'bearer'] },
  { name: 'aws-access-key-id', body: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, needles: ['AKIA', 'ASIA'] },
  { name: 'github-token', body: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`, needles: ['_'] },
  {
    name: 'query-key',
    prefix: String.raw`[?&;](?:[Aa][Pp][Ii][-_]?[Kk][Ee][Yy]|[Kk][Ee][Yy]|[Aa]ccess[-_]?[Tt]oken|[Tt]oken)=`,
    body: String.raw`[^&#\s"'<>\[][^&#\s"'<>]*`,
    needles: ['='],
  },
  { name: 'api-key-header', prefix: String.raw`\b(?:[Xx]-)?(?:[Aa]pi|API)-(?:[Kk]ey|KEY):[ \t]*`, body: String.raw`[^\s"',;\[]{8,}`, needles: ['-K', '-k'] },
]);

export interface ScrubberOptions {
  /**
   * Extra shapes: strings (RegExp sources), RegExps, or `SecretPattern`s (which may keep a prefix
   * and name needles, keeping long texts fast; their source must not use ^ or $). A RegExp with
   * flags (other than g, y, d) or backreferences is applied on its own after the combined one.
   */
  patterns?: ReadonlyArray<string | RegExp | SecretPattern>;
  /** Include `SECRET_PATTERNS` (default true). */
  defaultPatterns?: boolean;
}

/** A precompiled scrubber: one RegExp for all values and shapes. */
export interface Scrubber {
  /** True when `text` holds a secret value or a credential shape. Allocates nothing. */
  test(text: string): boolean;
  /** True when any of the first `count` texts would `test` true; long lists are searched as one text. */
  testAny(texts: readonly string[], count?: number): boolean;
  /** `text` with every secret replaced by `[redacted]` (the same string when there is none). */
  scrub(text: string): string;
}

const KEEP = 'oaiKeep';

/**
 * From this length on, a text is not searched with the combined RegExp (whose cost per character
 * grows with its alternatives: about 2.5 ns here with a few values and the built-in shapes) but
 * part by part: the secret values, then each shape, each only when one of its needles is in the
 * text (one `indexOf` per needle, which V8 runs with memchr on the needle's first character). On
 * 10 KB of prose that is about 6x faster. Shorter texts go straight to the combined RegExp, whose
 * fixed cost is lower than a dozen searches.
 */
const PREFILTER_FROM = 256;

/** Letters, space and JSON punctuation, most frequent first: a needle starts at a rarer character. */
const COMMON = ' etaoinsrhldcu"mfpgwyb,.:vk\n-_/';

/** A piece of `value` starting at its rarest character (V8's search scans for a needle's first character), at most 8 long. */
function needleOf(value: string): string {
  let best = 0;
  let bestRank = Infinity;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const r = COMMON.indexOf(c.toLowerCase() === c ? c : '\u0000');
    const rank = r === -1 ? (c >= '0' && c <= '9' ? 1 : 0) : r + 2;
    if (rank < bestRank) {
      bestRank = rank;
      best = i;
      if (rank === 0) break;
    }
  }
  return value.slice(best, best + 8);
}

const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * Compiles a scrubber for these secret values (empty ones are ignored; the URL-encoded form of a
 * value is matched too) and the credential shapes.
 *
 * @example
 * const s = createScrubber([process.env.MY_TOKEN]);
 * s.scrub('401: bad token sk-abcdefghijklmnopqrstuvwx'); // '401: bad token [redacted]'
 */
export function createScrubber(secrets: Iterable<string | null | undefined>, options: ScrubberOptions = {}): Scrubber {
  const values = new Set<string>();
  for (const v of secrets) {
    if (typeof v !== 'string' || v === '') continue;
    values.add(v);
    const encoded = encodeURIComponent(v);
    if (encoded !== v) values.add(encoded);
  }
  const parts: string[] = [];
  const keeps: string[] = [];
  /** For long texts: each part's own RegExp, run only when one of its needles is in the text. */
  let gated: Array<{ needles: string[]; re: RegExp }> | null = [];
  // Longest first, so a value that contains another is replaced whole.
  const sorted = [...values].sort((a, b) => b.length - a.length).map(escapeRegExp);
  if (sorted.length) {
    parts.push(...sorted);
    gated.push({ needles: [...new Set([...values].map(needleOf))], re: new RegExp(sorted.join('|')) });
  }
  const shapes: SecretPattern[] = options.defaultPatterns === false ? [] : [...SECRET_PATTERNS];
  const separate: RegExp[] = [];
  for (const p of options.patterns ?? []) {
    if (typeof p === 'string') {
      if (p) shapes.push({ name: 'option', body: p });
    } else if (!(p instanceof RegExp)) {
      if (p.body) shapes.push(p);
    } else if (/[^gyd]/.test(p.flags) || /\\[1-9]|\\k</.test(p.source)) {
      separate.push(new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
    } else {
      shapes.push({ name: 'option', body: p.source });
    }
  }
  for (const s of shapes) {
    const plain = s.prefix ? `(?:${s.prefix})(?:${s.body})` : `(?:${s.body})`;
    if (s.prefix) {
      const name = `${KEEP}${keeps.length}`;
      keeps.push(name);
      parts.push(`(?<${name}>${s.prefix})(?:${s.body})`);
    } else {
      parts.push(plain);
    }
    if (s.needles?.length && gated) gated.push({ needles: [...s.needles], re: new RegExp(plain) });
    else gated = null; // a shape without needles: long texts take the combined RegExp too
  }
  const source = parts.join('|');
  if (!source && !separate.length) return { test: () => false, testAny: () => false, scrub: (text) => text };
  const tester = source ? new RegExp(source) : null;
  const global = source ? new RegExp(source, 'g') : null;
  const replacer = keeps.length
    ? (match: string, ...args: unknown[]): string => {
        const groups = args[args.length - 1] as Record<string, string | undefined> | undefined;
        if (groups && typeof groups === 'object') {
          for (const k of keeps) if (groups[k] !== undefined) return groups[k] + REDACTED;
        }
        return REDACTED;
      }
    : () => REDACTED;
  const test = (text: string): boolean => {
    if (gated !== null && text.length >= PREFILTER_FROM) {
      for (let i = 0; i < gated.length; i++) {
        const g = gated[i];
        for (let j = 0; j < g.needles.length; j++) {
          if (text.indexOf(g.needles[j]) !== -1) {
            if (g.re.test(text)) return true;
            break;
          }
        }
      }
    } else if (tester !== null && tester.test(text)) return true;
    for (const r of separate) {
      r.lastIndex = 0;
      if (r.test(text)) return true;
    }
    return false;
  };
  // Texts joined by a NUL search as one: whatever matches inside a text matches in the join (the
  // built-in shapes have no anchors, and \b sees NUL as a non-word character, like a text's end);
  // a match across a NUL is a false alarm that only costs the per-text search. Extra patterns may
  // use ^ or $, so with them each text is searched alone.
  const joinable = !options.patterns?.some((p) => typeof p === 'string' || p instanceof RegExp);
  const testAny = (texts: readonly string[], count = texts.length): boolean => {
    if (count === 1) return test(texts[0]);
    if (joinable && count > 1) {
      let total = 0;
      for (let i = 0; i < count; i++) total += texts[i].length;
      if (total >= PREFILTER_FROM) {
        let joined = texts[0];
        for (let i = 1; i < count; i++) joined += '\u0000' + texts[i];
        return test(joined);
      }
    }
    for (let i = 0; i < count; i++) if (test(texts[i])) return true;
    return false;
  };
  const scrub = (text: string): string => {
    if (!test(text)) return text;
    let out = global !== null ? text.replace(global, replacer) : text;
    for (const r of separate) out = out.replace(r, REDACTED);
    return out;
  };
  return { test, testAny, scrub };
}

let defaultScrubber: Scrubber | undefined;

/**
 * `text` with the given secret values and the credential shapes replaced by `[redacted]`. Compiles
 * a scrubber on each call with values (cheap enough for error paths); use `createScrubber` on hot
 * paths.
 *
 * @example
 * scrubText('401 Incorrect API key provided: my-key-123', ['my-key-123']); // '401 Incorrect API key provided: [redacted]'
 */
export function scrubText(text: string, secrets: Iterable<string | null | undefined> = []): string {
  const list = [...secrets].filter((s): s is string => typeof s === 'string' && s !== '');
  const scrubber = list.length ? createScrubber(list) : (defaultScrubber ??= createScrubber([]));
  return scrubber.scrub(text);
}

/** A request target with its credentials taken out of the URL. */
export interface KeyedEndpoint {
  /** The URL to request: `base` + `path`, its other query parameters kept, no key, no user info, no fragment. */
  url: string;
  /** `authorization` and/or `api-key`, as the credentials call for. */
  headers: Record<string, string>;
  /** Every credential seen (configured key, URL keys, user info), for scrubbing messages. */
  secrets: string[];
}

/** Query parameters that carry a key; `api-key` is the Azure style and travels in an `api-key` header. */
const KEY_PARAMS = new Set(['api-key', 'api_key', 'apikey', 'key', 'access_token']);

/**
 * Where to send a request and with which headers, so that no key travels in a URL: key query
 * parameters (`api-key`, `api_key`, `apikey`, `key`, `access_token`, any case) and user info are
 * taken out of `baseUrl`; `path` is appended to the base's path (one slash, not twice when the
 * base already ends with it), before the remaining query. The configured `apiKey` is the key
 * sent when given, else the one from the URL; it goes in an `api-key` header when the URL used
 * `api-key=` (Azure OpenAI), else as `Authorization: Bearer`. User info without a key becomes
 * Basic auth. Throws a TypeError (with the URL scrubbed) when `baseUrl` is not a URL.
 *
 * @example
 * keyedEndpoint('https://x.openai.azure.com/openai/deployments/d/?api-version=1&api-key=abc', '/chat/completions')
 * // { url: 'https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=1', headers: { 'api-key': 'abc' }, secrets: ['abc'] }
 */
export function keyedEndpoint(baseUrl: string, path: string, apiKey?: string): KeyedEndpoint {
  let u: URL;
  try {
    u = new URL(baseUrl.trim());
  } catch {
    throw new TypeError(`not a valid URL: ${JSON.stringify(scrubText(baseUrl, [apiKey]))}`);
  }
  const secrets: string[] = apiKey ? [apiKey] : [];
  let urlKey: string | undefined;
  let azure = false;
  for (const name of [...new Set(u.searchParams.keys())]) {
    const lower = name.toLowerCase();
    if (!KEY_PARAMS.has(lower)) continue;
    for (const value of u.searchParams.getAll(name)) {
      if (!value) continue;
      secrets.push(value);
      if (urlKey === undefined) {
        urlKey = value;
        azure = lower === 'api-key';
      }
    }
    u.searchParams.delete(name);
  }
  let basic: string | undefined;
  if (u.username || u.password) {
    const user = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    if (user) secrets.push(user);
    if (password) secrets.push(password);
    basic = Buffer.from(`${user}:${password}`).toString('base64');
    u.username = '';
    u.password = '';
  }
  u.hash = '';
  if (!u.search.slice(1)) u.search = '';
  const base = u.pathname.replace(/\/+$/, '');
  const suffix = '/' + path.replace(/^\/+/, '');
  u.pathname = base.endsWith(suffix) ? base : base + suffix;
  const key = apiKey || urlKey;
  const headers: Record<string, string> = {};
  if (key) {
    if (azure) headers['api-key'] = key;
    else headers.authorization = `Bearer ${key}`;
  } else if (basic) {
    headers.authorization = `Basic ${basic}`;
  }
  return { url: u.toString(), headers, secrets };
}
