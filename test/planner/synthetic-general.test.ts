import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeExamples } from '../../planner/general/synthetic.ts';
import { loadUltraTool } from '../../planner/data/ultratool.ts';
import { seededRandom } from '../../planner/data/split.ts';
import type { Catalog, Example } from '../../planner/types.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const SHOP: Catalog = {
  tools: [
    { name: 'order_tracking', description: 'Order Tracking Tool' },
    { name: 'search_repair_provider', description: 'Search for repair service providers' },
    { name: 'send_sms', description: 'SMS notification sending tool' },
    { name: 'flight_ticket_changing', description: '' },
    { name: 'hotel_booking_query', description: 'Hotel Booking Inquiry / Query Tool' },
    { name: 'car_rental_cancelling', description: 'Car Rental Reservation Cancellation Tool' },
    { name: 'summarize-text', description: 'Writes a short summary of a long text and returns it.' },
    { name: 'translate', description: 'A tool that can translate documents into another language, such as French' },
    { name: 'weather', description: 'Provides the weather forecast for a city' },
  ],
  links: [
    { source: 'order_tracking', target: 'send_sms' }, { source: 'search_repair_provider', target: 'send_sms' },
    { source: 'flight_ticket_changing', target: 'send_sms' }, { source: 'hotel_booking_query', target: 'car_rental_cancelling' },
    { source: 'car_rental_cancelling', target: 'send_sms' }, { source: 'summarize-text', target: 'translate' },
    { source: 'translate', target: 'send_sms' }, { source: 'weather', target: 'summarize-text' },
  ],
};
const PARAMS = { order_tracking: ['order_id'], weather: ['city', 'date'], send_sms: ['phone_number', 'message'] };

const stems = (text: string) => new Set((text.toLowerCase().match(/[a-z]+|\d+/g) ?? []).filter((w) => w.length >= 3 || /^\d+$/.test(w)).map((w) => w.slice(0, 4)));

/** Every step's tool has a word (4-letter stem) of its own name or description in the request. */
function assertClausesNameTheirTools(catalog: Catalog, examples: Example[]) {
  const byName = new Map(catalog.tools.map((t) => [t.name, t]));
  for (const e of examples) {
    const said = stems(e.request);
    for (const n of e.nodes) {
      const own = stems(`${n.replace(/[-_]/g, ' ')} ${byName.get(n)!.description}`);
      assert.ok([...own].some((s) => said.has(s)), `${e.id}: "${e.request}" says nothing of ${n}`);
    }
  }
}

/** Plans are chains of distinct tools; links are the consecutive pairs and (when the graph has links) graph links. */
function assertChains(catalog: Catalog, examples: Example[], maxNodes: number) {
  const graph = new Set(catalog.links.map((l) => `${l.source}>${l.target}`));
  for (const e of examples) {
    assert.ok(e.nodes.length >= 1 && e.nodes.length <= maxNodes, `${e.id}: ${e.nodes.length} nodes`);
    assert.is(new Set(e.nodes).size, e.nodes.length, `${e.id} repeats a tool`);
    assert.equal(e.links, e.nodes.slice(1).map((t, i) => ({ source: e.nodes[i], target: t })));
    if (graph.size) for (const l of e.links) assert.ok(graph.has(`${l.source}>${l.target}`), `${e.id}: ${l.source}>${l.target} is not a graph link`);
  }
}

test('same seed, same examples; another seed, other examples', () => {
  const a = synthesizeExamples(SHOP, PARAMS, { count: 50, seed: 7 });
  assert.equal(a, synthesizeExamples(SHOP, PARAMS, { count: 50, seed: 7 }));
  assert.is.not(JSON.stringify(a), JSON.stringify(synthesizeExamples(SHOP, PARAMS, { count: 50, seed: 8 })));
  assert.is(synthesizeExamples(SHOP).length, 400);
  assert.is(new Set(a.map((e) => e.id)).size, 50);
});

