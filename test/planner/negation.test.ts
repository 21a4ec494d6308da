import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultCatalog } from '../../planner/default-model.ts';
import { planWithDetails } from '../../planner/plan.ts';
import { afterOpeningDecline, negatedPhrases, withoutDeclinedSteps } from '../../planner/negation.ts';
import { dropDeclinedSteps, negatedTools } from '../../planner/index.ts';
import { loadHandwritten } from '../../bench/planner-handwritten.ts';
import type { Catalog, Plan } from '../../planner/types.ts';

const catalog = defaultCatalog();

const chain = (workers: string[]): Plan => ({
  instruction: 'x',
  nodes: workers.map((worker, i) => ({ id: `n${i + 1}`, worker, dependsOn: i > 0 ? [`n${i}`] : [], confidence: 0.99 })),
  confidence: 0.99,
  lowConfidence: false,
  source: 'model',
});

test('a negated output tag or name word names its one tool', () => {
  assert.equal(negatedTools('Stats table of data/sales.csv in a report, no chart', catalog), ['render-chart']);
  assert.equal(negatedTools('Spin up a site, dump it in ./out, skip review, we move fast', catalog), ['reviewer']);
  assert.equal(negatedTools('Slide outline only (not a rendered deck) for notes/pitch.md', catalog), ['render-deck']);
  assert.equal(negatedTools("Stats of lab/panel.csv as a report, don't bother with a chart", catalog), ['render-chart']);
  assert.equal(negatedTools('requirements only for a hairdresser site, no code yet', catalog), ['coder']);
  assert.equal(negatedTools('Stats of data/x.csv, no need to make a chart', catalog), ['render-chart']);
  assert.equal(negatedTools('Keywords of notes/a.md; no need for a report', catalog), ['compose-report']);
  assert.equal(negatedTools('Stats of data/x.csv in a report — no need chart', catalog), ['render-chart']);
  // The declined noun phrase ends at a preposition or a new determiner: the report is still wanted.
  assert.equal(negatedTools('Stats of data/x.csv, no chart for the report please', catalog), ['render-chart']);
});

test('idioms, questions, other verbs and words two tools share negate nothing', () => {
  for (const request of [
    'Are the guests happy or not in reviews/guests.txt? Put it in a report',
    "I'm not sure the report needs a chart of data/x.csv",
    'Summarise notes/q3.md in no more than 300 words',
    "Key phrases and tone of findings/draft.md. Don't want it reading as an ambush",
    'Keywords of notes/a.md, no file needed',
    'No rush: chart data/sales.csv',
    'There is no need to know the report date, chart data/sales.csv',
    'summary of "the report says no chart is needed here" please',
  ]) assert.equal(negatedTools(request, catalog), [], request);
});

