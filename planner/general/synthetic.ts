import type { Catalog, CatalogTool, Example } from '../types.ts';
import { seededRandom } from '../data/split.ts';

/**
 * Training requests made from a catalog alone (no LLM, no hand-written phrases per tool): each plan
 * is a walk along the tool graph, each step a clause derived from the tool's own description or
 * name ("Order Tracking Tool" -> "track my order", "flight_ticket_changing" -> "change the flight
 * ticket"), with slot values invented from parameter names, joined by varied connectives. Only
 * generic English knowledge lives here (verb forms, function words), never a particular catalog.
 */

export interface SynthesisOptions { count?: number /* default 400 */; seed?: number /* default 1 */; maxNodes?: number /* default 4 */ }

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

// ---------------------------------------------------------------- generic English word knowledge

/** Base forms of common verbs: used to recognise verbs and to validate stems of -ing/-ion/-er words. */
const VERBS = new Set(`accept access activate add adjust analyze analyse annotate apply approve archive arrange assemble assign
audit authenticate authorize back backup block book browse build buy calculate call cancel change charge check choose classify
clean clear clip close collect combine compare compile complain complete compose compress compute confirm connect contact control
convert copy count create crop deactivate decode decrypt delete deliver deploy deposit describe design detect diagnose disable
download draft draw edit email enable encode encrypt enter estimate evaluate exchange execute export extract fetch file fill filter
find fix forecast format forward generate get give handle help hire identify import inquire insert install invite issue join label
launch list load locate lock log look mail make manage map mark measure merge message migrate mix modify monitor move navigate
normalize notify obtain open optimize order organize organise parse pay perform pick place plan play post predict prepare print
process produce provide publish purchase put query rank rate read rebook receive recharge recognize recommend reconcile record
recover redeem refund register reject release reload remind remove rename render renew rent reorder repair repay replace reply report
request reschedule reserve reset resize resolve restart restore resume retrieve return review revise rewrite rotate route run save
scan schedule score search select sell send set share ship shorten show sign simulate sort speed split start stop store stream
structure submit subscribe suggest summarize summarise swap switch sync take test top track trade transcribe transfer transform
translate travel trigger turn undo unlock unsubscribe update upgrade upload use validate verify view visit watch withdraw write`.split(/\s+/));

/** Verbs that, first in a Title Case phrase, are usually nouns ("Order Tracking Tool", "Travel Journal"). */
const NOUNISH = new Set(`back backup call charge clip control count deposit design email file fix forecast issue label list lock log
mail map mark message order place plan play post process record repair report request return review route run schedule score
show sign start stop store structure switch test top trade transfer travel turn use watch exchange purchase rent`.split(/\s+/));

/** Action nouns whose verb the suffix rules cannot find (or where a friendlier verb exists). */
const ACTION_NOUNS: Record<string, string[]> = {
  query: ['check', 'look up', 'query'], inquiry: ['check', 'look up'], enquiry: ['check', 'look up'],
  search: ['find', 'search for', 'look for'], lookup: ['look up', 'find'], finding: ['find'], check: ['check'],
  booking: ['book'], reservation: ['reserve', 'book'], cancellation: ['cancel'], modification: ['modify', 'change'],
  application: ['apply for'], analysis: ['analyze'], payment: ['pay'], purchase: ['buy', 'purchase'], sale: ['sell'],
  checkout: ['check out'], login: ['log in to'], logout: ['log out of'], signup: ['sign up for'], entry: ['enter'],
  rental: ['rent'], approval: ['approve'], withdrawal: ['withdraw'], repayment: ['repay'], recharge: ['recharge', 'top up'],
  summary: ['summarize'], backup: ['back up'], acceleration: ['speed up'], speedup: ['speed up'], conversion: ['convert'],
  comparison: ['compare'], deletion: ['delete'], creation: ['create'], exchange: ['exchange'], transfer: ['transfer'],
  change: ['change'], update: ['update'], upload: ['upload'], download: ['download'], review: ['review'], control: ['control'],
  set: ['set'], cancel: ['cancel'], select: ['select'], delete: ['delete'], add: ['add'], remove: ['remove'], get: ['get'],
  create: ['create'], modify: ['modify'], edit: ['edit'], compare: ['compare'], convert: ['convert'], verify: ['verify'],
  sort: ['sort'], merge: ['merge'], rename: ['rename'], send: ['send'], track: ['track'], request: ['request'],
};

