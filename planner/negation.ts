import { words } from './encode/features.ts';
import { contentStems, stem } from './encode/stems.ts';
import { maskPaths, maskQuotes } from './slots.ts';
import type { Catalog, Plan, PlanNode } from './types.ts';
import { completeTyped, typedCatalog, type TypedCatalog } from './zero-shot/typed.ts';
import { endSteps, keptNodes } from './renumber.ts';

/**
 * Steps a request says it does not want: "no chart", "skip review", "not a rendered deck", "don't
 * bother with a report", "don't summarise it". The trained models learn to decline only the steps
 * their training requests decline, and neither the members nor the second opinion reads scope
 * ("- keywords from same - no report needed" planned compose-report at 0.99), so the words are read
 * here, for any catalog: a negated word names a tool when it is that tool's output tag or a word of
 * its name, and that tool alone. Hand-written: no parser of negation scope ships in our
 * dependencies, and a cue with a short window covers the phrasings of the training requests.
 * English cues only, like the open-world check.
 */

/**
 * A step taken back in the middle of a message: "scratch the chart", "forget the summary", "drop
 * sentiment", "never mind the keywords", "keep the table, lose the chart", "ignore what I said about
 * the deck", "I changed my mind about the report", "ignore the readability bit". Not "cancel the":
 * in catalogs that book things it is an ask ("cancel the daily alarm"). "forget" only where it is
 * not itself negated ("don't forget the chart" asks for it), and "drop" before a determiner or a
 * bare word, not before "me"/"it" (see `NOT_A_THING`). A whole clause taken back ("no wait",
 * "scratch that") is `corrections.ts`'s.
 */
const TAKEN_BACK = [
  "(?:cancel|ignore|forget|disregard|scratch|strike|scrap) (?:the (?:part|bit)|what i (?:just )?said|(?:my|the) (?:earlier |last |previous )?(?:question|request|ask)) about",
  "(?:i['’]?ve |i have |i )?changed my mind (?:about|on)",
  "never ?mind(?: about)?(?= (?:the|that|those|my|any)\\b)",
  "(?:scratch|strike|scrap|lose|ignore)(?= (?:the|that|those)\\b)",
  "(?<!(?:n['’]?t|not|never) )forget(?: about)?",
  'drop(?:ping)?',
].join('|');

/** A cue match that opens with a step taken back (see `TAKEN_BACK`). */
const TAKEN_BACK_CUE = new RegExp(`^(?:${TAKEN_BACK})`, 'i');

/** Not caring for a thing declines it ("they don't care about reading level", "not fussed about a chart", "without bothering with figures"). */
const NOT_CARING = "(?:(?:don['’]?t|doesn['’]?t|do not|does not) (?:really )?(?:care|worry) (?:about|for)|not (?:bothered|fussed|interested) (?:about|with|in)|without (?:bothering|worrying) (?:with|about))";
/** A step that need not be done ("it need not be reviewed", "doesn't need to be charted"). */
const NEED_NOT = "(?:need not|needn['’]?t|(?:does|do)(?: not|n['’]?t) need to) be";
/**
 * Everything but a step: "everything except the chart", "the whole lot bar the review", "apart from
 * the figures". Not after "nothing", "anything" or "no" ("nothing except the summary" asks only for
 * it), and "bar" only after "everything" or "lot" or before a determiner ("bar chart" is a chart).
 */
