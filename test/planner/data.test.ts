import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUltraTool, stepTexts } from '../../planner/data/ultratool.ts';
import { loadExamplesJsonl } from '../../planner/data/jsonl.ts';
import { carveDevSplit, holdOutTools } from '../../planner/data/split.ts';

function ultraDir(dataLines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ultra-'));
  const tools = ['flight_search', 'flight_book', 'send_sms'].map((id) => ({ id, desc: `${id} tool`, domain: ['x'] }));
  writeFileSync(join(dir, 'tool_desc.json'), JSON.stringify({ nodes: tools }));
  writeFileSync(join(dir, 'graph_desc.json'), JSON.stringify({ nodes: tools, links: [{ source: 'flight_search', target: 'flight_book' }] }));
  writeFileSync(join(dir, 'split_ids.json'), JSON.stringify({ test_ids: { chain: ['2'] } }));
  writeFileSync(join(dir, 'data.jsonl'), dataLines.join('\n') + '\n');
  return dir;
}

const rec = (id: string, nodes: string[]) => JSON.stringify({
  id, user_request: `request ${id}\n`, task_steps: nodes.map((n, i) => `Step ${i + 1} Call ${n} to do part ${i + 1} with ${n}`),
  task_nodes: nodes.map((task) => ({ task })),
  task_links: nodes.slice(1).map((t, i) => ({ source: nodes[i], target: t })), n_tools: nodes.length, type: 'chain',
});

test('loadUltraTool: catalog, examples, official split; task_steps only become named sub-task texts, never the request', () => {
  const dir = ultraDir([rec('1', ['flight_search', 'flight_book']), rec('2', ['send_sms']), rec('3', ['flight_search'])]);
  try {
    const d = loadUltraTool(dir);
    assert.is(d.catalog.tools.length, 3);
    assert.equal(d.catalog.links, [{ source: 'flight_search', target: 'flight_book' }]);
    assert.equal(d.testIds, ['2']);
    assert.equal(d.trainIds, ['1', '3']);
    const e = d.examples[0];
    assert.equal(e, {
      id: '1', request: 'request 1', nodes: ['flight_search', 'flight_book'], links: [{ source: 'flight_search', target: 'flight_book' }],
      steps: [{ worker: 'flight_search', text: 'do part 1 with' }, { worker: 'flight_book', text: 'do part 2 with' }],
    });
    assert.not.ok(JSON.stringify(d.examples).includes('Step 1'));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('stepTexts: keeps "Step N Call <worker> to <text>" steps, cuts the worker name out, skips other shapes', () => {
  assert.equal(stepTexts([
    'Step 1 Call flight_search to find flights, then flight_search again',
    'Step 2 Call flight_book',
    '1.2 Create and share a file',
    42,
  ]), [{ worker: 'flight_search', text: 'find flights, then   again' }]);
  assert.equal(stepTexts(undefined), []);
});

test('loadUltraTool: a malformed line is one error naming the file and line', () => {
  const dir = ultraDir([rec('1', ['flight_search']), '{"id": "2", "user_request": oops', rec('3', ['send_sms'])]);
  try {
    assert.throws(() => loadUltraTool(dir), (err: Error) => err.message.includes(join(dir, 'data.jsonl') + ':2') && /malformed/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadUltraTool: a record missing task_nodes names the line and field', () => {
  const dir = ultraDir([rec('1', ['flight_search']), JSON.stringify({ id: '2', user_request: 'x' })]);
  try {
    assert.throws(() => loadUltraTool(dir), /data\.jsonl:2: field "task_nodes"/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadExamplesJsonl: our own format, with line-numbered errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ex-'));
  try {
    const ok = join(dir, 'ok.jsonl');
    writeFileSync(ok, [
      JSON.stringify({ id: 'a', request: 'fetch then mail', nodes: ['fetch', 'mail'], links: [{ source: 'fetch', target: 'mail' }] }),
      '',
      JSON.stringify({ id: 'b', request: 'fetch', nodes: ['fetch'], links: [] }),
    ].join('\n'));
    const ex = loadExamplesJsonl(ok);
    assert.is(ex.length, 2);
    assert.equal(ex[1], { id: 'b', request: 'fetch', nodes: ['fetch'], links: [] });
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSON.stringify({ id: 'a', request: 'x', nodes: ['fetch'], links: [{ source: 'fetch', target: 'nope' }] }));
    assert.throws(() => loadExamplesJsonl(bad), /bad\.jsonl:1: link fetch -> nope/);
    const dup = join(dir, 'dup.jsonl');
    writeFileSync(dup, [JSON.stringify({ id: 'a', request: 'x', nodes: ['f'] }), JSON.stringify({ id: 'a', request: 'y', nodes: ['f'] })].join('\n'));
    assert.throws(() => loadExamplesJsonl(dup), /dup\.jsonl:2: duplicate id "a" \(first seen on line 1\)/);
    // Written by hand, with no id (the line names it), no links and a byte-order mark.
    const bare = join(dir, 'bare.jsonl');
    writeFileSync(bare, '\uFEFF' + [JSON.stringify({ request: 'fetch it', nodes: ['fetch'] }), '', JSON.stringify({ request: 'mail it', nodes: ['mail'] })].join('\n'));
    assert.equal(loadExamplesJsonl(bare), [{ id: 'line-1', request: 'fetch it', nodes: ['fetch'], links: [] }, { id: 'line-3', request: 'mail it', nodes: ['mail'], links: [] }]);
    const noId = join(dir, 'noid.jsonl');
    writeFileSync(noId, JSON.stringify({ id: '', request: 'x', nodes: ['f'] }));
    assert.throws(() => loadExamplesJsonl(noId), /noid\.jsonl:1: field "id" must be a non-empty string \(or left out/);
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"id":\n');
    assert.throws(() => loadExamplesJsonl(broken), /broken\.jsonl:1: malformed JSON/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('carveDevSplit: deterministic, disjoint, covers the training ids', () => {
  const ids = Array.from({ length: 100 }, (_, i) => String(i));
  const a = carveDevSplit(ids, 0.1, 7), b = carveDevSplit([...ids].reverse(), 0.1, 7);
  assert.equal(a, b);
  assert.is(a.dev.length, 10);
  assert.is(new Set([...a.dev, ...a.train]).size, 100);
  assert.not.equal(carveDevSplit(ids, 0.1, 8).dev, a.dev);
  assert.throws(() => carveDevSplit(ids, 1, 7), /fraction/);
});

test('holdOutTools: held-out tools vanish from the seen catalog and every example using them is held out', () => {
  const catalog = { tools: 'abcdefghij'.split('').map((name) => ({ name, description: name })), links: [{ source: 'a', target: 'b' }, { source: 'c', target: 'd' }] };
  const examples = 'abcdefghij'.split('').map((n, i) => ({ id: String(i), request: n, nodes: [n, 'abcdefghij'[(i + 1) % 10]], links: [] }));
  const s = holdOutTools(catalog, examples, 0.2, 3);
  assert.is(s.heldOutTools.length, 2);
  const held = new Set(s.heldOutTools);
  assert.ok(s.seenCatalog.tools.every((t) => !held.has(t.name)));
  assert.ok(s.seenCatalog.links.every((l) => !held.has(l.source) && !held.has(l.target)));
  assert.ok(s.seenExamples.every((e) => e.nodes.every((n) => !held.has(n))));
  assert.ok(s.heldOutExamples.every((e) => e.nodes.some((n) => held.has(n))));
  assert.is(s.seenExamples.length + s.heldOutExamples.length, 10);
});

test.run();
