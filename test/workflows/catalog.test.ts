import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { buildCatalog, defaultCatalog, defaultWorkers, TYPE_TAGS, workerByName } from '../../workflows/catalog.ts';

const NAMES = ['read-file', 'extract-text', 'summarise', 'extract-figures', 'extract-keywords', 'structure-slides', 'render-deck', 'product-manager', 'coder', 'reviewer', 'write-files', 'csv-stats', 'render-chart', 'sentiment', 'text-stats', 'markdown-to-html', 'compose-report'];

test('the default catalog lists the 17 built-in workers with their descriptions and type tags', () => {
  assert.equal(defaultCatalog.tools.map((t) => t.name), NAMES);
  assert.equal(defaultWorkers.map((w) => w.name), NAMES);
  for (const t of defaultCatalog.tools) {
    assert.ok(t.description.length > 20, t.name);
    assert.ok(t.inputType.length > 0 && t.outputType.length > 0, t.name);
  }
  assert.equal(defaultCatalog.tools.find((t) => t.name === 'summarise')!.inputType, ['text', 'sections']);
  assert.is(workerByName('coder').name, 'coder');
  assert.throws(() => workerByName('nope'), /unknown worker "nope"; the default catalog has read-file, /);
});

test('links: exactly the pairs where an output type of one is an input type of another', () => {
  const has = (from: string, to: string) => defaultCatalog.links.some((l) => l.source === from && l.target === to);
  for (const [a, b] of [['read-file', 'extract-text'], ['extract-text', 'summarise'], ['extract-text', 'extract-figures'], ['summarise', 'structure-slides'], ['structure-slides', 'render-deck'], ['product-manager', 'coder'], ['coder', 'reviewer'], ['reviewer', 'coder'], ['coder', 'write-files'], ['csv-stats', 'render-chart'], ['render-chart', 'compose-report']]) {
    assert.ok(has(a, b), `${a} -> ${b}`);
  }
  for (const [a, b] of [['read-file', 'summarise'], ['render-deck', 'read-file'], ['summarise', 'summarise'], ['sentiment', 'coder']]) assert.not.ok(has(a, b), `${a} -> ${b}`);
  assert.throws(() => buildCatalog([...defaultWorkers], { ...TYPE_TAGS, coder: undefined as any }), /worker "coder" has no type tags/);
});

test('field names line up along the links the built-in workflows use', () => {
  // An upstream output's keys must be accepted by the downstream input schema (zod strips the rest).
  const keys = (s: z.ZodType) => Object.keys((s as any).shape ?? (s as any)._def?.schema?.shape ?? (s as any).def?.in?.shape ?? {});
  const pairs: Array<[string, string, string[]]> = [
    ['read-file', 'extract-text', ['text', 'format']],
    ['extract-text', 'summarise', ['text', 'sections']],
    ['extract-text', 'extract-figures', ['text', 'sections']],
    ['extract-text', 'extract-keywords', ['text']],
    ['extract-text', 'text-stats', ['text']],
    ['extract-text', 'sentiment', ['text']],
    ['structure-slides', 'render-deck', ['title', 'slides']],
    ['coder', 'write-files', ['files']],
    ['coder', 'reviewer', ['files']],
    ['product-manager', 'reviewer', ['spec']],
    ['csv-stats', 'render-chart', ['columns', 'rows']],
  ];
  for (const [from, to, shared] of pairs) {
    const out = keys(workerByName(from).output);
    const inp = keys(workerByName(to).input);
    for (const k of shared) {
      assert.ok(out.includes(k), `${from} output lacks ${k} (${out})`);
      assert.ok(inp.includes(k), `${to} input lacks ${k} (${inp})`);
    }
  }
});

test.run();
