import { words } from './encode/features.ts';
import { inlineCsv, maskPaths } from './slots.ts';
import type { Catalog } from './types.ts';
import { splitRequestClauses, ToolIndex } from './zero-shot/index.ts';
import { SPLIT_KEEPING_TIMES } from './zero-shot/clauses.ts';
import { actionWord, countOfThings, DETERMINERS, framingClause, GENERIC_VERBS, LEAD_WORDS, lightVerbObject, MANNER_WORDS, NON_ACTION_HEADS, OBJECT_STARTS, PARTICLES } from './open-world-words.ts';
import { afterOpeningDecline } from './negation.ts';
import { catalogWords, isKnownWord, plannerVocabulary, vocabularyOf, type Vocabulary } from './open-world-vocabulary.ts';

export { actionWord };

/**
 * The open-world check: after a plan is made, which clauses of the request does no worker of the
 * catalog do? ("Email the summary of report.md to my boss": no worker sends e-mail.) A clause is
 * unmatched when it is a command whose action word the planner has never seen (not in the tools'
 * descriptions nor in the trained requests), or when it resembles no tool and most of its content
 * words are unknown. Context clauses ("for the team meeting", "keep it short", questions,
 * statements about the user, paths, quoted text) name no action and never count.
 */

export interface OpenWorldOptions {
  /** Extra texts whose words count as known, e.g. a trained model's remembered requests (with them, a light verb's object is judged too). */
  knownTexts?: readonly string[];
  /**
   * Verbs known as actions and as words whatever the catalog (see `GENERIC_VERBS`): for a check
   * that has only the catalog's words (zero-shot), where a trained model's requests would hold them.
   */
  genericVerbs?: readonly string[];
  /** A clause resembling no tool better than this (tool-index score) may be unmatched by its words. Default 0.1 (tuned on the first 105 requests of fixtures/planner/handwritten.jsonl, then its dev split, now in its train split). */
  maxToolScore?: number;
  /** ...when at least this share of its content words is unknown. Default 0.5. */
  unknownShare?: number;
}

export const DEFAULT_OPEN_WORLD = { maxToolScore: 0.1, unknownShare: 0.5 } as const;

/** Quoted passages are data to work on ("is this comment negative? \"...\""), not instructions. */
const QUOTED = /"[^"]*"|“[^”]*”/g;

/**
 * A parenthesis describes ("a site for the vets (services, meet the team, register your pet)"); it
 * does not command. In the 1,081 hand-written train requests, 98 hold one and none an undone clause.
 */
const PARENTHESISED = /\([^()]*\)/g;

/** A one-word label opening a clause: "doc: ", "source: ", "input = ". */
const LABEL = /^\s*[A-Za-z][\w-]*\s*[:=]\s+/;

/** Why a clause is unmatched, for the tests and the bench. */
export type UnmatchedReason = 'unknown action' | 'unknown object';

/** One clause's verdict. */
export interface ClauseCheck { clause: string; head?: string; unknown: string[]; toolScore: number; reason?: UnmatchedReason }


const isContent = (w: string) => w.length >= 2 && !/\d/.test(w) && !LEAD_WORDS.has(w) && !NON_ACTION_HEADS.has(w) && !DETERMINERS.has(w) && !MANNER_WORDS.has(w);

/**
 * The verbs a planner acts on: the words of the tools' descriptions and the action words that
 * start the clauses of its training requests. A word seen only as a noun in training ("a form that
 * collects emails") is no known action ("email the summary").
 */
function knownActions(catalog: Catalog, texts: readonly string[], generic: readonly string[]): Vocabulary {
  const known = catalogWords(catalog);
  for (const verb of generic) known.add(verb);
  for (const text of texts) {
    for (const clause of splitRequestClauses(text.replace(QUOTED, ' '), 1)) {
      const head = actionWord(words(clause))?.head;
      if (head) known.add(head);
    }
  }
  return vocabularyOf(known);
}

