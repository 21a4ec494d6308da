import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPlannerModel } from '../../planner/default-model.ts';
import { isEnsemble } from '../../planner/model/io.ts';
import { createOpenWorldCheck, lowerForUnmatched, planWithDetails, PlanRefusedError, type Plan } from '../../planner/index.ts';
import { knownWordShare, knownWordsOnly } from '../../planner/coverage.ts';
import { actionWord, catalogOpenWorldCheck, zeroShotUnmatched } from '../../planner/open-world.ts';
import { loadUltraToolCatalog } from '../../planner/data/ultratool.ts';
import { fileURLToPath } from 'node:url';
import { countOfThings } from '../../planner/open-world-words.ts';
import { splitRequestClauses, SPLIT_KEEPING_TIMES } from '../../planner/zero-shot/clauses.ts';
import { isKnownWord, plannerVocabulary } from '../../planner/open-world-vocabulary.ts';
import { cli } from '../support/cli.ts';
import { formatPlan } from '../../src/cli/commands/plan.ts';
import { startLoopback } from '../providers/servers.ts';

/**
 * The open-world check (planner/open-world.ts): clauses no worker of the catalog does are
 * reported, make a trained plan low-confidence, and `plan` / `run` name them.
 */

const model = loadPlannerModel();
const memory = isEnsemble(model) ? model.members[0].memory : model.memory;
const check = createOpenWorldCheck(model.catalog, { knownTexts: memory.requests });
const offline = { llm: null, env: {} } as const;

test('a clause taking a step back asks for nothing; what follows its decline is judged', () => {
  assert.equal(check.unmatched('Summary and keywords of notes/a.md. Strike the keyword list.'), []);
  assert.equal(check.unmatched('Keep the chart, lose the report: data/x.csv'), []);
  assert.equal(check.unmatched('Summarise notes/a.md. Scratch the keywords and email it to my boss'), ['email it to my boss']);
});

test('a one-word label names what follows it; it can only take a report away', () => {
  assert.equal(check.unmatched('doc: lectures/wk3.md\ndeliverable: slide deck'), []);
  assert.equal(check.unmatched('source: data/trips.csv\noutput: bar chart'), []);
  // A clause not reported whole is not judged by its value: the label can only take a report away.
  assert.equal(check.unmatched('TO: Estates / FROM: Facilities Compliance / CC: Fire Safety Adviser'), []);
});

test('a command whose action no tool does is unmatched, with the clause as written', () => {
  assert.equal(check.unmatched('Email the summary of report.md to my boss'), ['Email the summary of report.md to my boss']);
  assert.equal(check.unmatched('Summarise notes/standup.md and translate it into Japanese'), ['translate it into Japanese']);
  assert.equal(check.unmatched('Chart data/sales.csv, then upload it to our S3 bucket'), ['upload it to our S3 bucket']);
  // A known verb on things no tool resembles.
  assert.equal(check.unmatched('Book a meeting room for Tuesday at 10'), ['Book a meeting room for Tuesday at 10']);
});

test('context, politeness, questions, paths and quoted text are never unmatched', () => {
  for (const request of [
    'Summarise docs/report.md for the team meeting, keep it short, please. Thanks!',
    "I'm editing articles/remote-work.md; what are its main keywords?",
    'can u boil down notes/meeting-2026-11-30.md into a tl;dr?',
    'Would you say this comment is negative? "Deleted my playlists, refund me and fire the intern."',
    'sentimnet check on reviews/app-store-export.txt please',
    'Make a slide deck from docs/q3.md with the key figures',
    // "gimme" and "provide" are light verbs like "give"; "someone" is no action.
    'Gimme the tone and the word count of notes/draft.md',
    'Please provide a short summary of clinical/protocol-v3.md',
    'Build a site for a bakery and get someone to review it',
    // Greetings and sign-offs, participles and "of" phrases frame a request; "let me know" is a light verb.
    'Good morning. Please summarise minutes/board-may.md for me. Best regards, Ana',
    'Make a report on data/visits.csv, including a bar chart, and let me know the result',
    'Start of a long week here. The keywords of notes/plan.md, nothing fancy',
    // What to leave out asks for nothing.
    'Summarise minutes/board-may.md, skip the fluff',
  ]) assert.equal(check.unmatched(request), [], request);
  // A pasted table is data: its cells are no clauses.
  assert.equal(check.check('stats on this, quick:\ndriver,loads,miles\nRuiz,14,6120\nPatel,11,5000').map((c) => c.clause), ['stats on this', 'quick:']);
});

