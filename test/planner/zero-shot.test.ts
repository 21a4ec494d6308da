import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCatalog } from '../../planner/catalog.ts';
import { FLIGHT_CATALOG } from '../support/flight-catalog.ts';
import { planWithDetails, PlanRefusedError } from '../../planner/plan.ts';
import { createZeroShotPlanner, splitRequestClauses, ToolIndex } from '../../planner/zero-shot/index.ts';
import type { ZeroShotPlan } from '../../planner/zero-shot/index.ts';
import { createGeneralPlanner, loadGeneralModel } from '../../planner/general/index.ts';

// A small catalog written for this test: type tags give the links (file -> text -> summary -> mail).
const catalog = parseCatalog({
  tools: [
    { name: 'read_file', description: 'Read a file from disk and return its text', inputType: ['path'], outputType: ['text'] },
    { name: 'summarise_text', description: 'Summarise a long text into a short summary', inputType: ['text'], outputType: ['summary'] },
    { name: 'translate_text', description: 'Translate text into another language such as French or German', inputType: ['text'], outputType: ['text'] },
    { name: 'send_email', description: 'Send an email message with a summary or note to a recipient address', inputType: ['summary'], outputType: [] },
    { name: 'weather_forecast', description: 'Get the weather forecast for a city', inputType: ['city'], outputType: ['forecast'] },
  ],
});

const workers = (p: ZeroShotPlan) => p.nodes.map((n) => n.worker);

test('clauses: split at commas, connectives and sentence ends; file names and one-word fragments handled', () => {
  assert.equal(splitRequestClauses('Read report.md, then summarise it and email the summary to my boss. Thanks!'), ['Read report.md', 'summarise it', 'email the summary to my boss']);
  assert.equal(splitRequestClauses('Get the weather for Paris'), ['Get the weather for Paris']);
});

test('matching: a terse list names one step per word; a one-word clause no tool fits is dropped, not reported', () => {
  const p = createZeroShotPlanner(catalog, { typed: false }).plan('Read notes.txt: summary, translation, thanks');
  assert.equal(workers(p), ['read_file', 'summarise_text', 'translate_text']);
  assert.equal(p.unmatched, []);
  // A colon before a quoted passage opens no list: the passage is data (no weather in March).
  assert.equal(workers(createZeroShotPlanner(catalog, { typed: false, prerequisite: Infinity }).plan('Summarise this: "The launch moved to March"')), ['summarise_text']);
});

test('matching: each clause picks its tool, in clause order', () => {
  const planner = createZeroShotPlanner(catalog);
  const p = planner.plan('Read the file notes.txt and translate the text into French');
  assert.equal(workers(p), ['read_file', 'translate_text']);
  assert.equal(p.unmatched, []);
  for (const n of p.nodes) assert.ok(n.confidence > planner.threshold && n.confidence <= 1, `confidence ${n.confidence}`);
  assert.is(p.confidence, Math.min(...p.nodes.map((n) => n.confidence)));
});

test('matching: a clause whose verb one tool owns gets that tool too, after what the clause names', () => {
  const planner = createZeroShotPlanner(catalog, { typed: false, prerequisite: Infinity });
  assert.equal(workers(planner.plan('Email me the weather forecast for Lisbon')), ['weather_forecast', 'send_email']);
  // "text" is in two tools' names: it names neither.
  assert.equal(workers(planner.plan('Text my sister the weather forecast for Lisbon')), ['weather_forecast']);
});

test('a clause no tool fits is reported as unmatched, not planned', () => {
  const p = createZeroShotPlanner(catalog).plan('Read the file notes.txt, then book a table for two at a restaurant');
  assert.equal(workers(p), ['read_file']);
  assert.equal(p.unmatched, ['book a table for two at a restaurant']);
  const none = createZeroShotPlanner(catalog).plan('book a table for two at a restaurant');
  assert.equal(none.nodes, []);
  assert.ok(none.lowConfidence);
  assert.is(none.confidence, 0);
});