/** Output types too generic to name a product (every path is masked to a "file"). */
const GENERIC_OUTPUTS: ReadonlySet<string> = new Set(['file', 'files', 'paths', 'path', 'folder', 'text', 'document', 'data']);

/**
 * The words naming what the catalog's tools produce: their output types ("report", "chart",
 * "site"), so a clause that puts its object into one ("stick it in a report") or makes one
 * ("build a site for my kids' lemonade stand") is work a tool does, however unknown its other words.
 */
function productWords(catalog: Catalog): string[] {
  return [...new Set(catalog.tools.flatMap((t) => t.outputType ?? []).flatMap((x) => words(x)))].filter((w) => w.length >= 3 && !GENERIC_OUTPUTS.has(w));
}

/** Whether `w` names one of `products` (equal, plural, or ending in it: "website" ends in "site"). */
const isProductWord = (w: string, products: readonly string[]) => products.some((p) => w === p || w === p + 's' || (w.length > p.length + 2 && w.endsWith(p)));

/** Words between a verb and the product it makes ("a SIMPLE site", "ONE report"). */
const FILLER_ADJECTIVES: ReadonlySet<string> = new Set(['single', 'one', 'new', 'nice', 'simple', 'little']);

/** Prepositions that send a clause's object into something ("in a report", "to html"). */
const INTO = new Set(['in', 'into', 'to', 'as', 'onto']);

/**
 * Whether the clause's words `ws` name a product of the catalog (a word equal to, or ending in, one
 * of `products`: "website" ends in "site") in the object phrase after position `from` (see
 * `objectPhrase`), or, when `into`, as the first content word after one of the prepositions `INTO`
 * (skipping determiners, pronouns and numbers): "into our Google Slides deck" puts the chart into
 * something no tool makes, so there only the first word counts.
 */
function namesProduct(ws: readonly string[], from: number, products: readonly string[], into: boolean): boolean {
  const isProduct = (w: string) => isProductWord(w, products);
  // OBJECT_STARTS holds the determiners and pronouns.
  const firstAfter = (k: number) => ws.slice(k).find((w) => !OBJECT_STARTS.has(w) && !LEAD_WORDS.has(w) && !/\d/.test(w) && !FILLER_ADJECTIVES.has(w));
  if (!into) return objectPhrase(ws, from).some(isProduct);
  return ws.some((w, k) => k >= from && INTO.has(w) && isProduct(firstAfter(k + 1) ?? ''));
}

/** Words that end a verb's object phrase: prepositions and connectives ("a site FOR my club"). */
const PHRASE_ENDS: ReadonlySet<string> = new Set(['for', 'of', 'with', 'about', 'from', 'to', 'in', 'into', 'on', 'at', 'by', 'and', 'or', 'that', 'which', 'who', 'where', 'so', 'but', 'as', 'like', 'than', 'before', 'after', 'if', 'when']);

/**
 * The object phrase after position `from`: its words up to the first preposition or connective,
 * at most six. A product named anywhere in it is what the verb makes: "a recruitment website",
 * "my minecraft server a website" (the thing made for someone comes after them).
 */
function objectPhrase(ws: readonly string[], from: number): string[] {
  const end = ws.findIndex((w, k) => k >= from && PHRASE_ENDS.has(w));
  return ws.slice(from, end < 0 ? undefined : end).slice(0, 6);
}

/** Prepositions that send a clause's object somewhere ("ship it TO ./out", "record the files INSIDE ./site"). */
const DESTINATIONS = new Set(['to', 'into', 'inside', 'onto']);

/**
 * Whether the clause sends its object to a folder on disk ("ship it to ./apps/out", "stick it in
 * ~/site/dist"): a path (masked to "folder" or "file") after a destination preposition, or after
 * "in" when the object is "it", "them" or "the files" ("compress the screenshots IN docs/img" says where the
 * object is, not where it goes). Whatever the verb, that is what a catalog's file writers do; a
 * catalog without one gets no pass.
 */
