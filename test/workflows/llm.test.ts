import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chatComplete, extractJson, llmConfigFromEnv, llmWorkers, type LlmConfig } from '../../workflows/llm.ts';
import { ctx } from './helpers.ts';

/** A fake OpenAI-compatible endpoint on 127.0.0.1 that answers from `reply` and records requests. */
async function fakeEndpoint(reply: (body: any, req: IncomingMessage) => { status?: number; body: unknown }) {
  const seen: Array<{ url?: string; auth?: string; apiKey?: string; body: any }> = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      seen.push({ url: req.url, auth: req.headers.authorization, apiKey: req.headers['api-key'] as string | undefined, body });
      const r = reply(body, req);
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
      res.end(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config: LlmConfig = { baseUrl: `http://127.0.0.1:${port}/v1/`, apiKey: 'k-test', model: 'tiny' };
  return { config, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const completion = (content: string, tokens = 42) => ({ choices: [{ message: { role: 'assistant', content } }], usage: { total_tokens: tokens } });

test('llmConfigFromEnv: null unless base URL and model are set', () => {
  assert.is(llmConfigFromEnv({}), null);
  assert.is(llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1' }), null);
  assert.equal(llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1', ORCHESTAI_LLM_MODEL: 'm', ORCHESTAI_LLM_API_KEY: 'k' }), { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'm' });
});

test('extractJson: bare, fenced, or embedded in prose', () => {
  assert.equal(extractJson('{"a":1}'), { a: 1 });
  assert.equal(extractJson('Sure:\n```json\n{"a":2}\n```'), { a: 2 });
  assert.equal(extractJson('Result: {"a":3} hope it helps'), { a: 3 });
  assert.throws(() => extractJson('no json here'), /holds no JSON object/);
});

test('llm summarise worker: posts to /chat/completions with the key, parses the reply, reports tokens', async () => {
  const ep = await fakeEndpoint((body) => ({ body: completion(JSON.stringify({ sentences: [`Echo: ${body.messages[1].content.split('\n').pop()}`] }), 17) }));
  try {
    let cost = 0;
    const w = llmWorkers(ep.config).summarise;
    const out = await w.run(w.input.parse({ text: 'Hello world.', maxSentences: 1 }), { ...ctx(), reportCost: (n: number) => (cost += n) });
    assert.equal(w.output.parse(out), { summary: 'Echo: Hello world.', sentences: ['Echo: Hello world.'] });
    assert.match(ep.seen[0].body.messages[1].content, /^At most 1 sentences\./);
    assert.is(cost, 17);
    assert.is(ep.seen[0].url, '/v1/chat/completions');
    assert.is(ep.seen[0].auth, 'Bearer k-test');
    assert.is(ep.seen[0].body.model, 'tiny');
    assert.is(ep.seen[0].body.temperature, 0);
  } finally {
    await ep.close();
  }
});

test('chatComplete: 4xx is a non-retryable LlmRejectedError, 5xx a retryable LlmError', async () => {
  const ep = await fakeEndpoint((body) => ({ status: body.model === 'bad' ? 400 : 503, body: { error: 'nope' } }));
  try {
    await chatComplete({ ...ep.config, model: 'bad' }, [{ role: 'user', content: 'x' }]).then(
      () => assert.unreachable(),
      (e) => {
        assert.is(e.name, 'LlmRejectedError');
        assert.match(e.message, /answered 400/);
      },
    );
    await chatComplete(ep.config, [{ role: 'user', content: 'x' }]).then(
      () => assert.unreachable(),
      (e) => assert.equal([e.name, e.status, e.retryable], ['LlmError', 503, true]),
    );
  } finally {
    await ep.close();
  }
});

/** The key a request carried, as an endpoint that echoes it back would see it. */
const keyOf = (req: IncomingMessage) => (req.headers['api-key'] as string | undefined) ?? req.headers.authorization?.replace(/^Bearer /, '') ?? '';

test('an endpoint that echoes the key in its 401 body: the thrown error does not carry the key', async () => {
  const ep = await fakeEndpoint((_body, req) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${keyOf(req)}. You can find your API key at https://example.org.` } } }));
  try {
    for (const apiKey of ['plain-live-key-0123456789', 'sk-proj-AbCdEf0123456789ghijKLMNopqrstuv']) {
      const err = await chatComplete({ ...ep.config, apiKey }, [{ role: 'user', content: 'x' }]).then(() => null, (e: any) => e);
      assert.ok(err, 'rejected');
      assert.is(err.name, 'LlmRejectedError');
      assert.is(err.status, 401);
      assert.match(err.message, /answered 401: .*Incorrect API key provided: \[redacted\]\./);
      assert.not.ok(err.message.includes(apiKey), err.message);
      assert.not.ok(String(err.stack).includes(apiKey));
    }
    // A key cut by the 200-character limit of the quoted body is still removed.
    const apiKey = 'cut-key-0123456789abcdefghijklmnopqrstuvwxyz';
    const cut = await fakeEndpoint((_body, req) => ({ status: 403, body: 'x'.repeat(180) + keyOf(req) }));
    try {
      const err = await chatComplete({ ...cut.config, apiKey }, [{ role: 'user', content: 'x' }]).then(() => null, (e: any) => e);
      assert.not.ok(err.message.includes(apiKey.slice(0, 12)), err.message);
    } finally {
      await cut.close();
    }
  } finally {
    await ep.close();
  }
});

test('a base URL with ?api-key= sends the key in an api-key header, keeps the rest of the query, requests the right path', async () => {
  const ep = await fakeEndpoint((body, req) => (keyOf(req) === 'az-secret-0123456789' ? { body: completion('{"ok":true}', 3) } : { status: 401, body: `bad key ${keyOf(req)}` }));
  try {
    const base = ep.config.baseUrl.replace(/\/v1\/$/, '');
    const config = { baseUrl: `${base}/openai/deployments/d1/?api-version=2024-02-01&api-key=az-secret-0123456789`, apiKey: '', model: 'tiny' };
    assert.equal(await chatComplete(config, [{ role: 'user', content: 'x' }]), { content: '{"ok":true}', tokens: 3 });
    assert.is(ep.seen[0].url, '/openai/deployments/d1/chat/completions?api-version=2024-02-01');
    assert.is(ep.seen[0].apiKey, 'az-secret-0123456789');
    assert.is(ep.seen[0].auth, undefined);
    // ?key= (and no trailing slash): Authorization: Bearer.
    await chatComplete({ ...config, baseUrl: `${base}/v1?key=az-secret-0123456789` }, [{ role: 'user', content: 'x' }]);
    assert.is(ep.seen[1].url, '/v1/chat/completions');
    assert.is(ep.seen[1].auth, 'Bearer az-secret-0123456789');
    assert.is(ep.seen[1].apiKey, undefined);
    // A wrong key in the URL is echoed back: not in the error, and the URL in the message has no key either.
    const err = await chatComplete({ ...config, baseUrl: `${base}/v1/?api-key=wrong-url-key-987654` }, [{ role: 'user', content: 'x' }]).then(() => null, (e: any) => e);
    assert.match(err.message, /\/v1\/chat\/completions answered 401: bad key \[redacted\]$/);
    assert.not.ok(err.message.includes('wrong-url-key-987654'), err.message);
  } finally {
    await ep.close();
  }
});

test('an unreachable endpoint or a malformed base URL: no key in the message either', async () => {
  const ep = await fakeEndpoint(() => ({ body: completion('x') }));
  const base = ep.config.baseUrl;
  await ep.close();
  const down = await chatComplete({ baseUrl: `${base}?api-key=down-key-0123456789`, apiKey: 'conf-key-0123456789', model: 'm' }, [{ role: 'user', content: 'x' }]).then(() => null, (e: any) => e);
  assert.is(down.name, 'LlmError');
  assert.match(down.message, /unreachable/);
  assert.not.ok(/down-key|conf-key/.test(down.message), down.message);
  const bad = await chatComplete({ baseUrl: 'no scheme/v1?api-key=bad-key-0123456789', apiKey: 'conf-key-0123456789', model: 'm' }, [{ role: 'user', content: 'x' }]).then(() => null, (e: any) => e);
  assert.is(bad.name, 'LlmRejectedError');
  assert.not.ok(/bad-key|conf-key/.test(bad.message), bad.message);
});

test.run();