test('every tool is covered; plans are graph walks, mostly 2-3 steps, never over maxNodes', () => {
  const ex = synthesizeExamples(SHOP, PARAMS, { count: 200 });
  assert.equal(new Set(ex.flatMap((e) => e.nodes)).size, SHOP.tools.length);
  assertChains(SHOP, ex, 4);
  const twoThree = ex.filter((e) => e.nodes.length === 2 || e.nodes.length === 3).length;
  assert.ok(twoThree > ex.length / 2, `${twoThree} of ${ex.length} plans have 2-3 steps`);
  assert.ok(ex.some((e) => e.nodes.length === 1));
  assertChains(SHOP, synthesizeExamples(SHOP, PARAMS, { count: 100, maxNodes: 2 }), 2);
  // Coverage comes first: the first examples already reach every tool.
  assert.is(new Set(synthesizeExamples(SHOP, PARAMS, { count: SHOP.tools.length }).flatMap((e) => e.nodes)).size, SHOP.tools.length);
});

test("clauses come from the tool's own description or name, as imperatives", () => {
  const ex = synthesizeExamples(SHOP, PARAMS, { count: 400 });
  assertClausesNameTheirTools(SHOP, ex);
  const text = ex.map((e) => e.request.toLowerCase()).join('\n');
  assert.match(text, /track (my|the|an?) order/);
  assert.match(text, /use the order tracking/);
  assert.match(text, /send (an|the|my) sms notification/);
  assert.match(text, /(search for|find|look for) (the |my |a )?repair service providers/);
  assert.match(text, /change (the|my|a) flight ticket/); // empty description: from the name
  assert.match(text, /cancel (the|my|a) car rental/);
  assert.match(text, /(check|look up) (the|my|a) hotel booking/);
  assert.match(text, /write a short summary of a long text(?! and returns)/);
  assert.match(text, /translate documents into another language/);
  assert.not.match(text, /such as|a tool that|returns it/);
  assert.match(text, /order id \d{5}/); // a slot value invented from a parameter name
  assert.match(text, /(in|for) [A-Z]\w+/i);
});

test('framings and connectives vary', () => {
  const ex = synthesizeExamples(SHOP, PARAMS, { count: 300 });
  const starts = new Set(ex.map((e) => e.request.split(' ').slice(0, 2).join(' ')));
  assert.ok(starts.size >= 8, `only ${starts.size} openings`);
  const chains = ex.filter((e) => e.nodes.length > 1).map((e) => e.request);
  for (const glue of [', then ', ' and then ', 'after that', 'First ']) assert.ok(chains.some((r) => r.includes(glue) || r.includes(glue.toLowerCase())), `never "${glue}"`);
  assert.ok(ex.some((e) => e.request.endsWith('?')) && ex.some((e) => e.request.endsWith('.')));
  assert.ok(ex.some((e) => /^My [a-z ]+ is [^.]+\. /.test(e.request)), 'no leading context sentence');
});

