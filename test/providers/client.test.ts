import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { createLlmClient } from '../../providers/client.ts';
import { LlmError, LlmOutputError, LlmRejectedError } from '../../providers/errors.ts';
import { startLoopback, USAGE, type Loopback, type Reply, type SeenRequest, type Wire } from './servers.ts';

/** The client against each loopback wire format: text, streams, objects, retries, errors, timeouts, cancellation. */

const KEY = 'sk-live-0123456789abcdefghijKLMN';
const MODEL: Record<Wire, string> = { openai: 'gpt-4o-mini', anthropic: 'claude-sonnet-4-5', ollama: 'llama3.2' };
const WIRES: Wire[] = ['openai', 'anthropic', 'ollama'];

/** A loopback server and a client for it, with tiny retry delays; closed after `body`. */
async function withServer(wire: Wire, script: ((req: SeenRequest, i: number) => Reply | undefined) | undefined, body: (s: Loopback, config: any) => Promise<void>, answer?: (req: SeenRequest) => string) {
  const s = await startLoopback(wire, { script, answer });
  try {
    await body(s, { provider: wire, model: MODEL[wire], baseUrl: s.baseUrl, apiKey: KEY, retryDelayMs: 1, maxRetries: 2, timeoutMs: 5000 });
  } finally {
    await s.close();
  }
}

const failure = (p: Promise<unknown>) => p.then(() => assert.unreachable('the call succeeded'), (e: any) => e);

for (const wire of WIRES) {
  test(`${wire}: text, usage and cost, with the key in the provider's header`, async () => {
    await withServer(wire, undefined, async (s, config) => {
      const r = await createLlmClient(config).generateText('Say hi', { system: 'Be brief.' });
      assert.is(r.text, 'Hello from the loopback.');
      assert.equal(r.usage, { inputTokens: USAGE.input, outputTokens: USAGE.output });
      if (wire === 'ollama') assert.is(r.cost, 0);
      else assert.ok(r.cost! > 0, String(r.cost));
      const h = s.seen[0].headers;
      if (wire === 'anthropic') {
        assert.is(s.seen[0].url, '/v1/messages');
        assert.is(h['x-api-key'], KEY);
        assert.is(h['anthropic-version'], '2023-06-01');
        assert.equal(s.seen[0].body.system, [{ type: 'text', text: 'Be brief.' }]);
      } else {
        assert.is(s.seen[0].url, '/v1/chat/completions');
        assert.is(h.authorization, `Bearer ${KEY}`);
        assert.equal(s.seen[0].body.messages[0], { role: 'system', content: 'Be brief.' });
      }
      assert.is(s.seen[0].body.temperature, 0);
    });
  });

  test(`${wire}: a streamed answer is assembled from its deltas, usage included`, async () => {
    const text = 'A longer answer that arrives in several pieces.';
    await withServer(wire, undefined, async (s, config) => {
      const r = await createLlmClient({ ...config, stream: true }).generateText('Tell me');
      assert.is(s.seen[0].body.stream, true);
      assert.is(r.text, text);
      assert.equal(r.usage, { inputTokens: USAGE.input, outputTokens: USAGE.output });
    }, () => text);
  });

  test(`${wire}: generateObject asks for JSON and checks the reply with the zod schema (plain and streamed)`, async () => {
    const Title = z.object({ title: z.string(), words: z.number().int() });
    await withServer(wire, undefined, async (s, config) => {
      const client = createLlmClient(config);
      assert.equal((await client.generateObject(Title, 'Name it')).object, { title: 'Trees', words: 1 });
      assert.equal((await client.generateObject(Title, 'Name it', { stream: true })).object, { title: 'Trees', words: 1 });
      const body = s.seen[0].body;
      if (wire === 'anthropic') assert.ok(body.output_config?.format?.schema ?? body.tools?.some((t: any) => t.name === 'json'), JSON.stringify(body));
      else assert.is(body.response_format.type, 'json_schema');
    }, () => '{"title":"Trees","words":1}');
  });

  test(`${wire}: a reply that is not the schema's shape is an LlmOutputError listing the problems`, async () => {
    await withServer(wire, undefined, async (_s, config) => {
      const e = await failure(createLlmClient(config).generateObject(z.object({ title: z.string() }), 'Name it'));
      assert.ok(e instanceof LlmOutputError, e.stack);
      assert.equal(e.problems, ['title: Invalid input: expected string, received number']);
      assert.equal(e.usage, { inputTokens: USAGE.input, outputTokens: USAGE.output });
    }, () => '{"title":7}');
  });

  test(`${wire}: a 429 with retry-after is retried and succeeds`, async () => {
    const script = (_r: SeenRequest, i: number): Reply | undefined => (i === 0 ? { status: 429, headers: { 'retry-after': '0' }, body: '{"error":{"message":"slow down"}}' } : undefined);
    await withServer(wire, script, async (s, config) => {
      // The backoff alone would wait a minute: the server's retry-after: 0 is what is honoured.
      const r = await createLlmClient({ ...config, retryDelayMs: 60_000 }).generateText('hi');
      assert.is(r.text, 'Hello from the loopback.');
      assert.is(s.seen.length, 2);
    });
  });

  test(`${wire}: a 401 that echoes the key fails at once, without the key`, async () => {
    const script = (): Reply => ({ status: 401, body: '{"error":{"type":"authentication_error","message":"Incorrect API key provided: {key}"}}' });
    await withServer(wire, script, async (s, config) => {
      const e = await failure(createLlmClient(config).generateText('hi'));
      assert.ok(e instanceof LlmRejectedError);
      assert.is(e.name, 'LlmRejectedError');
      assert.is(e.status, 401);
      assert.match(e.message, /answered 401: .*Incorrect API key provided: \[redacted\]/);
      assert.not.ok(`${e.message}${e.stack}${JSON.stringify(e)}`.includes(KEY));
      assert.is(s.seen.length, 1);
    });
  });

  test(`${wire}: 500 on every request exhausts the retries with a retryable LlmError`, async () => {
    await withServer(wire, () => ({ status: 500, body: 'upstream exploded' }), async (s, config) => {
      const e = await failure(createLlmClient({ ...config, maxRetries: 2 }).generateText('hi'));
      assert.is(e.name, 'LlmError');
      assert.is(e.retryable, true);
      assert.is(e.status, 500);
      assert.match(e.message, /answered 500: upstream exploded/);
      assert.is(s.seen.length, 3);
    });
  });
}

