import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withFallback, requestLlmPlan, llmConfigFromEnv, LlmPlanError, type LlmConfig } from '../../planner/fallback/index.ts';
import { parseCatalog } from '../../planner/catalog.ts';
import type { Plan } from '../../planner/types.ts';
import { startLoopback, type Loopback, type Reply } from '../providers/servers.ts';

const catalog = parseCatalog({
  tools: [
    { name: 'read-file', description: 'Reads a file', inputType: ['path'], outputType: ['document'] },
    { name: 'extract-text', description: 'Extracts text', inputType: ['document'], outputType: ['text'] },
    { name: 'summarise', description: 'Summarises', inputType: ['text'], outputType: ['summary'] },
  ],
});

/** What the loopback answers next: the model's text, or a whole reply (status, headers, body). */
let next: { content?: string; reply?: Reply } = {};
let server: Loopback;
let config: LlmConfig;

test.before(async () => {
  server = await startLoopback('ollama', { script: () => next.reply, answer: () => next.content ?? '' });
  config = { baseUrl: `${server.baseUrl}/`, apiKey: 'sk-test', model: 'tiny', timeoutMs: 5000, retryDelayMs: 1, maxRetries: 1 };
});
test.after(() => server.close());

const last = () => server.seen[server.seen.length - 1];
const weak: Plan = { instruction: 'Summarise docs/a.md', nodes: [{ id: 'n1', worker: 'summarise', dependsOn: [], confidence: 0.2 }], confidence: 0.2, lowConfidence: false, source: 'model' };
const chain = { nodes: [{ id: 'a', worker: 'read-file', dependsOn: [] }, { id: 'b', worker: 'extract-text', dependsOn: ['a'] }, { id: 'c', worker: 'summarise', dependsOn: ['b'] }] };

