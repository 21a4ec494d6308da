import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCatalog } from '../../planner/catalog.ts';
import { carriesContent, completeTyped, impliedConfidence, mentions, typedCatalog } from '../../planner/zero-shot/typed.ts';

// A catalog written for this test: file -> document -> text -> (stats, mood) -> report; csv -> table -> chart -> report;
// a site loop where the coder and the reviewer feed each other.
const catalog = parseCatalog({
  tools: [
    { name: 'read', description: 'read a file', inputType: ['path'], outputType: ['document'] },
    { name: 'parse', description: 'parse a document', inputType: ['document'], outputType: ['text'] },
    { name: 'stats', description: 'count words', inputType: ['text'], outputType: ['stats'] },
    { name: 'mood', description: 'score the mood', inputType: ['text'], outputType: ['mood'] },
    { name: 'table', description: 'parse csv', inputType: ['csv'], outputType: ['table'] },
    { name: 'chart', description: 'draw a chart', inputType: ['table'], outputType: ['chart'] },
    { name: 'report', description: 'write a report', inputType: ['stats', 'mood', 'table', 'chart'], outputType: ['report'] },
    { name: 'spec', description: 'write a spec', inputType: ['brief'], outputType: ['spec'] },
    { name: 'coder', description: 'build a site', inputType: ['spec', 'review'], outputType: ['site'] },
    { name: 'reviewer', description: 'review a site', inputType: ['site', 'spec'], outputType: ['review'] },
  ],
});
const typed = typedCatalog(catalog)!;
const at = (name: string) => catalog.tools.findIndex((t) => t.name === name);
const names = (xs: number[]) => xs.map((i) => catalog.tools[i].name);
const none = new Float64Array(catalog.tools.length);
const complete = (stated: string[], content = false) => {
  const p = completeTyped(typed, stated.map(at), none, content);
  return { tools: names(p.tools), deps: p.dependsOn.map((d) => names(d.map((k) => p.tools[k]))), implicit: p.implicit };
};

test('typedCatalog: entry tools need nothing a tool makes; untyped catalogs and types that never meet have no structure', () => {
  assert.equal(['read', 'table', 'spec'].map((n) => typed.entry[at(n)]), [true, true, true]);
  assert.equal(['parse', 'coder', 'report'].map((n) => typed.entry[at(n)]), [false, false, false]);
  assert.is(typedCatalog(parseCatalog({ tools: [{ name: 'a', description: 'x' }, { name: 'b', description: 'y' }] })), undefined);
  assert.is(typedCatalog(parseCatalog({ tools: [{ name: 'a', description: 'x', inputType: ['p'], outputType: ['q'] }, { name: 'b', description: 'y', inputType: ['r'], outputType: ['s'] }] })), undefined);
});

test('completeTyped: each step gets the producers it needs back to an entry tool, producers first, fan-in kept', () => {
  const p = complete(['report', 'stats', 'mood']);
  assert.equal(p.tools, ['read', 'parse', 'stats', 'mood', 'report']);
  assert.equal(p.deps, [[], ['read'], ['parse'], ['parse'], ['stats', 'mood']]);
  assert.equal(p.implicit, [true, true, false, false, false]);
});

test('completeTyped: a tool that takes no input is added only when the request mentions it; what it makes, the request may give', () => {
  const weather = parseCatalog({
    tools: [
      { name: 'get_location', description: "Find the user's current location from the device", inputType: [], outputType: ['city'] },
      { name: 'forecast', description: 'Get the weather forecast for a city', inputType: ['city'], outputType: ['forecast'] },
    ],
  });
  const w = typedCatalog(weather)!;
  const plan = (request: string) => completeTyped(w, [1], new Float64Array(2), false, mentions(w, request)).tools.map((i) => weather.tools[i].name);
  assert.equal(plan('What is the weather forecast in Paris tomorrow?'), ['forecast']);
  assert.equal(plan("What's the weather forecast in Paris? I'd like it by noon"), ['forecast'], "the 's and 'd fragments mention nothing");
  assert.equal(plan('Weather forecast for my current location'), ['get_location', 'forecast']);
  // Without a mention test (the default), it is added as before; a tool with an input (read's path) is added without a mention.
  assert.equal(completeTyped(w, [1], new Float64Array(2), false).tools, [0, 1]);
  assert.equal(complete(['stats']).tools, ['read', 'parse', 'stats']);
});

test('completeTyped: a producer reached through another step is not a direct dependency (transitive reduction)', () => {
  const p = complete(['report', 'chart']);
  assert.equal(p.tools, ['table', 'chart', 'report']);
  assert.equal(p.deps, [[], ['table'], ['chart']]);
});

test('completeTyped: steps that feed each other keep their order, and the loop is entered from its grounded producer', () => {
  const p = complete(['coder', 'reviewer']);
  assert.equal(p.tools, ['spec', 'coder', 'reviewer']);
  assert.equal(p.deps, [[], ['spec'], ['coder']]);
});

test('completeTyped: with the content in the request nothing is added; the stated steps are still ordered and linked by type', () => {
  const p = complete(['mood', 'parse'], true);
  assert.equal(p.tools, ['parse', 'mood']);
  assert.equal(p.deps, [[], ['parse']]);
});

test('completeTyped: stated tools whose types form a loop are each planned once (no endless search for producers)', () => {
  const loop = typedCatalog(parseCatalog({ tools: [
    { name: 'start', description: 's', inputType: ['path'], outputType: ['e'] },
    { name: 'a', description: 'a', inputType: ['c', 'e'], outputType: ['a'] },
    { name: 'b', description: 'b', inputType: ['a'], outputType: ['b'] },
    { name: 'c', description: 'c', inputType: ['b'], outputType: ['c'] },
  ] }))!;
  const p = completeTyped(loop, [1, 2, 3], [0, 0, 0, 0], false);
  assert.equal([...p.tools].sort(), [1, 2, 3]);
});

test('impliedConfidence: added steps take the least confidence of the stated ones; a plan of added steps only is left alone', () => {
  const nodes = [{ id: 'n1', confidence: 0.02 }, { id: 'n2', confidence: 0.7 }, { id: 'n3', confidence: 0.4 }];
  assert.equal(impliedConfidence(nodes, [true, false, false]).map((n) => n.confidence), [0.4, 0.7, 0.4]);
  assert.equal(impliedConfidence(nodes, [true, true, true]).map((n) => n.confidence), [0.02, 0.7, 0.4]);
});

test('carriesContent: a quoted passage carries content, a quoted path does not', () => {
  assert.ok(carriesContent('How does this sound: "The launch moved to March because the supplier is late."'));
  assert.ok(!carriesContent('Summarise "reports/2026/quarterly-board-pack.md"'));
  assert.ok(!carriesContent('Summarise notes.md'));
});

test.run();
