/**
 * Run-input parameters pulled from an instruction, so a planned run starts with what its first
 * workers need: `read-file` a `path`, `csv-stats` a `csv` (read from `csvPath`), text workers a quoted `text`,
 * `product-manager` a `brief`. Field names match the workers' input fields, because a planned
 * step's input is the run input merged with its dependencies' outputs by field name.
 */

export type RunSlots = {
  /** The instruction, verbatim. */
  instruction: string;
  /** The first file path that is not a CSV. */
  path?: string;
  /** Every file path mentioned, in order of appearance. */
  paths?: string[];
  /** The first `.csv` path (`planRunInput` reads the file into `csv`, the text `csv-stats` parses). */
  csvPath?: string;
  /** A CSV table pasted into the instruction (see `inlineCsv`), when it names no CSV file. */
  csv?: string;
  /** The first quoted passage that is not a path. */
  text?: string;
  /** The same passage when the instruction is about Markdown (for `markdown-to-html`). */
  markdown?: string;
  /** The first directory mentioned (rooted like `./site` or ending in `/`): where workers write their files. */
  outDir?: string;
  /** The instruction without URLs and quoted passages: what a product manager reads as the brief. */
  brief: string;
};

/** Extensions recognised on a bare token without a slash, so "e.g." or "Node.js" are not paths. */
const KNOWN_EXT = new Set([
  'md', 'markdown', 'txt', 'text', 'html', 'htm', 'pdf', 'doc', 'docx', 'odt', 'rtf', 'csv', 'tsv', 'json', 'jsonl',
  'xml', 'yaml', 'yml', 'xlsx', 'xls', 'pptx', 'ppt', 'png', 'jpg', 'jpeg', 'svg', 'log', 'tex', 'epub',
]);

const URL = /\b(?:https?|ftp):\/\/[^\s"'`<>]+/gi;
/**
 * A passage in single quotes, straight or curly (two capture groups). A straight quote opens and
 * closes only beside no letter, so "don't" and "John's" are no quote marks, and a passage holding an
 * apostrophe is not one.
 */
const SINGLE_QUOTED = "(?<![\\w])'([^']+)'(?![\\w])|‘([^’]+)’";
/** "...", '...', `...`, “...”, ‘...’ — an apostrophe inside a word is not a quote. */
const QUOTED = new RegExp(`"([^"]+)"|“([^”]+)”|\`([^\`]+)\`|${SINGLE_QUOTED}`, 'g');
/** A whitespace-delimited token; whether it is a path is decided by `classifyToken`. */
const TOKEN = /[^\s"'`“”‘’<>(),;]+/g;
const ROOTED = /^(?:[A-Za-z]:[\\/]|~[\\/]|\.{1,2}[\\/]|[\\/])/;

/** 'file' | 'dir' | null for one token (trailing sentence punctuation already stripped). */
function classifyToken(token: string): 'file' | 'dir' | null {
  const ext = /[^\\/.]\.([A-Za-z][A-Za-z0-9]{0,7})$/.exec(token)?.[1];
  if (!/[\\/]/.test(token)) return ext && KNOWN_EXT.has(ext.toLowerCase()) ? 'file' : null;
  if (ext) return 'file';
  // "and/or", "positive/negative": a slash between plain words is not a path; a rooted or
  // slash-terminated one is a directory.
  return ROOTED.test(token) || /[\\/]$/.test(token) ? 'dir' : null;
}

function looksLikePath(s: string): boolean {
  const t = s.trim();
  if (t === '' || /\s{2,}|[.!?]\s/.test(t) || t.split(/\s+/).length > 5) return false;
  const ext = /\.([A-Za-z][A-Za-z0-9]{0,7})$/.exec(t)?.[1];
  if (/[\\/]/.test(t)) return ext !== undefined || /[\\/]$/.test(t);
  return ext !== undefined && KNOWN_EXT.has(ext.toLowerCase());
}

function isDirectory(p: string): boolean {
  return classifyToken(p) === 'dir' || /[\\/]$/.test(p);
}

/** A passage in straight or curly double quotes (one line break or many). */
const PASSAGE = /"([^"]*)"|“([^”]*)”/g;

/** What a quoted passage becomes for the model: one word the training set never uses otherwise. */
export const QUOTE_PLACEHOLDER = '"passage"';

/**
 * Replaces each quoted passage of three words or more by `QUOTE_PLACEHOLDER`: the words of a
 * passage to summarise ("...the chart on page four shows...") are data, and must not suggest steps
 * (a chart, figures, a read). Short quotes ("report.md", "Q3 plan") stay: they may name a file.
 *
 * @example
 * maskQuotes('Is this negative? "The update deleted my playlists."') // 'Is this negative? "passage"'
 */