/** -er/-or words that are not "one who does" (a "user" does not "use"). */
const NOT_AGENTS = new Set('user computer provider member customer number order letter paper water owner partner server folder container corner manner'.split(' '));
/** Words that name the tool itself, not what it does. */
const TOOL_WORDS = new Set('tool tools api apis interface system utility function module app plugin engine platform endpoint service'.split(' '));
const FUNCTION_WORDS = new Set('a an the my your our their its his her this that these those all any some each every for to of in on at by with from into about and or / & - as'.split(' '));
/** Where a clause stops: what follows is detail, not the task. */
const CUT_WORDS = new Set('such including etc e.g eg i.e ie that which who where whose while when based using via capable used dependent'.split(' '));
/** Words a clause should not end on ("... of a specified", "... schedule tool"). */
const DANGLING = new Set('can specified specific designated various different given existing tool tools api'.split(' '));
/** Verbs that keep a following "for" ("apply for", "look for"); others drop it ("cancel for a ticket" -> "cancel a ticket"). */
const FOR_VERBS = new Set('search look apply ask pay wait call shop prepare plan register vote account care'.split(' '));
const MAX_CLAUSE_WORDS = 9;
/** Common abbreviations in tool names. */
const ABBREVIATIONS: Record<string, string> = { del: 'delete', mod: 'modify', calc: 'calculate', info: 'information', msg: 'message', img: 'image', doc: 'document', docs: 'documents', pic: 'picture', addr: 'address', qty: 'quantity', num: 'number' };

const undouble = (s: string) => (/([b-df-hj-np-tv-z])\1$/.test(s) ? s.slice(0, -1) : s);
const firstKnown = (cands: string[]) => cands.find((c) => VERBS.has(c));

/** The base verb of an -ing form ("cancelling" -> "cancel"); a guess for verbs outside VERBS. */
function fromGerund(w: string): string | undefined {
  if (!/^[a-z]{3,}ing$/.test(w) || w === 'string' || w === 'thing' || w === 'spring') return undefined;
  const s = w.slice(0, -3);
  if (s.length < 2) return undefined;
  const known = firstKnown([s, undouble(s), s + 'e']);
  if (known) return known;
  if (undouble(s) !== s && !/(ll|ss|zz)$/.test(s)) return undouble(s);
  return /([^aeiou](at|iz|v|c|ur|bl|dl)|[an]g|[^aeiou]s)$/.test(s) ? s + 'e' : s;
}

/** The base verb of a third-person form ("provides" -> "provide"); known verbs only. */
function fromThirdPerson(w: string): string | undefined {
  if (!/^[a-z]{3,}s$/.test(w) || /(ss|us|is)$/.test(w)) return undefined;
  return firstKnown([w.slice(0, -1), w.slice(0, -2), w.endsWith('ies') ? w.slice(0, -3) + 'y' : '']);
}

/** Verbs for an action noun ("tracking" -> track, "cancellation" -> cancel, "generator" -> generate). */
function actionVerbs(w: string): string[] | undefined {
  if (Object.hasOwn(ACTION_NOUNS, w)) return ACTION_NOUNS[w];
  const gerund = fromGerund(w);
  if (gerund && VERBS.has(gerund)) return [gerund];
  let cands: string[] = [];
  if (w.endsWith('ification')) cands = [w.slice(0, -9) + 'ify'];
  else if (w.endsWith('ation')) cands = [w.slice(0, -5) + 'ate', w.slice(0, -5) + 'e', w.slice(0, -5)];
  else if (w.endsWith('ion')) cands = [w.slice(0, -3), w.slice(0, -3) + 'e'];
  else if (w.endsWith('ment')) cands = [w.slice(0, -4)];
  else if (/(er|or)$/.test(w) && !NOT_AGENTS.has(w)) {
    const s = w.slice(0, -2);
    cands = [s, undouble(s), s + 'e', s.endsWith('at') ? s + 'e' : ''];
  }
  const v = firstKnown(cands.filter(Boolean));
  return v ? [v] : undefined;
}

