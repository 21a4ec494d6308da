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
 * Adverbs of manner and degree ("check it WELL", "check it VERY well", "test it PROPERLY"): they say
 * how to do the work, not what it acts on, so they are no unknown object. The generated requests
 * never use most of them, and "check it well" was reported as a clause no worker does in three doable
 * website requests of the hand-written train split.
 */
export const MANNER_WORDS: ReadonlySet<string> = new Set(['well', 'very', 'properly', 'carefully', 'thoroughly', 'really', 'again', 'twice', 'asap', 'fully', 'correctly', 'nicely']);

/**
 * Words that start the object of a command ("email THE summary", "send IT", "translate FILE.md",
 * "reply TO each complainer"): an unknown word followed by one of these is used as a verb.
 * An unknown word followed by anything else is more likely a noun in a list ("ranges", "keyphrases in ...").
 */
export const OBJECT_STARTS: ReadonlySet<string> = new Set([
  ...DETERMINERS, 'another', 'more', 'it', 'them', 'this', 'that', 'these', 'those', 'my', 'our', 'your', 'his', 'her', 'their', 'its', 'me', 'us', 'him',
  'everyone', 'everybody', 'someone', 'somebody', 'next', 'last',
  'file', 'folder', 'to', 'up', 'out', 'off',
]);

/**
 * Whether `ws[from]` starts a count of things: a number in digits, then a plural noun ("print 20
 * copies", "order 12 boxes"). An unknown verb on it acts on things as it does on "the copies". A
 * number before a singular word ("Valuation 14 report") is a label, not a count.
 *
 * @example
 * countOfThings(['print', '20', 'copies'], 1) // true
 * countOfThings(['valuation', '14', 'report'], 1) // false
 */
export function countOfThings(ws: readonly string[], from: number): boolean {
  const n = ws[from] ?? '', thing = ws[from + 1] ?? '';
  return /^\d+$/.test(n) && thing.length > 3 && /[^s]s$/.test(thing);
}

/** Words that order a clause after the one before ("and AFTER translate it", "FINALLY send it"). */
const SEQUENCERS: ReadonlySet<string> = new Set(['after', 'afterwards', 'afterward', 'later', 'finally', 'lastly']);

/**
 * The position of a clause's action word when a sequencer stands before it: "after translate it to
 * Polish", "and after this send it", "after to translate": a learner's order, in 6 of the 200
 * undone train requests of fixtures/planner/handwritten.jsonl). The word must take an object, as a
 * command's verb does; before a determiner, a number, a gerund or a noun ("after the meeting",
 * "after booking the car", "after completion of"), the sequencer is a time and keeps its place.
 */
function afterSequencer(ws: readonly string[], at: number): number {
  if (at < 0 || !SEQUENCERS.has(ws[at])) return at;
  let k = at + 1;
  while (ws[k] === 'this' || ws[k] === 'that' || ws[k] === 'to') k++;
  const w = ws[k];
  if (w === undefined || NON_ACTION_HEADS.has(w) || DETERMINERS.has(w) || LEAD_WORDS.has(w) || /\d/.test(w)) return at;
  // "after booking the car", "after completion of the form": a gerund or a noun, not a command.
  if (/(ing|ed|ion|ment)$/.test(w) && !BASE_FORMS.has(w)) return at;
  return OBJECT_STARTS.has(ws[k + 1] ?? '') ? k : at;
}

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
  const at = afterSequencer(ws, ws.findIndex((w) => !LEAD_WORDS.has(w)));
  // "e-file it", "e-sign them": the electronic prefix and its verb are one word, which words() split.
  if (ws[at] === 'e' && ws[at + 1] !== undefined && /^[a-z]{3,}$/.test(ws[at + 1])) return { head: `e${ws[at + 1]}`, ...(ws[at + 2] !== undefined ? { next: ws[at + 2] } : {}) };
  const head = ws[at];
  if (at < 0 || NON_ACTION_HEADS.has(head) || DETERMINERS.has(head) || /\d/.test(head) || head.length < 3 || /[^p]ly$/.test(head)) return undefined;
  return { head, ...(ws[at + 1] !== undefined ? { next: ws[at + 1] } : {}) };
}