test('odd catalogs: one tool, no links, cycles and self-links, numeric ids, empty descriptions, unknown link ends', () => {
  const one = synthesizeExamples({ tools: [{ name: 'solo', description: '' }], links: [] }, undefined, { count: 5 });
  assert.is(one.length, 5);
  assert.ok(one.every((e) => e.nodes.length === 1 && e.nodes[0] === 'solo' && e.links.length === 0 && /solo/.test(e.request)));

  const flat: Catalog = { tools: SHOP.tools, links: [] };
  const pairs = synthesizeExamples(flat, undefined, { count: 100 });
  assertChains(flat, pairs, 2);
  assert.ok(pairs.some((e) => e.nodes.length === 2) && pairs.some((e) => e.nodes.length === 1));
  assert.is(new Set(pairs.flatMap((e) => e.nodes)).size, flat.tools.length);

  const cyc: Catalog = {
    tools: [{ name: 'a', description: 'Fetch the page' }, { name: 'b', description: 'Summarize the page' }, { name: 'c', description: 'Email the summary' }],
    links: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }, { source: 'a', target: 'a' }, { source: 'a', target: 'ghost' }],
  };
  const walks = synthesizeExamples(cyc, undefined, { count: 60, maxNodes: 6 });
  assertChains({ ...cyc, links: cyc.links.filter((l) => l.source !== l.target && l.target !== 'ghost') }, walks, 3);
  assertClausesNameTheirTools(cyc, walks);

  const numeric: Catalog = {
    tools: [{ name: '17', description: '' }, { name: '42', description: '' }, { name: '108', description: 'Get the list of popular movies' }],
    links: [{ source: '17', target: '42' }, { source: '42', target: '108' }],
  };
  const ids = synthesizeExamples(numeric, { 17: ['movie_id'] }, { count: 30 });
  assertChains(numeric, ids, 4);
  assertClausesNameTheirTools(numeric, ids);
  assert.ok(ids.some((e) => /\btool 17\b/.test(e.request)));

  assert.equal(synthesizeExamples({ tools: [], links: [] }), []);
  const junk = {
    tools: [null, { name: 'constructor', description: 'toString' }, { name: '天气查询', description: '查询城市的天气预报' }, { name: 'x y', description: 7 },
      { name: 'long', description: 'Fetches '.repeat(5000) }, { name: 'dup', description: '...' }, { name: 'dup', description: 'again' }, { description: 'no name' }],
    links: [null, { source: 'constructor', target: '天气查询' }, { source: 'dup', target: 'dup' }],
  } as unknown as Catalog;
  const survived = synthesizeExamples(junk, { constructor: 'not-an-array', dup: ['__proto__', 'id'] } as never, { count: 40 });
  assert.is(survived.length, 40);
  assert.equal(new Set(survived.flatMap((e) => e.nodes)), new Set(['constructor', '天气查询', 'x y', 'long', 'dup']));
  assert.ok(survived.every((e) => typeof e.request === 'string' && e.request.length > 3 && e.request.length < 400));
  assert.equal(synthesizeExamples(SHOP, undefined, { count: 0 }), []);
  assert.ok(synthesizeExamples(SHOP, { send_sms: [] }, { count: 3, maxNodes: 0 }).every((e) => e.nodes.length === 1));
});

test('the built-in catalog: covered, graph walks, clauses from its descriptions', () => {
  const catalog: Catalog = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'planner', 'catalog.json'), 'utf8'));
  const ex = synthesizeExamples(catalog, undefined, { count: 400 });
  assert.is(new Set(ex.flatMap((e) => e.nodes)).size, catalog.tools.length);
  assertChains(catalog, ex, 4);
  assertClausesNameTheirTools(catalog, ex);
});

test('400 examples for a 500-tool catalog in well under a second', () => {
  const rand = seededRandom(3);
  const vocab = 'search book cancel flight hotel order track send email report weather city ticket payment booking query tracking tool summary text file image resize convert'.split(' ');
  const phrase = (n: number) => Array.from({ length: n }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ');
  const tools = Array.from({ length: 500 }, (_, i) => ({ name: `${phrase(2).replace(' ', '_')}_${i}`, description: rand() < 0.1 ? '' : phrase(2 + Math.floor(rand() * 8)) }));
  const links = Array.from({ length: 1500 }, () => ({ source: tools[Math.floor(rand() * 500)].name, target: tools[Math.floor(rand() * 500)].name }));
  const catalog = { tools, links };
  const t0 = performance.now();
  const ex = synthesizeExamples(catalog, undefined, { count: 400 });
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  assert.is(ex.length, 400);
  assertChains(catalog, ex, 4);
  assertClausesNameTheirTools(catalog, ex);
  assert.ok(new Set(ex.flatMap((e) => e.nodes)).size >= 450);
});

const ULTRATOOL = join(ROOT, '..', 'shared', 'data', 'ultratool');
test('UltraTool catalog (only when present): covered, graph walks, named clauses; prints samples', () => {
  if (!existsSync(join(ULTRATOOL, 'tool_desc.json'))) return;
  const { catalog } = loadUltraTool(ULTRATOOL);
  const ex = synthesizeExamples(catalog, undefined, { count: 400 });
  assert.is(new Set(ex.flatMap((e) => e.nodes)).size, catalog.tools.length);
  assertChains(catalog, ex, 4);
  assertClausesNameTheirTools(catalog, ex);
  for (const e of ex.slice(0, 3)) console.log(`  ${e.nodes.join(' > ')}: ${e.request}`);
});

test.run();