function placesOnDisk(ws: readonly string[], from: number): boolean {
  const pronoun = ws[from] === 'it' || ws[from] === 'them' || (ws[from] === 'the' && ws[from + 1] === 'files');
  return ws.some((w, k) => k >= from && (DESTINATIONS.has(w) || (pronoun && w === 'in')) && (ws[k + 1] === 'folder' || ws[k + 1] === 'file'));
}

/** Whether some tool of the catalog writes files (an output type naming paths or a file). */
const writesFiles = (catalog: Catalog) => catalog.tools.some((t) => (t.outputType ?? []).some((x) => /^(paths?|files?)$/.test(x)));

/** Counts that start an object ("order TWO boxes"). */
const NUMBER_WORDS: ReadonlySet<string> = new Set([
  'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen',
  'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand', 'dozen', 'several', 'few', 'both',
]);

/**
 * Whether the clause's head is used as a verb: followed by a determiner, a pronoun or a number
 * ("order 20 kilos", "book a room") or by a capitalised name ("run May's payroll"). A noun phrase
 * starting a clause is followed by anything else ("key terms for ...", "readability for ...",
 * "tone check on ...", "committee sits at seven").
 */
function takesObject(clause: string, head: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  if (OBJECT_STARTS.has(next) || /^\d/.test(next) || NUMBER_WORDS.has(next)) return true;
  const raw = clause.split(/\s+/);
  const at = raw.findIndex((w) => w.toLowerCase().replace(/[^a-z]/g, '') === head);
  return at >= 0 && /^[A-Z]/.test(raw[at + 1] ?? '');
}

/** The check bound to one catalog and vocabulary. */
export interface OpenWorldCheck {
  /** Every clause of a request with its verdict. */
  check(request: string): ClauseCheck[];
  /** The clauses of a request no worker does, as written. */
  unmatched(request: string): string[];
  /** The words it knows: the catalog's and those of the `knownTexts` (see `plannerVocabulary`). */
  vocabulary: Vocabulary;
}

/** Verbs that pick what goes into the product being made ("include the photos", "embed the tables"). */
const INCLUDING: ReadonlySet<string> = new Set(['include', 'insert', 'embed']);

/** Prepositions that send an object somewhere ("include a note TO the council", "embed the video ON our page"). */
const ELSEWHERE: ReadonlySet<string> = new Set(['to', 'on', 'onto', 'into', 'at']);

/**
 * Whether the clause's words `ws`, headed by `head`, pick something to go into the product the
 * request makes ("include the ECG strips", "include the screenshots"): an including verb, not on "it"
 * or "them", and no destination (no "to", "on", "onto", "into", "at", no "in" before its last two
 * words: "include a note in the email to Sam" goes elsewhere). The photos, strips and screenshots are
 * the figures no tool text names so; reported as clauses no worker does in three doable deck
 * requests of the hand-written train split. "Add" is not one: "add the dates to my calendar" and
 * "add each action item to our Asana board" are undone clauses of train and dev.
 */
function includesInProduct(ws: readonly string[], head: string, next: string | undefined): boolean {
  if (!INCLUDING.has(head) || next === 'it' || next === 'them') return false;
  return !ws.some((w, k) => ELSEWHERE.has(w) || (w === 'in' && k < ws.length - 2));
}

/** A list item this short is a name ("meet the team", "contact us"), not a sentence with work of its own. */
const MAX_LISTED_WORDS = 4;