test('links follow the tool graph (type tags): nearest earlier node that can feed the next', () => {
  const p = createZeroShotPlanner(catalog).plan('Read the file report.md, summarise the text, and send an email with the summary to my boss');
  assert.equal(workers(p), ['read_file', 'summarise_text', 'send_email']);
  assert.equal(p.nodes.map((n) => n.dependsOn), [[], ['n1'], ['n2']]);
  // weather_forecast takes a city, not text: no link into it even though it comes after read_file.
  const q = createZeroShotPlanner(catalog).plan('Read the file notes.txt and get the weather forecast for Paris');
  assert.equal(workers(q), ['read_file', 'weather_forecast']);
  assert.equal(q.nodes.map((n) => n.dependsOn), [[], []]);
  const unlinked = createZeroShotPlanner(catalog, { link: false }).plan('Read the file report.md, summarise the text');
  assert.equal(unlinked.nodes.map((n) => n.dependsOn), [[], []]);
});

test('a tool named by two clauses appears once, at its first mention', () => {
  const p = createZeroShotPlanner(catalog, { prerequisite: Infinity, typed: false }).plan('Translate the text into French, then translate the text into German');
  assert.equal(workers(p), ['translate_text']);
});

test('an implicit first step (untyped): the graph tool that feeds the first node is put before it, without lowering the confidence', () => {
  const text = 'Summarise the text of the file report.md in a short summary';
  const off = createZeroShotPlanner(catalog, { prerequisite: Infinity, typed: false }).plan(text);
  assert.equal(workers(off), ['summarise_text']);
  const on = createZeroShotPlanner(catalog, { prerequisite: 0.02, typed: false }).plan(text);
  assert.equal(workers(on), ['read_file', 'summarise_text']);
  assert.equal(on.nodes[1].dependsOn, ['n1']);
  assert.is(on.confidence, on.nodes[1].confidence);
  // A feeder too unlike the request is not added.
  assert.equal(workers(createZeroShotPlanner(catalog, { prerequisite: 0.99, typed: false }).plan(text)), ['summarise_text']);
});

test('on a typed catalog the producers a step needs are added, whatever their similarity, and a quoted passage needs none', () => {
  const planner = createZeroShotPlanner(catalog);
  const p = planner.plan('Summarise the text of the file report.md in a short summary');
  assert.equal(workers(p), ['read_file', 'summarise_text']);
  assert.equal(p.nodes[1].dependsOn, ['n1']);
  assert.is(p.confidence, p.nodes[1].confidence, 'the added read does not lower the confidence');
  assert.is(p.nodes[0].confidence, p.confidence, 'the added read is as sure as the plan that needs it');
  const quoted = planner.plan('Summarise this: "The board moved the launch to March because the supplier is late."');
  assert.equal(workers(quoted), ['summarise_text']);
});

test('planWithDetails plans another catalog with the shipped general model by default, completed by type', async () => {
  const r = await planWithDetails('Summarise the text of the file report.md and email the summary to my boss', { catalog, zeroShot: true, llm: null });
  assert.is((r.model as { kind?: string }).kind, 'general-planner');
  assert.equal(r.plan.nodes.map((n) => [n.worker, n.dependsOn]), [['read_file', []], ['summarise_text', ['n1']], ['send_email', ['n2']]]);
  const quoted = await planWithDetails('Summarise this: "The board moved the launch to March because the supplier is late."', { catalog, zeroShot: true, llm: null });
  assert.equal(quoted.plan.nodes.map((n) => n.worker), ['summarise_text']);
});

// Untyped, with a graph (see the fixture): checked the way a catalog file is.
const flights = parseCatalog(FLIGHT_CATALOG);

test('general planner, untyped catalog: the sole graph feeder of the first step is planned before it, without lowering the confidence', async () => {
  const r = await planWithDetails('Find a flight from Oslo to Rome and book it, then email me the confirmation', { catalog: flights, zeroShot: true, llm: null });
  assert.is((r.model as { kind?: string }).kind, 'general-planner');
  assert.equal(r.plan.nodes.map((n) => [n.worker, n.dependsOn]), [['search_flights', []], ['book_flight', ['n1']], ['send_email', ['n2']]]);
  // The steps' probabilities, before the verifier reads the plan's confidence from them and more (verifier.ts).
  const steps = createGeneralPlanner({ ...loadGeneralModel(), verifier: undefined }, flights).plan('Find a flight from Oslo to Rome and book it, then email me the confirmation');
  assert.is(steps.confidence, Math.min(...steps.nodes.slice(1).map((n) => n.confidence)), 'the added search does not set the confidence');
  assert.is(steps.nodes[0].confidence, steps.confidence, 'the added search is as sure as the plan that needs it');
  // send_email has two feeders: which one is meant is the model's call, so none is added.
  const mail = await planWithDetails('Email the weather forecast for Lisbon to my sister', { catalog: flights, zeroShot: true, llm: null });
  assert.is(mail.plan.nodes.filter((n) => n.worker === 'book_flight').length, 0);
});