test('an Anthropic stream that breaks with an overloaded error event is retried', async () => {
  await withServer('anthropic', (_r, i) => (i === 0 ? { overloadedMidStream: true } : undefined), async (s, config) => {
    const r = await createLlmClient({ ...config, stream: true }).generateText('hi');
    assert.is(r.text, 'Hello from the loopback.');
    assert.is(s.seen.length, 2);
  });
  await withServer('anthropic', () => ({ overloadedMidStream: true }), async (s, config) => {
    const e = await failure(createLlmClient({ ...config, stream: true, maxRetries: 1 }).generateText('hi'));
    assert.is(e.name, 'LlmError');
    assert.match(e.message, /Overloaded/);
    assert.is(s.seen.length, 2);
  });
});

test('a slow server times out with a retryable LlmError, each attempt cut at timeoutMs', async () => {
  await withServer('openai', () => ({ delayMs: 2000 }), async (s, config) => {
    const started = Date.now();
    const e = await failure(createLlmClient({ ...config, timeoutMs: 150, maxRetries: 1 }).generateText('hi'));
    assert.is(e.name, 'LlmError');
    assert.match(e.message, /no answer within 150 ms/);
    assert.is(s.seen.length, 2);
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });
});

test("the caller's signal aborts the HTTP request and the call rejects with its reason", async () => {
  for (const stream of [false, true]) {
    await withServer('anthropic', () => ({ hang: true }), async (s, config) => {
      const controller = new AbortController();
      const call = createLlmClient({ ...config, stream }).generateText('hi', { signal: controller.signal });
      await s.nextRequest();
      controller.abort(new Error('run cancelled'));
      const e = await failure(call);
      assert.is(e.message, 'run cancelled');
      await new Promise((r) => setTimeout(r, 50));
      assert.is(s.dropped, 1, 'the server saw the connection closed');
      assert.is(s.seen.length, 1, 'no retry after a cancellation');
    });
  }
});