/**
 * The items of the lists that follow a product named before a colon, as words joined by spaces: what
 * the product should hold ("a simple website for St Aidan's: service times, hall hire, contact us";
 * "Podcast needs its own website: episodes, hosts, sponsor us"), as a parenthesised list is. Pages
 * named like commands ("contact us", "meet the team", "join us") were reported as clauses no worker
 * does in 10 doable website requests of the hand-written train split (batches 15-18 showed it; five
 * of the ten are older); no undone clause there or in dev is such an item. Only short items without
 * "it" or "them": "Deck for the nurses: summarise notes.md, then email it to the ward" still sends
 * something somewhere.
 *
 * @example
 * listedContents('Website for the club: training times, join us. Build it.', ['site']) // Set { 'training times', 'join us' }
 */
function listedContents(request: string, products: readonly string[]): Set<string> {
  const listed = new Set<string>();
  if (!request.includes(':')) return listed;
  for (const sentence of request.split(/[.!?\n]+/)) {
    const colon = sentence.indexOf(':');
    if (colon < 0 || !words(sentence.slice(0, colon)).some((w) => isProductWord(w, products))) continue;
    for (const item of sentence.slice(colon + 1).split(/,|\band\b/)) {
      const ws = words(item);
      if (ws.length > 0 && ws.length <= MAX_LISTED_WORDS && !ws.includes('it') && !ws.includes('them')) listed.add(ws.join(' '));
    }
  }
  return listed;
}

/**
 * Builds the open-world check for a catalog (and a trained model's requests, via `knownTexts`).
 *
 * @example
 * const ow = createOpenWorldCheck(catalog, { knownTexts: model.memory.requests });
 * ow.unmatched('Email the summary of report.md to my boss') // ['Email the summary of report.md to my boss']
 */
