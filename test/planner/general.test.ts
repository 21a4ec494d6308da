import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCatalog, syntheticExamples } from '../../planner/data/synthetic.ts';
import { fitLogistic, logit } from '../../planner/general/logistic.ts';
import { scoreRequest } from '../../planner/general/planner.ts';
import { verifierFeatures } from '../../planner/general/verifier.ts';
import { stem } from '../../planner/encode/stems.ts';
import { bestPath, rankedBy } from '../../planner/general/decode.ts';
import { catalogView } from '../../planner/general/catalog-view.ts';
import { mentions, pairFeatures, reorderByEvidence } from '../../planner/general/order.ts';
import { fitOrderWords, lateOrder, wordOrder } from '../../planner/general/order-words.ts';
import { readRequest } from '../../planner/general/features.ts';
import { namedLeftOut, withNamedTools } from '../../planner/general/planner.ts';
import { createZeroShotPlanner } from '../../planner/zero-shot/matcher.ts';
import { withOutputTags } from '../../planner/zero-shot/tool-index.ts';
import { synthesizeExamples } from '../../planner/general/synthetic.ts';
import { FLIGHT_CATALOG } from '../support/flight-catalog.ts';
import { adaptWithExamples, adaptWithExamplesReported, createGeneralPlanner, fitGeneralModel, forCatalog, loadGeneralModel, saveGeneralModel, GENERAL_MODEL_FILE, type GeneralModel } from '../../planner/general/index.ts';
import { ExampleMemory, followsMention } from '../../planner/general/examples.ts';
import { WordTools } from '../../planner/general/word-tools.ts';
import type { Catalog, Example } from '../../planner/types.ts';

const workers = (p: { nodes: { worker: string }[] }) => p.nodes.map((n) => n.worker);

/** The synthetic domain's catalog with every tool renamed: what was learned must come from the descriptions. */
function renamed(catalog: Catalog): { catalog: Catalog; to: (name: string) => string } {
  const to = (name: string) => `tool_${name.length}_${name.split('_').reverse().join('')}`;
  return { catalog: { tools: catalog.tools.map((t) => ({ ...t, name: to(t.name) })), links: catalog.links.map((l) => ({ source: to(l.source), target: to(l.target) })) }, to };
}

let fitted: GeneralModel;

test('logistic regression: separates a separable problem, and a prior holds a fit on few rows near it', () => {
  const rows = [[0, 1], [1, 0], [2, 1], [3, 0], [4, 1], [5, 0]];
  const m = fitLogistic(rows, [0, 0, 0, 1, 1, 1]);
  assert.ok(logit(m, [5, 0]) > 0 && logit(m, [0, 1]) < 0);
  const flipped = fitLogistic([[0, 1], [5, 0]], [1, 0], { prior: m, l2: 1000 });
  assert.ok(Math.abs(flipped.weights[0] - m.weights[0]) < 0.05, 'a strong prior keeps the weights');
  assert.throws(() => fitLogistic([], []), /no rows/);
});

test('logistic regression: a refit on rows far outside the prior\'s standardisation converges to the rows\' rate', () => {
  // A catalog with no graph gives every graph feature one far value; an undamped Newton step
  // overshot there and the refit predicted 1.000 for rows two in six of which are positive.
  const prior = fitLogistic([[0, 0], [1, 1], [2, 0], [3, 1]], [0, 0, 1, 1]);
  const rows = [[40, 1], [40, 0], [40, 1], [40, 0], [40, 1], [40, 0]];
  const m = fitLogistic(rows, [1, 0, 1, 0, 0, 0], { prior, l2: 10 });
  for (const r of rows) {
    const p = 1 / (1 + Math.exp(-logit(m, r)));
    assert.ok(p > 0.2 && p < 0.5, `predicted ${p.toFixed(3)} for a row of a set 2 in 6 positive`);
  }
});

test('stems meet across inflections', () => {
  for (const [a, b] of [['cancelling', 'cancel'], ['changing', 'change'], ['deletion', 'delete'], ['bookings', 'booking'], ['queries', 'query']]) assert.is(stem(a), stem(b), `${a} ~ ${b}`);
  assert.is.not(stem('book'), stem('cancel'));
});

test('fitted on one catalog, it plans over the same tools renamed (only their descriptions say what they do)', () => {
  const examples = syntheticExamples(300, 1);
  fitted = fitGeneralModel(examples, syntheticCatalog(), { dev: syntheticExamples(60, 2) });
  const { catalog, to } = renamed(syntheticCatalog());
  const planner = createGeneralPlanner(fitted, catalog);
  const test = syntheticExamples(80, 3);
  let right = 0;
  for (const e of test) if (workers(planner.plan(e.request)).join() === e.nodes.map(to).join()) right++;
  assert.ok(right / test.length >= 0.6, `exact plans over the renamed catalog: ${right}/${test.length}`);
  const p = planner.plan('book a flight to Paris, then remind me about it');
  assert.equal(workers(p), [to('book_flight'), to('create_reminder')]);
  assert.equal(p.nodes[1].dependsOn, ['n1'], 'chained along the graph');
  assert.equal(planner.plan('book a flight to Paris, then remind me about it'), p, 'deterministic');
});

