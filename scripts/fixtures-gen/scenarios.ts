/**
 * Scenario families for the default-catalog training set. Each draws a plan shape (which
 * workers, which hand-offs) and a phrasing for it from the same random choices, so the
 * words always determine the gold DAG: an intent is in the DAG exactly when the text asks for
 * it (or, for decks, when the deck needs it: a deck always carries a summary).
 */
import type { Rng } from './rng.ts';
import { finishDag, type GoldDag, type Link } from './dag.ts';
import * as V from './vocab.ts';
import type { Intent } from './vocab.ts';

export interface Sample extends GoldDag {
  request: string;
  family: string;
  /** The sentence of `request` that asks for something no worker does (not in the DAG). */
  unmatched?: string[];
}

const link = (source: string, target: string): Link => ({ source, target });

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`template ${JSON.stringify(template)} needs {${k}}`);
    return vars[k] as string;
  });
}

/** "a", "a and b", "a, b and c" (sometimes with an Oxford comma). */
function list(rng: Rng, items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  const last = items[items.length - 1];
  const sep = items.length > 2 && rng.chance(0.3) ? ', and ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${sep}${last}`;
}

/** Upper-cases the first letter unless the text starts with a path, which must stay verbatim. */
function capitalize(text: string): string {
  const first = text.split(/\s/, 1)[0] ?? '';
  return /[/.~`'"\\]/.test(first) ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(rng: Rng, body: string, question = false): string {
  const opener = rng.pick(V.OPENERS);
  let text = capitalize(opener + body);
  const asks = /^(can|could|would) /i.test(opener) || question;
  text = text.replace(/[.\s]+$/, '') + (asks ? '?' : rng.chance(0.15) ? '' : '.');
  return text + rng.pick(V.CLOSERS);
}

/** A folder: a familiar one, or a made-up one (temp-style, nested, numbered). */
function dir(rng: Rng): string {
  if (rng.chance(0.65)) return rng.pick(V.DIRS);
  const w = () => rng.pick(V.PATH_WORDS);
  const suffix = () => Math.floor(rng.next() * 36 ** 5).toString(36).padStart(5, '0');
  switch (rng.int(0, 4)) {
    case 0: return `/tmp/${w()}-${suffix()}/`;
    case 1: return `~/${w()}/${w()}/`;
    case 2: return `./${w()}_${rng.int(1, 99)}/`;
    case 3: return `/home/${w()}/${w()}-${suffix()}/`;
    default: return `${w()}/${w()}/`;
  }
}

function stemOr(rng: Rng, stems: readonly string[]): string {
  if (rng.chance(0.7)) return rng.pick(stems);
  const w = () => rng.pick(V.PATH_WORDS);
  return rng.pick([`${w()}-${w()}`, `${w()}_${rng.int(2015, 2026)}`, `${w()}${rng.int(1, 9)}`]);
}

/** Sometimes the instruction names an output folder; the plan is the same, the run writes there.
 *
 * @example
 * withOutDir(rng, 'chart sales.csv', 1) // 'chart sales.csv, and save it to out/'
 */
export function withOutDir(rng: Rng, body: string, p = 0.2): string {
  // A folder is named here, never the empty "current folder" that `dir` may return.
  return rng.chance(p) ? body + rng.pick(V.OUTDIR_CLAUSES).replace('{dir}', dir(rng) || './') : body;
}

function docPath(rng: Rng, markdown: boolean): string {
  const stem = stemOr(rng, markdown ? V.MD_STEMS : V.DOC_STEMS);
  // .md is the commonest document of all, so the extension alone must not suggest HTML conversion.
  const ext = markdown ? rng.pick(['.md', '.md', '.md', '.markdown']) : rng.pick(V.DOC_EXTS);
  const path = dir(rng) + stem + ext;
  // Some users quote paths, and some paths have spaces, which then must be quoted.
  if (rng.chance(0.08)) return `"${dir(rng)}${stem.replace(/[-_]/g, ' ')}${ext}"`;
  return rng.chance(0.12) ? `\`${path}\`` : path;
}

function csvPath(rng: Rng): string {
  const path = dir(rng) + stemOr(rng, V.CSV_STEMS) + '.csv';
  return rng.chance(0.1) ? `'${path}'` : path;
}

function quoted(rng: Rng, markdown: boolean): string {
  const text = markdown ? rng.pick(V.MD_QUOTES) : rng.pick(V.QUOTES);
  const q = rng.pick(['"', '"', '“']);
  return q === '“' ? `“${text}”` : `"${text}"`;
}

/** Picks k distinct intents from `pool`, in a random (text) order. */
function someIntents(rng: Rng, pool: Intent[], min: number, max: number): Intent[] {
  const k = rng.int(min, Math.min(max, pool.length));
  return rng.shuffle(pool).slice(0, k);
}

type Goal = 'deck' | 'outline' | 'report' | 'none';

/** Document (or quoted text) analysis: parallel analyses, optionally joined into slides or a report.
 *
 * @example
 * documentScenario(createRng(1)).nodes // e.g. ['read-file', 'extract-text', ...]
 */
export function documentScenario(rng: Rng): Sample {
  const roll = rng.next();
  const goal: Goal = roll < 0.24 ? 'deck' : roll < 0.32 ? 'outline' : roll < 0.6 ? 'report' : 'none';
  const fromQuote = (goal === 'report' || goal === 'none') && rng.chance(0.2);
  let intents: Intent[];
  if (goal === 'deck' || goal === 'outline') {
    intents = someIntents(rng, ['F', 'K'], 0, 2);
    // The summary is always in a deck; mentioning it is optional.
    if (rng.chance(0.5)) intents.splice(rng.int(0, intents.length), 0, 'S');
  } else if (goal === 'report') {
    intents = someIntents(rng, ['S', 'K', 'M', 'T'], 1, 4);
  } else {
    const pool: Intent[] = fromQuote ? ['S', 'K', 'M', 'T'] : ['S', 'F', 'K', 'M', 'T'];
    intents = someIntents(rng, pool, 1, 3);
    // HTML conversion alone, or alongside up to three analyses.
    if (rng.chance(0.12)) intents = rng.chance(0.45) ? ['H'] : rng.chance(0.5) ? [...intents, 'H'] : ['H', ...intents];
  }
  const markdown = intents.includes('H');

  const nodes: string[] = [];
  const links: Link[] = [];
  let root: string | undefined;
  if (!fromQuote) {
    nodes.push('read-file', 'extract-text');
    links.push(link('read-file', 'extract-text'));
    root = 'extract-text';
  }
  const workers = new Set(intents.map((i) => V.INTENT_WORKER[i]));
  if (goal === 'deck' || goal === 'outline') workers.add('summarise');
  for (const w of workers) {
    nodes.push(w);
    if (root) links.push(link(root, w));
  }
  if (goal === 'deck' || goal === 'outline') {
    nodes.push('structure-slides');
    for (const w of workers) links.push(link(w, 'structure-slides'));
    if (goal === 'deck') {
      nodes.push('render-deck');
      links.push(link('structure-slides', 'render-deck'));
    }
  } else if (goal === 'report') {
    nodes.push('compose-report');
    for (const w of workers) links.push(link(w, 'compose-report'));
  }

  const quote = fromQuote ? { label: rng.pick(['this text', 'this comment', 'this message', 'this paragraph', 'this review', 'the following']), text: quoted(rng, markdown) } : undefined;
  const object = quote
    ? rng.pick([`${quote.label}: ${quote.text}`, quote.text, `the passage ${quote.text}`])
    : docPath(rng, markdown);
  const request = quote && rng.chance(0.3) ? phraseQuoteLast(rng, goal, intents, quote) : phraseDocument(rng, goal, intents, object, fromQuote);
  return { family: `doc-${goal}${fromQuote ? '-quote' : ''}`, request, ...finishDag(nodes, links) };
}

/**
 * A quoted text named first and quoted last: 'is this comment friendly or hostile? "..."' or
 * 'write up the readability stats of this paragraph as a report: "..."'.
 */
function phraseQuoteLast(rng: Rng, goal: Goal, intents: Intent[], quote: { label: string; text: string }): string {
  if (goal === 'report') {
    const nouns = list(rng, intents.map((i) => rng.pick(V.INTENT_NOUNS[i])));
    return capitalize(`${rng.pick(['write up', 'turn', 'present'])} ${nouns} of ${quote.label} as ${rng.pick(V.REPORT_NOUNS)}: ${quote.text}`);
  }
  const qs = intents.map((i, k) => fill(rng.pick(V.INTENT_QUESTIONS[i]), { it: k === 0 ? quote.label : 'it' }));
  return capitalize(`${list(rng, qs)}? ${quote.text}`);
}

function phraseDocument(rng: Rng, goal: Goal, intents: Intent[], object: string, fromQuote: boolean): string {
  const pron = () => rng.pick(V.PRONOUNS.filter((p) => !fromQuote || p !== 'the file'));
  const verbs = (first: string) =>
    intents.map((i, k) => (k > 0 && rng.chance(0.25) ? rng.pick(V.INTENT_VERBS_ITS[i]) : fill(rng.pick(V.INTENT_VERBS[i]), { it: k === 0 ? first : pron() })));
  const nouns = () => intents.map((i) => rng.pick(V.INTENT_NOUNS[i]));
  const goalVerb = (it: string) =>
    goal === 'deck' ? fill(rng.pick(V.DECK_VERBS), { it }) : goal === 'outline' ? fill(rng.pick(V.OUTLINE_VERBS), { it }) : rng.pick(V.REPORT_CLAUSES);
  const goalNoun = () =>
    goal === 'deck' ? rng.pick(V.DECK_NOUNS) : goal === 'outline' ? rng.pick(V.OUTLINE_NOUNS) : rng.pick(V.REPORT_NOUNS);
  const read = rng.pick(['read', 'open', 'load', 'take', 'go through', 'use']);
  const style = rng.int(0, 5);
  // Goals that write a file may name the folder for it.
  const out = (body: string) => (goal === 'deck' || goal === 'report' || intents.includes('H') ? withOutDir(rng, body) : body);

  if (goal === 'none') {
    // Asked as questions: "is X positive or negative, and how long is it?"
    if (rng.chance(0.22)) {
      const qs = intents.map((i, k) => fill(rng.pick(V.INTENT_QUESTIONS[i]), { it: k === 0 ? object : pron() }));
      return capitalize(`${rng.pick(['', '', 'quick question: ', 'hey, ', 'so '])}${list(rng, qs)}?`) + rng.pick(V.CLOSERS);
    }
    // One step asked for, the others named: "turn X into HTML, plus a summary and the keywords of it".
    if (intents.length >= 2 && rng.chance(0.15)) {
      const [first, ...rest] = intents;
      return sentence(rng, out(`${fill(rng.pick(V.INTENT_VERBS[first]), { it: object })}, plus ${list(rng, rest.map((i) => rng.pick(V.INTENT_NOUNS[i])))} ${rng.pick(['of it', 'for it', 'from it'])}`));
    }
    switch (style % 3) {
      case 0:
        return sentence(rng, out(list(rng, verbs(object))));
      case 1:
        return sentence(rng, `${rng.pick(V.GET)} ${list(rng, nouns())} ${rng.pick(['of', 'for', 'from'])} ${object}`);
      default:
        return fromQuote
          ? sentence(rng, `${list(rng, verbs(object))}`)
          : `${object}: ${list(rng, verbs(pron()))}.` + rng.pick(V.CLOSERS);
    }
  }
  if (intents.length === 0) {
    return style % 2 === 0
      ? sentence(rng, out(goalVerb(object)))
      : sentence(rng, out(`${rng.pick(V.MAKE)} ${goalNoun()} from ${object}`));
  }
  switch (style) {
    case 0: // read X, do a, b and the goal
      return sentence(rng, out(`${read} ${object}, ${list(rng, [...verbs(pron()), goal === 'report' ? rng.pick(V.REPORT_CLAUSES) : goalVerb(pron())])}`));
    case 1: // make the goal from X with nouns
      return sentence(rng, out(`${rng.pick(V.MAKE)} ${goalNoun()} from ${object} ${rng.pick(['with', 'including', 'that covers', 'containing'])} ${list(rng, nouns())}`));
    case 2: // X first
      return capitalize(`${object} — ${list(rng, verbs(pron()))}, then ${goalVerb(pron())}.`) + rng.pick(V.CLOSERS);
    case 3: // two sentences
      return `I have ${fromQuote ? 'some text' : 'a document'} here: ${object}. ${sentence(rng, list(rng, verbs(pron())))} ${sentence(rng, `then ${goalVerb(pron())}`)}`;
    case 4: // goal first
      return sentence(rng, `${goal === 'report' ? rng.pick(V.MAKE) + ' ' + goalNoun() : goalVerb(object)}${goal === 'report' ? ` about ${object}` : ''}; ${rng.pick(['include', 'it should have', 'make sure it has', 'cover'])} ${list(rng, nouns())}`);
    default: // verbs first, goal last
      return sentence(rng, out(`${list(rng, verbs(object))}, and ${goal === 'report' ? rng.pick(V.REPORT_CLAUSES) : goalVerb(pron())}`));
  }
}

type CsvGoal = 'table' | 'chart' | 'report-chart' | 'report-table';

/** A CSV file: statistics, a chart, or a report with either.
 *
 * @example
 * csvScenario(createRng(1)).nodes // e.g. ['read-file', 'extract-text', ...]
 */
export function csvScenario(rng: Rng): Sample {
  const goal: CsvGoal = rng.pick(['table', 'chart', 'chart', 'report-chart', 'report-chart', 'report-table']);
  const csv = csvPath(rng);
  const nodes = ['csv-stats'];
  const links: Link[] = [];
  if (goal === 'chart' || goal === 'report-chart') {
    nodes.push('render-chart');
    links.push(link('csv-stats', 'render-chart'));
  }
  if (goal.startsWith('report')) {
    nodes.push('compose-report');
    links.push(link(goal === 'report-chart' ? 'render-chart' : 'csv-stats', 'compose-report'));
  }
  let body: string;
  const table = fill(rng.pick(V.TABLE_VERBS), { csv });
  const chart = fill(rng.pick(V.CHART_VERBS), { csv });
  // Terse ("data.csv: stats, a bar chart, and a report with both") and question forms, as people write them.
  if (rng.chance(0.18)) {
    const stats = rng.pick(V.TABLE_NOUNS), chartNoun = rng.pick(V.CHART_NOUNS);
    const terse = goal === 'table' ? `${csv}: ${stats} only`
      : goal === 'chart' ? `${csv}: ${chartNoun} please`
        : goal === 'report-chart' ? `${csv}: ${stats} and ${chartNoun}, then ${rng.pick(V.REPORT_NOUNS)} containing them`
          : `${csv}: ${stats} in ${rng.pick(V.REPORT_NOUNS)}, table only`;
    return { family: `csv-${goal}`, request: terse + rng.pick(['.', '', '!']) + rng.pick(V.CLOSERS), ...finishDag(nodes, links) };
  }
  if (goal === 'table' && rng.chance(0.2)) {
    return { family: 'csv-table', request: sentence(rng, fill(rng.pick(V.TABLE_QUESTIONS), { csv }), true), ...finishDag(nodes, links) };
  }
  switch (goal) {
    case 'table':
      body = table;
      break;
    case 'chart':
      body = chart;
      break;
    case 'report-chart':
      body = rng.pick([
        `${chart} and ${rng.pick(V.REPORT_CLAUSES)}`,
        `${rng.pick(V.MAKE)} ${rng.pick(V.REPORT_NOUNS)} on ${csv} with a chart`,
        `I need ${rng.pick(V.REPORT_NOUNS)} about ${csv}: chart it and write it up`,
      ]);
      break;
    default:
      body = rng.pick([
        `${table} and ${rng.pick(V.REPORT_CLAUSES)}, no chart needed`,
        `${rng.pick(V.MAKE)} ${rng.pick(V.REPORT_NOUNS)} with a statistics table for ${csv} (skip the chart)`,
        `${table}, then turn the table into a report without any chart`,
      ]);
  }
  return { family: `csv-${goal}`, request: sentence(rng, goal === 'table' ? body : withOutDir(rng, body)), ...finishDag(nodes, links) };
}

type WebGoal = 'spec' | 'code' | 'review' | 'write' | 'full';

/** A website from a brief: spec, code, review, files.
 *
 * @example
 * websiteScenario(createRng(1)).nodes // e.g. ['read-file', 'extract-text', ...]
 */
export function websiteScenario(rng: Rng): Sample {
  const goal: WebGoal = rng.pick(['spec', 'code', 'code', 'review', 'review', 'write', 'full', 'full']);
  const brief = rng.pick(V.BRIEFS);
  const nodes = ['product-manager'];
  const links: Link[] = [];
  if (goal !== 'spec') {
    nodes.push('coder');
    links.push(link('product-manager', 'coder'));
  }
  if (goal === 'review' || goal === 'full') {
    nodes.push('reviewer');
    links.push(link('coder', 'reviewer'));
  }
  if (goal === 'write' || goal === 'full') {
    nodes.push('write-files');
    links.push(link('coder', 'write-files'));
  }
  const dir = rng.pick(V.SITE_DIRS);
  const review = rng.pick(V.REVIEW_CLAUSES);
  const write = fill(rng.pick(V.WRITE_CLAUSES), { dir });
  const code = fill(rng.pick(V.CODE_VERBS), { brief });
  let body: string;
  if (goal === 'spec') body = fill(rng.pick(V.SPEC_VERBS), { brief });
  else if (goal === 'code') body = rng.chance(0.7) ? code : `${code}; no review and don't write any files`;
  else if (goal === 'review') body = rng.pick([`${code} and ${review}`, `${code}, then ${review}`]);
  else if (goal === 'write') body = rng.pick([`${code} and ${write}`, `${code}, then ${write}`]);
  else {
    const [a, b] = rng.chance(0.5) ? [review, write] : [write, review];
    body = rng.pick([`${code}, ${a} and ${b}`, `${code}; ${a}, and also ${b}`, `${code} — ${a}, ${b}`]);
  }
  if (rng.chance(0.15)) body = `new project: ${body}`;
  return { family: `web-${goal}`, request: sentence(rng, body), ...finishDag(nodes, links) };
}

/** A report from a document and a CSV at once: two independent roots joined by compose-report.
 *
 * @example
 * mixedScenario(createRng(1)).nodes // e.g. ['read-file', 'extract-text', ...]
 */
export function mixedScenario(rng: Rng): Sample {
  const intents = someIntents(rng, ['S', 'K', 'M', 'T'], 1, 3);
  const withChart = rng.chance(0.65);
  const nodes = ['read-file', 'extract-text', 'csv-stats', 'compose-report'];
  const links: Link[] = [link('read-file', 'extract-text')];
  for (const i of intents) {
    const w = V.INTENT_WORKER[i];
    nodes.push(w);
    links.push(link('extract-text', w), link(w, 'compose-report'));
  }
  if (withChart) {
    nodes.push('render-chart');
    links.push(link('csv-stats', 'render-chart'), link('render-chart', 'compose-report'));
  } else {
    links.push(link('csv-stats', 'compose-report'));
  }
  const doc = docPath(rng, false);
  const csv = csvPath(rng);
  const docPart = list(rng, intents.map((i, k) => (k > 0 && rng.chance(0.25) ? rng.pick(V.INTENT_VERBS_ITS[i]) : fill(rng.pick(V.INTENT_VERBS[i]), { it: k === 0 ? doc : rng.pick(V.PRONOUNS) }))));
  const csvPart = withChart ? fill(rng.pick(V.CHART_VERBS), { csv }) : `${fill(rng.pick(V.TABLE_VERBS), { csv })} (a table, no chart)`;
  const parts = rng.chance(0.5) ? [docPart, csvPart] : [csvPart, docPart];
  const docNouns = list(rng, intents.map((i) => rng.pick(V.INTENT_NOUNS[i])));
  const csvNoun = withChart ? `${rng.pick(V.TABLE_NOUNS)} and ${rng.pick(V.CHART_NOUNS)}` : rng.pick(V.TABLE_NOUNS);
  const noChart = withChart ? '' : rng.pick([', table only', ' (no chart)', ', no chart']);
  const body = rng.pick([
    `${parts[0]}, ${parts[1]}, and ${rng.pick(V.REPORT_CLAUSES)}`,
    `${parts[0]}; also ${parts[1]}; finally ${rng.pick(V.REPORT_CLAUSES)}`,
    `${rng.pick(V.MAKE)} ${rng.pick(V.REPORT_NOUNS)} from two sources: ${parts[0]}, and ${parts[1]}`,
  ]);
  // The terse form ("the tone of a.md plus the stats of b.csv, no chart, together in a report.") takes no opener.
  const request = rng.chance(0.15)
    ? capitalize(`${docNouns} of ${doc} plus ${csvNoun} of ${csv}${noChart}, together in ${rng.pick(V.REPORT_NOUNS)}.`) + rng.pick(V.CLOSERS)
    : sentence(rng, withOutDir(rng, body));
  return { family: `mixed-${withChart ? 'chart' : 'table'}`, request, ...finishDag(nodes, links) };
}

/** Weighted draw of one scenario.
 *
 * @example
 * drawScenario(createRng(1)).nodes // e.g. ['read-file', 'extract-text', ...]
 */
export function drawScenario(rng: Rng): Sample {
  const r = rng.next();
  const s = r < 0.55 ? documentScenario(rng) : r < 0.68 ? csvScenario(rng) : r < 0.87 ? websiteScenario(rng) : mixedScenario(rng);
  const request = withTypo(rng, withFiller(rng, s.request));
  const undone = undoableSentence(rng);
  return undone ? { ...s, request: `${request.trimEnd()} ${undone}`, unmatched: [undone] } : { ...s, request };
}

/**
 * Sometimes a sentence asking for something no worker does ("Then mail the result to Dana."), to
 * go last in the request: the DAG stays the doable part, and the sample lists the sentence as
 * `unmatched` (the trained model's remembered requests leave it out; see train-default.ts).
 *
 * @example
 * undoableSentence(createRng(3), 1) // e.g. 'Then mail the result to Dana.'
 */
export function undoableSentence(rng: Rng, p = 0.06): string | undefined {
  if (!rng.chance(p)) return undefined;
  const clause = fill(rng.pick(V.UNDOABLE_CLAUSES), { person: rng.pick(V.PEOPLE), lang: rng.pick(V.LANGUAGES) });
  return `${capitalize(rng.pick(['also ', 'then ', 'and ', 'after that, ', 'once done, ']) + clause)}.`;
}

/**
 * Sometimes puts a context sentence that asks for nothing before or after the request: the DAG
 * stays the same, so the planner learns not to read a step into "I'm in a hurry."
 *
 * @example
 * withFiller(createRng(3), 'Summarise a.md.', 1) // e.g. 'My manager asked me for this. Summarise a.md.'
 */
export function withFiller(rng: Rng, request: string, p = 0.14): string {
  if (!rng.chance(p)) return request;
  const filler = rng.pick(V.FILLERS);
  return rng.chance(0.6) || /[,!]$/.test(filler) ? `${filler} ${request}` : `${request.replace(/\s+$/, '')} ${filler}`;
}

/**
 * Sometimes misspells one plain word of five letters or more (two letters swapped, one dropped or
 * doubled), as people type; paths, quotes and worker names are left alone.
 *
 * @example
 * withTypo(createRng(5), 'summarise the report', 1) // e.g. 'sumamrise the report'
 */
export function withTypo(rng: Rng, request: string, p = 0.1): string {
  if (!rng.chance(p)) return request;
  const tokens = request.split(' ');
  const plain = tokens.map((t, i) => (/^[a-z]{5,}[,.?]?$/.test(t) ? i : -1)).filter((i) => i >= 0);
  if (plain.length === 0) return request;
  const at = rng.pick(plain);
  const word = tokens[at];
  const k = rng.int(1, word.replace(/[,.?]$/, '').length - 2);
  const kind = rng.int(0, 2);
  tokens[at] = kind === 0 ? word.slice(0, k) + word[k + 1] + word[k] + word.slice(k + 2) : kind === 1 ? word.slice(0, k) + word.slice(k + 1) : word.slice(0, k) + word[k] + word.slice(k);
  return tokens.join(' ');
}