export function createOpenWorldCheck(catalog: Catalog, options: OpenWorldOptions = {}): OpenWorldCheck {
  const generic = options.genericVerbs ?? [];
  const vocabulary: Vocabulary = plannerVocabulary(catalog, [...(options.knownTexts ?? []), generic.join(' ')]);
  const actions = knownActions(catalog, options.knownTexts ?? [], generic);
  const index = new ToolIndex(catalog);
  const products = productWords(catalog);
  const writer = writesFiles(catalog);
  const maxToolScore = options.maxToolScore ?? DEFAULT_OPEN_WORLD.maxToolScore;
  const unknownShare = options.unknownShare ?? DEFAULT_OPEN_WORLD.unknownShare;
  const trained = (options.knownTexts?.length ?? 0) > 0;
  /**
   * Whether the words from `from` are a place the result goes ("on our Confluence page") that no tool
   * knows: a preposition of destination, then at least one word the planner never saw, no tool's
   * product ("into a slide deck for the club" is a deck), and no tool like it.
   */
  const unknownDestination = (ws: readonly string[], from: number): boolean => {
    if (!['to', 'on', 'in', 'into', 'onto'].includes(ws[from] ?? '')) return false;
    const dest = ws.slice(from + 1);
    const content = dest.filter(isContent);
    if (content.length === 0 || !content.some((w) => !isKnownWord(vocabulary, w))) return false;
    if (dest.some((w) => isProductWord(w, products))) return false;
    return Math.max(0, ...index.scores(dest.join(' '))) < maxToolScore;
  };
  const judge = (clause: string, listed: ReadonlySet<string>): ClauseCheck => {
    const ws = words(maskPaths(clause));
    // A listed item is what the product holds, not a command: it is not judged (no head, no unknown word).
    if (listed.has(ws.join(' '))) return { clause, unknown: [], toolScore: 0 };
    const content = ws.filter(isContent);
    // A particle finishes its verb ("set up", "track it down"): a word every planner knows, whatever its catalog's words.
    const unknown = content.filter((w) => !isKnownWord(vocabulary, w) && !PARTICLES.has(w));
    const toolScore = content.length === 0 ? 0 : Math.max(0, ...index.scores(clause));
    const action = actionWord(ws);
    const head = action?.head;
    const base = { clause, ...(head ? { head } : {}), unknown, toolScore };
    if (head && framingClause(head, action.next)) return base;
    // "Include the photos" picks what goes into the product being made (see `includesInProduct`).
    if (head && includesInProduct(ws, head, action.next)) return base;
    const at = ws.indexOf(head ?? '');
    // A clause that names a product as its head asks for it ("Website for my agency: menu, prices").
    if (head && isProductWord(head, products) && !OBJECT_STARTS.has(action.next ?? '')) return base;
    // One that sends its object to a folder is what a file writer does ("ship it to ./out").
    if (head && writer && placesOnDisk(ws, at + 1)) return base;
    // An unknown word used as a verb (it takes an object): an action no tool was described or
    // trained for, unless its object goes into something a tool makes ("stick it in a report").
    if (head && !isKnownWord(actions, head) && action.next !== undefined && (OBJECT_STARTS.has(action.next) || countOfThings(ws, at + 1)) && !namesProduct(ws, at + 1, products, true)) return { ...base, reason: 'unknown action' };
    // A known verb on unknown things that resemble no tool ("book a meeting room for Tuesday"), unless the thing is a tool's product.
    // The head must be used as a verb (`takesObject`, tested last: it re-reads the raw clause).
    // Its words mostly unknown and like no tool's: a thing no worker handles, when something acts on it.
    const unfamiliar = toolScore < maxToolScore && unknown.length > 0 && unknown.length >= unknownShare * content.length;
    if (head && !unknown.includes(head) && unfamiliar && !namesProduct(ws, at + 1, products, false) && !namesProduct(ws, at + 1, products, true) && takesObject(clause, head, action.next)) return { ...base, reason: 'unknown object' };
    // The same for a thing asked for with a light verb ("get me the direct line for the fire service"),
    // judged only against a trained model's words: a catalog's words alone miss most things people
    // ask for by name ("give me the mood", "gimme the tone": 7 false reports in 1,788 hand-written
    // train and dev requests zero-shot, for 2 right ones).
    const fetch = head || !trained ? undefined : lightVerbObject(ws);
    if (fetch && unfamiliar && !namesProduct(ws, ws.indexOf(fetch.next), products, false)) return { ...base, reason: 'unknown object' };
    // The result sent somewhere no tool knows ("put it on our Confluence page", "publish it to our
    // Facebook page"): judged only against a trained model's words, as above. Written from the 20
    // undone clauses the check missed in the hand-written train split (it now reports 4 of them and
    // no doable train request more); with a catalog's words alone it reported 23 more of UltraTool's
    // 3,527 doable requests.
    // A slash is a path the planner did not mask ("write it to apps/web/public" in train, "save it to
    // out/jazzfest" in the test split, where it was seen): a place on disk, for the file writer.
    if (trained && head && !unknown.includes(head) && (action.next === 'it' || action.next === 'them') && !/[\\/]/.test(clause) && unknownDestination(ws, at + 2)) return { ...base, reason: 'unknown object' };
    return base;
  };
  // A clause that opens by declining a step ("strike the keyword list", "lose the word count:
  // retro/q1.md") asks for nothing until its decline's scope ends; only what follows is judged. Its
  // verb ("strike", "lose") is no unknown action: 15 right plans of hand-written batches 34-39 were
  // flagged for one.
  const judgeAfterDecline = (clause: string, listed: ReadonlySet<string>): ClauseCheck => {
    const rest = afterOpeningDecline(clause)?.trim();
    if (rest === undefined) return judgeAfterLabel(clause, listed);
    return words(rest).length >= 2 ? judgeAfterLabel(rest, listed) : { clause, unknown: [], toolScore: 0 };
  };
  // A one-word label names what follows it ("doc: lectures/wk3.md", "source: data/trips.csv",
  // "client: Dunmore Tyres", "input = podcast.txt"): a clause reported for its label's word is
  // judged again by its value alone, and stays reported when the value is a command no worker
  // does. The label only takes a report away: "TO: Estates / FROM: Facilities" is no command either
  // way. Such labels had flagged 8 right plans of fresh batch 37 (tickets and chat-ops).
  const judgeAfterLabel = (clause: string, listed: ReadonlySet<string>): ClauseCheck => {
    const whole = judge(clause, listed);
    const label = whole.reason && LABEL.exec(clause);
    if (!label) return whole;
    const value = judge(clause.slice(label[0].length), listed);
    return value.reason ? value : { clause, unknown: [], toolScore: value.toolScore };
  };
  // A pasted table is data, as a quoted passage is: its cells are no clauses.
  const withoutTable = (request: string) => { const t = inlineCsv(request); return t ? `${request.slice(0, t.start)} ${request.slice(t.end)}` : request; };
  const check = (request: string) => {
    const listed = listedContents(request, products);
    return splitRequestClauses(withoutTable(request).replace(QUOTED, ' ').replace(PARENTHESISED, ' '), 1, SPLIT_KEEPING_TIMES).map((c) => judgeAfterDecline(c, listed));
  };
  return { check, unmatched: (request) => check(request).filter((c) => c.reason).map((c) => c.clause), vocabulary };
}

