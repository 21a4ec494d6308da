import { extractSlots, quotedPassages, unquotePassedOn } from './slots.ts';

/**
 * Second thoughts inside one message: "slides from talk.md, outline only. no wait — I do want the
 * rendered deck after all". A person reads such a message in its final version; so does the planner.
 * A retraction marker takes back the clause just before it, and what follows the marker stands in
 * its place. The models never see the retracted clause (a bag of features cannot tell it apart from
 * an ask), nor do the declined-step and open-world checks. English cues only, like `negation.ts`:
 * hand-written because no parser of discourse ships in our dependencies, and a handful of fixed
 * phrases covers how people retract in writing.
 */

/**
 * Markers that take back what was just said. Each names the retraction itself ("scratch that",
 * "no wait"), so a bare "actually" or "wait" (which often adds: "wait, also the keywords") is none.
 */
const FIRM = [
  "\\bno+[,.!]* *(?:wait|actually|hang on)\\b",
  '\\b(?:wait|actually|hm+|um+|erm+|er|uh+)[,.!]* *no+(?=[,.!;:—–-]|\\s*$)',
  // "no rendering — hmm, actually yes render it": the clause declined is asked for again ("oh yes,
  // and …" adds, so only "actually yes").
  '\\bactually[,.!]* *yes\\b',
  // "that" alone, where the clause ends: "cancel this ticket" and "ignore that column" are asks.
  "\\b(?:scratch|strike|scrap|forget|ignore|disregard) (?:that(?=\\s*(?:[,.;:!—–-]|and\\b|$))|the last (?:bit|part)|what i (?:just )?said(?=\\s*(?:[,.;:!—–-]|$)))",
  '\\bnever ?mind(?: that)?(?=[,.;:!—–-]|\\s*$)',
  // "actually, make that slides": the marker is "actually", what follows is the new ask.
  '\\b(?:actually|or rather|sorry)[,]? (?=make (?:that|it)\\b)',
];

/**
 * Markers that announce a change without saying what it does ("edit:", "on second thought"): they
 * take back only when the change narrows ("Change of plan: just the spec"); "Edit: the keywords too"
 * adds, and "On reflection, skip the chart" says itself what goes.
 */
const SOFT = [
  // "Summarise a.md and chart b.csv. Actually, just the chart": "actually" alone only before a narrowing.
  '(?<=(?:^|[.!?;,:—–\\n])\\s*)actually(?=,? (?:just|only)\\b)',
  // "Summarise a.md. No — just the keywords": a bare "no" opening a sentence, then a narrowing.
  '(?<=(?:^|[.!?;\\n])\\s*)no+(?=\\s*[,—–-]+\\s*(?:just|only)\\b)',
  // "Summary and figures of a.md, wait, figures only": "wait" alone often adds ("wait, also the keywords").
  "\\bwait(?=[,.!]*(?: +[\\w'-]+){0,4} +(?:just|only)\\b)",
  '\\bchange of plans?\\b',
  // "Second thought, just the spec" opening a clause; "I have second thoughts about the tone" is no marker.
  '\\bon second thoughts?\\b|(?<=(?:^|[.!?;,:—–\\n])\\s*)second thoughts?\\b',
  '\\bon (?:reflection|further thought)\\b',
  // "Edit:" and "Correction -" where they open a note, not inside a path ("notes/edit-2.md").
  '(?<![\\w/.-])(?:edit|correction)(?= *:|\\s+[—–-]\\s|[—–]\\s)',
];

/** What may lead into a marker ("no, scratch that", "oh wait no") belongs to it. */
const LEAD = '(?:\\b(?:no|nah|oh|ok|okay|hm+|sorry|wait|actually)[,.!]* +)*';
const RETRACTION = new RegExp(`${LEAD}(?:(${FIRM.join('|')})|${SOFT.join('|')})`, 'gi');

/** Where a clause starts or ends: sentence punctuation before a space, a comma, a dash, a line break. */
const CLAUSE_BREAK = /[.!?;](?=\s|$)|[,\n—–:]|\s-\s/g;

