/**
 * A request's clauses in the order their steps happen, where the wording says it in reverse:
 * "Before you refund order 20871, confirm the payment was captured" and "Buy a label, after
 * comparing the carriers' prices" state the later step first. The planners order steps by where a
 * request mentions them, so such a request is read with its "before" clause moved after the main
 * clause and its closing "once"/"after" clause moved before it. Only the clause order changes:
 * every word stays, so what a request asks for reads the same.
 *
 * Hand-written rules: no parser of English clauses ships in our dependencies, and the three shapes
 * below are how users of three catalogs no model saw wrote reversed steps (fixtures/planner/catalogs:
 * "Before we refund…", "…once you've rolled back dep-6610", "…, after checking how many we hold").
 */

/** The subject or gerund that makes "once"/"after"/"before" open a clause ("once you've merged", "after checking"), not a time ("after school", "once a month"). */
const CLAUSE_OPENER = String.raw`(?:(?:you|i|we|they|he|she|it)(?:['’](?:ve|s|re|m|d)|\s+(?:have|has|had|are|is|was|were|did|do|does))?\b|(?!(?:morning|evening|spring|string|thing|something|nothing|anything|everything|building|meeting|training|wedding|ceiling|during|king|ring)\b)[\w-]+ing\b)`;

/** A sentence that opens with a "before" clause, then a comma and the main clause. */
const FRONTED_BEFORE = new RegExp(String.raw`^(before\s+${CLAUSE_OPENER}[^,;]*?)\s*[,;]\s*(.+)$`, 'i');

/** A last comma-segment that is a "once"/"after" clause ("…, but only once you have confirmed it"). */
const TRAILING_SEGMENT = new RegExp(String.raw`^(?:but\s+)?(?:only\s+)?(?:once|after)\s+${CLAUSE_OPENER}`, 'i');

/** A main clause closed by a "once"/"after" clause with no comma ("tell #sre once you've rolled back"); not after "and"/"then", which chain it on instead. */
const CLOSING_CLAUSE = new RegExp(String.raw`^(.*?\S)(?<!\b(?:and|then|or))\s+((?:but\s+)?(?:only\s+)?(?:once|after)\s+${CLAUSE_OPENER}.*)$`, 'i');

/** Sentences, each with its closing punctuation; the space between them opens the next (a path's "report.md" is no end). */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?\n])(?=\s)/);
}

/** One sentence with a reversed clause put in order; any other sentence as it is. */
function sentenceInOrder(sentence: string): string {
  const lead = /^\s*/.exec(sentence)![0];
  const end = /\s*[.!?]*\s*$/.exec(sentence.slice(lead.length))![0];
  const body = sentence.slice(lead.length, sentence.length - end.length);
  return lead + reordered(body) + end;
}

/** A sentence's words (without its closing punctuation) in the order of their steps. */
function reordered(body: string): string {
  const fronted = FRONTED_BEFORE.exec(body);
  if (fronted) return `${fronted[2]}, ${fronted[1]}`;
  const segments = body.split(/(?<=[,;])\s+/);
  const last = segments[segments.length - 1];
  if (segments.length > 1 && TRAILING_SEGMENT.test(last)) return `${last}, ${segments.slice(0, -1).join(' ').replace(/[,;]$/, '')}`;
  return segments.map(segmentInOrder).join(' ');
}

/** A comma-segment closed by a "once"/"after" clause ("refund RMA 1187 once you've logged it,"), that clause first. */
function segmentInOrder(segment: string): string {
  const comma = /[,;]$/.test(segment) ? segment.slice(-1) : '';
  const closing = CLOSING_CLAUSE.exec(segment.slice(0, segment.length - comma.length));
  return closing ? `${closing[2]}, ${closing[1]}${comma}` : segment;
}

/**
 * `request` with each reversed clause moved to where its step happens (see the file's comment).
 *
 * @example
 * inTimeOrder('Before we refund order 20871, confirm the payment was captured.')
 * // 'confirm the payment was captured, Before we refund order 20871.'
 * inTimeOrder('Refund RMA 1187 once you have logged it as received')
 * // 'once you have logged it as received, Refund RMA 1187'
 */
export function inTimeOrder(request: string): string {
  return sentences(request).map(sentenceInOrder).join('');
}
