import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { buildToolGraph, catalogFingerprint, catalogFromWorkers, CatalogError, loadCatalog, parseCatalog } from '../../planner/catalog.ts';
import { linksByType } from '../../machines/type-tags.ts';

const dir = mkdtempSync(join(tmpdir(), 'orchestai-catalog-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const tools = [
  { name: 'read-file', description: 'Reads a file', inputType: ['path'], outputType: ['document'] },
  { name: 'extract-text', description: 'Extracts text', inputType: ['document'], outputType: ['text', 'sections'] },
  { name: 'summarise', description: 'Summarises', inputType: ['text', 'sections'], outputType: ['summary'] },
];

test('links are derived from type tags when not given, and the graph is a graphology DirectedGraph', () => {
  const cat = parseCatalog({ tools });
  assert.equal(cat.links, [{ source: 'read-file', target: 'extract-text' }, { source: 'extract-text', target: 'summarise' }]);
  const g = buildToolGraph(cat);
  assert.is(g.order, 3);
  assert.is(g.size, 2);
  assert.ok(g.hasDirectedEdge('extract-text', 'summarise'));
  assert.not.ok(g.hasDirectedEdge('read-file', 'summarise'));
});

test('given links win over types', () => {
  const cat = parseCatalog({ tools, links: [{ source: 'read-file', target: 'summarise' }] });
  assert.equal(cat.links, [{ source: 'read-file', target: 'summarise' }]);
});

test('a bad catalog file is one error naming the file and the field', () => {
  const f1 = file('bad1.json', JSON.stringify({ tools: [{ name: 'a', description: '' }] }));
  assert.throws(() => loadCatalog(f1), (e: Error) => e instanceof CatalogError && e.message.includes(f1) && e.message.includes('tools[0].description'));
  const f2 = file('bad2.json', JSON.stringify({ tools: [{ name: 'a', description: 'x' }], links: [{ source: 'a', target: 'b' }] }));
  assert.throws(() => loadCatalog(f2), /links\[0\]\.target: names unknown tool "b"/);
  const f3 = file('bad3.json', '{ "tools": [');
  assert.throws(() => loadCatalog(f3), (e: Error) => e.message.startsWith(`${f3}: invalid catalog: malformed JSON`));
  const f4 = file('bad4.json', JSON.stringify({ tools: [{ name: 'a', description: 'x' }, { name: 'a', description: 'y' }] }));
  assert.throws(() => loadCatalog(f4), /tools\[1\]\.name: duplicate tool name "a" \(also tools\[0\]\)/);
  assert.throws(() => loadCatalog(join(dir, 'missing.json')), /missing\.json: invalid catalog: cannot read \(ENOENT\)/);
  const f5 = file('ok.json', JSON.stringify({ tools }));
  assert.is(loadCatalog(f5).tools.length, 3);
});

test('a catalog saved with a byte-order mark, or as a bare array of tools, reads as the same catalog', () => {
  const plain = loadCatalog(file('plain.json', JSON.stringify({ tools })));
  assert.equal(loadCatalog(file('bom.json', '\uFEFF' + JSON.stringify({ tools }))), plain);
  assert.equal(loadCatalog(file('bare.json', JSON.stringify(tools))), plain);
  // The bare array's fields are named where the file has them.
  assert.throws(() => parseCatalog([tools[0], { name: 'x' }], 'bare'), /^bare: invalid catalog: \[1\]\.description: a tool needs a description/);
  assert.throws(() => parseCatalog([], 'empty'), /^empty: invalid catalog: \(root\): must list at least one tool$/);
});

test('a missing name or description, or a name no worker can have, is said in words and names the value', () => {
  assert.throws(() => parseCatalog({ tools: [{ description: 'x' }] }, 'c'), /^c: invalid catalog: tools\[0\]\.name: a tool needs a name \(a string\)$/);
  assert.throws(() => parseCatalog({ tools: [{ name: 'météo', description: 'Weather' }] }, 'c'), /tools\[0\]\.name: "météo" is not a worker name: ASCII letters, digits/);
});

test('catalogFromWorkers takes type tags when given, else zod field names', () => {
  const a = defineWorker({ name: 'a', description: 'makes text', input: z.object({ path: z.string() }), output: z.object({ text: z.string() }), run: () => ({ text: '' }) });
  const b = defineWorker({ name: 'b', description: 'counts', input: z.object({ text: z.string().optional() }).refine(() => true), output: z.object({ n: z.number() }), run: () => ({ n: 1 }) });
  const cat = catalogFromWorkers([a, b]);
  assert.equal(cat.tools[0], { name: 'a', description: 'makes text', inputType: ['path'], outputType: ['text'] });
  assert.equal(cat.tools[1].inputType, ['text']);
  assert.equal(cat.links, [{ source: 'a', target: 'b' }]);
  const tagged = catalogFromWorkers([a, b], { a: { outputType: ['doc'] } });
  assert.equal(tagged.links, []);
});

test('the fingerprint ignores order and changes with names, descriptions and links', () => {
  const cat = parseCatalog({ tools });
  const shuffled = { tools: [...cat.tools].reverse(), links: [...cat.links].reverse() };
  assert.is(catalogFingerprint(cat), catalogFingerprint(shuffled));
  assert.match(catalogFingerprint(cat), /^sha256:[0-9a-f]{32}$/);
  const renamed = { ...cat, tools: cat.tools.map((t, i) => (i === 0 ? { ...t, description: 'Reads a local file' } : t)) };
  assert.is.not(catalogFingerprint(cat), catalogFingerprint(renamed));
  assert.is.not(catalogFingerprint(cat), catalogFingerprint({ ...cat, links: cat.links.slice(1) }));
  assert.equal(linksByType([]), []);
});

test.run();