test('general planner, untyped catalog: a long request keeps the steps its clauses name outright, and the plan says it is unsure of them', async () => {
  const r = await planWithDetails('Search flights from Oslo to Rome on Friday, book the cheapest, put it in my calendar and email me the details', { catalog: flights, zeroShot: true, llm: null });
  // book_flight feeds both the calendar and the e-mail: a tree, not a chain.
  assert.equal(r.plan.nodes.map((n) => [n.worker, n.dependsOn]), [['search_flights', []], ['book_flight', ['n1']], ['create_calendar_event', ['n2']], ['send_email', ['n2']]]);
  assert.ok(r.plan.lowConfidence, 'the model scored the named steps low');
});

test('planWithDetails takes a catalog object without links (from plain JavaScript): the hand-offs come from its types; a value with no tools is refused in one line', async () => {
  const bare = { tools: catalog.tools.map((t) => ({ ...t })) } as unknown as NonNullable<Parameters<typeof planWithDetails>[1]>['catalog'];
  const r = await planWithDetails('Summarise the text of the file report.md and email the summary to my boss', { catalog: bare, llm: null });
  assert.equal(r.plan.nodes.map((n) => [n.worker, n.dependsOn]), [['read_file', []], ['summarise_text', ['n1']], ['send_email', ['n2']]]);
  await planWithDetails('Summarise report.md', { catalog: { tool: [] } as never, llm: null }).then(
    () => assert.unreachable('a value without tools was accepted'),
    (e: Error) => assert.match(e.message, /^options\.catalog: expected \{ tools: /),
  );
});

test('planWithDetails uses the matcher with zeroShotMethod "match" and reports unmatched clauses', async () => {
  const r = await planWithDetails('Read the file notes.txt, then book a table for two at a restaurant', { catalog, zeroShot: true, zeroShotMethod: 'match', llm: null });
  assert.is((r.model as { kind?: string }).kind, 'zero-shot-matcher');
  assert.equal(r.plan.nodes.map((n) => n.worker), ['read_file']);
  assert.equal(r.unmatched, ['book a table for two at a restaurant']);
  const refused = await planWithDetails('book a table for two at a restaurant', { catalog, zeroShot: true, zeroShotMethod: 'match', llm: null }).then(() => undefined, (e: Error) => e);
  assert.instance(refused, PlanRefusedError);
  assert.match(refused!.message, /no worker of the catalog fits this instruction \(zero-shot; unmatched: "book a table for two at a restaurant"\)/);
});

test('planWithDetails with the matcher reports only what the open-world check calls undone, and such a plan is low-confidence', async () => {
  const opts = { catalog, zeroShot: true, zeroShotMethod: 'match' as const, llm: null };
  // Names, dates and places are no task: nothing is reported and the plan is as confident as the matcher says.
  const plain = await planWithDetails('Translate the text of notes.txt into French for Ana Souza by Friday 14 March in Lisbon', opts);
  assert.equal(plain.unmatched, []);
  const undone = await planWithDetails('Read the file notes.txt, then water the garden plants', opts);
  assert.equal(undone.plan.nodes.map((n) => n.worker), ['read_file']);
  assert.equal(undone.unmatched, ['water the garden plants']);
  assert.ok(undone.plan.lowConfidence);
});

test('plain mode: the whole request, its top-k tools, no links', () => {
  const p = createZeroShotPlanner(catalog, { split: false, link: false, topK: 2, threshold: 0 }).plan('Summarise the long text of report.md into a short summary');
  assert.is(p.nodes.length, 2);
  assert.is(p.nodes[0].worker, 'summarise_text');
  assert.ok(p.nodes.every((n) => n.dependsOn.length === 0));
});

test('parameter names count as tool words; deterministic across planners', () => {
  const index = new ToolIndex(catalog, { params: { weather_forecast: ['latitude', 'longitude'] } });
  const s = index.scores('latitude and longitude');
  assert.is(index.names[[...s.keys()].sort((a, b) => s[b] - s[a])[0]], 'weather_forecast');
  const text = 'Read report.md, summarise it, and email the summary';
  const a = createZeroShotPlanner(catalog).plan(text), b = createZeroShotPlanner(catalog).plan(text);
  assert.equal(a, b);
});

test.run();
