/**
 * Plain-text primitives shared by the text workers: tokens, sentences, stop words,
 * a light stemmer and syllable counts. Deterministic, dependency-free.
 */

/** Function words that carry no topic; used by summarise, keywords and the product manager. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each either etc few for from further had has have having he her here hers herself him ' +
    'himself his how however i if in into is it its itself just let me more most much must my myself no nor not now of off on once ' +
    'only or other ought our ours ourselves out over own per same shall she should so some such than that the their theirs them ' +
    'themselves then there these they this those through thus to too under until up upon us very via was we were what when where ' +
    'whether which while who whom whose why will with within without would yet you your yours yourself yourselves ' +
    "e.g i.e may might one two three use used using also new based well like many often across among along around whereas ' s"
  ).split(/\s+/),
);

const WORD = /[a-z0-9][a-z0-9'’-]*[a-z0-9]|[a-z0-9]/g;

/**
 * Lower-cased word tokens (letters, digits, inner apostrophes and hyphens).
 *
 * @example
 * words("The model's F1 rose.") // ['the', "model's", 'f1', 'rose']
 */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * A light suffix-stripping stemmer, so that "graphs"/"graph" and "ranking"/"ranked" meet.
 * Deliberately conservative: it only needs to be consistent, not linguistically right.
 *
 * @example
 * stem('sentences') // 'sentenc'
 */
export function stem(word: string): string {
  let w = word.replace(/['’]s$/, '');
  if (w.length <= 3) return w;
  for (const [suffix, min] of [
    ['ational', 4], ['ization', 4], ['fulness', 4], ['iveness', 4], ['ations', 4], ['ation', 4], ['ments', 4], ['ment', 4],
    ['ings', 4], ['ing', 4], ['ies', 3], ['ied', 3], ['edly', 4], ['ed', 4], ['ers', 4], ['er', 4], ['es', 4], ['ly', 4], ['s', 3],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= min) {
      w = w.slice(0, -suffix.length) + (suffix === 'ies' || suffix === 'ied' ? 'y' : '');
      break;
    }
  }
  return w.replace(/e$/, '');
}

/**
 * Content terms of a text: tokens minus stop words and pure numbers, stemmed.
 *
 * @example
 * contentTerms('The graphs are ranked') // ['graph', 'rank']
 */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOPWORDS.has(w) || /^\d/.test(w) || w.length < 2) continue;
    out.push(stem(w));
  }
  return out;
}

// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'fig', 'figs', 'eq', 'eqs', 'al', 'etc', 'vs', 'dr', 'mr', 'mrs', 'ms', 'prof', 'sec', 'no', 'approx', 'cf', 'st']);

/**
 * Splits prose into sentences. Paragraph breaks always end a sentence; a `.`, `!` or `?`
 * ends one when followed by space and an upper-case letter, digit or quote, unless it
 * closes a known abbreviation ("Fig.", "e.g.") or a decimal number.
 *
 * @example
 * sentences('We use Fig. 2 here. It works!') // ['We use Fig. 2 here.', 'It works!']
 */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)/)) {
    const flat = para.replace(/\s+/g, ' ').trim();
    if (!flat) continue;
    let start = 0;
    const re = /[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(flat))) {
      const before = flat.slice(start, m.index);
      const lastWord = (before.match(/([A-Za-z.]+)$/)?.[1] ?? '').toLowerCase().replace(/\.$/, '');
      if (m[0].startsWith('.') && (ABBREVIATIONS.has(lastWord) || /\b[A-Z]$/.test(before))) continue;
      out.push(flat.slice(start, m.index + m[0].length).trim());
      start = m.index + m[0].length;
    }
    const rest = flat.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out;
}

/**
 * Counts syllables in an English word by vowel groups, with the usual silent-e correction.
 *
 * @example
 * syllables('readability') // 5
 */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]+/g);
  return Math.max(1, groups ? groups.length : 1);
}

/**
 * True for lines that are not running prose: figure/table captions, image references,
 * table rows and rules. Summaries and keyword lists skip them.
 *
 * @example
 * isNonProse('Figure 2: Accuracy by model.') // true
 */
export function isNonProse(line: string): boolean {
  const l = line.trim();
  return (
    /^(?:\*\*|_|\*)?(?:figure|fig\.|table)\s+\d+[a-z]?\s*(?:[.:—–-]|\*\*)/i.test(l) ||
    /^!\[[^\]]*\]\([^)]*\)/.test(l) ||
    /^<img\b/i.test(l) ||
    (l.match(/\|/g)?.length ?? 0) >= 2 ||
    /^[-=*_]{3,}$/.test(l)
  );
}

/**
 * The prose of a text: every line that `isNonProse` rejects is dropped, paragraphs kept.
 *
 * @example
 * prose('Intro text.\nFigure 1: A plot.\nMore text.') // 'Intro text.\n\nMore text.'
 */
export function prose(text: string): string {
  return text
    .split('\n')
    .map((l) => (isNonProse(l) ? '' : l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A file-name-safe slug.
 *
 * @example
 * slug('About Us & Team!') // 'about-us-team'
 */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}

/**
 * Shortens a sentence to at most `max` words, ending with an ellipsis when cut.
 *
 * @example
 * clip('one two three four', 3) // 'one two three…'
 */
export function clip(sentence: string, max: number): string {
  const parts = sentence.trim().split(/\s+/);
  if (parts.length <= max) return sentence.trim();
  return parts.slice(0, max).join(' ').replace(/[,;:.]+$/, '') + '…';
}