test('a clause no tool resembles is reported, makes the plan low-confidence, and a request of only such clauses gets no plan', () => {
  const planner = createGeneralPlanner(fitted, syntheticCatalog());
  const partial = planner.plan('Book a flight to Tokyo and water the garden plants');
  assert.ok(workers(partial).includes('book_flight'));
  assert.equal(partial.unmatched, ['water the garden plants']);
  assert.ok(partial.lowConfidence);
  const none = planner.plan('asdf qwer zxcv');
  assert.equal(none.nodes, []);
  assert.ok(none.lowConfidence && none.confidence === 0);
});

test('few-shot memory: examples teach a tool whose description says nothing; leave-one-out chose a non-zero weight', () => {
  const catalog: Catalog = { tools: [...syntheticCatalog().tools, { name: 'zx9', description: 'Internal utility' }], links: syntheticCatalog().links };
  const shots: Example[] = ['archive the quarterly invoices', 'archive last year invoices please', 'please archive all invoices from March', 'archive the old invoices now'].map((request, i) => ({ id: `f${i}`, request, nodes: ['zx9'], links: [] }));
  const before = createGeneralPlanner(fitted, catalog).plan('archive the invoices from April');
  assert.not.ok(workers(before).includes('zx9'));
  const { model: adapted, leaveOneOut } = adaptWithExamplesReported(fitted, shots, catalog);
  assert.ok(adapted.memory!.settings.weight > 0, JSON.stringify(adapted.memory!.settings));
  // Measured on the examples themselves: the model alone never plans zx9, with the others remembered it does.
  assert.equal({ requests: leaveOneOut.requests, aloneSameTools: leaveOneOut.aloneSameTools }, { requests: 4, aloneSameTools: 0 });
  assert.ok(leaveOneOut.sameTools >= 2 && leaveOneOut.nodeF1 > leaveOneOut.aloneNodeF1, JSON.stringify(leaveOneOut));
  assert.equal(adaptWithExamples(fitted, shots, catalog), adapted);
  assert.ok(workers(createGeneralPlanner(adapted, catalog).plan('archive the invoices from April')).includes('zx9'));
  assert.throws(() => adaptWithExamples(fitted, [{ id: 'x', request: 'hi', nodes: ['nope'], links: [] }], catalog), /no example uses only tools of the catalog/);
});