/**
 * Light verbs that hand over a thing named by the noun phrase after them ("get me THE direct line").
 * Not "provide": in UltraTool's catalog, "please provide the aircraft model information" asks a
 * look-up tool whose description shares few of those words.
 */
const FETCH_VERBS: ReadonlySet<string> = new Set(['get', 'give', 'gimme', 'show']);

/**
 * For a clause with no action word because a light verb hands over a noun phrase ("get me the
 * direct line for the fire service", "give me the gist of notes.md"): that light verb and the word
 * starting its object, so the object can be judged as a known verb's object is. Undefined otherwise.
 *
 * @example
 * lightVerbObject(['get', 'me', 'the', 'direct', 'line']) // { head: 'get', next: 'the' }
 * lightVerbObject(['what', 's', 'the', 'gist']) // undefined
 */
export function lightVerbObject(ws: readonly string[]): { head: string; next: string } | undefined {
  const at = ws.findIndex((w) => !LEAD_WORDS.has(w));
  if (at < 1 || !DETERMINERS.has(ws[at])) return undefined;
  const verb = ws.slice(0, at).reverse().find((w) => FETCH_VERBS.has(w));
  return verb ? { head: verb, next: ws[at] } : undefined;
}

/**
 * Words that start a framing clause, not a command: greetings and sign-offs ("Good afternoon",
 * "Kind regards"), "nothing fancy", what to leave out ("skip the fluff"), reasons and places, verbs
 * in the third person or the past.
 * Kept apart from `NON_ACTION_HEADS`, which `actionWord` also serves to the zero-shot matcher:
 * only the open-world check reads these (see `framingClause`).
 */
export const FRAMING_HEADS: ReadonlySet<string> = new Set([
  'good', 'dear', 'hello', 'hiya', 'greetings', 'regards', 'kind', 'best', 'warm', 'warmest', 'morning', 'afternoon', 'evening', 'sincerely', 'yours',
  'nothing', 'something', 'anything', 'everything', 'excuse',
  // A clause that declines something asks for nothing ("skip the fluff"); see planner/negation.ts.
  'skip', 'omit',
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

/**
 * Verbs that name no capability of their own: what they do depends on their object ("find the
 * order", "raise it to SEV1", "move them to Done", "tell her it shipped"). A zero-shot check knows
 * only the words of the catalog's descriptions, which rarely hold them, so without these it took
 * "can you find it" or "check the order" for work no tool does: over the development halves of
 * fixtures/planner/catalogs, whose requests are all doable, 48 of 140 had a clause reported. As known
 * actions and words they leave the clause to be judged by its object (an unknown object still
 * reports "add the dates to my calendar" over a catalog without a calendar). Hand-written: no
 * dependency lists such verbs, and the two catalogs' training requests hold too few of them.
 */
export const GENERIC_VERBS: readonly string[] = [
  // looking something up
  'check', 'find', 'look', 'see', 'get', 'show', 'pull', 'fetch', 'grab', 'locate', 'identify', 'track', 'confirm', 'verify',
  // changing something
  'set', 'change', 'update', 'move', 'raise', 'lower', 'bump', 'put', 'take', 'add', 'remove', 'mark', 'note', 'assign', 'attach',
  'fix', 'sort', 'handle', 'correct', 'adjust', 'reduce', 'increase', 'zero', 'knock',
  // making, giving and saying
  'write', 'prepare', 'use', 'make', 'do', 'give', 'let', 'leave', 'tell', 'offer', 'explain', 'quote', 'reply', 'answer',
];

/**
 * Particles of phrasal verbs ("set UP the trip", "track it DOWN", "sort it OUT", "write them OFF",
 * "pull UP their orders", "RMA-3390 is BACK"): they finish the verb, not name what it acts on, so
 * they are never unknown words. A trained planner's words know them already; a catalog's words
 * seldom do, and the new catalogs' doable requests had a clause reported for them (requests with a
 * clause reported: devops 35 -> 31, school 47 -> 45, shop 45 -> 39 of 140; UltraTool 749 -> 748).
 */
export const PARTICLES: ReadonlySet<string> = new Set(['up', 'down', 'out', 'off', 'back', 'away']);
