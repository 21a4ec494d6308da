import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chatComplete, extractJson, llmConfigFromEnv, llmWorkers, type LlmConfig } from '../../workflows/llm.ts';
import { ctx } from './helpers.ts';

/** A fake OpenAI-compatible endpoint on 127.0.0.1 that answers from `reply` and records requests. */
async function fakeEndpoint(reply: (body: any, req: IncomingMessage) => { status?: number; body: unknown }) {
  const seen: Array<{ url?: string; auth?: string; body: any }> = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      seen.push({ url: req.url, auth: req.headers.authorization, body });
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

test.run();