test('an abort during the wait between retries ends the call at once', async () => {
  await withServer('openai', () => ({ status: 503, headers: { 'retry-after': '30' } }), async (s, config) => {
    const controller = new AbortController();
    const call = createLlmClient(config).generateText('hi', { signal: controller.signal });
    await s.nextRequest();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    const started = Date.now();
    assert.is((await failure(call)).message, 'stop');
    assert.ok(Date.now() - started < 1000);
    assert.is(s.seen.length, 1);
  });
});

test('a retry-after longer than maxRetryDelayMs fails at once instead of waiting', async () => {
  await withServer('openai', () => ({ status: 429, headers: { 'retry-after-ms': '120000' } }), async (s, config) => {
    const e = await failure(createLlmClient({ ...config, maxRetryDelayMs: 1000 }).generateText('hi'));
    assert.is(e.name, 'LlmError');
    assert.is(e.retryAfterMs, 120_000);
    assert.is(s.seen.length, 1);
  });
});

test('an openai-compatible base URL: its key moves from the query to a header, the rest of the query stays, the schema goes in the prompt', async () => {
  await withServer('ollama', (req) => (req.headers['api-key'] === 'az-secret-0123456789' ? undefined : { status: 401, body: 'bad key {key}' }), async (s) => {
    const base = s.baseUrl.replace(/\/v1$/, '');
    const client = createLlmClient({ baseUrl: `${base}/v1/?api-version=2024-02-01&api-key=az-secret-0123456789`, model: 'gpt-4o' });
    assert.is(client.config.provider, 'openai-compatible');
    const r = await client.generateObject(z.object({ ok: z.boolean() }), 'hi');
    assert.equal(r.object, { ok: true });
    assert.is(s.seen[0].url, '/v1/chat/completions?api-version=2024-02-01');
    assert.is(s.seen[0].headers.authorization, undefined);
    assert.equal(s.seen[0].body.response_format, { type: 'json_object' });
    assert.match(s.seen[0].body.messages[0].content, /JSON Schema:\n\{.*"ok"/);
    // A wrong key in the URL, echoed back: neither in the message nor in the URL it quotes.
    const e = await failure(createLlmClient({ baseUrl: `${base}/v1?api-key=wrong-url-key-987654`, model: 'm', retryDelayMs: 1 }).generateText('hi'));
    assert.is(e.name, 'LlmRejectedError');
    assert.match(e.message, /\/v1\/chat\/completions answered 401: bad key \[redacted\]$/);
    assert.not.ok(e.message.includes('wrong-url-key'));
  }, () => '{"ok":true}');
});

test('an unreachable endpoint is a retryable LlmError; a malformed base URL a rejection; neither quotes a key', async () => {
  const s = await startLoopback('openai');
  const base = s.baseUrl;
  await s.close();
  const down = await failure(createLlmClient({ baseUrl: `${base}?api-key=down-key-0123456789`, apiKey: 'conf-key-0123456789', model: 'm', maxRetries: 1, retryDelayMs: 1 }).generateText('hi'));
  assert.is(down.name, 'LlmError');
  assert.match(down.message, /unreachable/);
  assert.not.ok(/down-key|conf-key/.test(down.message), down.message);
  const bad = await failure(createLlmClient({ baseUrl: 'no scheme/v1?api-key=bad-key-0123456789', apiKey: 'conf-key-0123456789', model: 'm' }).generateText('hi'));
  assert.is(bad.name, 'LlmRejectedError');
  assert.not.ok(/bad-key|conf-key/.test(bad.message), bad.message);
});

test('a 200 that is not the provider format is a rejection, scrubbed', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`<html>proxy login for ${req.headers.authorization}</html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as any).port;
    const e = await failure(createLlmClient({ provider: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: KEY, model: 'gpt-4o', retryDelayMs: 1 }).generateText('hi'));
    assert.is(e.name, 'LlmRejectedError');
    assert.not.ok(e.message.includes(KEY), e.message);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('LlmError names follow retryability', () => {
  assert.is(new LlmError('x', 503, true).name, 'LlmError');
  assert.is(new LlmError('x', 400, false).name, 'LlmRejectedError');
  assert.ok(new LlmRejectedError('x', 401) instanceof LlmError);
});

test.run();
