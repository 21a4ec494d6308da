import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { mcpWorkers, parseMcpCommand, workerNameOf, McpToolError } from '../../workflows/mcp/index.ts';
import { workerNames } from '../../machines/tool-names.ts';
import { loadCatalog } from '../../planner/catalog.ts';
import type { Catalog } from '../../planner/types.ts';
import { defineWorkflow, run, createJsonlStore } from '../../src/index.ts';
import { FIXTURE, MCP_WORKERS, alive, calls, failure, serverSpec } from './helpers.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-mcp-workers-'));
const ctx = () => ({ runId: 'r', step: 's', attempt: 1, signal: new AbortController().signal, sleep: async () => {}, reportCost: () => {} });

test('parseMcpCommand splits a command line like a shell, without expanding anything', () => {
  assert.equal(parseMcpCommand('node server.mjs --root ./docs'), { command: 'node', args: ['server.mjs', '--root', './docs'] });
  assert.equal(parseMcpCommand(`  node "my server.mjs" --name 'a "b" $HOME'  `), { command: 'node', args: ['my server.mjs', '--name', 'a "b" $HOME'] });
  assert.equal(parseMcpCommand('npx -y some\\ pkg "say \\"hi\\""'), { command: 'npx', args: ['-y', 'some pkg', 'say "hi"'] });
  assert.equal(parseMcpCommand(`node a.mjs ''`), { command: 'node', args: ['a.mjs', ''] });
  assert.throws(() => parseMcpCommand('   '), /MCP command is empty/);
  assert.throws(() => parseMcpCommand('node "server.mjs'), /unclosed " opened at column 6/);
});

test('tool names become worker names: cleaned, prefixed, unique', () => {
  assert.is(workerNameOf('getWeather', 'wx'), 'wx.get-weather');
  assert.is(workerNameOf('files/read'), 'files-read');
  assert.is(workerNameOf('  Search Docs!! '), 'search-docs');
  assert.is(workerNameOf('***'), 'tool');
  assert.equal([...workerNames(['read', 'Read', 'READ'], 'Fs')], [['fs.read', 'read'], ['fs.read-2', 'Read'], ['fs.read-3', 'READ']]);
});

test('mcpWorkers lists the tools as workers with their descriptions, schemas and a linked catalog', async () => {
  const mcp = await mcpWorkers({ ...serverSpec(), name: 'docs' });
  try {
    assert.equal(mcp.workers.map((w) => w.name), MCP_WORKERS.map((n) => `docs.${n}`));
    assert.is(mcp.toolNames.get('docs.read-text'), 'readText');
    assert.equal(mcp.server, { name: 'orchestai-test-server', version: '1.0.0' });
    const [read, count, report] = mcp.workers;
    assert.is(read.description, 'Read a text document from a file path and return its text');
    assert.is(report.description, 'Format word counts and frequent words as a short Markdown report');
    const tools = Object.fromEntries(mcp.catalog.tools.map((t) => [t.name, t]));
    assert.equal(tools['docs.count_words'].inputType, ['text', 'top']);
    assert.equal(tools['docs.count_words'].outputType, ['words', 'lines', 'topWords']);
    assert.equal(tools['docs.read-text'].outputType, ['text']);
    const links = mcp.catalog.links.map((l) => `${l.source}>${l.target}`);
    for (const l of ['docs.read-text>docs.count_words', 'docs.count_words>docs.format-report', 'docs.read-text>docs.upper-case']) assert.ok(links.includes(l), l);
    assert.not.ok(links.includes('docs.count_words>docs.upper-case'));
    // Input schema from JSON Schema: a wrong type and a missing field are named; unknown fields are dropped.
    const bad = count.input.safeParse({ text: 3 });
    assert.equal(bad.success ? [] : bad.error.issues[0].path, ['text']);
    const missing = report.input.safeParse({ words: 3, lines: 1 });
    assert.equal(missing.success ? [] : missing.error.issues[0].path, ['topWords']);
    assert.not.ok(count.input.safeParse({ text: 'a', top: 1.5 }).success, 'an integer field refuses 1.5');
    // Output: structuredContent for a tool with an outputSchema, { text } otherwise.
    assert.equal(await count.run({ text: 'ducks ducks pond', top: 1, instruction: 'ignored' }, ctx()), { words: 3, lines: 1, topWords: [{ word: 'ducks', count: 2 }] });
    assert.ok(count.output.safeParse({ words: 3, lines: 1, topWords: [] }).success);
    assert.not.ok(count.output.safeParse({ text: 'x' }).success);
    const text = (await read.run({ path: FIXTURE }, ctx())) as { text: string };
    assert.ok(z.object({ text: z.string() }).strict().safeParse(text).success);
    assert.match(text.text, /^# The village pond/);
  } finally {
    await mcp.close();
  }
});

test('an isError result fails the step with McpToolError and the tool text, without retrying; bad input names the field', async () => {
  const log = path.join(tmp, 'calls-error.log');
  const mcp = await mcpWorkers(serverSpec(log));
  try {
    const [read, count] = mcp.workers;
    const e = await failure(() => read.run({ path: 'no/such.md' }, ctx()));
    assert.instance(e, McpToolError);
    assert.is(e.name, 'McpToolError');
    assert.is(e.message, 'cannot read no/such.md: ENOENT');
    const store = createJsonlStore(path.join(tmp, 'store-error'));
    const wf = defineWorkflow({ id: 'mcp-read-missing', steps: [{ id: 'read', worker: read, dependsOn: [] }] });
    const r = await run(wf, { path: 'no/such.md' }, { store });
    assert.is(r.status, 'failed');
    const failed = store.read(r.runId).filter((e) => e.type === 'step.failed') as any[];
    assert.is(failed.length, 1, 'an McpToolError is not retried');
    assert.equal(failed[0].error, { name: 'McpToolError', message: 'cannot read no/such.md: ENOENT', retryable: false });
    assert.is(calls(log).filter((c) => c === 'readText').length, 2);
    const wf2 = defineWorkflow({ id: 'mcp-count-bad', steps: [{ id: 'count', worker: count, dependsOn: [] }] });
    const r2 = await run(wf2, { text: 42 }, { store });
    assert.is(r2.status, 'failed');
    assert.match(r2.error!.message, /count_words/);
    assert.match(r2.error!.message, /\btext\b/);
    assert.not.ok(calls(log).includes('count_words'), 'invalid input never reaches the server');
  } finally {
    await mcp.close();
  }
});

test('close stops the server process; the workers then fail; close twice is fine', async () => {
  const mcp = await mcpWorkers(serverSpec());
  assert.ok(mcp.pid && alive(mcp.pid));
  await mcp.close();
  assert.not.ok(alive(mcp.pid!), 'the child server process is gone after close');
  await mcp.close();
  assert.instance(await failure(async () => mcp.workers[3].run({ text: 'x' }, ctx())), Error);
});

test('a server that cannot start is one error naming it, with the end of its stderr', async () => {
  const err = await failure(() => mcpWorkers({ command: process.execPath, args: ['-e', 'process.stderr.write("no config file\\n"); process.exit(3)'] }));
  assert.match(err.message, /^MCP server ".+ -e .+" did not start: .*\(stderr: no config file\)$/);
  const missing = await failure(() => mcpWorkers({ command: path.join(tmp, 'no-such-binary') }));
  assert.match(missing.message, /no-such-binary" did not start: .*ENOENT/);
});

test("a saved tools/list result reads as the catalog the server's workers give: same names, type tags and links", async () => {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const spec = serverSpec();
  const client = new Client({ name: 'orchestai-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: spec.command, args: spec.args, cwd: spec.cwd }));
  const listed = await client.listTools();
  await client.close();
  const file = path.join(tmp, 'tools.json');
  fs.writeFileSync(file, JSON.stringify(listed));
  const mcp = await mcpWorkers(serverSpec());
  try {
    const saved = loadCatalog(file);
    assert.equal(saved.tools.map((t) => t.name), MCP_WORKERS);
    const sorted = (c: Catalog) => ({ tools: c.tools.map(({ name, inputType, outputType }) => ({ name, inputType, outputType })), links: c.links.map((l) => `${l.source}>${l.target}`).sort() });
    assert.equal(sorted(saved), sorted(mcp.catalog));
  } finally {
    await mcp.close();
  }
});

test.run();
