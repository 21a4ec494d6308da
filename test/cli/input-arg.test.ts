import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInputArg } from '../../src/cli/format.ts';

/** `--input` as `run` reads it, over an in-memory file system. */
const files: Record<string, string> = { 'in.json': '{"n":1}', 'bom.json': '\uFEFF{"n":1}', 'doc.md': '# notes', 'bad.json': '{"n":' };
const fsx = { readFile: (p: string) => files[p], exists: (p: string) => p in files };

test('inline JSON, @file.json (a byte-order mark included), or an existing path as { path }', () => {
  assert.equal(parseInputArg('{"n":1}', fsx), { n: 1 });
  assert.equal(parseInputArg('@in.json', fsx), { n: 1 });
  assert.equal(parseInputArg('@bom.json', fsx), { n: 1 });
  assert.equal(parseInputArg('doc.md', fsx), { path: 'doc.md' });
  assert.is(parseInputArg(undefined, fsx), undefined);
});

test('bad JSON names the file or the flag, in one line', () => {
  assert.throws(() => parseInputArg('@bad.json', fsx), /^file bad\.json is not valid JSON \(.*\); give JSON, @file\.json, or the path of an existing file$/);
  assert.throws(() => parseInputArg('{nope', fsx), /^--input is not valid JSON/);
});

test.run();
