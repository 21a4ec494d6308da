import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gnn4TaskPlanCatalog, loadUltraTool } from '../../planner/data/ultratool.ts';
import { loadDataset } from '../../planner/dataset.ts';
import { catalogFingerprint, loadCatalog } from '../../planner/catalog.ts';

// Hand-written in GNN4TaskPlan's published layout (data.json as JSON Lines, split_ids.json with
// several test modes, RestBench-style integer ids); never copied from the benchmark.
const tools = [
  { id: 'SearchMovie', desc: '[Search Movie] Find a movie by its title. ', 'input-type': ['text'], 'output-type': ['movie_id'] },
  { id: 'GetMovieCredit', desc: '[Movie Credit] The cast and crew of a movie.', 'input-type': ['movie_id'], 'output-type': ['people'] },
  { id: 7, desc: 'A tool whose id is an integer' },
];
const links = [{ source: 'SearchMovie', target: 'GetMovieCredit', type: 'movie_id' }, { source: 7, target: 'SearchMovie' }];
const records = [
  { id: 0, user_request: 'Who plays in Heat?\n', task_steps: ['Step 1 Call SearchMovie to find Heat', 'Step 2 Call GetMovieCredit to list its cast'], task_nodes: [{ task: 'SearchMovie' }, { task: 'GetMovieCredit' }], task_links: [{ source: 'SearchMovie', target: 'GetMovieCredit' }] },
  { id: 1, user_request: 'Find the film Alien', task_nodes: [{ task: 'SearchMovie' }], task_links: [] },
  { id: '2', user_request: 'Use the integer tool, then search', task_nodes: [{ task: 7 }, { task: 'SearchMovie' }], task_links: [{ source: 7, target: 'SearchMovie' }] },
  { id: 3, user_request: 'Search for Up', task_nodes: [{ task: 'SearchMovie' }], task_links: [] },
];

function layoutDir(dataName = 'data.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'gnn4taskplan-'));
  writeFileSync(join(dir, 'tool_desc.json'), JSON.stringify({ nodes: tools }));
  // graph_desc.json repeats the tools, one of them worded differently (as UltraTool's does).
  writeFileSync(join(dir, 'graph_desc.json'), JSON.stringify({ nodes: tools.map((t) => (t.id === 7 ? { ...t, desc: 'Integer tool' } : t)), links }));
  writeFileSync(join(dir, 'split_ids.json'), JSON.stringify({ test_ids: { chain: [0, 2], single: [1, 0] } }));
  writeFileSync(join(dir, dataName), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return dir;
}

test('loadUltraTool reads the layout as published: data.json, integer ids as strings, every test mode', () => {
  const dir = layoutDir();
  try {
    const d = loadUltraTool(dir);
    assert.equal(d.catalog.tools.map((t) => t.name), ['SearchMovie', 'GetMovieCredit', '7']);
    assert.is(d.catalog.tools[0].description, '[Search Movie] Find a movie by its title. ', 'descriptions are kept as published');
    assert.equal(d.catalog.tools[0].inputType, ['text']);
    assert.equal(d.catalog.tools[1].outputType, ['people']);
    assert.equal(d.catalog.links, [{ source: 'SearchMovie', target: 'GetMovieCredit' }, { source: '7', target: 'SearchMovie' }]);
    assert.equal(d.testIds, ['0', '2', '1'], 'chain then single, without repeats');
    assert.equal(d.trainIds, ['3']);
    assert.equal(d.examples[2], { id: '2', request: 'Use the integer tool, then search', nodes: ['7', 'SearchMovie'], links: [{ source: '7', target: 'SearchMovie' }], steps: [] });
    assert.is(d.examples[0].request, 'Who plays in Heat?');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadDataset takes a directory with data.json as well as data.jsonl', () => {
  for (const name of ['data.json', 'data.jsonl']) {
    const dir = layoutDir(name);
    try {
      const ds = loadDataset(dir);
      assert.is(ds.kind, 'ultratool', name);
      assert.equal(ds.test.map((e) => e.id), ['0', '2', '1'], name);
    } finally {
      rmSync(dir, { recursive: true });
    }
  }
});

test('without split_ids.json, scoring reads every request as a test one and training still asks for the file', () => {
  const dir = layoutDir();
  try {
    rmSync(join(dir, 'split_ids.json'));
    const ds = loadDataset(dir, { fileRole: 'test' });
    assert.equal(ds.test.map((e) => e.id), ['0', '1', '2', '3']);
    assert.equal(ds.train, []);
    assert.throws(() => loadDataset(dir), /split_ids\.json: cannot read/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadCatalog reads a GNN4TaskPlan directory or either of its files as the same catalog (tools from tool_desc.json)', () => {
  const dir = layoutDir();
  try {
    const fp = catalogFingerprint(loadUltraTool(dir).catalog);
    for (const at of [dir, join(dir, 'tool_desc.json'), join(dir, 'graph_desc.json')]) assert.is(catalogFingerprint(loadCatalog(at)), fp, at);
    assert.is(loadCatalog(dir).tools[2].description, 'A tool whose id is an integer');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('bad GNN4TaskPlan files are one error naming the file and the entry', () => {
  assert.throws(() => gnn4TaskPlanCatalog({ nodes: [{ id: 1.5, desc: 'x' }] }, 'tool_desc.json'), /tool_desc\.json: nodes\[0\] needs "id" \(string or integer\)/);
  assert.throws(() => gnn4TaskPlanCatalog({ nodes: [{ id: 'a', desc: 'x' }, { id: 'a', desc: 'y' }] }, 't.json'), /t\.json: nodes\[1\]: duplicate tool id "a"/);
  assert.throws(() => gnn4TaskPlanCatalog({ nodes: [{ id: 'a', desc: 'x' }], links: [{ source: 'a', target: 'b' }] }, 'g.json'), /g\.json: links\[0\] names unknown tool "b"/);
  const dir = layoutDir();
  try {
    writeFileSync(join(dir, 'split_ids.json'), JSON.stringify({ test_ids: { chain: [0, null] } }));
    assert.throws(() => loadUltraTool(dir), /split_ids\.json: expected \{ test_ids/);
    writeFileSync(join(dir, 'split_ids.json'), JSON.stringify({ test_ids: { chain: [9] } }));
    assert.throws(() => loadUltraTool(dir), /test id "9" is not in .*data\.json/);
    rmSync(join(dir, 'data.json'));
    assert.throws(() => loadUltraTool(dir), /no examples \(expected data\.json or data\.jsonl\)/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