const catalogChecks = new WeakMap<Catalog, OpenWorldCheck>();

/**
 * The check over a catalog's own words (no model's requests), built once per catalog object: what
 * zero-shot planning uses, from either the clause matcher or the general model.
 *
 * @example
 * catalogOpenWorldCheck(catalog) === catalogOpenWorldCheck(catalog) // true
 */
export function catalogOpenWorldCheck(catalog: Catalog): OpenWorldCheck {
  let check = catalogChecks.get(catalog);
  if (!check) catalogChecks.set(catalog, (check = createOpenWorldCheck(catalog, { genericVerbs: GENERIC_VERBS })));
  return check;
}

/** Tool similarity under which a flagged clause counts as undone in zero-shot planning, and under which a clause of unknown words does. */
export const ZERO_SHOT_UNMATCHED = { flaggedBelow: 0.12, unrelatedBelow: 0.02, unrelatedWords: 3 } as const;

/**
 * The clauses zero-shot planning (a catalog no model was trained on) reports as done by no tool:
 * those the check flags whose best tool similarity is also low (under 0.12, chosen on the then dev half
 * of fixtures/planner/handwritten.jsonl, hw-0001..hw-0210: all 11 dev requests with such a clause reported, 12 of the
 * 94 doable ones falsely), and clauses of three or more words no tool text has that resemble no tool
 * ("asdf qwer zxcv"). Without a model's training requests the vocabulary is the catalog's alone, so
 * the check's flag needs the similarity to agree; "best tool cosine under 0.1" alone, used before,
 * reported a clause in 59 of those 94 doable requests (names, dates and numbers pull the cosine
 * down) and in about half of UltraTool's requests.
 *
 * @example
 * zeroShotUnmatched(createOpenWorldCheck(catalog).check('Book a flight to Oslo and water the plants')) // ['water the plants']
 */
export function zeroShotUnmatched(checks: readonly ClauseCheck[]): string[] {
  const { flaggedBelow, unrelatedBelow, unrelatedWords } = ZERO_SHOT_UNMATCHED;
  return checks.filter((c) => (c.reason && c.toolScore < flaggedBelow) || (c.toolScore < unrelatedBelow && c.unknown.length >= unrelatedWords)).map((c) => c.clause);
}

/**
 * Whether no clause of a request is done by any tool: every clause is undone in the zero-shot
 * sense (`zeroShotUnmatched`; pass it when already computed). Such a request gets no plan rather
 * than the least bad tools, from the general model and from a trained one that doubts its plan.
 *
 * @example
 * noClauseFits(check.check('set a reminder to renew my passport')) // true
 */
export function noClauseFits(checks: readonly ClauseCheck[], undone: readonly string[] = zeroShotUnmatched(checks)): boolean {
  return checks.length > 0 && undone.length === checks.length;
}