/** The words that decline a step in a correction ("no wait, skip the chart"): the correction then says itself what goes, and the clause before stays. */
const DECLINES = /\b(?:no|not|skip|without|don['’]?t|do not|leave out|omit|drop|minus|forget|lose|instead of|rather than)\b/i;

/** The words that add to what was asked ("no wait, the keywords too"): nothing is taken back. */
const ADDS = /\b(?:also|too|as well|plus|another)\b/i;

/** The spans of quoted passages (double or single quotes): a marker inside quoted text is the text's, not the request's. */
function quotedSpans(text: string): [number, number][] {
  return quotedPassages(text, true).map((m) => [m.index!, m.index! + m[0].length]);
}

/** Where a sentence ends: its punctuation before a space, or a line break. */
const SENTENCE_BREAK = /[.!?](?=\s)|\n/g;

/** A correction that keeps only some of what was asked: "only the keywords", "just the spec". */
const NARROWS = /\b(?:just|only)\b/i;

/**
 * The start of what a marker at `end` takes back: the clause before it ("Summarise a.md, no wait,
 * the keywords"; "outline only. no wait — I do want the rendered deck after all"), or the whole
 * sentence before it when the marker opens a sentence and the correction narrows ("Build a site,
 * review it and save it. Change of plan: just the spec"): a narrowing says what is left of all of it.
 * The punctuation right before the marker is no break.
 */
function retractedStart(text: string, end: number, correction: string): number {
  const before = text.slice(0, end);
  const breaks = /[.!?\n]\s*$/.test(before) && NARROWS.test(correction) ? SENTENCE_BREAK : CLAUSE_BREAK;
  let start = 0;
  for (const m of before.replace(/[\s,.!?;:—–-]+$/, '').matchAll(breaks)) start = m.index! + m[0].length;
  return start;
}

/** The first clause after a marker (up to the next clause break, or the text's end). */
function correctionAfter(text: string, from: number): string {
  const rest = text.slice(from).replace(/^[\s,.!:—–-]+/, '');
  const end = new RegExp(CLAUSE_BREAK.source).exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

/** What of a retracted clause stays: the files it names and the passages it quotes, which the correction still works on ("outline of talk.md — no, scratch that, the full deck"). */
function keptFrom(clause: string): string {
  const paths = extractSlots(clause).paths ?? [];
  const quotes = quotedPassages(clause).map((m) => m[0]);
  return [...paths, ...quotes].join(' ');
}

/**
 * The message as finally meant: each retracted clause replaced by the files and passages it named,
 * and each retraction marker removed. A correction that itself declines a step ("no wait, skip the
 * chart") keeps the clause before it, since it says what goes, and so does one that adds ("no wait,
 * the keywords too") or a soft marker's that does not narrow (see `SOFT`); then only the marker is
 * removed.
 *
 * @example
 * withRetractionsApplied('Tone of reviews.txt? Oh and summarise it too. No, actually, only the tone.')
 * // 'Tone of reviews.txt? only the tone.'
 */
export function withRetractionsApplied(text: string): string {
  const quotes = quotedSpans(text);
  const markers = [...text.matchAll(RETRACTION)].filter((m) => !quotes.some(([a, b]) => m.index! >= a && m.index! < b));
  // From the last marker back, so earlier offsets stay valid.
  for (const m of markers.reverse()) {
    const at = m.index!;
    const after = at + m[0].length;
    const correction = correctionAfter(text, after);
    const firm = m[1] !== undefined;
    const narrows = NARROWS.test(correction);
    const keeps = DECLINES.test(correction) || (!narrows && (ADDS.test(correction) || !firm));
    const start = keeps ? at : retractedStart(text, at, correction);
    const kept = start < at ? keptFrom(text.slice(start, at)) : '';
    const tail = text.slice(after).replace(/^[\s,.!:—–-]+/, '');
    const head = text.slice(0, start).trimEnd();
    text = [head, kept, tail].filter((s) => s !== '').join(' ');
  }
  return text;
}

/**
 * How a planner reads an instruction: a request passed on in quotes unquoted (`unquotePassedOn`),
 * then second thoughts applied (`withRetractionsApplied`). Planning, `eval` and the benches all read
 * requests so.
 *
 * @example
 * requestAsMeant('Summarise notes.md, no wait, just the keywords') // 'notes.md just the keywords'
 */
export function requestAsMeant(instruction: string): string {
  return withRetractionsApplied(unquotePassedOn(instruction));
}
