import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withFallback, requestLlmPlan, llmConfigFromEnv, LlmPlanError, type LlmConfig } from '../../planner/fallback/index.ts';
import { parseCatalog } from '../../planner/catalog.ts';
import type { Plan } from '../../planner/types.ts';

const catalog = parseCatalog({
  tools: [
    { name: 'read-file', description: 'Reads a file', inputType: ['path'], outputType: ['document'] },
    { name: 'extract-text', description: 'Extracts text', inputType: ['document'], outputType: ['text'] },
    { name: 'summarise', description: 'Summarises', inputType: ['text'], outputType: ['summary'] },
  ],
});

/** What the fake endpoint answers next: a chat message content, or a raw HTTP status + body. */
let next: { content?: string; status?: number; body?: string } = {};
let lastRequest: { url?: string; auth?: string; apiKey?: string; body?: any } = {};
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let data = '';
  req.on('data', (c) => (data += c));
  req.on('end', () => {
    lastRequest = { url: req.url, auth: req.headers.authorization, apiKey: req.headers['api-key'] as string | undefined, body: JSON.parse(data) };
    if (next.status) {
      // `{key}` in a body is the key the request carried, as endpoints that echo it back answer.
      const key = lastRequest.apiKey ?? lastRequest.auth?.replace(/^Bearer /, '') ?? '';
      res.writeHead(next.status, { 'content-type': 'text/plain' });
      res.end((next.body ?? '').replaceAll('{key}', key));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: next.content }, finish_reason: 'stop' }] }));
  });
});
let config: LlmConfig;

test.before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  config = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`, apiKey: 'sk-test', model: 'tiny', timeoutMs: 5000 };
});
test.after(() => new Promise<void>((r) => server.close(() => r())));

const weak: Plan = { instruction: 'Summarise docs/a.md', nodes: [{ id: 'n1', worker: 'summarise', dependsOn: [], confidence: 0.2 }], confidence: 0.2, lowConfidence: false, source: 'model' };
const chain = { nodes: [{ id: 'a', worker: 'read-file', dependsOn: [] }, { id: 'b', worker: 'extract-text', dependsOn: ['a'] }, { id: 'c', worker: 'summarise', dependsOn: ['b'] }] };

test('a valid plan from the endpoint replaces a weak one (fenced JSON accepted)', async () => {
  next = { content: '```json\n' + JSON.stringify(chain) + '\n```' };
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  assert.equal(outcome, { status: 'used' });
  assert.is(plan.source, 'llm');
  assert.equal(plan.nodes.map((n) => n.worker), ['read-file', 'extract-text', 'summarise']);
  assert.is(lastRequest.url, '/v1/chat/completions');
  assert.is(lastRequest.auth, 'Bearer sk-test');
  assert.is(lastRequest.body.model, 'tiny');
  assert.is(lastRequest.body.messages[1].content, 'Summarise docs/a.md');
  assert.ok(lastRequest.body.messages[0].content.includes('extract-text -> summarise'));
});

test('invalid JSON is rejected and the weak plan comes back flagged', async () => {
  next = { content: 'Sure! Here is your plan: read, then summarise.' };
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  assert.is(outcome.status, 'rejected');
  assert.match((outcome as any).problems[0], /message content is not JSON/);
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

test('a server error is reported, not thrown', async () => {
  next = { status: 500, body: 'upstream exploded' };
  const { plan, outcome } = await withFallback(weak, catalog, { llm: config });
  assert.is(outcome.status, 'failed');
  assert.match((outcome as any).error, /HTTP 500 \(upstream exploded\)/);
  assert.is(plan.lowConfidence, true);
});

test('no endpoint: flagged low-confidence; confident plans never call out', async () => {
  const r = await withFallback(weak, catalog, { env: {} });
  assert.equal(r.outcome, { status: 'not-configured' });
  assert.is(r.plan.lowConfidence, true);
  lastRequest = {};
  const sure = await withFallback({ ...weak, confidence: 0.9 }, catalog, { llm: config });
  assert.equal(sure.outcome, { status: 'not-needed' });
  assert.equal(lastRequest, {});
  assert.throws(() => llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1' }), /ORCHESTAI_LLM_MODEL/);
  assert.equal(llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://h/v1', ORCHESTAI_LLM_MODEL: 'm' }), { baseUrl: 'http://h/v1', apiKey: undefined, model: 'm' });
});

test('an endpoint that echoes the key in its 401 body: neither the thrown error nor the outcome carries it', async () => {
  for (const apiKey of ['plain-planner-key-0123456789', 'sk-ant-api03-AbCdEf0123456789-ghijKLMN']) {
    next = { status: 401, body: '{"error":{"message":"Incorrect API key provided: {key}","type":"invalid_request_error"}}' };
    const err = await requestLlmPlan('x', catalog, { ...config, apiKey }).then(() => null, (e: Error) => e);
    assert.ok(err && !(err instanceof LlmPlanError));
    assert.match(err!.message, /HTTP 401 \(.*Incorrect API key provided: \[redacted\]/);
    assert.not.ok(err!.message.includes(apiKey), err!.message);
    const { outcome } = await withFallback(weak, catalog, { llm: { ...config, apiKey } });
    assert.is(outcome.status, 'failed');
    assert.not.ok(JSON.stringify(outcome).includes(apiKey));
  }
  // A 200 that is not JSON and quotes the key: the rejection's problems do not carry it either.
  next = { status: 200, body: 'proxy says: token {key} accepted' };
  const bad = await requestLlmPlan('x', catalog, { ...config, apiKey: 'plain-planner-key-0123456789' }).then(() => null, (e: Error) => e);
  assert.ok(bad instanceof LlmPlanError);
  assert.not.ok(bad!.message.includes('plain-planner-key-0123456789'), bad!.message);
});

test('a base URL with ?api-key= sends the key in a header and requests the right path', async () => {
  const base = config.baseUrl.replace(/\/v1\/$/, '');
  next = { content: JSON.stringify(chain) };
  const azure = { ...config, apiKey: undefined, baseUrl: `${base}/openai/deployments/planner?api-version=2024-02-01&api-key=az-planner-0123456789` };
  const { outcome } = await withFallback(weak, catalog, { llm: azure });
  assert.equal(outcome, { status: 'used' });
  assert.is(lastRequest.url, '/openai/deployments/planner/chat/completions?api-version=2024-02-01');
  assert.is(lastRequest.apiKey, 'az-planner-0123456789');
  assert.is(lastRequest.auth, undefined);
  await requestLlmPlan('Summarise docs/a.md', catalog, { ...config, apiKey: undefined, baseUrl: `${base}/v1/?key=g-planner-0123456789` });
  assert.is(lastRequest.url, '/v1/chat/completions');
  assert.is(lastRequest.auth, 'Bearer g-planner-0123456789');
  // The URL in an error message carries no key.
  next = { status: 401, body: 'wrong key {key}' };
  const err = await requestLlmPlan('x', catalog, azure).then(() => null, (e: Error) => e);
  assert.match(err!.message, /\/openai\/deployments\/planner\/chat\/completions\?api-version=2024-02-01: HTTP 401 \(wrong key \[redacted\]\)$/);
  assert.not.ok(err!.message.includes('az-planner-0123456789'));
});

test.run();
