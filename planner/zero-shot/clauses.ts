/**
 * Clause splitting for the zero-shot matcher: a request usually states one sub-task per clause, so
 * matching clause by clause lets a plan name several tools and shows which clause no tool covers.
 */

/** Sentence ends, commas and the connectives that chain sub-tasks, with `next` as given; longer ones first so "and then" is cut as one. */
const splitAt = (next: string) => new RegExp(`[.;!?\\n]+|,|\\b(?:and then|after that|afterwards|and also|then|and|also|finally|${next}|plus)\\b`, 'i');

const SPLIT = splitAt('next');

/**
 * The connectives of `SPLIT` but "next" before a time ("forecast next month's orders", "meets next
 * week"): there it names the time, not the next step. For the open-world check, which judges each
 * clause's verb and object; the planners' features keep `SPLIT` (see `splitRequestClauses`).
 */
export const SPLIT_KEEPING_TIMES = splitAt("next(?!\\s+(?:day|week|weekend|month|quarter|year|term|season|time|shift|session|meeting|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|night|\\w+'s|\\d))");

/**
 * Splits a request at sentence ends, commas and chaining connectives ("and", "then", ...); keeps
 * the clauses in order, trimmed, and drops fragments with fewer than `minWords` words (default 2:
 * "please" or "thanks" names no task). Decimal points ("6.30"), times ("8:00") and relative paths
 * ("./out") are not cut.
 *
 * @example
 * splitRequestClauses('Read report.md, then summarise it and email the summary to my boss.')
 * // ['Read report.md', 'summarise it', 'email the summary to my boss']
 */
export function splitRequestClauses(text: string, minWords = 2, split: RegExp = SPLIT): string[] {
  // Protect dots inside words/numbers (file names, decimals) so only sentence-ending dots split.
  // A relative path's leading dots ("./out", "../site") are part of it too.
  const guarded = text.replace(/(\w)\.(\w)/g, '$1\u0000$2').replace(/(^|\s)(\.\.?)\//g, (_m, pre: string, dots: string) => pre + '\u0000'.repeat(dots.length) + '/');
  return guarded
    .split(new RegExp(split.source, 'gi'))
    .map((s) => s.replace(/\u0000/g, '.').trim())
    .filter((s) => s !== '' && s.split(/\s+/).length >= minWords);
}