/** A word as a verb if it plausibly starts an imperative: base, -s or -ing form of a known verb. */
function asVerb(w: string): { verb: string; base: boolean } | undefined {
  if (VERBS.has(w)) return { verb: w, base: true };
  const v = fromThirdPerson(w) ?? (fromGerund(w) && VERBS.has(fromGerund(w)!) ? fromGerund(w) : undefined);
  return v ? { verb: v, base: false } : undefined;
}

// ---------------------------------------------------------------- text -> wordings

/** One way to say a tool's step: a verb (picked at random), maybe a determiner, then the rest. */
interface Wording { verbs: string[]; rest: string; det: 'any' | 'the' | 'none' }

/** Words of a text, with whether each was capitalised (Title Case hints at a noun phrase). */
function words(text: string): { w: string; cap: boolean }[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_]+/g, ' ')
    .replace(/\s+-\s+|\s+–\s+/g, ' , ')
    .replace(/([,/&])/g, ' $1 ')
    .split(/\s+/)
    .map((raw) => raw.replace(/^["'`]+|["'`.]+$/g, ''))
    .filter((raw) => raw !== '')
    .map((raw) => ({ w: raw.toLowerCase(), cap: /^[A-Z]/.test(raw) }));
}

/** The first sentence of a description, without parentheses. */
function firstSentence(description: string): string {
  const flat = description.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.split(/\.\s+(?=[A-Z])|[;:!?]\s|\n/)[0] ?? '';
}

/** Leading fillers that are about the tool, not the task ("A tool that can ...", "Used to ..."). */
const LEAD = /^(?:this is |this tool (?:is used (?:for|to) |can |will |helps? (?:users? |you )?(?:to )?)?|(?:an? )?tools? (?:that|which|for|to|used for|used to) (?:can |is used to |will |helps? (?:users? |you )?(?:to )?|allows? (?:users? |you )?to )?|(?:an? )?tools? (?=[a-z]+ing\b)|used (?:for|to) |request to |helps? (?:users? |you )(?:to )?|users? (?:can )?(?=[a-z]+ )|you can |allows? (?:users? |you )to |an? (?=\w))/i;

function stripLead(text: string): string {
  let t = text.trim();
  for (let i = 0; i < 4; i++) {
    const next = t.replace(LEAD, '').trim();
    if (next === t) break;
    t = next;
  }
  return t;
}

/** Cuts a clause where detail begins and drops dangling function words at its end. */
function trimClause(ws: string[]): string[] {
  const out: string[] = [];
  for (const w of ws) {
    if (w === ',' || CUT_WORDS.has(w) || out.length >= MAX_CLAUSE_WORDS) break;
    // "reads a document and returns its text": the second verb describes the output, not the task.
    if ((w === 'and' || w === 'then') && fromThirdPerson(ws[out.length + 1] ?? '')) break;
    // "cancel a ticket to cancel a flight": a purpose infinitive repeats the task.
    if (w === 'to' && out.length > 1 && VERBS.has(ws[out.length + 1] ?? '') && !NOUNISH.has(ws[out.length + 1])) break;
    out.push(w);
  }
  while (out.length && (FUNCTION_WORDS.has(out[out.length - 1]) || DANGLING.has(out[out.length - 1]))) out.pop();
  return out;
}

/** "measuring and tracking a range of data" -> "measure and track a range of data"; "change / modify X" -> pick later. */
function imperative(ws: string[]): Wording | undefined {
  const first = asVerb(ws[0]);
  if (!first) return undefined;
  const verbs = [first.verb];
  let i = 1;
  // Alternatives "change / modify / update X" become one wording per verb.
  while (i + 1 < ws.length && (ws[i] === '/' || ws[i] === 'or') && asVerb(ws[i + 1])) { verbs.push(asVerb(ws[i + 1])!.verb); i += 2; }
  const rest = ws.slice(i).map((w, j, all) => (j > 0 && (all[j - 1] === 'and' || all[j - 1] === ',') && fromGerund(w) && VERBS.has(fromGerund(w)!) ? fromGerund(w)! : w));
  let restText = trimClause(rest).join(' ');
  let finalVerbs = verbs;
  // "search for X" reads as well as "find X"; "query for X" as "check X".
  if (verbs.length === 1 && (verbs[0] === 'search' || verbs[0] === 'query') && rest[0] === 'for') {
    finalVerbs = verbs[0] === 'search' ? ['search for', 'find', 'look for'] : ['check', 'look up', 'query'];
    restText = trimClause(rest.slice(1)).join(' ');
  } else if (verbs.length === 1 && (verbs[0] === 'search' || verbs[0] === 'query')) {
    finalVerbs = verbs[0] === 'search' ? ['search', 'find', 'search for'] : ['check', 'look up', 'query'];
  } else if (rest[0] === 'for' && !verbs.some((v) => FOR_VERBS.has(v))) {
    restText = trimClause(rest.slice(1)).join(' ');
  }
  const det = restText !== '' && !FUNCTION_WORDS.has(restText.split(' ')[0]) ? 'any' : 'none';
  return { verbs: finalVerbs, rest: restText, det };
}

/** "order tracking" -> track (my) order; "flight ticket booking modification or rescheduling" -> modify/reschedule (the) flight ticket booking. */
function fromNounPhrase(ws: string[]): Wording | undefined {
  const core = ws.filter((w) => !TOOL_WORDS.has(w));
  let end = core.length - 1;
  while (end >= 0 && (FUNCTION_WORDS.has(core[end]) || core[end] === ',')) end--;
  if (end < 0) return undefined;
  const verbs: string[] = [];
  let start = end;
  // The trailing run of action nouns joined by "or", "and" or "/" ("modification or rescheduling").
  for (let i = end; i >= 0;) {
    const v = actionVerbs(core[i]);
    if (!v) break;
    verbs.push(...v);
    start = i;
    if (i - 2 >= 0 && (core[i - 1] === 'or' || core[i - 1] === '/' || core[i - 1] === 'and') && actionVerbs(core[i - 2])) i -= 2;
    else break;
  }
  if (!verbs.length) return undefined;
  const object = core.slice(0, start).filter((w) => w !== ',' && w !== '/');
  if (object.length === 0 || object.every((w) => FUNCTION_WORDS.has(w))) return undefined;
  return { verbs: [...new Set(verbs)], rest: object.join(' '), det: FUNCTION_WORDS.has(object[0]) ? 'none' : 'any' };
}

/** "use the loan information entry": the fallback that names the tool as a thing. */
function useWording(ws: string[]): Wording | undefined {
  const object = trimClause(ws.filter((w) => w !== 'tool' && w !== 'api' && w !== '/' && w !== 'tools')).slice(0, 6);
  if (!object.length) return undefined;
  return { verbs: ['use'], rest: object.join(' '), det: FUNCTION_WORDS.has(object[0]) ? 'none' : 'the' };
}

/** Is the phrase mostly Title Case ("Order Tracking Tool"), i.e. a name rather than a sentence? */
const titleCase = (ws: { w: string; cap: boolean }[]) => {
  const content = ws.filter((x) => x.w.length > 2 && !FUNCTION_WORDS.has(x.w));
  return content.length > 0 && content.filter((x) => x.cap).length * 3 >= content.length * 2;
};

/** Wordings of a phrase: an imperative when it starts with a verb, else its action noun, else "use the ...". */
function phraseWordings(tokens: { w: string; cap: boolean }[], fromName: boolean): Wording[] {
  const ws = tokens.map((t) => t.w);
  // A one-word name that is a verb ("translate") says nothing more than the verb: "use the translate" would be worse.
  if (!ws.length || (fromName && ws.length === 1 && asVerb(ws[0]))) return [];
  const out: Wording[] = [];
  const verb = asVerb(ws[0]);
  const next = ws[1];
  const pureVerb = verb?.base && !NOUNISH.has(ws[0]);
  // A name says verb_object only with an unambiguous verb; a description also with "Reads a ...", "Search for ...".
  const verbFirst = verb && ws.length > 1 && (fromName || titleCase(tokens) ? pureVerb : pureVerb || (!verb.base && !TOOL_WORDS.has(next)) || FUNCTION_WORDS.has(next));
  if (verbFirst) out.push(imperative(ws)!);
  else {
    const head = trimClause(ws.map((w) => (w === 'for' || w === 'to' || w === 'with' || w === 'that' || w === 'of' ? ',' : w)));
    const noun = fromNounPhrase(head);
    if (noun) out.push(noun);
  }
  const use = useWording(verbFirst ? [] : fromName ? ws : trimClause(ws.map((w) => (w === 'for' || w === 'to' || w === 'with' ? ',' : w))));
  if (use && (!out.length || !fromName)) out.push(use);
  return out.filter((x) => x && (x.rest !== '' || x.verbs[0].includes(' ')));
}

/** "Ordering API for selecting dishes" / "... used for measuring ..." -> the purpose as an imperative. */
function purposeWordings(sentence: string): Wording[] {
  const m = /\b(?:used (?:for|to)|that (?:can|will)|which can|capable of|allows? (?:users? |you )?to|helps? (?:users? |you )?(?:to )?|for(?= [a-z]+ing\b))\s+(.+)$/i.exec(sentence);
  if (!m) return [];
  const ws = words(m[1]).map((t) => t.w);
  const w = ws.length ? imperative(ws) : undefined;
  return w && w.rest ? [w] : [];
}

/** Every wording of a tool: from its description (main phrase and purpose) and from its name. */
function toolWordings(tool: CatalogTool): Wording[] {
  const sentence = stripLead(firstSentence(tool.description ?? ''));
  const fromDescription = sentence ? [...phraseWordings(words(sentence), false), ...purposeWordings(sentence)] : [];
  const nameTokens = words(tool.name.replace(/[-.]+/g, ' ')).map((t) => ({ w: Object.hasOwn(ABBREVIATIONS, t.w) ? ABBREVIATIONS[t.w] : t.w, cap: false })).filter((t) => !/^(tool|tools|api)$/.test(t.w));
  const fromName = /[a-z]/.test(tool.name) ? phraseWordings(nameTokens, true) : [];
  const all = [...fromDescription, ...fromName];
  const seen = new Set<string>();
  const unique = all.filter((w) => { const k = w.verbs.join('|') + ':' + w.rest; if (seen.has(k)) return false; seen.add(k); return true; });
  // A name without letters ("42") still has to be named, or the clause would not identify the tool.
  return unique.length ? unique : [{ verbs: ['use tool', 'run tool', 'call tool'], rest: tool.name, det: 'none' }];
}

/** Lower-case content stems of a tool's own text: a clause must share one, or it does not identify the tool. */
function stemsOf(text: string): Set<string> {
  return new Set(words(text).map((t) => t.w.slice(0, 4)).filter((s) => s.length >= 3 || /^\d+$/.test(s)));
}

/** "an order", and "an sms": a vowel-less word is spelled out, and "s" is said "ess". */
const anBefore = (w: string) => /^[aeiou]/.test(w) || (!/[aeiouy]/.test(w) && /^[fhlmnrsx]/.test(w));

function sayWording(rand: Rand, w: Wording): string {
  // The head noun ends the first run of content words: "documents into another language" is plural.
  const restWords = w.rest.split(' ');
  const firstFunction = restWords.findIndex((x) => FUNCTION_WORDS.has(x));
  const head = restWords[(firstFunction < 0 ? restWords.length : firstFunction) - 1] ?? '';
  const plural = /[^s]s$/.test(head);
  const det = w.det === 'the' ? 'the' : w.det === 'any' ? pick(rand, plural ? ['the', 'my', 'the', ''] : ['the', 'my', 'the', 'a']) : '';
  return [pick(rand, w.verbs), det, w.rest].filter(Boolean).join(' ').replace(/\ba ([a-z]+)/g, (m, next: string) => (anBefore(next) ? `an ${next}` : m));
}

// ---------------------------------------------------------------- slots

const CITIES = ['Berlin', 'Lisbon', 'Osaka', 'Toronto', 'Nairobi', 'Lima', 'Oslo', 'Austin', 'Hanoi', 'Porto'];
const PEOPLE = ['Ana Silva', 'Tom Becker', 'Mei Lin', 'Omar Haddad', 'Sara Novak', 'Raj Patel', 'Lena Fischer'];
const DATES = ['March 12', 'next Monday', 'June 3rd', '2024-09-18', 'tomorrow', 'Friday', 'October 7'];
const TIMES = ['9:30 AM', '14:00', '7 PM', 'noon', '8:15 AM'];
const TOPICS = ['quarterly results', 'the team offsite', 'solar panels', 'the spring release', 'customer feedback', 'budget review'];
const GENERIC = ['standard', 'premium', 'express', 'basic', 'weekly', 'blue', 'large'];

type SlotKind = 'place' | 'date' | 'time' | 'other';

/** An invented value for a parameter, from its name alone ("order_id" -> "48213", "city" -> "Lisbon"). */
function slotValue(rand: Rand, param: string): { kind: SlotKind; value: string } {
  const p = words(param).map((t) => t.w).join(' ');
  const int = (lo: number, hi: number) => String(lo + Math.floor(rand() * (hi - lo)));
  if (/\b(email|mail)\b/.test(p)) return { kind: 'other', value: pick(rand, PEOPLE).split(' ')[0].toLowerCase() + '@example.com' };
  if (/\b(phone|mobile|tel|telephone)\b/.test(p)) return { kind: 'other', value: `555-01${int(10, 99)}` };
  if (/\b(id|no|number|code|num|pin|account|card)\b|id$/.test(p)) return { kind: 'other', value: int(10000, 99999) };
  if (/\b(date|day|deadline|birthday)\b/.test(p)) return { kind: 'date', value: pick(rand, DATES) };
  if (/\b(time|hour|clock)\b/.test(p)) return { kind: 'time', value: pick(rand, TIMES) };
  if (/\b(city|location|place|destination|origin|address|from|to|country|region|area|departure|arrival|venue)\b/.test(p)) return { kind: 'place', value: pick(rand, CITIES) };
  if (/\b(name|person|passenger|user|owner|recipient|contact|guest|customer|attendee|author)\b/.test(p)) return { kind: 'other', value: pick(rand, PEOPLE) };
  if (/\b(amount|price|budget|cost|fee|balance|salary|money|total)\b/.test(p)) return { kind: 'other', value: `$${int(20, 2000)}` };
  if (/\b(count|quantity|nights|people|guests|size|limit|max|min|number of|days|duration)\b/.test(p)) return { kind: 'other', value: int(2, 9) };
  if (/\b(language|lang|locale)\b/.test(p)) return { kind: 'other', value: pick(rand, ['French', 'Spanish', 'German', 'Japanese']) };
  if (/\b(currency)\b/.test(p)) return { kind: 'other', value: pick(rand, ['USD', 'EUR', 'JPY', 'GBP']) };
  if (/\b(path|file|filename|folder|dir|directory)\b/.test(p)) return { kind: 'other', value: pick(rand, ['notes/report.md', 'data/sales.csv', 'docs/intro.txt']) };
  if (/\b(url|link|website|site|uri)\b/.test(p)) return { kind: 'other', value: 'https://example.com/' + pick(rand, ['docs', 'pricing', 'blog']) };
  if (/\b(text|content|message|query|keyword|keywords|topic|title|subject|description|note|body|prompt)\b/.test(p)) return { kind: 'other', value: `"${pick(rand, TOPICS)}"` };
  return { kind: 'other', value: pick(rand, GENERIC) };
}

/** A slot said inside a clause ("in Lisbon", "with the order id 48213") or as a context sentence. */
function slotPhrase(rand: Rand, param: string, slot: { kind: SlotKind; value: string }): string {
  const label = words(param).map((t) => t.w).join(' ');
  if (slot.kind === 'place') return pick(rand, [`in ${slot.value}`, `for ${slot.value}`]);
  if (slot.kind === 'date') return pick(rand, [`on ${slot.value}`, `for ${slot.value}`]);
  if (slot.kind === 'time') return `at ${slot.value}`;
  return pick(rand, [`with the ${label} ${slot.value}`, `for ${label} ${slot.value}`, `(${label}: ${slot.value})`]);
}

function contextSentence(param: string, value: string): string {
  return `My ${words(param).map((t) => t.w).join(' ')} is ${value}.`;
}

// ---------------------------------------------------------------- plans (walks on the tool graph)

/** Plan lengths: mostly 2-3 nodes, sometimes 1 or up to maxNodes. */
function planLength(rand: Rand, maxNodes: number): number {
  const r = rand();
  const len = r < 0.15 ? 1 : r < 0.55 ? 2 : r < 0.87 ? 3 : 4 + Math.floor(rand() * Math.max(1, maxNodes - 3));
  return Math.max(1, Math.min(maxNodes, len));
}

/** The catalog's tools that have a name (odd input is skipped, not thrown on). */
const toolsOf = (catalog: Catalog): CatalogTool[] =>
  (Array.isArray(catalog?.tools) ? catalog.tools : []).filter((t) => t && typeof t === 'object' && (typeof t.name === 'string' ? t.name !== '' : typeof t.name === 'number'));

interface Graph { names: string[]; succ: Map<string, string[]>; pred: Map<string, string[]>; hasLinks: boolean }

function toolGraph(catalog: Catalog): Graph {
  const names = [...new Set(toolsOf(catalog).map((t) => String(t.name)))];
  const known = new Set(names);
  const succ = new Map<string, string[]>(), pred = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, v: string) => { const l = m.get(k) ?? []; if (!l.includes(v)) l.push(v); m.set(k, l); };
  for (const l of Array.isArray(catalog?.links) ? catalog.links : []) {
    if (!l || typeof l !== 'object') continue;
    const s = String(l.source), t = String(l.target);
    if (s === t || !known.has(s) || !known.has(t)) continue; // a self-link cannot make a chain of distinct steps
    add(succ, s, t);
    add(pred, t, s);
  }
  return { names, succ, pred, hasLinks: succ.size > 0 };
}

/** A chain through `start`: forward (and backward) along links, preferring tools not yet covered. */
function walk(rand: Rand, g: Graph, start: string, len: number, uncovered: Set<string>): string[] {
  const nodes = [start];
  const inPlan = new Set(nodes);
  const choose = (cands: string[]) => { const fresh = cands.filter((c) => uncovered.has(c)); return pick(rand, fresh.length ? fresh : cands); };
  if (!g.hasLinks) {
    if (len >= 2 && g.names.length >= 2) nodes.push(choose(g.names.filter((n) => n !== start)));
    return nodes;
  }
  const forwardFirst = rand() < 0.7;
  for (const dir of forwardFirst ? ['fwd', 'back'] : ['back', 'fwd']) {
    while (nodes.length < len) {
      const end = dir === 'fwd' ? nodes[nodes.length - 1] : nodes[0];
      const cands = ((dir === 'fwd' ? g.succ : g.pred).get(end) ?? []).filter((c) => !inPlan.has(c));
      if (!cands.length) break;
      const next = choose(cands);
      inPlan.add(next);
      if (dir === 'fwd') nodes.push(next); else nodes.unshift(next);
    }
  }
  return nodes;
}

// ---------------------------------------------------------------- requests

const OPENERS: { lead: string; end: '.' | '?' }[] = [
  { lead: 'Please ', end: '.' }, { lead: 'I need to ', end: '.' }, { lead: 'I want to ', end: '.' }, { lead: "I'd like to ", end: '.' },
  { lead: 'Could you ', end: '?' }, { lead: 'Can you ', end: '?' }, { lead: 'Help me ', end: '.' }, { lead: '', end: '.' },
  { lead: 'Can you help me ', end: '?' },
];
const CONNECTIVES = [', then ', ' and then ', ', and after that ', ', after that ', ' and ', '. Then ', ', next '];
const FINAL_CONNECTIVES = [', and finally ', ' and then ', ', then ', ' and '];

function joinClauses(rand: Rand, clauses: string[]): string {
  const opener = pick(rand, OPENERS);
  let body = clauses.length > 1 && rand() < 0.25 ? 'first ' + clauses[0] : clauses[0];
  for (let i = 1; i < clauses.length; i++) body += pick(rand, i === clauses.length - 1 && i > 1 ? FINAL_CONNECTIVES : CONNECTIVES) + clauses[i];
  const text = (opener.lead + body).replace(/\.\s+then /g, '. Then ');
  return text.charAt(0).toUpperCase() + text.slice(1) + opener.end;
}

/**
 * Labelled requests made from the catalog alone: tool names, descriptions, parameter names, graph
 * paths, paraphrase templates. Plans are chains along `catalog.links` (a link source -> target means
 * target may consume source's output), every tool is covered while `count` allows, and the same
 * seed always gives the same examples.
 *
 * @example
 * const catalog = { tools: [{ name: 'order_tracking', description: 'Order Tracking Tool' }, { name: 'send_sms', description: 'SMS notification sending tool' }],
 *   links: [{ source: 'order_tracking', target: 'send_sms' }] };
 * synthesizeExamples(catalog, { order_tracking: ['order_id'] }, { count: 2 })
 * // [{ id: 'synthetic-0', request: 'Please track my order with the order id 48213, then send an sms notification.', nodes: ['order_tracking', 'send_sms'], links: [...] }, ...]
 */
export function synthesizeExamples(catalog: Catalog, params?: Readonly<Record<string, readonly string[]>>, options: SynthesisOptions = {}): Example[] {
  const count = Math.max(0, Math.floor(options.count ?? 400));
  const maxNodes = Math.max(1, Math.floor(options.maxNodes ?? 4));
  const rand = seededRandom(options.seed ?? 1);
  const g = toolGraph(catalog);
  if (!g.names.length) return [];
  const byName = new Map(toolsOf(catalog).map((t) => [String(t.name), t]));
  const wordingCache = new Map<string, Wording[]>();
  const wordingsOf = (name: string) => {
    let ws = wordingCache.get(name);
    if (!ws) {
      const tool = byName.get(name)!;
      const description = typeof tool.description === 'string' ? tool.description : '';
      const stems = stemsOf(`${name} ${description}`);
      const shares = (text: string) => [...stemsOf(text)].some((s) => stems.has(s));
      // A wording must share a word with the tool's own text, or it would not identify the tool.
      ws = toolWordings({ name, description })
        .map((w) => (shares(w.rest) ? w : { ...w, verbs: w.verbs.filter(shares) }))
        .filter((w) => w.verbs.length > 0);
      if (!ws.length) ws = [{ verbs: ['use tool', 'run tool'], rest: name, det: 'none' }];
      wordingCache.set(name, ws);
    }
    return ws;
  };
  const order = g.names.map((n) => [rand(), n] as const).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const uncovered = new Set(order);
  let cursor = 0;
  const out: Example[] = [];
  for (let i = 0; i < count; i++) {
    while (cursor < order.length && !uncovered.has(order[cursor])) cursor++;
    const start = cursor < order.length ? order[cursor] : pick(rand, g.names);
    const len = g.hasLinks ? planLength(rand, maxNodes) : Math.min(maxNodes, rand() < 0.5 ? 1 : 2);
    const nodes = walk(rand, g, start, len, uncovered);
    for (const n of nodes) uncovered.delete(n);
    out.push({ id: `synthetic-${i}`, request: requestFor(rand, nodes, wordingsOf, params), nodes, links: nodes.slice(1).map((t, j) => ({ source: nodes[j], target: t })), synthetic: true });
  }
  return out;
}

/** A wording, "use the ..." only now and then when the tool also has a real verb. */
function pickWording(rand: Rand, ws: Wording[]): Wording {
  const verbal = ws.filter((w) => w.verbs[0] !== 'use');
  return verbal.length && (verbal.length === ws.length || rand() < 0.85) ? pick(rand, verbal) : pick(rand, ws.filter((w) => w.verbs[0] === 'use'));
}

/** One request for a chain: a clause per step, slots from parameter names, sometimes a context sentence first. */
function requestFor(rand: Rand, nodes: string[], wordingsOf: (n: string) => Wording[], params?: Readonly<Record<string, readonly string[]>>): string {
  let context = '';
  const clauses = nodes.map((name) => {
    let clause = sayWording(rand, pickWording(rand, wordingsOf(name)));
    const declared = params && Object.hasOwn(params, name) ? params[name] : undefined;
    const names = (Array.isArray(declared) ? declared : []).filter((p) => typeof p === 'string' && p.trim() !== '');
    const nSlots = names.length ? Math.floor(rand() * Math.min(3, names.length + 1)) : 0;
    const chosen = names.map((p) => [rand(), p] as const).sort((a, b) => a[0] - b[0]).slice(0, nSlots).map(([, p]) => p);
    for (const param of chosen) {
      const slot = slotValue(rand, param);
      if (!context && rand() < 0.2) context = contextSentence(param, slot.value) + ' ';
      else clause += ' ' + slotPhrase(rand, param, slot);
    }
    return clause;
  });
  return context + joinClauses(rand, clauses);
}