test('a product named as the head, a path as the destination and a parenthesised list are asks, not undone clauses', () => {
  for (const request of [
    // A noun phrase asks for a product; a relative path is one token, not a sentence end.
    'Website for a yoga studio: timetable, prices. Build it and ship it to ./dist/yoga',
    'Key terms for notes/plan.md',
    'readability for docs/guide.md, the readers are ten',
    // Putting the output in a folder is what a file writer does, whatever the verb.
    'make a site for my bike shop and chuck it in ~/bikes/site',
    // What a site should hold, in parentheses, is its brief.
    'Spec a site for our choir (concert dates, join us, meet the conductor)',
    // The product may follow a modifier, or the one it is made for.
    'Create a crowdfunding website for the allotment beekeepers',
    'build my minecraft guild a website lol',
  ]) assert.equal(check.unmatched(request), [], request);
  // Into something no tool makes: only the first word after "into" counts.
  assert.equal(check.unmatched('Chart data/weekly.csv and paste the chart into our Google Slides deck'), ['paste the chart into our Google Slides deck']);
  assert.equal(check.unmatched('Summarise notes/a.md and buy my sister a bike for her birthday'), ['buy my sister a bike for her birthday']);
  // A verb on a count, a name or "another" still takes an object; a folder the object is in is no destination.
  assert.equal(check.unmatched('Summarise docs/q3.md and order three crates of oat milk for the café'), ['order three crates of oat milk for the café']);
  assert.equal(check.unmatched('Chart data/hours.csv, then run May\'s payroll in Sage'), ["run May's payroll in Sage"]);
  assert.equal(check.unmatched('compress all the photos in ./img/ and chart data/a.csv'), ['compress all the photos in ./img/']);
});

test('a thing asked for with a light verb is judged as a verb\'s object; "after" before a verb orders, it does not hide the verb', () => {
  // No tool resembles "the direct line for the county fire service", most of whose words are unknown.
  assert.equal(check.unmatched('Get me the direct line for the county fire service press office.'), ['Get me the direct line for the county fire service press office']);
  // A thing a tool makes, or known words, stay an ask.
  assert.equal(check.unmatched('Give me the short version of legal/terms-2026.html'), []);
  assert.equal(check.unmatched('Give me the key terms and a short summary of whitepaper/zero-trust.html.'), []);
  // Zero-shot, with the catalog's words only, a light verb's object is not judged: "mood" is no tool word.
  assert.equal(createOpenWorldCheck(model.catalog).unmatched('Give me the mood of notes/letter.md'), []);
  assert.equal(createOpenWorldCheck(model.catalog, { knownTexts: memory.requests }).unmatched('Give me the mood of notes/letter.md'), []);
  // Learners' "and after translate it": the verb after "after" is the clause's action.
  assert.equal(check.unmatched('Make summary of documents/grant.md and after translate it into Polish'), ['after translate it into Polish']);
  assert.equal(check.unmatched('Summarise docs/contract.md and after send it to my lawyer'), ['after send it to my lawyer']);
  // "after" before a determiner is a time: the clause keeps no action word.
  assert.equal(actionWord(['after', 'the', 'meeting']), undefined);
  assert.equal(actionWord(['after', 'this', 'send', 'it']), { head: 'send', next: 'it' });
  assert.equal(actionWord(['after', 'to', 'translate', 'the', 'text']), { head: 'translate', next: 'the' });
});

