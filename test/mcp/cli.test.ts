import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { cli } from '../support/cli.ts';
import { FIXTURE, MCP_WORKERS, SERVER_COMMAND, serverChildren } from './helpers.ts';

/**
 * `plan`/`run` with `--mcp`: the suite's server is started from its command line, planned over
 * zero-shot, run, and stopped. Plans are checked for what zero-shot planning guarantees (only
 * the server's tools), not for a particular DAG.
 */

const INSTRUCTION = `Count the words of ${FIXTURE} and format a word report`;

test('plan --mcp prints a plan over the server tools (zero-shot) and leaves no server running', async () => {
  const r = await cli(['plan', INSTRUCTION, '--mcp', SERVER_COMMAND, '--json']);
  assert.is(r.code, 0, r.err);
  const { plan } = JSON.parse(r.out);
  assert.ok(plan.nodes.length > 0);
  for (const n of plan.nodes) assert.ok(MCP_WORKERS.includes(n.worker), `${n.worker} is not a tool of the server`);
  const text = await cli(['plan', INSTRUCTION, '--mcp', SERVER_COMMAND]);
  assert.is(text.code, 0, text.err);
  assert.match(text.out, /^plan \(general model, zero-shot over \d+ tools, confidence \d\.\d{3}\)/);
  assert.match(text.out, /\n  n1 +read-text +\d\.\d{3}/);
  const exported = await cli(['plan', INSTRUCTION, '--mcp', SERVER_COMMAND, '--export', 'mermaid']);
  assert.is(exported.code, 0, exported.err);
  assert.match(exported.out, /read-text/);
  assert.equal(serverChildren(), []);
});

test('run --mcp --yes --json runs the plan with the MCP workers; its history names them', async () => {
  const r = await cli(['run', INSTRUCTION, '--mcp', SERVER_COMMAND, '--yes', '--json']);
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.is(doc.status, 'succeeded');
  assert.match(r.err, /plan \(general model, zero-shot over \d+ tools, confidence/);
  const history = fs.readFileSync(doc.history, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const started = history.filter((e) => e.type === 'step.started');
  assert.ok(started.length > 0);
  for (const e of started) assert.ok(MCP_WORKERS.includes(e.worker), `${e.worker} is not a tool of the server`);
  assert.is(history.filter((e) => e.type === 'step.succeeded').length, started.length);
  assert.equal(history[0].input.plan.nodes.map((n: any) => n.worker), started.map((e) => e.worker));
  // read-text read the fixture through the server, whose cwd is the CLI's.
  const read = history.find((e) => e.type === 'step.succeeded' && started.find((s) => s.step === e.step)?.worker === 'read-text');
  if (started.some((e) => e.worker === 'read-text')) assert.match(JSON.stringify(read?.output), /village pond/);
  // The instruction asks for the whole chain; the zero-shot matcher plans it, linked.
  assert.equal(started.map((e) => e.worker), ['read-text', 'count_words', 'format-report']);
  assert.equal(serverChildren(), []);
});

test('--mcp errors are one line: a server that does not start, two catalogs, two servers, a workflow name', async () => {
  const dead = await cli(['plan', INSTRUCTION, '--mcp', 'node test/support/no-such-server.mjs']);
  assert.is(dead.code, 1);
  assert.match(dead.err, /^orchestai: MCP server "node test\/support\/no-such-server\.mjs" did not start: .*Cannot find module/);
  const both = await cli(['plan', INSTRUCTION, '--mcp', SERVER_COMMAND, '--catalog', 'fixtures/planner/catalog.json']);
  assert.match(both.err, /^orchestai: --catalog and --mcp both name the tools to plan over; give one of them$/);
  const bothRun = await cli(['run', INSTRUCTION, '--mcp-url', 'http://127.0.0.1:9/mcp', '--catalog', 'fixtures/planner/catalog.json', '--yes']);
  assert.match(bothRun.err, /^orchestai: --catalog and --mcp both name the tools to plan over/);
  const two = await cli(['run', INSTRUCTION, '--mcp', SERVER_COMMAND, '--mcp-url', 'http://127.0.0.1:9/mcp', '--yes']);
  assert.match(two.err, /^orchestai: give one MCP server: --mcp "<command>" or --mcp-url <url>, not both$/);
  const named = await cli(['run', 'build-website', '--mcp', SERVER_COMMAND]);
  assert.match(named.err, /^orchestai: --mcp and --mcp-url are for an instruction in quotes/);
  const unclosed = await cli(['run', INSTRUCTION, '--mcp', 'node "test/support/mcp-server.mjs', '--yes']);
  assert.match(unclosed.err, /^orchestai: MCP command: unclosed " opened at column 6/);
  assert.equal(serverChildren(), []);
});

test.run();