test('a declined step is dropped only when no other step needs it', () => {
  const report = chain(['read-file', 'extract-text', 'extract-keywords', 'compose-report']);
  const kept = withoutDeclinedSteps(report, 'keywords of notes/a.md - no report needed', catalog);
  assert.equal(kept.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'extract-keywords']);
  const html = chain(['read-file', 'extract-text', 'summarise']);
  html.nodes.push({ id: 'n4', worker: 'markdown-to-html', dependsOn: ['n2'], confidence: 0.99 });
  const renamed = withoutDeclinedSteps(html, "Convert notes/a.md to HTML, don't summarise it", catalog);
  assert.equal(renamed.nodes.map((n) => [n.id, n.worker, n.dependsOn]), [['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'markdown-to-html', ['n2']]], 'ids close up after a drop');
  const chart = chain(['csv-stats', 'render-chart']);
  assert.is(withoutDeclinedSteps(chart, 'Graph data/attendance.csv: a picture, not a table', catalog), chart, 'the chart needs the table');
  assert.equal(dropDeclinedSteps(report, 'keywords of notes/a.md - no report needed', catalog).declined, ['compose-report']);
  assert.equal(dropDeclinedSteps(chart, 'Graph data/attendance.csv: a picture, not a table', catalog).declined, []);
  const only = chain(['render-chart']);
  assert.is(withoutDeclinedSteps(only, 'no chart', catalog), only, 'a plan is not emptied');
});

test('a declined step that is one of several sources of the next step is dropped, and its link with it', () => {
  // hw-2381 (test): "Skip figures" kept extract-figures because structure-slides reads it, though the outline has its summary and keywords without them.
  const deck = chain(['read-file', 'extract-text', 'summarise', 'structure-slides', 'render-deck']);
  deck.nodes.push({ id: 'n6', worker: 'extract-figures', dependsOn: ['n2'], confidence: 0.9 }, { id: 'n7', worker: 'extract-keywords', dependsOn: ['n2'], confidence: 0.9 });
  deck.nodes[3] = { ...deck.nodes[3], dependsOn: ['n3', 'n6', 'n7'] };
  const { plan, declined } = dropDeclinedSteps(deck, 'A deck from docs/rfc.md with the key terms. Skip figures, there are none worth showing.', catalog);
  assert.equal(declined, ['extract-figures']);
  assert.equal(plan.nodes.map((n) => [n.id, n.worker, n.dependsOn]), [['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'summarise', ['n2']], ['n4', 'structure-slides', ['n3', 'n6']], ['n5', 'render-deck', ['n4']], ['n6', 'extract-keywords', ['n2']]]);
});

test('more cues: leaving out, excluding, and "don\'t" before giving, showing, drawing, touching or using', () => {
  assert.equal(negatedTools('Deck from notes/pitch.md, leave out the figures', catalog), ['extract-figures']);
  assert.equal(negatedTools('Stats of data/x.csv for the board, excluding any chart', catalog), ['render-chart']);
  assert.equal(negatedTools("Keywords of notes/a.md, don't give me a summary", catalog), ['summarise']);
  assert.equal(negatedTools("HTML of notes/a.md, and don't touch the figures", catalog), ['extract-figures']);
  assert.equal(negatedTools("Stats of data/x.csv; don't draw a chart", catalog), ['render-chart']);
});

test('a step taken back mid-message ("scratch the chart", "forget the summary", "drop sentiment") is declined; "don\'t forget the chart" and "drop it in" are not', () => {
  assert.equal(negatedTools('Chart data/x.csv please. Actually, scratch the chart, just the column stats', catalog), ['render-chart']);
  assert.equal(negatedTools('Readability of notes/a.md please, forget the summary, I know what it says', catalog), ['summarise']);
  assert.equal(negatedTools('A report on notes/a.md with summary, keywords, sentiment. Hmm, drop sentiment, keep the rest.', catalog), ['sentiment']);
  assert.equal(negatedTools("Stats of data/x.csv in a report, and don't forget the chart", catalog), []);
  assert.equal(negatedTools('Chart data/x.csv and drop it into a report', catalog), []);
  assert.equal(negatedTools('Build a site and drop the files into out/site', catalog), [], '"files" names two workers');
});

test('a declined list goes on after "and" when a determiner opens the next item, not when a verb does', () => {
  assert.equal(negatedTools('Tone of notes/a.md in a report; skip the keywords and the summary.', catalog), ['extract-keywords', 'summarise']);
  assert.equal(negatedTools('Tone of notes/a.md in a report; skip the keywords and the summary and the chart', catalog), ['extract-keywords', 'summarise', 'render-chart']);
  assert.equal(negatedTools('Stats of data/x.csv, no chart and summarise notes/a.md', catalog), ['render-chart']);
  assert.equal(negatedTools('Stats of data/x.csv with no chart, and the report in markdown', catalog), ['render-chart']);
  assert.equal(negatedTools('Without a chart the report on data/x.csv is useless, and the summary too', catalog), ['render-chart'], 'the declined phrase ended before the scope did');
});

test('typed catalog: a declined step goes when an earlier step makes something its dependent takes, which is linked to it instead', () => {
  const report = chain(['csv-stats', 'render-chart', 'compose-report']);
  const { plan, declined } = dropDeclinedSteps(report, 'A report of the statistics of data/x.csv, we do not want a chart', catalog);
  assert.equal(declined, ['render-chart']);
  assert.equal(plan.nodes.map((n) => [n.id, n.worker, n.dependsOn]), [['n1', 'csv-stats', []], ['n2', 'compose-report', ['n1']]]);
  // The coder takes a review too, but the reviewer comes after it: only the spec can feed it.
  const site = chain(['product-manager', 'coder', 'reviewer']);
  assert.equal(dropDeclinedSteps(site, 'Build and review a site for my bakery, no spec', catalog).declined, []);
});

test('any catalog: the words come from its own tools', () => {
  const travel: Catalog = {
    tools: [
      { name: 'search_flights', description: 'Finds flights between two cities on a date' },
      { name: 'book_flight', description: 'Books a flight' },
      { name: 'send_email', description: 'Sends an email' },
      { name: 'get_weather', description: 'Gets the weather forecast for a city' },
    ],
    links: [{ source: 'search_flights', target: 'book_flight' }, { source: 'book_flight', target: 'send_email' }],
  };
  assert.equal(negatedTools('Book the cheapest flight from Oslo to Rome on Friday, no email please', travel), ['send_email']);
  assert.equal(negatedTools('Find flights to Rome without booking anything', travel), [], 'a gerund after "without" is an action, not a product');
  assert.equal(negatedTools("Search flights from Oslo to Rome, but don't book yet", travel), ['book_flight'], 'a declined verb names its tool');
  assert.equal(negatedTools("Book the flight to Rome; I don't know the weather there, so don't email the details", travel), ['send_email'], "only the verb after \"don't\" is declined, not its object");
});

test('planning: the shipped planner drops the report a dev request declines', async () => {
  // hw-2229 (dev): every member and the second opinion planned compose-report after "- no report needed".
  const r = loadHandwritten().find((x) => x.id === 'hw-2229')!;
  const { plan } = await planWithDetails(r.request, { llm: null, env: {} });
  assert.equal(plan.nodes.map((n) => n.worker).sort(), [...r.nodes].sort());
});

test('a step declined after it is named, or left out around it', () => {
  assert.equal(negatedTools('Report on data/x.csv — stats table yes, chart no.', catalog), ['render-chart']);
  assert.equal(negatedTools('Stats of data/x.csv in a report. Chart not needed.', catalog), ['render-chart']);
  assert.equal(negatedTools('keywords of notes/a.md yes, summary no (the secretary did one)', catalog), ['summarise']);
  assert.equal(negatedTools('per-column means for data/x.csv yes; the chart, no; the report, also no.', catalog), ['render-chart', 'compose-report']);
  assert.equal(negatedTools('counts for notes/a.md, yes to the counts, no to the html version', catalog), ['markdown-to-html']);
  assert.equal(negatedTools('Report on data/x.csv, but leave the chart out', catalog), ['render-chart']);
  // "no" that answers a question declines nothing.
  assert.equal(negatedTools('Is notes/a.md positive, yes or no?', catalog), []);
});

test('a step taken back or replaced mid-message', () => {
  assert.equal(negatedTools('Summarise notes/a.md and get the keywords; never mind the keywords', catalog), ['extract-keywords']);
  assert.equal(negatedTools('Slides from talks/a.md, keep the figures, lose the keywords', catalog), ['extract-keywords']);
  assert.equal(negatedTools('Deck of a.md with keywords. Ignore what I said about the keywords.', catalog), ['extract-keywords']);
  assert.equal(negatedTools('Keywords of essay.md rather than a summary', catalog), ['summarise']);
  assert.equal(negatedTools("Sentiment of a.txt, they don't care about the keywords", catalog), ['extract-keywords']);
  assert.equal(negatedTools('Site for the club; it need not be reviewed, but save it to ./site', catalog), ['reviewer']);
  // A replaced gerund is read to its scope's end, past the path's dot.
  assert.equal(negatedTools('Instead of turning notes/a.md into HTML, give me its reading ease', catalog), ['markdown-to-html']);
  // "No." before a number is an address, no decline.
  assert.equal(negatedPhrases('Book a cleaner for Saturday at No. 15 Xinyuan Street'), []);
  // An ask inside the decline's own words ("include") asks nothing again.
  assert.equal(negatedTools('Deck from a.md? No need to include keywords, just the main points', catalog), ['extract-keywords']);
  // "cancel the ..." is an ask where a catalog books things; it declines nothing.
  assert.equal(negatedTools('Summarise a.md, cancel the chart', catalog), []);
});

test('everything but a step, a step put off, out of scope, replaced or declined after it is named', () => {
  assert.equal(negatedTools('Report on data/x.csv with everything except the chart.', catalog), ['render-chart']);
  assert.equal(negatedTools('Nothing except the summary of notes/a.md', catalog), [], '"nothing except" asks only for it');
  assert.equal(negatedTools('Hold off on the keywords, just a summary of notes/a.md', catalog), ['extract-keywords']);
  assert.equal(negatedTools('Park the keywords until next week. Summary of notes/a.md please', catalog), ['extract-keywords']);
  assert.equal(negatedTools('Out of scope for today: summaries. In scope: an HTML copy of notes/a.md', catalog), ['summarise']);
  assert.equal(negatedTools('Readability in place of sentiment this time, for letters/a.md', catalog), ['sentiment']);
  assert.equal(negatedTools('Swap the summary for the keywords: key phrases from notes/a.md', catalog), ['summarise']);
  assert.equal(negatedTools('swap my shift with Dave on the 14th', catalog), []);
  assert.equal(negatedTools('Figures off, keywords on: slide deck from notes/a.md', catalog), ['extract-figures']);
  assert.equal(negatedTools('Report with the stats of data/x.csv; chart not wanted in it.', catalog), ['render-chart']);
  assert.equal(negatedTools('A deck from notes/a.md without bothering with figures', catalog), ['extract-figures']);
  const site = chain(['product-manager', 'coder', 'reviewer', 'write-files']);
  assert.equal(dropDeclinedSteps(site, 'Build the club website and review it, everything except writing it to disk.', catalog).declined, ['write-files']);
});

test('what the person already has names only a step the plan ends in', () => {
  const html = chain(['read-file', 'extract-text', 'markdown-to-html']);
  assert.equal(dropDeclinedSteps({ ...html, nodes: [...html.nodes, { id: 'n4', worker: 'text-stats', dependsOn: ['n2'], confidence: 0.99 }] }, 'I already have an HTML version of a.md, so only readability please', catalog).declined, ['markdown-to-html']);
  const deck = chain(['read-file', 'extract-text', 'summarise', 'structure-slides', 'render-deck']);
  assert.equal(dropDeclinedSteps(deck, 'I already have a summary, make the deck from a.md', catalog).declined, []);
});

test('a step asked for again after its decline stays', () => {
  assert.equal(negatedTools('Summarise notes/a.md, no keywords. Wait, I do want the keywords after all', catalog), []);
  assert.equal(negatedTools('Stats of qc/y.csv (no chart) and a report. Correction, do include the chart.', catalog), []);
  // By a pronoun, in the sentence of the decline or naming it before.
  assert.equal(negatedTools('Report on data/x.csv without the chart. Actually the director loves a chart, put it back in.', catalog), []);
  assert.equal(negatedTools('Keywords of a.md; I said no summary earlier but include one after all.', catalog), []);
  // Asked before it is declined, it is declined.
  assert.equal(negatedTools('I want a report on data/x.csv. No chart in it.', catalog), ['render-chart']);
});

test('a word two tools share names the one the plan ends in, never a read; "drop … into" puts, not declines', () => {
  const deck = chain(['read-file', 'extract-text', 'summarise', 'structure-slides', 'render-deck']);
  assert.equal(dropDeclinedSteps(deck, 'Slides of talks/a.md, no rendering', catalog).declined, ['render-deck']);
  assert.equal(negatedTools('Slides of talks/a.md, no rendering', catalog), [], 'without a plan "render" names no tool');
  // "file" is read-file's, write-files' and render-deck's (its output): in a deck plan only the deck file is an end product.
  assert.equal(dropDeclinedSteps(deck, 'Slide outline of talks/a.md, no file', catalog).declined, ['render-deck']);
  const summary = chain(['read-file', 'extract-text', 'summarise']);
  assert.equal(dropDeclinedSteps(summary, 'Summary of notes/a.md, no file needed', catalog).declined, []);
  const site = chain(['product-manager', 'coder', 'write-files']);
  assert.equal(dropDeclinedSteps(site, 'Build my bakery a site and drop the files into ~/site', catalog).declined, []);
});

test('a declined step in the middle of a plan takes the steps that fed only it; a declined end leaves its feeders', () => {
  const nodes = (list: [string, string[]][]) => list.map(([worker, from], i) => ({ id: `n${i + 1}`, worker, dependsOn: from, confidence: 0.99 }));
  const report: Plan = {
    ...chain([]),
    nodes: nodes([['csv-stats', []], ['render-chart', ['n1']], ['read-file', []], ['extract-text', ['n3']], ['sentiment', ['n4']], ['compose-report', ['n2', 'n5']]]),
  };
  const toneOut = dropDeclinedSteps(report, 'A chart of data/x.csv and the tone of fb.txt in a report. Leave the sentiment out.', catalog);
  assert.equal(toneOut.plan.nodes.map((n) => n.worker), ['csv-stats', 'render-chart', 'compose-report']);
  assert.equal(toneOut.declined, ['sentiment']);
  assert.equal(toneOut.idle, ['read-file', 'extract-text'], 'the feeders that went are named');
  // The outline fed only the declined deck, and stays: declined ends leave their feeders.
  const outline: Plan = { ...chain([]), nodes: nodes([['read-file', []], ['extract-text', ['n1']], ['extract-keywords', ['n2']], ['extract-figures', ['n2']], ['structure-slides', ['n3', 'n4']], ['render-deck', ['n5']]]) };
  const noFigures = dropDeclinedSteps(outline, 'Deck outline from a.md with the key phrases; no rendered file, no figures.', catalog);
  assert.equal(noFigures.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'extract-keywords', 'structure-slides']);
  const deck = chain(['read-file', 'extract-text', 'summarise', 'structure-slides', 'render-deck']);
  assert.equal(dropDeclinedSteps(deck, "Summarise a.md, don't make slides, no deck, just the summary", catalog).plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
});

test('a clause that opens with a decline goes on after its scope', () => {
  assert.equal(afterOpeningDecline('lose the keywords: deck from talk.md'), ' deck from talk.md');
  assert.equal(afterOpeningDecline('oh and strike the summary I asked for'), '');
  assert.equal(afterOpeningDecline('summarise it, no chart'), undefined);
  assert.equal(afterOpeningDecline("don't email it to my boss"), undefined, 'a declined verb still names an action');
});

test('planning: a declined phrase no tool word names is read by the planner, unless the rest asks for it', async () => {
  const planned = await planWithDetails('For submissions/essay.md I want a summary and the word count. Strike the word count.', { llm: null, env: {} });
  assert.equal(planned.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  assert.equal(planned.declined, ['text-stats']);
  // "changes" alone reads as HTML to the model, but the rest of the request asks for HTML itself.
  const html = await planWithDetails('Turn rota/notes.md into HTML for the intranet page, no changes to the wording', { llm: null, env: {} });
  assert.ok(html.plan.nodes.some((n) => n.worker === 'markdown-to-html'));
  // A phrase without a document leaves the members' plans apart after its first step, which they all share.
  const tone = await planWithDetails('Not the readability but the tone of emails/complaint.txt.', { llm: null, env: {} });
  assert.equal(tone.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'sentiment']);
  // A declined verb is read with its object, unless the rest of the request asks for the step.
  const score = await planWithDetails("Summarise notes/a.md and tell me its tone, but don't score the readability.", { llm: null, env: {} });
  assert.equal(score.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise', 'sentiment']);
  const judge = await planWithDetails("How does my speech in talks/b.md come across? Don't judge me too harshly.", { llm: null, env: {} });
  assert.equal(judge.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'sentiment']);
  // A phrase naming no step declines nothing.
  const kept = await planWithDetails('Summarise notes/a.md without the appendix', { llm: null, env: {} });
  assert.equal(kept.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
});

test.run();
