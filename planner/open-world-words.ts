/**
 * Words that carry no task in a request: politeness, pronouns, determiners, auxiliaries and light
 * verbs ("give me", "tell me"). The open-world check skips them to find the word that names the
 * action of a clause, and never counts them as words the planner does not know.
 */

/** Politeness, request frames and light verbs that come before the action ("could you please give me ..."). */
export const LEAD_WORDS: ReadonlySet<string> = new Set([
  'please', 'pls', 'plz', 'kindly', 'can', 'could', 'would', 'will', 'you', 'u', 'ya', 'just', 'now', 'also', 'and', 'then',
  'quickly', 'go', 'ahead', 'give', 'gimme', 'provide', 'tell', 'show', 'say', 'let', 'know', 'get', 'me', 'us', 'him', 'her', 'them', 'help', 'hey', 'hi', 'ok', 'okay', 'so',
]);

/**
 * Words after which a clause is not a command (a question, a statement about the user, a
 * pronoun subject): "how upset is it", "I'm editing file.md", "it is for the team".
 */
export const NON_ACTION_HEADS: ReadonlySet<string> = new Set([
  'i', 'im', 'm', 'we', 'my', 'our', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'here', 'he', 'she', 'they', 'their', 'your',
  'someone', 'somebody', 'anyone', 'anybody', 'everyone', 'everybody',
  'what', 'whats', 'which', 'who', 'whom', 'whose', 'how', 'why', 'when', 'where', 'whether', 'if', 'is', 'are', 'was', 'were', 'be',
  'do', 'does', 'did', 'have', 'has', 'had', 'want', 'need', 'like', 'd', 'll', 're', 've', 's', 't', 'no', 'not', 'dont', 'don',
  'for', 'with', 'without', 'in', 'on', 'at', 'of', 'to', 'from', 'by', 'as', 'about', 'into', 'onto', 'over', 'but', 'or', 'while',
  'after', 'before', 'once', 'until', 'thanks', 'thank', 'cheers', 'appreciate', 'ideally', 'maybe', 'preferably', 'only', 'too', 'either', 'keep', 'make', 'sure',
]);

/** Determiners and fillers between a light verb and its object ("give me THE gist"). */
export const DETERMINERS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'some', 'any', 'all', 'each', 'every', 'quick', 'short', 'brief']);

/**
 * Words that start the object of a command ("email THE summary", "send IT", "translate FILE.md",
 * "reply TO each complainer"): an unknown word followed by one of these is used as a verb.
 * An unknown word followed by anything else is more likely a noun in a list ("ranges", "keyphrases in ...").
 */
export const OBJECT_STARTS: ReadonlySet<string> = new Set([
  ...DETERMINERS, 'another', 'more', 'it', 'them', 'this', 'that', 'these', 'those', 'my', 'our', 'your', 'his', 'her', 'their', 'its', 'me', 'us', 'him',
  'everyone', 'everybody', 'someone', 'somebody',
  'file', 'folder', 'to', 'up', 'out', 'off',
]);

/**
 * The clause's action word and the word after it: the first word after politeness and light
 * verbs, or undefined when the clause is a question, a statement, a noun phrase ("the key
 * terms"), starts with a preposition or an adverb ("briefly"), or with a number.
 *
 * @example
 * actionWord(['could', 'you', 'email', 'the', 'summary']) // { head: 'email', next: 'the' }
 * actionWord(['what', 's', 'the', 'gist']) // undefined
 */
export function actionWord(ws: readonly string[]): { head: string; next?: string } | undefined {
  const at = ws.findIndex((w) => !LEAD_WORDS.has(w));
  const head = ws[at];
  if (at < 0 || NON_ACTION_HEADS.has(head) || DETERMINERS.has(head) || /\d/.test(head) || head.length < 3 || /[^p]ly$/.test(head)) return undefined;
  return { head, ...(ws[at + 1] !== undefined ? { next: ws[at + 1] } : {}) };
}

/**
 * Words that start a framing clause, not a command: greetings and sign-offs ("Good afternoon",
 * "Kind regards"), "nothing fancy", reasons and places, verbs in the third person or the past.
 * Kept apart from `NON_ACTION_HEADS`, which `actionWord` also serves to the zero-shot matcher:
 * only the open-world check reads these (see `framingClause`).
 */
export const FRAMING_HEADS: ReadonlySet<string> = new Set([
  'good', 'dear', 'hello', 'hiya', 'greetings', 'regards', 'kind', 'best', 'warm', 'warmest', 'morning', 'afternoon', 'evening', 'sincerely', 'yours',
  'nothing', 'something', 'anything', 'everything', 'excuse',
  // Conjunctions and prepositions that open a reason or a place, and verbs in the third person or the past.
  'since', 'because', 'although', 'though', 'unless', 'inside', 'within', 'during', 'via', 'per', 'through',
  'needs', 'wants', 'says', 'said', 'wrote', 'made', 'sent', 'told', 'gave', 'took', 'got', 'found', 'thought',
]);

/** Words ending in -ing or -ed that are base forms, so may start a command ("bring", "string", "embed"). */
const BASE_FORMS: ReadonlySet<string> = new Set([
  'bring', 'sing', 'ring', 'wing', 'string', 'spring', 'swing', 'sting', 'sling', 'fling', 'wring', 'ping', 'cling',
  'need', 'feed', 'embed', 'seed', 'speed', 'proceed', 'exceed', 'succeed', 'shred', 'breed', 'bleed', 'heed', 'weed', 'shed',
]);

/**
 * Whether a clause whose action word is `head` followed by `next` is no command: a greeting or
 * sign-off, a reason or a place ("since my committee says..."), a participle or a past tense
 * ("including a chart", "going to drop it in the portal", "opening times", "wrote a description";
 * commands take the base form), or a noun heading an "of" phrase ("end of a shift").
 *
 * @example
 * framingClause('including', 'a') // true
 * framingClause('email', 'the') // false
 */
export function framingClause(head: string, next?: string): boolean {
  if (FRAMING_HEADS.has(head) || next === 'of') return true;
  return /^[a-z]{2,}(ing|ed)$/.test(head) && !BASE_FORMS.has(head);
}