export function maskQuotes(instruction: string): string {
  return instruction.replace(PASSAGE, (m, a?: string, b?: string) => ((a ?? b ?? '').trim().split(/\s+/).length >= 3 ? QUOTE_PLACEHOLDER : m));
}

/**
 * Whether a quoted passage is a request passed on rather than a text to work on: it names a file by
 * a path with a folder (not a URL, not an image in a Markdown link, and is not itself one path). A
 * bare file name is not enough: "a file named \"Euro Purchase Record on June 23, 2023.txt\"" quotes a
 * name with spaces.
 */
function passesOnRequest(inner: string): boolean {
  if (inner.trim().split(/\s+/).length < 3 || looksLikePath(inner)) return false;
  const prose = inner.replace(URL, ' ').replace(/\]\([^)]*\)/g, '] ');
  for (const m of prose.matchAll(TOKEN)) {
    const token = m[0].replace(/[.,:!?]+$/, '');
    if (/[\\/]/.test(token) && classifyToken(token) === 'file') return true;
  }
  return false;
}

/**
 * The instruction with the quote marks taken off each quoted passage that names a file. A quoted
 * passage is usually data ("is this negative? \"...\""), which the planners mask; but a request
 * forwarded in quotes names the file it is about, and is what to do: `Fwd from our chair: "Has
 * anyone got the short version of pta/minutes.md?"` asks for a summary of that file, not for the
 * quoted words to be analysed. Everything that reads an instruction for planning reads it so.
 *
 * @example
 * unquotePassedOn('Fwd: "Can I get the gist of notes/q3.md?" thanks') // 'Fwd: Can I get the gist of notes/q3.md? thanks'
 */
export function unquotePassedOn(instruction: string): string {
  return instruction.replace(PASSED_ON, (m: string, ...groups: unknown[]) => {
    const inner = groups.slice(0, 4).find((g) => typeof g === 'string') as string | undefined;
    return inner !== undefined && passesOnRequest(inner) ? inner : m;
  });
}

/**
 * A passage that may pass a request on: in double quotes as `PASSAGE`, or in single ones as
 * `QUOTED` reads them, as a dictated request often is (`Typed for the CEO: 'Single report please:
 * ... from finance/rev.csv ...'`).
 */
const PASSED_ON = new RegExp(`${PASSAGE.source}|${SINGLE_QUOTED}`, 'g');

/**
 * The quoted passages of a text, as matches (with `index`): in double quotes, or with `single`
 * also in single ones as `PASSED_ON` reads them.
 *
 * @example
 * quotedPassages('Is this rude? "no wait, I hate you"').map((m) => m[0]) // ['"no wait, I hate you"']
 */
export function quotedPassages(text: string, single = false): RegExpMatchArray[] {
  return [...text.matchAll(single ? PASSED_ON : PASSAGE)];
}

/**
 * Extracts run-input slots from an instruction.
 *
 * @example
 * extractSlots('Summarise docs/q3.md and chart "sales 2024.csv"')
 * // { instruction: ..., path: 'docs/q3.md', paths: ['docs/q3.md', 'sales 2024.csv'], csvPath: 'sales 2024.csv', brief: ... }
 */
