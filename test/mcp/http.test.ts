import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { buildServer } from '../support/mcp-server.mjs';
import { mcpWorkers } from '../../workflows/mcp/index.ts';
import { cli } from '../support/cli.ts';
import { FIXTURE, MCP_WORKERS, failure } from './helpers.ts';

/** The suite's server over streamable HTTP on a loopback port, stateless: one server per request. */
async function startHttpServer(): Promise<{ url: string; authorizations: (string | undefined)[]; close(): Promise<void> }> {
  const authorizations: (string | undefined)[] = [];
  const server = http.createServer(async (req, res) => {
    authorizations.push(req.headers.authorization);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const mcp = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authorizations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => server.closeAllConnections()),
  };
}

test('mcpWorkers over streamable HTTP: lists the tools, sends the headers, calls a tool', async () => {
  const server = await startHttpServer();
  try {
    const mcp = await mcpWorkers({ url: server.url, headers: { authorization: 'Bearer test-token-123' } });
    try {
      assert.equal(mcp.workers.map((w) => w.name), MCP_WORKERS);
      assert.is(mcp.pid, undefined);
      const upper = mcp.workers.find((w) => w.name === 'upper-case')!;
      const out = await upper.run({ text: 'quiet pond' }, { runId: 'r', step: 's', attempt: 1, signal: new AbortController().signal, sleep: async () => {}, reportCost: () => {} });
      assert.equal(out, { text: 'QUIET POND' });
    } finally {
      await mcp.close();
    }
    assert.ok(server.authorizations.length >= 3);
    assert.ok(server.authorizations.every((a) => a === 'Bearer test-token-123'), JSON.stringify(server.authorizations));
  } finally {
    await server.close();
  }
});

test('run --mcp-url plans and runs over the HTTP server; an unreachable URL is an error without the headers', async () => {
  const server = await startHttpServer();
  try {
    const r = await cli(['run', `Count the words of ${FIXTURE} and format a word report`, '--mcp-url', server.url, '--yes', '--json']);
    assert.is(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.is(doc.status, 'succeeded');
    const started = fs.readFileSync(doc.history, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'step.started');
    assert.ok(started.length > 0 && started.every((e) => MCP_WORKERS.includes(e.worker)));
  } finally {
    await server.close();
  }
  const err = await failure(() => mcpWorkers({ url: `${server.url}?key=secret-in-query`, headers: { authorization: 'Bearer secret-header' } }));
  assert.match(err.message, /^MCP server http:\/\/127\.0\.0\.1:\d+\/mcp did not answer: /);
  assert.not.match(err.message, /secret/);
});

test.run();