test('the result sent somewhere no tool knows is an undone clause; a folder, a tool\'s product or a known place is not', () => {
  assert.equal(check.unmatched('Summarise docs/vision-memo.md and drop it in #all-hands on Slack'), ['drop it in #all-hands on Slack']);
  assert.equal(check.unmatched('Make html from docs/price-list.md and publish it to our Facebook page.'), ['publish it to our Facebook page']);
  for (const request of [
    // A path the planner does not mask is still a place on disk, for the file writer.
    'Build and review a website for a jazz festival and save it to out/jazzfest, thank you!',
    // Into something a tool makes, with unknown words around it.
    'Summarise docs/q3.md and turn it into a slide deck for the Kiwanis club',
    'Convert notes/menu.md and put it in a report',
  ]) assert.equal(check.unmatched(request), [], request);
});

test('a request whose every clause no worker does, and no tool resembles, is refused naming the clauses; one undone in part keeps its plan', async () => {
  let refused: Error | undefined;
  await planWithDetails('set a reminder to renew my passport in March', offline).catch((e) => (refused = e));
  assert.instance(refused, PlanRefusedError);
  assert.match(refused!.message, 'no worker of the catalog fits this instruction (unmatched: "set a reminder to renew my passport in March")');
  // "the summary of report.md" resembles summarise: the plan is the doable part, flagged.
  const part = await planWithDetails('Email the summary of report.md to my boss', offline);
  assert.equal(part.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
});

test('known words are counted exactly (words of the catalog and of the remembered requests), so gibberish scores 0', () => {
  const vocabulary = plannerVocabulary(model.catalog, memory.requests);
  assert.is(knownWordShare(vocabulary, 'asdf qwer zxcv'), 0);
  assert.is(knownWordShare(vocabulary, 'summarise the report and chart the sales'), 1);
  assert.is(knownWordShare(vocabulary, 'summarise qwer'), 0.5);
  assert.is(knownWordShare(vocabulary, ''), 0);
});

test('a request mostly in another language is planned when its known words alone make the plan the members agree on; gibberish and an unread script are still refused', async () => {
  const vocabulary = plannerVocabulary(model.catalog, memory.requests);
  assert.is(knownWordsOnly(vocabulary, 'Yaar, file.md ka summary chahiye jaldi'), 'file.md summary');
  assert.is(knownWordsOnly(vocabulary, 'Pa-summarise naman ng file.md'), 'summarise file.md');
  assert.is(knownWordsOnly(vocabulary, 'asdf qwer'), '');
  const offline = { llm: null };
  // Under half the words known, yet the plan stands: the planner's own words name every step. It is
  // flagged, held under the threshold in proportion to the share of words read (the rest may ask for more).
  const mixed = await planWithDetails('Yaar, docs/notes.md ka summary chahiye jaldi', offline);
  const share = knownWordShare(vocabulary, 'Yaar, file.md ka summary chahiye jaldi');
  assert.ok(share < 0.5);
  assert.equal(mixed.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  assert.ok(mixed.plan.lowConfidence);
  assert.ok(mixed.plan.confidence <= share * model.threshold);
  const chart = await planWithDetails('Porfa hazme un bar chart de datos/ventas.csv', offline);
  assert.equal(chart.plan.nodes.map((n) => n.worker), ['csv-stats', 'render-chart']);
  // No known word ("please summarise this" in Japanese: the members agree on a website at 0.84 without the bar), and
  // a clause no worker does, keep the refusal.
  for (const text of ['これを要約してください', 'Kuch bhi karo yaar', 'Resize images/banner.png to 1200x630']) {
    let refused: Error | undefined;
    await planWithDetails(text, offline).catch((e) => (refused = e));
    assert.instance(refused, PlanRefusedError, text);
    assert.match(refused!.message, /most words of this instruction are unknown to the planner/);
  }
});

test('the items of a list after a product and a colon are what the product holds; a longer item or one sending "it" is still judged', () => {
  // hw-3192 and hw-3045 (train): page names read as commands.
  assert.equal(check.unmatched("Build a simple website for St Aidan's: service times, weddings and baptisms, hall hire, contact us. Have it checked over before we use it, please."), []);
  assert.equal(check.unmatched('We need a simple website: who we help, meet the team. Spec it, build it and save it into sites/clinic.'), []);
  // No product before the colon: a to-do list's items are commands.
  assert.equal(check.unmatched('For Monday: summarise notes/a.md, order three crates of oat milk for the café'), ['order three crates of oat milk for the café']);
  // An item that sends "it" somewhere is a command, list or not.
  assert.equal(check.unmatched('Website for the club: fixtures, then post it on our Facebook page'), ['post it on our Facebook page']);
});

test('how to do the work is no object ("check it well"); what to include in the product is no undone clause, unless it goes elsewhere', () => {
  // hw-2064 and hw-2551 (train).
  assert.equal(check.unmatched('Kindly build a website for my tailoring business, check it very well, and save it inside /home/aminu/tailor-site.'), []);
  assert.equal(check.unmatched('Deck for the nurses from cpd/feline-anaesthesia.md, include the ECG strips and the tables.'), []);
  // Somewhere else, or "add": still judged.
  assert.equal(check.unmatched('Summarise notes/a.md and include the photos on our Instagram grid'), ['include the photos on our Instagram grid']);
  assert.equal(check.unmatched('Summarise notes/a.md and embed the chart in our Squarespace blog post'), ['embed the chart in our Squarespace blog post']);
  assert.equal(check.unmatched('Summarise minutes/june.md and add the dates to my calendar'), ['add the dates to my calendar']);
});

test('the action word skips politeness and light verbs; a question, a statement or a noun phrase has none', () => {
  assert.equal(actionWord(['could', 'you', 'please', 'email', 'the', 'summary']), { head: 'email', next: 'the' });
  assert.equal(actionWord(['give', 'me', 'the', 'gist']), undefined);
  assert.equal(actionWord(['what', 's', 'the', 'weather']), undefined);
  assert.equal(actionWord(['i', 'm', 'editing', 'file', 'md']), undefined);
  assert.equal(actionWord(['briefly']), undefined);
  assert.equal(actionWord(['reply', 'to', 'each', 'complainer']), { head: 'reply', next: 'to' });
  // "e-file", "e-sign": one verb that words() split at the hyphen.
  assert.equal(actionWord(['then', 'e', 'file', 'it', 'with', 'the', 'clerk']), { head: 'efile', next: 'it' });
  assert.equal(actionWord(['e', 'it']), undefined);
});

test('an unknown verb on a count of things ("print 20 copies") is an action no worker does; a number before a singular word is a label', () => {
  // hw-2706 (train) and hw-2252 (dev): the count was no object, so the clause went unjudged.
  assert.equal(check.unmatched('Please summarise minutes/assembly-meeting-may.md and print 20 copies for the elders'), ['print 20 copies for the elders']);
  assert.equal(check.unmatched('Make please html of school/annual-day-program.md, and print 200 copies for the parents.'), ['print 200 copies for the parents']);
  assert.ok(countOfThings(['print', '30', 'handouts'], 1));
  assert.not.ok(countOfThings(['valuation', '14', 'report'], 1));
  assert.not.ok(countOfThings(['chart', '2026', 'sales'], 2));
});

test('"next" before a time names the time, not the next step: the clause it sits in is judged whole', () => {
  // hw-0323 (train): "forecast" and "month's revenue" were judged apart, and neither was reported.
  assert.equal(check.unmatched("Give me the stats for finance/daily-sales.csv and forecast next month's revenue."), ["forecast next month's revenue"]);
  assert.equal(splitRequestClauses('Chart sales.csv, next summarise notes.md', 1, SPLIT_KEEPING_TIMES), ['Chart sales.csv', 'summarise notes.md']);
  assert.equal(splitRequestClauses('Chart sales.csv next week and summarise notes.md', 1, SPLIT_KEEPING_TIMES), ['Chart sales.csv next week', 'summarise notes.md']);
  // The planners' features keep cutting there (not cutting cost 1.9 few-shot NF on the nested UltraTool splits).
  assert.equal(splitRequestClauses('Chart sales.csv next week and summarise notes.md', 1), ['Chart sales.csv', 'week', 'summarise notes.md']);
});

test('a verb with the electronic prefix ("e-file it") is an action no worker does', () => {
  // hw-0436 (dev): the clause went unreported while "e" was read as the head.
  assert.equal(check.unmatched('Summarise case-law/ruling-2026-cv-0419.txt and then e-file it with the county clerk.'), ['e-file it with the county clerk']);
});

test('the vocabulary knows stems and long typos but not short look-alikes', () => {
  const v = plannerVocabulary(model.catalog);
  assert.ok(isKnownWord(v, 'summarises'));
  assert.ok(isKnownWord(v, 'sentimnet'));
  assert.not.ok(isKnownWord(v, 'email'));
  assert.not.ok(isKnownWord(v, 'print'));
});

const plan = (confidence: number): Plan => ({ instruction: 'x', nodes: [{ id: 'n1', worker: 'summarise', dependsOn: [], confidence }], confidence, lowConfidence: false, source: 'model' });

test('an unmatched clause caps the confidence below the threshold, scaled by the share of clauses covered', () => {
  assert.equal(lowerForUnmatched(plan(1), 0, 2, 0.98), plan(1));
  const half = lowerForUnmatched(plan(1), 1, 2, 0.98);
  assert.ok(Math.abs(half.confidence - 0.49) < 1e-9, String(half.confidence));
  assert.ok(half.lowConfidence);
  const one = lowerForUnmatched(plan(1), 1, 1, 0.98);
  assert.equal(one.confidence, 0);
  // Nearly every clause covered and a certain model: still strictly below the threshold.
  const most = lowerForUnmatched(plan(1), 1, 1000, 0.98);
  assert.ok(most.confidence < 0.98 && most.lowConfidence);
});

test('the trained path reports the unmatched clause and flags the plan; a doable request has no unmatched field', async () => {
  const r = await planWithDetails('Email the summary of report.md to my boss', offline);
  assert.equal(r.unmatched, ['Email the summary of report.md to my boss']);
  assert.ok(r.plan.lowConfidence);
  assert.ok(r.plan.confidence < model.threshold);
  assert.equal(r.plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  const ok = await planWithDetails('Summarise docs/report.md and extract its keywords', offline);
  assert.equal('unmatched' in ok, false);
  assert.not.ok(ok.plan.lowConfidence);
  // Threshold 0 never calls a plan weak by its score, but a clause left undone still does.
  const zero = await planWithDetails('Summarise docs/report.md and email it to my boss', { ...offline, threshold: 0 });
  assert.ok(zero.plan.lowConfidence);
  assert.equal(zero.unmatched, ['email it to my boss']);
});

test('with an LLM plan (the fallback ran), the clause is still reported: the catalog has no worker for it', async () => {
  const chain = { nodes: [{ id: 'a', worker: 'read-file', dependsOn: [] }, { id: 'b', worker: 'extract-text', dependsOn: ['a'] }, { id: 'c', worker: 'summarise', dependsOn: ['b'] }] };
  const server = await startLoopback('ollama', { answer: () => JSON.stringify(chain) });
  try {
    const llm = { baseUrl: `${server.baseUrl}/`, apiKey: 'sk-test', model: 'tiny', timeoutMs: 5000, retryDelayMs: 1, maxRetries: 1 };
    const r = await planWithDetails('Summarise docs/report.md and email it to my boss', { llm, env: {} });
    assert.is(r.outcome.status, 'used');
    assert.is(r.plan.source, 'llm');
    assert.equal(r.unmatched, ['email it to my boss']);
  } finally {
    await server.close();
  }
});

test('`plan` prints the unmatched clause and --json carries it', async () => {
  const text = await cli(['plan', 'Email the summary of report.md to my boss']);
  assert.is(text.code, 0, text.err);
  assert.match(text.out, `unmatched: "Email the summary of report.md to my boss" (matches no worker's description)`);
  assert.match(text.out, 'LOW CONFIDENCE');
  const json = await cli(['plan', '--json', 'Email the summary of report.md to my boss']);
  assert.equal(JSON.parse(json.out).unmatched, ['Email the summary of report.md to my boss']);
  const fine = await cli(['plan', '--json', 'Summarise docs/report.md']);
  assert.equal(JSON.parse(fine.out).unmatched, undefined);
});

test('a flagged plan says why: under the threshold, or a clause no worker does (not "below" a threshold it is above)', () => {
  const plan = { instruction: 'x', source: 'model' as const, lowConfidence: true, confidence: 0.9, nodes: [{ id: 'n1', worker: 'summarise', dependsOn: [], confidence: 0.9 }] };
  assert.match(formatPlan(plan, 0.5, ['water the plants'])[0], 'LOW CONFIDENCE (part of the instruction has no worker)');
  assert.match(formatPlan({ ...plan, confidence: 0.3 }, 0.5, ['water the plants'])[0], 'LOW CONFIDENCE (below the calibrated 0.5000)');
  assert.not.match(formatPlan({ ...plan, lowConfidence: false }, 0.5)[0], 'LOW CONFIDENCE');
});

test('`run "<instruction>"` without a TTY refuses a plan with an unmatched clause, naming it; --yes runs the rest', async () => {
  const instruction = 'Summarise fixtures/papers/street-trees.md and post it in the #team Slack channel';
  const refused = await cli(['run', instruction]);
  assert.is(refused.code, 3);
  assert.match(refused.err, `not run: the plan leaves undone "post it in the #team Slack channel" (matches no worker's description)`);
  assert.match(refused.err, 'unmatched: "post it in the #team Slack channel"');
  const ran = await cli(['run', '--yes', instruction]);
  assert.is(ran.code, 0, ran.err);
});

test('zero-shot, a generic verb is judged by its object: finding an order is work, emailing without a mail tool is not', () => {
  const shop = loadUltraToolCatalog(fileURLToPath(new URL('../../fixtures/planner/catalogs/shop', import.meta.url)));
  const zeroShot = (text: string) => zeroShotUnmatched(catalogOpenWorldCheck(shop).check(text));
  assert.equal(zeroShot('find her order'), []);
  assert.equal(zeroShot('check the order and refund it'), []);
  assert.equal(zeroShot('confirm the refund went through'), []);
  assert.equal(zeroShot('can you find it'), []);
  // Without the generic verbs, the shop's words alone do not know "check".
  const bare = createOpenWorldCheck(shop);
  assert.equal(zeroShotUnmatched(bare.check('check the order')), ['check the order']);
  // Over the built-in catalog, which sends no mail: still reported.
  assert.equal(zeroShotUnmatched(catalogOpenWorldCheck(model.catalog).check('Summarise notes/a.md and email it to my boss')), ['email it to my boss']);
});

test('a phrasal verb\'s particle ("write them off", "sort it out") is no unknown thing over a catalog\'s own words', () => {
  const catalog = {
    tools: [
      { name: 'create_trip', description: 'Creates a school trip with its date, cost and the year group invited' },
      { name: 'adjust_inventory', description: 'Changes the stock count of a product at a location, with a reason' },
    ],
    links: [],
  };
  const check = catalogOpenWorldCheck(catalog);
  assert.equal(check.unmatched('Write those four off as damaged stock'), []);
  assert.equal(check.unmatched('Sort it out'), []);
  // A known verb on a thing no tool resembles is still reported.
  assert.equal(check.unmatched('Book a flight to Rome'), ['Book a flight to Rome']);
});

test.run();
