import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { finishPlan, withoutUnfedSteps } from '../../planner/index.ts';
import { defaultCatalog } from '../../planner/default-model.ts';
import type { Catalog, Plan } from '../../planner/types.ts';

const catalog = defaultCatalog();
const plan = (nodes: [string, string, string[]][]): Plan => ({
  instruction: 'x',
  nodes: nodes.map(([id, worker, dependsOn]) => ({ id, worker, dependsOn, confidence: 0.9 })),
  confidence: 0.9,
  lowConfidence: false,
  source: 'model',
});
const shape = (p: Plan) => p.nodes.map((n) => [n.id, n.worker, n.dependsOn]);

test('a branch no input reaches is dropped: a document read with no document named', () => {
  // hw-0526 (dev): a bar chart of a CSV, planned with a read of a text document the request never names.
  const p = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'csv-stats', []], ['n4', 'render-chart', ['n3']]]);
  assert.equal(shape(withoutUnfedSteps(p, 'Could I have bar pictures of walking/miles-each-month.csv please?', catalog)), [['n1', 'csv-stats', []], ['n2', 'render-chart', ['n1']]]);
});

test('a root step whose input only a missing quote or an absent step gives is dropped, with its link to the report', () => {
  // hw-2241 (dev): readability statistics of a text the request does not carry, beside a CSV's statistics.
  const p = plan([['n1', 'csv-stats', []], ['n2', 'render-chart', ['n1']], ['n3', 'text-stats', []], ['n4', 'compose-report', ['n1', 'n2', 'n3']]]);
  assert.equal(shape(withoutUnfedSteps(p, 'Word counts in invoices/words.csv: bar chart plus a little report', catalog)), [['n1', 'csv-stats', []], ['n2', 'render-chart', ['n1']], ['n3', 'compose-report', ['n1', 'n2']]]);
  const quoted = plan([['n1', 'text-stats', []], ['n2', 'sentiment', []]]);
  assert.is(withoutUnfedSteps(quoted, 'How readable and how gloomy is "The rain never stops here, and neither do I."', catalog), quoted, 'a quoted text feeds them');
});

test('a step whose unreachable producer the request stands in for starts from the request; one that only assumes its input does not', () => {
  // hw-0538 (dev), the general model with examples remembered: a quoted tagline read as a document.
  const p = plan([['n1', 'extract-text', []], ['n2', 'sentiment', ['n1']], ['n3', 'extract-keywords', ['n1']]]);
  assert.equal(shape(withoutUnfedSteps(p, 'Will this tagline resonate? "Effortless banking for people who hate banking." Sentiment and key phrases.', catalog)), [['n1', 'sentiment', []], ['n2', 'extract-keywords', []]]);
  // hw-2282 (dev): write-files reads "files", which no tool makes and no slot reads; planned after the coder, it is not assumed given.
  const site = plan([['n1', 'coder', []], ['n2', 'sentiment', []], ['n3', 'write-files', ['n1']]]);
  assert.equal(shape(withoutUnfedSteps(site, 'How negative is this review: "The breakfast was cold." Then write the reply.', catalog)), [['n1', 'sentiment', []]]);
});

test('a plan nothing reaches is left whole; untyped catalogs and types the request may carry are not judged', () => {
  const p = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'summarise', ['n2']]]);
  assert.is(withoutUnfedSteps(p, 'summarise my meeting notes', catalog), p);
  const travel: Catalog = { tools: [{ name: 'search_flights', description: 'find flights' }, { name: 'book_flight', description: 'book a flight' }], links: [] };
  const t = plan([['n1', 'search_flights', []], ['n2', 'book_flight', ['n1']]]);
  assert.is(withoutUnfedSteps(t, 'book me a flight to Rome', travel), t);
  const typed: Catalog = { tools: [{ name: 'lookup', description: 'look up a city', inputType: ['city'], outputType: ['place'] }, { name: 'weather', description: 'weather of a place', inputType: ['place'], outputType: ['forecast'] }], links: [] };
  const w = plan([['n1', 'lookup', []], ['n2', 'weather', ['n1']]]);
  assert.is(withoutUnfedSteps(w, 'weather in Rome', typed), w, 'a city is not a type the slots know: assumed given');
  assert.equal(shape(withoutUnfedSteps(plan([['n1', 'weather', []], ['n2', 'lookup', []]]), 'weather in Rome', typed)), [['n1', 'lookup', []]], 'a place only lookup gives');
});

test('finishPlan drops what the request declines, then what no input reaches', () => {
  // hw-0507 (dev): "figures" of a CSV planned extract-figures, which reads a document's text.
  const p = plan([['n1', 'extract-figures', []], ['n2', 'csv-stats', []], ['n3', 'render-chart', ['n2']], ['n4', 'compose-report', ['n1', 'n2', 'n3']]]);
  const { plan: done, declined, unreachable } = finishPlan(p, 'A report with the figures from accounts/takings.csv. No chart, just the table.', catalog);
  assert.equal(declined, ['render-chart']);
  assert.equal(unreachable, ['extract-figures']);
  assert.equal(shape(done), [['n1', 'csv-stats', []], ['n2', 'compose-report', ['n1']]]);
});

test('finishPlan names the first workers of a plan no input reaches, and none of an untyped or a reached plan', () => {
  const p = plan([['n1', 'read-file', []], ['n2', 'extract-text', ['n1']], ['n3', 'summarise', ['n2']]]);
  assert.equal(finishPlan(p, 'summarise my meeting notes', catalog).cannotStart, ['read-file']);
  assert.equal(finishPlan(p, 'summarise notes/meeting.md', catalog).cannotStart, []);
  const travel: Catalog = { tools: [{ name: 'search_flights', description: 'find flights' }], links: [] };
  assert.equal(finishPlan(plan([['n1', 'search_flights', []]]), 'flights to Rome', travel).cannotStart, []);
});

test.run();