const ALL_BUT = "(?<!\\b(?:nothing|anything|none|no|not)\\s+)(?:except(?: for)?(?! (?:i|we|you|he|she|they|it|that|when|if|on|in|at)\\b)|apart from|(?<=\\b(?:everything|lot)\\s+)(?:but|bar|save)|bar(?= (?:the|a|an|any)\\b))";
/** A step put off: "hold off on the deck", "park the keywords" (and "out of scope: …", see `OUT_OF_SCOPE`). */
const PUT_OFF = "(?:hold(?:ing)? off(?: on)?|park(?= (?:the|that|those|any)\\b))";
/** A step already done: "we've already got a summary", "I already have an HTML version". */
const ALREADY_DONE = "(?:already (?:have|has|had|got|wrote|written|made|did|done)(?: my own| our own| your own)?)";
/** A step replaced by another: "readability in place of sentiment", "swap the summary for the keywords" (not "swap my shift with Dave"). */
const REPLACED = "(?:in place of|swap(?:ping)?(?: out)?(?= the [\\w' -]{1,30}? for\\b))";
/** Verbs of making or wanting, which "don't" and "no need to" decline the object of. */
const MAKING = "(?:need|want|make|bother with|bother|include|add|generate|create|render|produce|build|write|do|give me|give|show me|show|draw|touch|use)";
/**
 * A negation cue and the up-to-four words it governs. "not" counts before a determiner ("not a
 * deck", not "not sure the report…") or where a clause opens with it ("only the spec, not code";
 * "Not slides, just those three"); "don't" and "no need to" only before a verb of making or
 * wanting; before another verb, see `NEGATED_VERB`; a step taken back, see `TAKEN_BACK`; a step
 * replaced ("keywords instead of a summary", "the tone rather than a summary"). Longer
 * cues come first, so "no need for a chart" is read whole.
 */
const CUE = new RegExp(
  `\\b(?:(?:don['’]?t|do not) (?:(?:go on|bother|need|have) to )?${MAKING}|${NOT_CARING}|${NEED_NOT}|no need(?: to ${MAKING}| for)?|no to(?= (?:the|a|an|any)\\b)|no|without|skip|skipping|minus|sans|leave out|leave off|omit|omitting|exclude|excluding|instead of|rather than|${REPLACED}|${ALL_BUT}|${PUT_OFF}|${ALREADY_DONE}|${TAKEN_BACK}|not(?= (?:a|an|the|any)\\b)|(?<=^\\s*)not)\\b((?: [\\w'-]+){1,4})`,
  'gi',
);

/** "don't" before any other verb: the verb itself is what is declined ("don't email me", "don't book it yet"), not its object ("don't know the weather"). */
const NEGATED_VERB = new RegExp(`\\b(?:don['’]?t|do not) (?!${MAKING}\\b)([a-z]+)\\b`, 'gi');

/** A verb in -ing with its object: "booking anything", "reading it all". */
const GERUND_WITH_OBJECT = /^ \w+ing (?:it|them|this|that|these|those|the|a|an|any|anything|everything|all|my|our|your|their)\b/i;

/** A degree, not a thing: "not too detailed", "not so formal". */
const DEGREE = /^(?:too|so|very|really|that much|overly|particularly)\b/i;

/**
 * Whether a declined phrase is a thing a planner may read whole: a noun phrase opened by a
 * determiner ("the tone check", "a web page") or one or two words with no verb form ("word count").
 * "I don't want parents feeling attacked" declines no step: what follows "want" there is a clause.
 */
function readableWhole(phrase: string): boolean {
  if (DEGREE.test(phrase)) return false;
  if (/^(?:the|a|an|any|that|this|those|these|my|your|our|its|their)\s/i.test(phrase)) return true;
  const ws = phrase.trim().split(/\s+/);
  return ws.length <= 2 && !ws.some((w) => /(?:ing|ed)$/i.test(w));
}

/** What follows "no" in idioms that negate no thing ("no more than 300 words", "no rush"), or an object that is not a step's product ("don't want it reading as…"). */
const NOT_A_THING = /^ (?:more|less|longer|matter|later|earlier|doubt|one|idea|problem|worries|rush|time|to|it|this|that|them|me|him|her|us|you)\b/i;

/** Words that end the declined noun phrase when it is not their first word: a new determiner, a verb of being, a preposition or a reason ("without a chart the report is useless"). */
const PHRASE_END = /^(?:a|an|the|this|that|these|those|my|your|our|its|their|is|are|was|were|be|will|would|should|can|could|must|for|to|in|on|at|from|with|until|till|because|since|so|please)$/i;