test('few-shot over a catalog new to the weights refits them on the real examples, and reads confidence with the weights before', () => {
  const shipped = loadGeneralModel();
  const asked: [string, string[]][] = [
    ['get me to Rome on Friday and put it in my diary', ['search_flights', 'book_flight', 'create_calendar_event']],
    ['will it rain in Oslo tomorrow? mail my team the answer', ['get_weather', 'send_email']],
    ['any seats to Lisbon next week', ['search_flights']],
    ['grab me the 7am to Madrid and let Ana know', ['search_flights', 'book_flight', 'send_email']],
    ['is it sunny in Nice on Sunday', ['get_weather']],
    ['what flies from Dublin to Porto in May', ['search_flights']],
    ['reserve the cheapest Paris hop and block the day in my schedule', ['search_flights', 'book_flight', 'create_calendar_event']],
    ['forecast for Bergen, then email it to dad', ['get_weather', 'send_email']],
    ['take the 18:40 to Vienna that I looked at', ['book_flight']],
    ['drop my sister a note about Sunday lunch', ['send_email']],
  ];
  const real: Example[] = asked.map(([request, nodes], i) => ({ id: `r${i}`, request, nodes, links: [] }));
  // Fewer than ten real examples only join the memory.
  const few = adaptWithExamplesReported(shipped, real.slice(0, 3), FLIGHT_CATALOG);
  assert.not.ok(few.leaveOneOut.refitted);
  assert.equal(few.model.stage1, shipped.stage1);
  const { model: adapted, leaveOneOut } = adaptWithExamplesReported(shipped, real, FLIGHT_CATALOG);
  assert.ok(leaveOneOut.refitted, 'none of the shipped model\'s training requests used these tools');
  assert.not.equal(adapted.stage1.weights, shipped.stage1.weights);
  assert.equal(adapted.confidenceWeights, { stage1: shipped.stage1, stage2: shipped.stage2 });
  assert.equal(adapted.memory!.examples.length, 10);
  // Synthesised requests never refit: they follow the descriptions' words by construction.
  const synthetic = adaptWithExamplesReported(shipped, synthesizeExamples(FLIGHT_CATALOG, undefined, { count: 20 }), FLIGHT_CATALOG);
  assert.not.ok(synthetic.leaveOneOut.refitted);
  assert.equal(synthetic.model.stage1, shipped.stage1);
  assert.is(synthetic.model.confidenceWeights, undefined);
  // Over the catalog its weights were fitted on, the model keeps them.
  assert.not.ok(adaptWithExamplesReported(fitted, syntheticExamples(12, 5).map((e) => ({ ...e, synthetic: false })), syntheticCatalog()).leaveOneOut.refitted);
  // Saved and loaded, the adapted model keeps both sets of weights.
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-refit-'));
  try {
    saveGeneralModel(adapted, dir);
    const back = loadGeneralModel(dir);
    assert.ok(back.confidenceWeights && back.confidenceWeights.stage2.weights.length === shipped.stage2.weights.length);
    assert.equal(createGeneralPlanner(back, FLIGHT_CATALOG).plan('fly me to Rome').nodes.map((n) => n.worker), createGeneralPlanner(adapted, FLIGHT_CATALOG).plan('fly me to Rome').nodes.map((n) => n.worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('few-shot memory: with `negative`, a tool the examples use is lowered for a request like one that does without it', () => {
  const examples = [
    { request: 'summarise notes/a.md and tell me if the tone is gloomy', nodes: ['read-file', 'extract-text', 'summarise', 'sentiment'] },
    { request: 'is this letter too gloomy?', nodes: ['sentiment'] },
  ];
  const request = 'is this poem too gloomy?';
  const raiseOnly = new ExampleMemory(examples, { weight: 8, neighbours: 1, orderWeight: 0 }).recall(request);
  assert.ok(raiseOnly.boost.get('sentiment')! > 0);
  assert.is(raiseOnly.boost.get('summarise'), undefined, 'neighbours only raise');
  const both = new ExampleMemory(examples, { weight: 8, neighbours: 1, orderWeight: 0, negative: 1 }).recall(request);
  assert.is(both.boost.get('sentiment'), raiseOnly.boost.get('sentiment'));
  for (const t of ['read-file', 'extract-text', 'summarise']) assert.is(both.boost.get(t), -both.boost.get('sentiment')!, t);
  assert.is(both.boost.get('render-chart'), undefined, 'a tool no example uses is left to the model');
});

test('few-shot memory: an example that ordered its steps as it mentioned them orders a request that mentions them the other way round its way; a synthetic one does not', () => {
  const catalog: Catalog = { tools: [{ name: 'alarm_set', description: 'Set a new alarm clock at a time' }, { name: 'alarm_cancel', description: 'Cancel an existing alarm clock' }], links: [] };
  const example = { request: 'set an alarm for 7 tomorrow, then cancel the 6:30 alarm', nodes: ['alarm_set', 'alarm_cancel'] };
  const request = 'cancel my 7:00 alarm and set a new alarm for 8:00';
  const model = loadGeneralModel();
  // A remembered order strong enough to overrule the model's own (which puts the cancel first here).
  const settings = { weight: 8, neighbours: 1, orderWeight: 16 };
  const planned = (synthetic: boolean) => workers(createGeneralPlanner({ ...model, memory: { settings, examples: [{ ...example, ...(synthetic ? { synthetic } : {}) }] } }, catalog).plan(request));
  assert.equal(planned(false), ['alarm_cancel', 'alarm_set']);
  assert.equal(planned(true), ['alarm_set', 'alarm_cancel'], 'a synthetic example keeps its order');
  // The rule itself, with a stand-in for which tool a text mentions first.
  const apart = (text: string, a: string, b: string) => Math.sign(text.indexOf(b.split('_')[1]) - text.indexOf(a.split('_')[1]));
  assert.ok(followsMention(example, request, 'alarm_set', 'alarm_cancel', apart));
  assert.not.ok(followsMention({ ...example, synthetic: true }, request, 'alarm_set', 'alarm_cancel', apart));
  assert.not.ok(followsMention(example, 'set one for 8 and cancel the 7:00 one', 'alarm_set', 'alarm_cancel', apart), 'the request mentions them in the example\'s order');
  assert.not.ok(followsMention({ ...example, request: 'cancel the 6:30 alarm after you set one for 7' }, request, 'alarm_set', 'alarm_cancel', apart), 'an example against its own wording teaches the order itself');
  const recall = new ExampleMemory([example], settings).recall(request, -1, apart);
  assert.ok(recall.before.get('alarm_cancel\u0000alarm_set')! > 0 && recall.before.get('alarm_set\u0000alarm_cancel')! < 0);
  assert.ok(new ExampleMemory([example], settings).recall(request).before.get('alarm_set\u0000alarm_cancel')! > 0, 'without `apart`, the remembered order');
  // Synthesised requests say so, and a saved memory keeps it.
  assert.ok(synthesizeExamples(FLIGHT_CATALOG, undefined, { count: 3 }).every((e) => e.synthetic === true));
});

test('with remembered examples a plan is sure only when it has its nearest example\'s tools; otherwise as sure as the model alone', () => {
  const examples = [
    { request: 'book me on the cheapest flight to Rome on Monday', nodes: ['search_flights', 'book_flight'] },
    { request: 'email me the weather for Rome', nodes: ['get_weather', 'send_email'] },
  ];
  // Without the verifier, which judges zero-shot plans only: "as sure as the model alone" means its step probabilities.
  const model = { ...loadGeneralModel(), verifier: undefined };
  const alone = createGeneralPlanner(model, FLIGHT_CATALOG);
  const remembering = createGeneralPlanner({ ...model, memory: { settings: { weight: 8, neighbours: 1, orderWeight: 4 }, examples } }, FLIGHT_CATALOG);
  const shown = remembering.plan('book me on the cheapest flight to Paris on Tuesday');
  assert.equal(workers(shown), ['search_flights', 'book_flight']);
  assert.not.ok(shown.lowConfidence, `the plan of a request like a remembered one is sure: ${shown.confidence}`);
  // Its nearest example books a flight and emails nothing: the e-mail step is the model's own guess.
  const request = 'book a flight to Rome and email me the weather there';
  const guessed = remembering.plan(request);
  assert.equal(workers(guessed), ['search_flights', 'book_flight', 'send_email']);
  assert.ok(guessed.lowConfidence);
  assert.is(guessed.confidence, alone.plan(request).confidence);
});

test('word associations: a word two remembered requests share goes with their tools; a word one uses says nothing; leave-one-out forgets its counts', () => {
  const examples = [
    { request: 'the gist of notes/a.md please', nodes: ['read-file', 'extract-text', 'summarise'] },
    { request: 'gist of b.txt', nodes: ['read-file', 'extract-text', 'summarise'] },
    { request: 'what is the vibe of c.txt', nodes: ['read-file', 'extract-text', 'sentiment'] },
    { request: 'vibe check on d.md', nodes: ['read-file', 'extract-text', 'sentiment'] },
  ];
  const words = new WordTools(examples);
  const gist = words.lift('just the gist of e.md');
  assert.ok(gist.get('summarise')! > 0.3 && gist.get('sentiment')! < -0.3, JSON.stringify([...gist]));
  assert.is(gist.get('read-file'), 0, 'a tool every plan uses is no likelier with the word');
  assert.is(words.lift('translate this letter').size, 0, 'no word of it is remembered twice');
  // Left out, the first request's "gist" is used by one other request only: it says nothing.
  assert.is(words.lift(examples[0].request, 0).get('summarise') ?? 0, 0);
});

test('graph decoding: a chain along the graph beats a likelier tool that fits no chain, and the order follows the links', () => {
  const settings = { candidates: 3, orderWeight: 1, breakPenalty: 3, bias: 0 };
  // Candidates 0, 1, 2: 0 and 2 are linked (2 -> 0), 1 links with nothing; order evidence is neutral, or sure that lower goes first.
  const neutral = new Float64Array(9).fill(Math.log(0.5));
  const sure = Float64Array.from({ length: 9 }, (_, k) => Math.log(Math.floor(k / 3) < k % 3 ? 0.99 : 0.01));
  const linked = Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 0, 0);
  assert.equal(bestPath(Float64Array.of(2, 1.5, 1), neutral, linked, false, 2, 3, settings), [2, 0]);
  assert.equal(bestPath(Float64Array.of(2, 1.5, 1), sure, linked, true, 2, 3, settings), [0, 1, 2], 'no graph, sure order: every likely tool');
  assert.equal(bestPath(Float64Array.of(2, 1.5, 1), neutral, linked, true, 2, 3, settings), [0, 1], 'an unsure order costs each extra step');
  assert.equal(bestPath(Float64Array.of(-3, -3, -3), neutral, linked, false, 1, 3, settings).length, 1, 'at least the least plan size');
  assert.equal(bestPath(Float64Array.of(2, 1.5, 1), neutral, linked, false, 2, 3, settings), bestPath(Float64Array.of(2, 1.5, 1), neutral, linked, false, 2, 3, settings), 'deterministic');
});

test('order features: the words that tell two tools apart say which the request mentions first', () => {
  const catalog: Catalog = { tools: [{ name: 'alarm_cancel', description: 'Cancel an alarm clock' }, { name: 'alarm_set', description: 'Set a new alarm clock' }], links: [] };
  const view = catalogView(catalog);
  const m = mentions(view, 'I need to cancel my alarm for tomorrow and set a new one at 8', [0, 1]);
  const [, , , , apart] = pairFeatures(view, 0, 1, m);
  assert.ok(apart < 0, `cancel is mentioned before set: ${apart}`);
  assert.is(pairFeatures(view, 1, 0, m)[4], -apart);
});

test('re-ordering: a one-way link, else the clauses the tools resemble, overrule the planned order; other pairs keep it', () => {
  const tools = [
    { name: 'hotel_booking', description: 'Complete the hotel room booking process' },
    { name: 'hotel_booking_query', description: 'Hotel booking inquiry and details' },
    { name: 'account_login', description: 'Log in to an online account' },
    { name: 'bank_balance', description: 'Check the balance of a bank card' },
  ];
  const unlinked = catalogView({ tools, links: [] });
  const request = 'Please book a double room at hotel H12345 for April 15th, then show me the inquiry details';
  assert.equal(reorderByEvidence(unlinked, readRequest(unlinked, request), [1, 0]), [0, 1], 'the booking clause comes first');
  assert.equal(reorderByEvidence(unlinked, readRequest(unlinked, 'reserve a hotel room and show the inquiry details'), [1, 0]), [0, 1], 'split at "and" too');
  assert.equal(reorderByEvidence(unlinked, readRequest(unlinked, 'hotel room inquiry details'), [1, 0]), [1, 0], 'one clause: as planned');
  const linked = catalogView({ tools, links: [{ source: 'hotel_booking_query', target: 'hotel_booking' }] });
  assert.equal(reorderByEvidence(linked, readRequest(linked, request), [0, 1]), [1, 0], 'a one-way link outranks the clauses');
  const both = catalogView({ tools, links: [{ source: 'hotel_booking_query', target: 'hotel_booking' }, { source: 'hotel_booking', target: 'hotel_booking_query' }] });
  assert.equal(reorderByEvidence(both, readRequest(both, request), [1, 0]), [0, 1], 'links both ways say nothing');
  const three = 'Log in with ID 123, then check the balance of card 6222, then book a room at hotel H1';
  assert.equal(reorderByEvidence(unlinked, readRequest(unlinked, three), [3, 0, 2]), [2, 3, 0]);
  assert.equal(reorderByEvidence(unlinked, readRequest(unlinked, three), [3, 2]), [2, 3]);
});

test('order words: learned from plans by the words two tools do not share, they order a pair of new tools the request leaves open', () => {
  const seen = catalogView({ tools: [
    { name: 'flight_search', description: 'Search flights' }, { name: 'flight_book', description: 'Book a flight' },
    { name: 'train_search', description: 'Search trains' }, { name: 'train_book', description: 'Book a train seat' },
  ], links: [] });
  const plans = Array.from({ length: 12 }, (_, i) => (i < 11 ? [0, 1] : [1, 0])).concat(Array.from({ length: 10 }, () => [2, 3]));
  const table = fitOrderWords(seen, plans);
  assert.ok(table['search book'] > 1, `search before book: ${JSON.stringify(table)}`);
  assert.is(table['book search'], undefined, 'one entry per pair, the way it leans');
  assert.is(Object.keys(fitOrderWords(seen, plans.slice(0, 4))).length, 0, 'pairs seen under five times are left out');
  // A new catalog meets the table only through shared words.
  const fresh = catalogView({ tools: [{ name: 'hotel_book', description: 'Book a hotel room' }, { name: 'hotel_search', description: 'Search hotels' }], links: [] });
  assert.ok(wordOrder(fresh, table, 1, 0) > 1 && wordOrder(fresh, table, 0, 1) < -1);
  const read = readRequest(fresh, 'hotel room in Oslo for two nights');
  assert.equal(reorderByEvidence(fresh, read, [0, 1]), [0, 1], 'without the table: as planned');
  assert.equal(reorderByEvidence(fresh, read, [0, 1], { table, request: 'hotel room in Oslo for two nights' }), [1, 0], 'the search first');
  const apart = 'book the hotel room I found when I searched';
  assert.equal(reorderByEvidence(fresh, readRequest(fresh, apart), [0, 1], { table, request: apart }), [0, 1], 'words apart in the request: the table says nothing');
  // Single words order a pair whose word pairs the table never saw: "book" came later in 21 of 22 pairs.
  assert.ok(table.book > 2 && table.search < -2, JSON.stringify(table));
  const cars = catalogView({ tools: [{ name: 'car_book', description: 'Book a car' }, { name: 'car_find', description: 'Find cars near me' }], links: [] });
  assert.is(wordOrder(cars, table, 1, 0), 0, 'no word pair known');
  assert.ok(lateOrder(cars, table, 1, 0) > 0.5 && lateOrder(cars, table, 0, 1) < -0.5);
  const rent = 'a car for the weekend in Porto';
  assert.equal(reorderByEvidence(cars, readRequest(cars, rent), [0, 1], { table, request: rent }), [1, 0], 'the booking last');
});

test('a clause that names one tool outright adds it to the plan; a clause two tools fit, or one tool barely, adds nothing', () => {
  const tools = [
    { name: 'search_flights', description: 'Find flights between two cities on a date' },
    { name: 'book_flight', description: 'Book a seat on a chosen flight' },
    { name: 'send_email', description: 'Send an email message to a recipient' },
    { name: 'email_message', description: 'Email a message to a recipient' },
    { name: 'create_calendar_event', description: "Add an event to the user's calendar" },
  ];
  const view = catalogView({ tools, links: [] });
  const read = readRequest(view, 'Find flights to Rome, book the cheapest, put it in my calendar and email me the details');
  assert.equal(read.clauseTools!.map((c) => c.tool), [0, 1, 4, 3]);
  // The calendar clause names one tool; the e-mail clause fits two near-twins, so it names none.
  assert.equal(withNamedTools(read, [0, 1]), [0, 1, 4]);
  assert.equal(withNamedTools(read, [0, 4, 1]), [0, 4, 1], 'nothing twice, the planned order kept');
  assert.is(readRequest(view, 'put it in my calendar').clauseTools, undefined, 'one clause: the model alone decides');
  const clauseTools = [{ tool: 4, cosine: 0.19, runnerUp: 0 }, { tool: 3, cosine: 0.5, runnerUp: 0.14 }, { tool: 2, cosine: 0.5, runnerUp: 0.16 }];
  assert.equal(withNamedTools({ clauseTools }, [0]), [0, 3], 'a faint match, or a runner-up at 0.3 of the best or more, names nothing');
});

test('a clause that faintly names the one tool it fits, left out of the plan, is reported and makes the plan low-confidence; a declined one does neither', () => {
  const catalog: Catalog = {
    tools: [
      { name: 'search_flights', description: 'Search flights between two cities on a date' },
      { name: 'book_flight', description: 'Book a seat on a chosen flight' },
      { name: 'send_email', description: 'Send an email to a recipient' },
    ],
    links: [{ source: 'search_flights', target: 'book_flight' }, { source: 'book_flight', target: 'send_email' }, { source: 'search_flights', target: 'send_email' }],
  };
  const planner = createGeneralPlanner(loadGeneralModel(), catalog);
  const asked = planner.plan('Search flights from Oslo to Rome on Friday and book the cheapest');
  assert.equal(workers(asked), ['search_flights', 'book_flight']);
  assert.not.ok(asked.lowConfidence, `two clauses, both planned: confident (${asked.confidence})`);
  const dropped = planner.plan('Search flights from Oslo to Rome on Friday, book the cheapest and email me the ticket');
  // The e-mail step is planned, or the plan that leaves it out says so and is doubted (before, it ran unasked at 0.465).
  if (!workers(dropped).includes('send_email')) {
    assert.ok(dropped.lowConfidence && dropped.confidence < planner.threshold!, `${workers(dropped)} at ${dropped.confidence}`);
    assert.equal(dropped.passedOver, [{ clause: 'email me the ticket', worker: 'send_email' }]);
  }
  const declined = planner.plan("Search flights from Oslo to Rome on Friday, book the cheapest and don't email me");
  assert.equal(workers(declined), ['search_flights', 'book_flight']);
  assert.not.ok(declined.lowConfidence, `the e-mail clause says no: no doubt (${declined.confidence})`);
  assert.is(declined.passedOver, undefined);
  const clauseTools = [{ tool: 2, cosine: 0.18, runnerUp: 0 }];
  assert.equal(namedLeftOut({ clauseTools }, [0, 1]), [0]);
  assert.equal(namedLeftOut({ clauseTools }, [0, 1, 2]), [], 'planned');
  assert.equal(namedLeftOut({ clauseTools }, [0, 1], (t) => t === 2), [], 'declined');
  assert.equal(namedLeftOut({ clauseTools: [{ tool: 2, cosine: 0.18, runnerUp: 0.06 }] }, [0, 1]), [], 'a runner-up at a third of it: no name');
  assert.equal(namedLeftOut({ clauseTools: [{ tool: 2, cosine: 0.12, runnerUp: 0 }] }, [0, 1]), [], 'too faint');
  assert.equal(namedLeftOut({ clauseTools: [{ tool: 2, cosine: 0.3, runnerUp: 0 }] }, [0, 1], undefined, 0.2), [], 'under 0.2 only');
});

test('with remembered examples a clause naming a tool the plan leaves out keeps the plan, but the plan is no longer confident', () => {
  const examples = synthesizeExamples(FLIGHT_CATALOG, undefined, { count: 40 });
  const planner = createGeneralPlanner(adaptWithExamples(loadGeneralModel(), examples, FLIGHT_CATALOG), FLIGHT_CATALOG);
  const p = planner.plan('Search flights from Oslo to Rome on Friday, book the cheapest, put it in my calendar and email me the details');
  assert.equal(p.nodes.map((n) => n.worker), ['search_flights', 'book_flight'], 'the examples decide what the plan holds');
  assert.ok(p.nodes.every((n) => n.confidence >= planner.threshold!), 'the model alone is sure of both steps');
  assert.ok(p.lowConfidence && p.confidence < planner.threshold!, 'two clauses name steps it does without');
});

test('save and load round-trip; a damaged file is refused naming the file and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-general-'));
  try {
    saveGeneralModel(fitted, dir);
    const back = loadGeneralModel(dir);
    const p = (m: GeneralModel) => createGeneralPlanner(m, syntheticCatalog()).plan('look up Berlin online, then summarize it');
    assert.equal(workers(p(back)), workers(p(fitted)));
    const file = join(dir, GENERAL_MODEL_FILE);
    const good = JSON.parse(readFileSync(file, 'utf8'));
    const cases: [unknown, RegExp][] = [
      [{ ...good, format: 'x' }, /not a general planner model/],
      [{ ...good, version: 3 }, /unsupported general model version 3/],
      [{ ...good, version: 1 }, /version 1 has the old order features; refit it/],
      [{ ...good, decode: { candidates: 0, orderWeight: 1, breakPenalty: 1, bias: 0 } }, /field "decode" needs a whole "candidates" >= 1/],
      [{ ...good, stage2: { ...good.stage2, weights: [1] } }, /field "stage2" must hold 12 means/],
      [{ ...good, threshold: 'high' }, /field "threshold" must be a finite number/],
      [{ ...good, open: 5 }, /field "open" must be an object of weights/],
      [{ ...good, orderWords: { 'search book': 'first' } }, /field "orderWords" must be an object of "word" or "word word" keys and finite numbers/],
      [{ ...good, orderWords: { 'search book now': 1 } }, /field "orderWords" must be an object/],
      [{ ...good, verifier: { model: good.stage1, threshold: 0 } }, /field "verifier" needs a "model" of 10 means/],
      [{ ...good, open: { ...good, verifier: { model: good.stage1, threshold: 0 } } }, /field "open\.verifier" needs a "model" of 10 means/],
      [{ ...good, open: { ...good, stage1: { ...good.stage1, weights: [1] } } }, /field "open\.stage1" must hold 16 means/],
      [{ ...good, memory: { settings: { weight: 1, neighbours: 1, orderWeight: 0 }, examples: [{ request: 3 }] } }, /memory\.examples\[0\] needs a string "request"/],
      [{ ...good, memory: { settings: { weight: 1, neighbours: 1, orderWeight: 0 }, examples: [{ request: 'x', nodes: ['a'], synthetic: 'yes' }] } }, /memory\.examples\[0\]\.synthetic must be true or false/],
      [{ ...good, memory: { settings: { weight: 1, neighbours: 1, orderWeight: 0, negative: -1 }, examples: [] } }, /field "memory\.settings\.negative" must be a finite number >= 0/],
      [{ ...good, memory: { settings: { weight: 1, neighbours: 1, orderWeight: 0, words: 'many' }, examples: [] } }, /field "memory\.settings\.words" must be a finite number >= 0/],
    ];
    cases.forEach(([value, message], i) => {
      const d = join(dir, `bad${i}`);
      saveGeneralModel(fitted, d);
      writeFileSync(join(d, GENERAL_MODEL_FILE), JSON.stringify(value));
      assert.throws(() => loadGeneralModel(d), (e: Error) => message.test(e.message) && e.message.startsWith(join(d, GENERAL_MODEL_FILE)), String(message));
    });
    writeFileSync(join(dir, 'bad0', GENERAL_MODEL_FILE), '{');
    const fresh = join(dir, 'bad-json');
    saveGeneralModel(fitted, fresh);
    writeFileSync(join(fresh, GENERAL_MODEL_FILE), '{');
    assert.throws(() => loadGeneralModel(fresh), /malformed JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fitted with `open`, a model holds weights for catalogs without a graph, plans those with them, and saves them', () => {
  const catalog = syntheticCatalog();
  const model = fitGeneralModel(syntheticExamples(200, 1), catalog, { dev: syntheticExamples(60, 2), open: true });
  assert.ok(model.open, 'open weights fitted');
  assert.is(forCatalog(model, catalog), model, 'a catalog with a graph keeps the graph weights');
  const bare = { ...catalog, links: [] };
  const opened = forCatalog(model, bare);
  assert.equal([opened.stage2, opened.threshold, opened.open], [model.open!.stage2, model.open!.threshold, undefined]);
  assert.is(createGeneralPlanner(model, bare).threshold, 1 / (1 + Math.exp(-model.open!.threshold)));
  // No graph feature varies over a catalog without links: their columns are constant, scaled by 1, weighted ~0.
  for (const j of [3, 4]) assert.ok(model.open!.stage2.scale[j] === 1 && Math.abs(model.open!.stage2.weights[j]) < 1e-6, `stage-2 graph feature ${j}`);
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-general-open-'));
  try {
    saveGeneralModel(model, dir);
    const request = 'look up Berlin online, then summarize it';
    assert.equal(workers(createGeneralPlanner(loadGeneralModel(dir), bare).plan(request)), workers(createGeneralPlanner(model, bare).plan(request)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped model\'s verifiers set the confidence of a zero-shot plan: the graph weights\' over a graph, the open weights\' without one', () => {
  const shipped = loadGeneralModel();
  assert.ok(shipped.verifier && shipped.open?.verifier, 'the shipped model has a verifier for each set of weights');
  const requests = ['Find a flight from Oslo to Rome and book it', 'book a flight to Paris and email me the ticket', 'what is the weather in Lisbon'];
  for (const catalog of [FLIGHT_CATALOG, { ...FLIGHT_CATALOG, links: [] }]) {
    const model = forCatalog(shipped, catalog);
    assert.is(model.verifier, catalog.links.length > 0 ? shipped.verifier : shipped.open!.verifier);
    const bare = createGeneralPlanner({ ...model, verifier: undefined }, catalog);
    const judged = createGeneralPlanner(shipped, catalog);
    const view = catalogView(catalog);
    for (const request of requests) {
      const before = bare.plan(request), after = judged.plan(request);
      assert.equal(workers(after), workers(before), 'the verifier changes no step');
      if (before.unmatched.length > 0) { assert.equal(after.confidence, before.confidence); continue; }
      const { read, logits } = scoreRequest(model, view, request);
      const v = logit(model.verifier!.model, verifierFeatures(view, read, logits, rankedBy(logits), request, before));
      assert.is(after.lowConfidence, v < model.verifier!.threshold, request);
      assert.ok(Math.abs(after.confidence - 1 / (1 + Math.exp(-(model.threshold + v - model.verifier!.threshold)))) < 1e-12);
    }
  }
  // A model without open weights plans a catalog without a graph with its graph weights, and no verifier judges those plans.
  assert.is(forCatalog({ ...shipped, open: undefined }, { ...FLIGHT_CATALOG, links: [] }).verifier, undefined);
});

/** Four travel tools no model was fitted on, each feeding the e-mail. */
const TRAVEL: Catalog = {
  tools: [
    { name: 'send_email', description: 'Send an email message' }, { name: 'book_flight', description: 'Book a flight ticket' },
    { name: 'fetch_weather', description: 'Get the weather forecast for a city' }, { name: 'search_hotels', description: 'Search hotels in a city' },
  ],
  links: [{ source: 'book_flight', target: 'send_email' }, { source: 'fetch_weather', target: 'send_email' }, { source: 'search_hotels', target: 'send_email' }],
};

test('the shipped general model plans over a catalog it never saw', () => {
  const catalog = TRAVEL;
  const planner = createGeneralPlanner(loadGeneralModel(), catalog);
  assert.equal(workers(planner.plan('Book a flight to Oslo on Friday and email me the ticket')), ['book_flight', 'send_email']);
  assert.equal(workers(planner.plan('Find a hotel in Paris and send the list to ana@example.com')), ['search_hotels', 'send_email']);
  assert.equal(planner.plan('Book a flight to Oslo and translate the poem into Japanese').unmatched, ['translate the poem into Japanese']);
});

test('over a catalog it never saw, a one-step request gets one step; remembered examples of two steps each keep two', () => {
  const catalog = TRAVEL;
  const shipped = loadGeneralModel();
  // UltraTool labels no request with one tool, so the shipped model's own least plan size is two.
  assert.is(shipped.minNodes, 2);
  const planner = createGeneralPlanner(shipped, catalog);
  assert.equal(workers(planner.plan("What's the weather in Lisbon tomorrow?")), ['fetch_weather']);
  assert.equal(workers(planner.plan('Book me a flight to Oslo on Friday')), ['book_flight']);
  // "next" before a day is a time, not the next step (the features split the request there).
  const hr: Catalog = {
    tools: [
      { name: 'send_offer_letter', description: 'Generates and sends a job offer letter to a candidate' },
      { name: 'run_background_check', description: 'Starts a criminal and employment background check for a candidate' },
      { name: 'request_time_off', description: 'Files a vacation or leave request for an employee' },
      { name: 'order_laptop', description: 'Orders a laptop and equipment for a new employee' },
    ],
    links: [],
  };
  assert.equal(workers(createGeneralPlanner(shipped, hr).plan('I need next Friday off')), ['request_time_off']);
  const twoSteps = (id: string, request: string, first: string): Example => ({ id, request, nodes: [first, 'send_email'], links: [{ source: first, target: 'send_email' }] });
  const examples = [twoSteps('a', 'Book a flight to Rome and email me the ticket', 'book_flight'), twoSteps('b', 'Check the weather in Bergen and mail it to Tom', 'fetch_weather'), twoSteps('c', 'Look for hotels in Nice and send them to me', 'search_hotels')];
  const adapted = createGeneralPlanner(adaptWithExamples(shipped, examples, catalog), catalog);
  assert.equal(workers(adapted.plan("What's the weather in Lisbon tomorrow?")), ['fetch_weather', 'send_email']);
});

test('a typed catalog\'s output tags are part of each tool\'s text: what a step makes is what a request asks for', () => {
  // Two steps described alike; only what each makes tells them apart.
  const catalog: Catalog = {
    tools: [
      { name: 'load_doc', description: 'Load a document from disk', inputType: ['path'], outputType: ['text'] },
      { name: 'digest', description: 'Process a text with a language model', inputType: ['text'], outputType: ['summary'] },
      { name: 'tagger', description: 'Process a text with a language model', inputType: ['text'], outputType: ['keywords'] },
    ],
    links: [{ source: 'load_doc', target: 'digest' }, { source: 'load_doc', target: 'tagger' }],
  };
  const view = catalogView(catalog);
  assert.equal(view.params, { load_doc: ['text'], digest: ['summary'], tagger: ['keywords'] });
  assert.equal(catalogView({ tools: catalog.tools.map(({ name, description }) => ({ name, description })), links: catalog.links }).params, undefined, 'an untyped catalog reads as before');
  const planner = createGeneralPlanner(loadGeneralModel(), catalog);
  assert.ok(workers(planner.plan('I need the keywords of notes/q3.md')).includes('tagger'));
  assert.not.ok(workers(planner.plan('I need the keywords of notes/q3.md')).includes('digest'));
  assert.ok(workers(planner.plan('Write a summary of notes/q3.md')).includes('digest'));
  // The clause matcher reads the same words, and words that already carry the tags get none twice.
  assert.ok(workers(createZeroShotPlanner(catalog).plan('I need the keywords of notes/q3.md')).includes('tagger'));
  assert.equal(withOutputTags(catalog, withOutputTags(catalog)), withOutputTags(catalog));
});

test.run();
