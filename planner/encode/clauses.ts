/**
 * Splits an instruction into the clauses a sub-task is usually stated in: at sentence and comma
 * punctuation and at the connectives that chain requests ("and", "then", "also", "after that").
 * Fragments under three words ("please", "thanks") rarely name a task and are dropped.
 * Why: a plan should account for every clause; scoring clause by clause shows which one a short
 * plan has left out, which the whole-instruction encoding blurs.
 *
 * @example
 * splitClauses('Book a flight to Paris, then reserve a hotel near the station.')
 * // ['Book a flight to Paris', 'reserve a hotel near the station']
 */
export function splitClauses(text: string): string[] {
  return text
    .split(/[,.;!?\n]|\b(?:and then|then|and|also|after that)\b/i)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);
}