export function extractSlots(instruction: string): RunSlots {
  const read = unquotePassedOn(instruction);
  const found: { at: number; path: string }[] = [];
  const quotedTexts: { at: number; text: string }[] = [];
  // Quoted passages first, URLs and all (a quoted Markdown link keeps its target); their spans and
  // the URLs are blanked so the bare-path scan looks neither inside prose nor inside an address.
  let masked = read;
  for (const m of read.matchAll(QUOTED)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    if (/^\s*(?:https?|ftp):\/\/\S*\s*$/i.test(inner)) continue;
    if (looksLikePath(inner)) found.push({ at: m.index ?? 0, path: inner.trim() });
    else if (inner.trim() !== '') quotedTexts.push({ at: m.index ?? 0, text: inner });
    masked = masked.slice(0, m.index) + ' '.repeat(m[0].length) + masked.slice((m.index ?? 0) + m[0].length);
  }
  masked = masked.replace(URL, (u) => ' '.repeat(u.length));
  for (const m of masked.matchAll(TOKEN)) {
    const token = m[0].replace(/[.,:!?]+$/, '');
    if (token !== '' && classifyToken(token)) found.push({ at: m.index ?? 0, path: token });
  }
  found.sort((a, b) => a.at - b.at);
  const paths = [...new Set(found.map((f) => f.path))];
  const files = paths.filter((p) => !isDirectory(p));
  const slots: RunSlots = { instruction, brief: '' };
  if (paths.length) slots.paths = paths;
  const csv = files.find((p) => /\.csv$/i.test(p));
  if (csv) slots.csvPath = csv;
  const pasted = csv ? undefined : inlineCsv(instruction);
  if (pasted) slots.csv = pasted.text;
  const doc = files.find((p) => !/\.csv$/i.test(p));
  if (doc) slots.path = doc;
  const dir = paths.find(isDirectory);
  if (dir) slots.outDir = dir;
  quotedTexts.sort((a, b) => a.at - b.at);
  if (quotedTexts.length) {
    slots.text = quotedTexts[0].text;
    if (/markdown|\bmd\b|html/i.test(instruction) || /^#{1,6}\s|\*\*|^[-*]\s/m.test(quotedTexts[0].text)) slots.markdown = quotedTexts[0].text;
  }
  let brief = read;
  for (const q of quotedTexts) brief = brief.replace(q.text, ' ');
  if (pasted) brief = brief.replace(pasted.text, ' ');
  slots.brief = brief.replace(URL, ' ').replace(/(["“”`'‘’])\s*\1/g, ' ').replace(/\s+/g, ' ').trim();
  return slots;
}

/** A cell of a pasted table: short, a few words at most, no sentence inside. */
const isCell = (c: string) => c.trim().length <= 40 && c.trim().split(/\s+/).length <= 3 && !/[.!?]\s/.test(c);

/**
 * A CSV table pasted into an instruction ("quick numbers on this please\nproduct,units\nmug,62"):
 * the first run of two or more consecutive lines with the same number of commas (at least one),
 * every cell short, some cell a number. Prose with commas rarely keeps its count line after line in
 * cells this short. Its span in the instruction and its text.
 *
 * @example
 * inlineCsv('stats on this:\nteam,wins\nHawks,12\nOwls,9')?.text // 'team,wins\nHawks,12\nOwls,9'
 */
export function inlineCsv(instruction: string): { start: number; end: number; text: string } | undefined {
  const lines: { at: number; text: string; cells: string[]; commas: number }[] = [];
  let at = 0;
  for (const text of instruction.split('\n')) {
    const cells = text.split(',');
    lines.push({ at, text, cells, commas: cells.length > 1 && cells.every(isCell) ? cells.length - 1 : 0 });
    at += text.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (lines[i].commas > 0 && j + 1 < lines.length && lines[j + 1].commas === lines[i].commas) j++;
    const block = lines.slice(i, j + 1);
    if (block.length >= 2 && block.some((l) => l.cells.some((c) => /^\s*-?\d+(?:\.\d+)?\s*$/.test(c)))) {
      const end = block[block.length - 1].at + block[block.length - 1].text.length;
      return { start: block[0].at, end, text: instruction.slice(block[0].at, end) };
    }
    i = j;
  }
  return undefined;
}

/** What a path is, without its name: `file.<ext>` or `folder/`. */
function pathKind(path: string): string {
  const ext = /\.([A-Za-z][A-Za-z0-9]{0,7})$/.exec(path.trim())?.[1];
  return ext && classifyToken(path.trim().replace(/\s+/g, '_')) !== 'dir' ? `file.${ext.toLowerCase()}` : 'folder/';
}

/**
 * The instruction as the planner model reads it: every file path replaced by its kind
 * (`file.csv`, `file.md`, `folder/`), and a pasted CSV table (`inlineCsv`) by `file.csv`, as the
 * content of one. A path's folder and file name say nothing about what to do with it, nor a
 * table's cells, yet unseen words shift a bag-of-features model; the kind does matter.
 * URLs and quoted prose are kept.
 *
 * @example
 * maskPaths('Chart /tmp/run-42/sales.csv and save it to ./out/') // 'Chart file.csv and save it to folder/'
 */
export function maskPaths(instruction: string): string {
  const table = inlineCsv(instruction);
  if (table) instruction = `${instruction.slice(0, table.start)}file.csv${instruction.slice(table.end)}`;
  const quoted = instruction.replace(QUOTED, (m: string, ...groups: unknown[]) => {
    const inner = groups.slice(0, 5).find((g) => typeof g === 'string') as string | undefined;
    return inner !== undefined && looksLikePath(inner) ? pathKind(inner) : m;
  });
  return quoted.replace(TOKEN, (token: string) => {
    if (/:\/\//.test(token)) return token;
    const core = token.replace(/[.,:!?]+$/, '');
    if (core === '' || !classifyToken(core)) return token;
    return pathKind(core) + token.slice(core.length);
  });
}