test('a valid plan from the endpoint replaces a weak one (fenced JSON accepted); the schema travels with the request', async () => {
  next = { content: '```json\n' + JSON.stringify(chain) + '\n```' };
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  assert.equal(outcome, { status: 'used' });
  assert.is(plan.source, 'llm');
  assert.equal(plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  const req = last();
  assert.is(req.url, '/v1/chat/completions');
  assert.is(req.headers.authorization, 'Bearer sk-test');
  assert.is(req.body.model, 'tiny');
  assert.equal(req.body.response_format, { type: 'json_object' });
  assert.is(req.body.messages[1].content, 'Summarise docs/a.md');
  assert.ok(req.body.messages[0].content.includes('extract-text -> summarise'));
  assert.match(req.body.messages[0].content, /JSON Schema:\n.*"dependsOn"/);
});

test('the fallback on Ollama and Anthropic: the plan schema goes as structured output', async () => {
  for (const wire of ['ollama', 'anthropic'] as const) {
    const s = await startLoopback(wire, { answer: () => JSON.stringify(chain) });
    try {
      const { outcome } = await withFallback(weak, catalog, { llm: { provider: wire, baseUrl: s.baseUrl, apiKey: 'sk-test', model: wire === 'anthropic' ? 'claude-haiku-4-5' : 'qwen2.5' } });
      assert.equal(outcome, { status: 'used' });
      const body = s.seen[0].body;
      const schema = wire === 'anthropic' ? body.output_config?.format?.schema ?? body.tools?.[0]?.input_schema : body.response_format?.json_schema?.schema;
      assert.ok(schema?.properties?.nodes, JSON.stringify(body));
    } finally {
      await s.close();
    }
  }
});

test('invalid JSON is rejected and the weak plan comes back flagged', async () => {
  next = { content: 'Sure! Here is your plan: read, then summarise.' };
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  assert.is(outcome.status, 'rejected');
  assert.match((outcome as any).problems[0], /the reply is not JSON/);
  assert.is(plan.lowConfidence, true);
  assert.is(plan.source, 'model');
});

test('an unknown worker, a cycle, a bad shape and a forbidden hand-off are each reported', async () => {
  next = { content: JSON.stringify({ nodes: [{ id: 'a', worker: 'translate', dependsOn: [] }] }) };
  const err = await requestLlmPlan('x', catalog, config).then(() => null, (e: Error) => e);
  assert.ok(err instanceof LlmPlanError);
  assert.match(err!.message, /LLM plan rejected: node a: unknown worker "translate"/);
  next = { content: JSON.stringify({ nodes: [{ id: 'a', worker: 'extract-text', dependsOn: ['b'] }, { id: 'b', worker: 'summarise', dependsOn: ['a'] }] }) };
  const cyc = await withFallback(weak, catalog, { llm: config });
  assert.is((cyc.outcome as any).problems[0], 'dependency cycle among nodes a, b');
  next = { content: JSON.stringify({ steps: ['summarise'] }) };
  const shape = await withFallback(weak, catalog, { llm: config });
  assert.ok((shape.outcome as any).problems.some((p: string) => p.startsWith('nodes:')), JSON.stringify(shape.outcome));
  next = { content: JSON.stringify({ nodes: [{ id: 'a', worker: 'read-file', dependsOn: [] }, { id: 'b', worker: 'summarise', dependsOn: ['a'] }] }) };
  const hop = await withFallback(weak, catalog, { llm: config });
  assert.equal((hop.outcome as any).problems, ['node b: read-file -> summarise is not an allowed hand-off in the tool graph']);
});

test('a 429 with retry-after is retried and the plan is used', async () => {
  let calls = 0;
  const s = await startLoopback('openai', { script: () => (calls++ === 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined), answer: () => JSON.stringify(chain) });
  try {
    const { outcome } = await withFallback(weak, catalog, { llm: { provider: 'openai', baseUrl: s.baseUrl, apiKey: 'sk-test', model: 'gpt-4o-mini', retryDelayMs: 60_000 } });
    assert.equal(outcome, { status: 'used' });
    assert.is(s.seen.length, 2);
  } finally {
    await s.close();
  }
});

test('a server error is retried, then reported, not thrown', async () => {
  next = { reply: { status: 500, body: 'upstream exploded' } };
  const before = server.seen.length;
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  next = {};
  assert.is(outcome.status, 'failed');
  assert.match((outcome as any).error, /answered 500: upstream exploded/);
  assert.is(server.seen.length - before, 2, 'one retry');
  assert.is(plan.lowConfidence, true);
});

test('no endpoint: flagged low-confidence; confident plans never call out', async () => {
  const r = await withFallback(weak, catalog, { env: {} });
  assert.equal(r.outcome, { status: 'not-configured' });
  assert.is(r.plan.lowConfidence, true);
  const before = server.seen.length;
  const sure = await withFallback({ ...weak, confidence: 0.9 }, catalog, { llm: config });
  assert.equal(sure.outcome, { status: 'not-needed' });
  assert.is(server.seen.length, before);
  assert.throws(() => llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1' }), /ORCHESTAI_LLM_MODEL/);
  assert.equal(llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://h/v1', ORCHESTAI_LLM_MODEL: 'm' }), { provider: 'openai-compatible', baseUrl: 'http://h/v1', model: 'm' });
});

test('an endpoint that echoes the key in its 401 body: neither the thrown error nor the outcome carries it', async () => {
  for (const apiKey of ['plain-planner-key-0123456789', 'sk-ant-api03-AbCdEf0123456789-ghijKLMN']) {
    next = { reply: { status: 401, body: '{"error":{"message":"Incorrect API key provided: {key}","type":"invalid_request_error"}}' } };
    const before = server.seen.length;
    const err = await requestLlmPlan('x', catalog, { ...config, apiKey }).then(() => null, (e: Error) => e);
    assert.ok(err && !(err instanceof LlmPlanError));
    assert.is(err!.name, 'LlmRejectedError');
    assert.is(server.seen.length - before, 1, 'a 401 is not retried');
    assert.match(err!.message, /answered 401: .*Incorrect API key provided: \[redacted\]/);
    assert.not.ok(err!.message.includes(apiKey), err!.message);
    const { outcome } = await withFallback(weak, catalog, { llm: { ...config, apiKey } });
    assert.is(outcome.status, 'failed');
    assert.not.ok(JSON.stringify(outcome).includes(apiKey));
  }
  next = {};
});

test('a 200 that is not the provider format and quotes the key: a failure without the key', async () => {
  const raw = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`proxy says: token ${req.headers.authorization?.slice(7)} accepted`);
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  try {
    const apiKey = 'plain-planner-key-0123456789';
    const llm = { baseUrl: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`, apiKey, model: 'm', maxRetries: 0 };
    const { outcome } = await withFallback(weak, catalog, { llm });
    assert.is(outcome.status, 'failed');
    assert.not.ok(JSON.stringify(outcome).includes(apiKey), JSON.stringify(outcome));
  } finally {
    raw.closeAllConnections();
    raw.close();
  }
});

test('a base URL with ?api-key= sends the key in a header and requests the right path', async () => {
  const base = server.baseUrl.replace(/\/v1$/, '');
  next = { content: JSON.stringify(chain) };
  const azure = { ...config, apiKey: undefined, baseUrl: `${base}/openai/deployments/planner?api-version=2024-02-01&api-key=az-planner-0123456789` };
  // The loopback serves /v1/chat/completions only: a 404 here still shows the request it got.
  await withFallback(weak, catalog, { llm: azure });
  assert.is(last().url, '/openai/deployments/planner/chat/completions?api-version=2024-02-01');
  assert.is(last().headers['api-key'], 'az-planner-0123456789');
  assert.is(last().headers.authorization, undefined);
  await requestLlmPlan('Summarise docs/a.md', catalog, { ...config, apiKey: undefined, baseUrl: `${base}/v1/?key=g-planner-0123456789` });
  assert.is(last().url, '/v1/chat/completions');
  assert.is(last().headers.authorization, 'Bearer g-planner-0123456789');
  // The URL in an error message carries no key.
  next = { reply: { status: 401, body: 'wrong key {key}' } };
  const err = await requestLlmPlan('x', catalog, { ...azure, baseUrl: `${base}/v1?api-version=2024-02-01&api-key=az-planner-0123456789` }).then(() => null, (e: Error) => e);
  next = {};
  assert.match(err!.message, /\/v1\/chat\/completions\?api-version=2024-02-01 answered 401: wrong key \[redacted\]$/);
  assert.not.ok(err!.message.includes('az-planner-0123456789'));
});

test.run();