/** The governed words up to where the declined noun phrase ends (see `PHRASE_END`). */
function nounPhrase(governed: string): string {
  const ws = governed.trim().split(/\s+/);
  const end = ws.findIndex((w, i) => i > 0 && PHRASE_END.test(w));
  return (end < 0 ? ws : ws.slice(0, end)).join(' ');
}

/**
 * Where a negation's scope ends: punctuation (a dot only before a space or the end: "file.md" is a
 * masked path), a dash between spaces, and the words that open a new request ("…no chart, just the
 * table"). Captured, so that a scope knows what ended it.
 */
const SCOPE_END = /([,;:!?()\n—–]|\.(?=\s|$)|\s-\s|\b(?:but|just|only|and)\b)/i;

/** The most words of a replaced gerund phrase ("turning file.md into HTML for the site"). */
const MAX_GERUND_WORDS = 6;

/** The first `count` words of `scope` from position `at` ("turning file.md into HTML", "save it yet"). */
const wordsFrom = (scope: string, at: number, count: number): string => scope.slice(at).trim().split(/\s+/).slice(0, count).join(' ');

/** The most words of a declined verb read with what follows it ("save it yet"; see `negatedTools`). */
const MAX_VERB_WORDS = 4;

/** A declined list goes on past "and" when a determiner opens the next item ("skip the keywords and the summary"); a verb there opens a new request ("no chart and summarise it"). ("or" does not end a scope: "no keywords or slides" is one phrase.) */
const LIST_GOES_ON = /^and$/i;
const NEXT_ITEM = /^\s*(?:the|a|an|any)\b((?: [\w'-]+){1,3})/i;

/** Each tool's output tags and name words, stemmed, once per catalog object (a catalog is not changed once planned over). */
const ownerWords = new WeakMap<Catalog, Set<string>[]>();
function toolWords(catalog: Catalog): Set<string>[] {
  let owners = ownerWords.get(catalog);
  // A name word's -ing form too: the stemmer takes "render" to "rend" but "rendering" to "render".
  const forms = (w: string) => [stem(w), stem(`${w}ing`)];
  if (!owners) ownerWords.set(catalog, (owners = catalog.tools.map((t) => new Set([...(t.outputType ?? []).map(stem), ...words(t.name).flatMap(forms)]))));
  return owners;
}

/**
 * A step declined after it is named, where a clause or list item ends: "keywords yes, summary no",
 * "chart - not needed", "the report isn't necessary". Up to three words before the cue, from the
 * start of the item. "No." before a number is one ("at No. 15 Xinyuan Street").
 */
const DECLINED_AFTER = /(?:^|[,;:.!?\n—–(]\s*|\s-\s|\b(?:and|but|or)\s+)((?:[\w'-]+ ){0,2}[\w'-]+):?(?:\s+(?:is|are))?(?:,?\s+(?:also|too))?,?\s*(?:-\s*)?(?:no(?!\.\s*\d)|nope|off|not needed|not necessary|not wanted|not required|unnecessary|unwanted|left out|can wait|(?:—\s*)?skip it|(?:is|are) (?:not|one for another day)(?: needed| necessary| required| wanted)?|(?:isn|aren)['’]?t (?:needed|necessary|required|wanted)|(?:shouldn['’]?t|should not) be (?:on|in) (?:there|it|them)|(?:is|are|was|were) already (?:done|sorted|pulled out|written|made))(?:\s+(?:in|on) (?:it|there|them))?(?=\s*(?:[,;:.!?()\n—–]|\s-\s|$))/gi;

/** The most tools a declined word may be shared by and still name the one of them a plan ends in (see `negatedTools`). */
const MAX_SHARING = 3;

/** Steps put out of scope in a label: "Out of scope for today: summaries", "Out of scope: saving files". */
const OUT_OF_SCOPE = /\bout of scope(?: for [\w ]{1,20}?)?:\s*([\w'-]+(?: [\w'-]+){0,3})/gi;

/** A step left out by "leave … out" around it: "leave the tone out", "leave those charts out of it". */
const LEFT_OUT = /\bleave ((?:the|that|those|these|any) [\w'-]+(?: [\w'-]+)?) out\b/gi;

/**
 * An ask that, after a step was declined, asks for it again: "no keywords. Wait, I do want the
 * keywords after all", "(no chart) … Correction, do include the chart", "I don't need the file yet.
 * Correction, I need the file".
 */
const ASKED_AGAIN = /\b(?:i|we) (?:do |really |still )?(?:need|want)\b([^.;!?\n]*)|([^,.;!?\n—–]*)\b(?:after all|too|as well)\b|\b(?:include|keep|add|add back|bring back|put back|put|do)\b([^.;!?\n]*)/gi;

/** The request as the cues read it: paths and long quoted passages masked, so neither declines a step. */
const masked = (request: string): string => maskQuotes(maskPaths(request));

/**
 * An ask again by a pronoun: "without the chart. Actually the director loves a chart, put it back in",
 * "no summary earlier but include one after all", "don't render it. Scrap that, do render it after all".
 * It takes back every decline before it in its sentence, and an earlier one whose words its sentence
 * names before it ("a chart" above).
 */
const ASKED_AGAIN_BY_PRONOUN = /\b(?:include|put|add|bring|keep|do|render|build|make)\s+(?:it|them|one|that|those)\b(?=[^.;!?\n]*?\b(?:back|after all|too|as well|again)\b)/gi;

/** Where each ask by a pronoun is (see `ASKED_AGAIN_BY_PRONOUN`), where its sentence starts, and the stemmed words of that sentence before it. */
function pronounAsks(masked: string): { sentence: number; at: number; words: Set<string> }[] {
  return [...masked.matchAll(ASKED_AGAIN_BY_PRONOUN)].map((m) => {
    const breaks = [...masked.slice(0, m.index).matchAll(/[.!?;\n](?=\s|$)/g)];
    const sentence = breaks.length > 0 ? breaks[breaks.length - 1].index! + 1 : 0;
    return { sentence, at: m.index!, words: new Set(contentStems(masked.slice(sentence, m.index))) };
  });
}

/** Where in the masked request each ask is, and its stemmed content words (see `ASKED_AGAIN`). */
function asks(masked: string): { at: number; words: Set<string> }[] {
  return [...masked.matchAll(ASKED_AGAIN)].map((m) => ({ at: m.index!, words: new Set(contentStems(m[1] ?? m[2] ?? m[3] ?? '')) }));
}

/**
 * The phrases each negation of `request` governs, as written (most requests have none): "no chart
 * for the report" gives "chart", "keywords yes, summary no" gives "summary".
 *
 * @example
 * negatedPhrases('Stats of data/x.csv, skip the chart and the report') // ['the chart', 'the report']
 */
export function negatedPhrases(request: string): string[] {
  return declinedPhrases(masked(request)).map((d) => d.text);
}

/**
 * A declined phrase, and whether only its words may name a step (`wordsOnly`): a verb after "don't"
 * ("don't email me"), or the object of "drop", which also means "give" ("drop the key phrases from
 * essay.md so I can see…"). Other phrases a planner may read whole (see `negatedTools`).
 */
interface DeclinedPhrase { text: string; at: number; end?: number; wordsOnly: boolean; whole?: boolean; takenBack?: boolean; endsOnly?: boolean; verbPhrase?: string }

/** The declined phrases of a masked request (see `masked`), where each is. */
function declinedPhrases(text: string): DeclinedPhrase[] {
  const found: DeclinedPhrase[] = [];
  // Scopes at even positions, what ended each at the odd ones (see SCOPE_END).
  const parts = text.split(SCOPE_END);
  let listOpen = false;
  // Where each scope starts in the masked request, so an ask after a decline can take it back (see `asks`).
  for (let k = 0, at = 0; k < parts.length; at += parts[k].length + (parts[k + 1]?.length ?? 0), k += 2) {
    const scope = parts[k];
    const item: RegExpExecArray | null = listOpen ? NEXT_ITEM.exec(scope) : null;
    if (item) found.push({ text: nounPhrase(item[1]), at: at + item.index, wordsOnly: false });
    listOpen = item !== null && item.index + item[0].length === scope.trimEnd().length;
    for (const m of scope.matchAll(CUE)) {
      const governed = m[1];
      const governedAt = m.index + m[0].length - governed.length;
      // A gerund with an object after "no" or "without" is what is done another way ("without reading it
      // all"); alone it names a thing ("no rendering"); after "instead of" it is the step replaced.
      // "everything except writing it to disk": the gerund is the step left out, as after "instead of".
      const replaced = /^(?:instead|rather|in place|swap|except|apart|but|bar|save)/i.test(m[0]);
      // "drop the files into ~/site" puts them somewhere: a destination makes "drop" no decline.
      const put = /^drop/i.test(m[0]) && /\b(?:into|in|to|onto|on|at)\b/i.test(scope.slice(governedAt));
      if (put || NOT_A_THING.test(governed) || (!replaced && GERUND_WITH_OBJECT.test(governed)) || /\bor\s*$/i.test(scope.slice(0, m.index))) continue;
      const phrase = nounPhrase(governed);
      // What a step was asked "about" is named in full ("my earlier question about how angry they are").
      const about = /\babout$/i.test(m[0].slice(0, m[0].length - governed.length));
      const takenBack = TAKEN_BACK_CUE.test(m[0]);
      // A step replaced in a gerund names it with what follows its object, to the scope's end:
      // "instead of turning notes.md into HTML" (a path has a dot no cue word takes).
      const gerund = replaced && /^ \w+ing\b/i.test(governed) ? wordsFrom(scope, governedAt, MAX_GERUND_WORDS) : undefined;
      // What the person already has is a product, so it names only a step the plan ends in: "I already
      // have a new verification code" is an input to a verification step, not that step done.
      const had = /^already/i.test(m[0]);
      found.push({ text: gerund ?? (about ? governed.trim() : phrase), at: at + m.index!, end: at + m.index! + m[0].length, wordsOnly: /^drop/i.test(m[0]), ...(about ? { whole: true } : {}), ...(takenBack ? { takenBack } : {}), ...(had ? { endsOnly: true } : {}) });
      // The declined phrase runs to the scope's end: a list may go on after it.
      listOpen = phrase === governed.trim() && m.index + m[0].length === scope.trimEnd().length;
    }
    // The verb with what follows it in its scope ("save it yet"), for a planner to read (see `negatedTools`).
    for (const m of scope.matchAll(NEGATED_VERB)) found.push({ text: m[1], at: at + m.index!, wordsOnly: true, verbPhrase: wordsFrom(scope, m.index! + m[0].length - m[1].length, MAX_VERB_WORDS) });
    listOpen &&= LIST_GOES_ON.test(parts[k + 1]?.trim() ?? '');
  }
  for (const m of text.matchAll(DECLINED_AFTER)) found.push({ text: nounPhrase(m[1]), at: m.index!, wordsOnly: false });
  for (const m of text.matchAll(LEFT_OUT)) found.push({ text: m[1], at: m.index!, wordsOnly: false });
  for (const m of text.matchAll(OUT_OF_SCOPE)) found.push({ text: nounPhrase(m[1]), at: m.index!, wordsOnly: false });
  return found.filter((d) => contentStems(d.text).length > 0);
}

/** Words that may come before a decline opening a clause ("oh and scratch the chart", "ok, lose the tone check"). */
const LEAD_IN = /^(?:\s*(?:oh|and|also|ok|okay|actually|so|but|then|yeah|hmm|um|please|pls|plz)\b[\s,]*)*/i;

/**
 * What a clause that opens by declining a step ("strike the keyword list", "lose the word count:
 * retro/q1.md", "forget the Word doc I asked for") goes on to: the text after the declined
 * phrase's scope ("" when nothing follows), or undefined when the clause does not open with a
 * decline. Such a clause asks for nothing itself, so the open-world check judges only what follows
 * (see `planner/open-world.ts`). A verb declined ("don't email it") is not read so: the clause
 * still names an action, which a catalog may lack.
 *
 * @example
 * afterOpeningDecline('lose the keywords: deck from talk.md') // ' deck from talk.md'
 * afterOpeningDecline('strike the summary I asked for') // ''
 * afterOpeningDecline('summarise it, no chart') // undefined
 */
export function afterOpeningDecline(clause: string): string | undefined {
  // Lead-in words hold no path or quote, so the masked and the raw clause agree up to the decline.
  const start = LEAD_IN.exec(clause)![0].length;
  if (!declinedPhrases(masked(clause)).some((d) => d.at <= start && !d.wordsOnly)) return undefined;
  const end = SCOPE_END.exec(clause.slice(start));
  return end ? clause.slice(start + end.index + end[0].length) : '';
}

/**
 * Which tools a declined phrase of `request` names when none of its words is one tool's own ("the
 * word count", "the tone check"): a planner's reading of the phrase, or nothing when it is unsure.
 * `takenBack` when the phrase takes back a step asked for earlier ("Ignore the readability bit"),
 * so that the rest of the request asks for it is expected. See `phraseNamer` in `plan.ts`.
 */
export type PhraseNamer = (phrase: string, request: string, takenBack?: boolean) => readonly string[];

/**
 * Names of the catalog's tools the request says it does not want. A declined phrase names a tool by
 * a word of that tool's name or output tags; a word shared by two tools ("render": render-deck,
 * render-chart) names the one of them in `planned` (what the plan ends in: "no rendering" in a deck
 * plan; never the read a "no deck file" shares "file" with), else neither; "or not" asks a question
 * ("happy or not"). A phrase with no such word is read by `namer`, when given. A step asked for
 * again after its decline ("... after all", "do include the chart") is not declined.
 *
 * @example
 * negatedTools('Stats table of sales.csv in a report, no chart', catalog) // ['render-chart']
 */
export function negatedTools(request: string, catalog: Catalog, namer?: PhraseNamer, planned?: ReadonlySet<string>): string[] {
  const text = masked(request);
  const phrases = declinedPhrases(text);
  if (phrases.length === 0) return [];
  const later = asks(text);
  const byPronoun = pronounAsks(text);
  const owners = toolWords(catalog);
  const found = new Set<string>();
  for (const { text: phrase, at, end = at + 1, wordsOnly, whole, takenBack, endsOnly, verbPhrase } of phrases) {
    const stems = contentStems(phrase);
    // Asked again by a pronoun in its sentence, or naming it ("… loves a chart, put it back in"): no decline.
    if (byPronoun.some((a) => a.at >= end && (a.sentence <= at || stems.some((w) => a.words.has(w))))) continue;
    // A word asked again after the decline stays, each on its own ("no chart or keywords … do include the
    // chart" still declines the keywords); an ask inside the decline's own words is none ("no need to include keywords").
    const words = stems.filter((w) => !later.some((a) => a.at >= end && a.words.has(w)));
    if (words.length === 0) continue;
    const named = words.flatMap((w) => {
      const owning = owners.flatMap((set, i) => (set.has(w) ? [catalog.tools[i].name] : []));
      // A word two or three tools share names the one of them the plan ends in ("no rendering" in a
      // deck plan); one many tools share is the catalog's domain ("no other bookings during the
      // meeting" over a catalog of booking tools), not a step's name.
      const fewShare = owning.length > 1 && owning.length <= MAX_SHARING;
      const inPlan = fewShare && planned && !wordsOnly ? owning.filter((name) => planned.has(name)) : owning;
      return inPlan.length === 1 ? inPlan : [];
    });
    // A word two tools share still names something: only a phrase naming no tool at all is read whole.
    const shared = words.some((w) => owners.filter((set) => set.has(w)).length > 1);
    // Only a thing is read whole: a verb ("don't judge"), a degree ("not too detailed") or a clause is no step.
    const readWhole = namer && named.length === 0 && !shared && !wordsOnly && (whole || readableWhole(phrase));
    // A declined verb ("don't save it yet") is read with its object, and only where the rest of the
    // request does not ask for the step anyway ("don't judge me" beside a request for the tone).
    const readVerb = namer && named.length === 0 && !shared && verbPhrase !== undefined;
    const reading = readWhole ? namer(phrase, request, takenBack === true) : readVerb ? namer(verbPhrase, request, false) : named;
    for (const name of reading) if (!endsOnly || planned?.has(name)) found.add(name);
  }
  return [...found];
}

/**
 * `plan` without the steps the request says it does not want, when no other step needs them, and
 * the workers dropped. A step is needed by a step it is the only source of: in "a picture, not a
 * table" the chart is drawn from the table alone, so the table stays; in "slides with the key
 * terms, skip figures" the outline has its summary and keywords without the figures, so they go.
 * The steps that fed only a declined step go with it, named in `idle` (see `feedersLeftIdle`).
 * `namer` reads a declined phrase no tool word names (see `negatedTools`).
 *
 * @example
 * dropDeclinedSteps(plan, 'keywords of notes.md - no report needed', catalog).declined // ['compose-report']
 */
export function dropDeclinedSteps<P extends Plan>(plan: P, request: string, catalog: Catalog, namer?: PhraseNamer): { plan: P; declined: string[]; idle: string[] } {
  // A shared word names only a step the plan ends in.
  const negated = negatedTools(request, catalog, namer, new Set(endSteps(plan.nodes).map((n) => n.worker)));
  if (negated.length === 0) return { plan, declined: [], idle: [] };
  const declined = new Set(plan.nodes.filter((n) => negated.includes(n.worker)).map((n) => n.id));
  if (declined.size === 0) return { plan, declined: [], idle: [] };
  const typed = typedPlan(plan, catalog);
  const needed = typed ? neededByType(plan, declined, typed) : new Set(plan.nodes.flatMap((n) => (n.dependsOn.length === 1 ? n.dependsOn : [])));
  const dropped = plan.nodes.filter((n) => declined.has(n.id) && !needed.has(n.id));
  // A plan of declined steps only is left alone: an empty plan cannot run, and the request asked for something.
  if (dropped.length === 0 || dropped.length === plan.nodes.length) return { plan, declined: [], idle: [] };
  const gone = new Set(dropped.map((n) => n.id));
  const nodes = typed ? relinkedAround(plan.nodes, gone, typed) : plan.nodes;
  // The feeders that go with a declined step are named apart (`idle`): nothing leaves a plan without a word.
  const idle = feedersLeftIdle(plan.nodes, nodes, gone);
  for (const n of idle) gone.add(n.id);
  return { plan: { ...plan, nodes: keptNodes(nodes, (id) => !gone.has(id)) }, declined: dropped.map((n) => n.worker), idle: idle.map((n) => n.worker) };
}

/**
 * The steps that fed only declined steps a kept step took from, and feed nothing once the plan is
 * relinked: "a chart of sales.csv and the tone of feedback.txt in a report. Leave the tone out"
 * drops the read of feedback.txt with the tone. Declined steps the plan ended in leave their
 * feeders as the new ends ("stats and a chart, no report" keeps the chart; "no keywords, no
 * slides, just the summary" keeps the summary).
 */
function feedersLeftIdle(before: readonly PlanNode[], relinked: readonly PlanNode[], gone: ReadonlySet<string>): PlanNode[] {
  const consumers = (id: string, nodes: readonly PlanNode[]) => nodes.filter((n) => n.dependsOn.includes(id)).map((n) => n.id);
  // Only a declined step a kept one took from: the plan went on from it.
  const idle = new Set([...gone].filter((id) => consumers(id, before).some((c) => !gone.has(c))));
  for (let more = idle.size > 0; more; ) {
    const next = before.filter((n) => {
      if (idle.has(n.id) || gone.has(n.id)) return false;
      // Feeding a declined end as well is no reason to stay, but it alone is no reason to go.
      const fed = consumers(n.id, before);
      const spent = (id: string) => idle.has(id) || gone.has(id);
      return fed.some((id) => idle.has(id)) && fed.every(spent) && consumers(n.id, relinked).every(spent);
    });
    next.forEach((n) => idle.add(n.id));
    more = next.length > 0;
  }
  // In plan order, as the plan names its steps.
  return before.filter((n) => idle.has(n.id) && !gone.has(n.id));
}

/** A plan's steps as catalog positions, with the catalog's types; undefined for an untyped catalog or a plan that repeats a worker (types cannot say which copy feeds what). */
interface TypedSteps { typed: TypedCatalog; tool: Map<string, number> }
function typedPlan(plan: Plan, catalog: Catalog): TypedSteps | undefined {
  const typed = typedCatalog(catalog);
  const workers = plan.nodes.map((n) => n.worker);
  if (!typed || new Set(workers).size !== workers.length) return undefined;
  const position = new Map(catalog.tools.map((t, i) => [t.name, i]));
  if (!workers.every((w) => position.has(w))) return undefined;
  return { typed, tool: new Map(plan.nodes.map((n) => [n.id, position.get(n.worker)!])) };
}

/**
 * The declined steps a kept step cannot do without: it depends on one, and no step that stays makes
 * anything it takes. "A picture, not a table" keeps the table (the chart is drawn from it alone);
 * "a report with the statistics, no chart" drops the chart (the report takes the table itself).
 */
function neededByType(plan: Plan, declined: ReadonlySet<string>, { typed, tool }: TypedSteps): Set<string> {
  const needed = new Set<string>();
  plan.nodes.forEach((d, j) => {
    const from = d.dependsOn.filter((id) => declined.has(id));
    if (declined.has(d.id) || from.length === 0) return;
    // Only an earlier step can stand in: a later one is fed by this one (the review the coder may also take).
    const fed = plan.nodes.slice(0, j).some((k) => !declined.has(k.id) && typed.feeds[tool.get(k.id)!][tool.get(d.id)!]);
    if (!fed) for (const id of from) needed.add(id);
  });
  return needed;
}

/** `nodes` with each step that depended on a `gone` one linked again by the catalog's types over the steps that stay (see `relinkedByType`): the report that took the chart now takes the table. */
function relinkedAround(nodes: readonly PlanNode[], gone: ReadonlySet<string>, { typed, tool }: TypedSteps): PlanNode[] {
  const staying = nodes.filter((n) => !gone.has(n.id));
  const linked = completeTyped(typed, staying.map((n) => tool.get(n.id)!), [], true);
  const idOf = new Map(staying.map((n) => [tool.get(n.id)!, n.id]));
  return nodes.map((n) => {
    if (gone.has(n.id) || !n.dependsOn.some((id) => gone.has(id))) return n;
    const j = linked.tools.indexOf(tool.get(n.id)!);
    return { ...n, dependsOn: linked.dependsOn[j].map((k) => idOf.get(linked.tools[k])!) };
  });
}

/**
 * `plan` without the steps the request declines (see `dropDeclinedSteps`).
 *
 * @example
 * withoutDeclinedSteps(plan, 'keywords of notes.md - no report needed', catalog) // compose-report dropped
 */
export function withoutDeclinedSteps<P extends Plan>(plan: P, request: string, catalog: Catalog): P {
  return dropDeclinedSteps(plan, request, catalog).plan;
}
