import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorkflow, run, startRun, type RunResult } from '../../src/index.ts';
import { extractJson, llmConfigFromEnv, llmWorker, llmWorkers, type LlmConfig, type LlmWorkerSpec } from '../../workflows/llm.ts';
import { startLoopback, USAGE, type Loopback, type Reply, type SeenRequest, type Wire } from '../providers/servers.ts';
import { tempStore } from '../support/workers.ts';
import { ctx } from './helpers.ts';

/** The LLM worker on the provider layer, run by the hub against loopback OpenAI, Anthropic and Ollama servers. */

const KEY = 'sk-proj-AbCdEf0123456789ghijKLMNopqrstuv';
/** Anthropic's SDK warns about model ids it does not know (and their capabilities): a known one keeps the test quiet. */
const modelFor = (wire: Wire) => (wire === 'anthropic' ? 'claude-haiku-4-5' : 'test-model');
/** Prices chosen so the cost is easy to check: 11 input and 7 output tokens cost 11 + 14 = 25 micro-dollars. */
const PRICES = { 'test-model': { input: 1, output: 2 }, 'claude-haiku-4-5': { input: 1, output: 2 } };
const COST = (USAGE.input * 1 + USAGE.output * 2) / 1e6;

/** One worker definition; only the provider config differs between runs. */
const ask: Omit<LlmWorkerSpec<z.ZodObject<{ q: z.ZodString }>, z.ZodObject<{ a: z.ZodString }>>, 'config'> = {
  name: 'ask',
  description: 'Answers a question with a language model.',
  input: z.object({ q: z.string() }),
  output: z.object({ a: z.string() }),
  system: 'Answer with JSON {"a": string}.',
  prompt: ({ q }) => q,
  retry: { maxAttempts: 2, initialDelayMs: 1, nonRetryable: ['LlmRejectedError'] },
};

const configFor = (s: Loopback, extra: Partial<LlmConfig> = {}): LlmConfig => ({ provider: s.wire, baseUrl: s.baseUrl, apiKey: KEY, model: modelFor(s.wire), prices: PRICES, retryDelayMs: 1, maxRetries: 1, timeoutMs: 5000, ...extra });

async function runAsk(s: Loopback, extra: Partial<LlmConfig> = {}) {
  const wf = defineWorkflow({ id: 'ask', onFailure: 'failed', steps: [{ id: 'ask', worker: llmWorker({ ...ask, config: configFor(s, extra) }) }] });
  const store = tempStore();
  const r = await run(wf, { q: 'What grows on trees?' }, { store });
  return { r, history: fs.readFileSync(store.pathOf(r.runId), 'utf8') };
}

async function withLoopback(wire: Wire, script: ((req: SeenRequest, i: number) => Reply | undefined) | undefined, body: (s: Loopback) => Promise<void>) {
  const s = await startLoopback(wire, { script, answer: () => '{"a":"Leaves."}' });
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

test('llmConfigFromEnv: null unless a provider or base URL is set; a half configuration names what is missing', () => {
  assert.is(llmConfigFromEnv({}), null);
  assert.is(llmConfigFromEnv({ OPENAI_API_KEY: 'sk-x', ORCHESTAI_LLM_MODEL: 'm' }), null);
  assert.throws(() => llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1' }), /ORCHESTAI_LLM_MODEL/);
  assert.equal(llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:1/v1', ORCHESTAI_LLM_MODEL: 'm', ORCHESTAI_LLM_API_KEY: 'k' }), { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'm' });
});

test('extractJson: bare, fenced, or embedded in prose', () => {
  assert.equal(extractJson('{"a":1}'), { a: 1 });
  assert.equal(extractJson('Sure:\n```json\n{"a":2}\n```'), { a: 2 });
  assert.equal(extractJson('Result: {"a":3} hope it helps'), { a: 3 });
  assert.throws(() => extractJson('no json here'), /holds no JSON object/);
});

for (const wire of ['openai', 'anthropic', 'ollama'] as const) {
  test(`the same llmWorker definition runs on ${wire} through run(), its cost recorded from the usage`, async () => {
    await withLoopback(wire, undefined, async (s) => {
      const { r, history } = await runAsk(s);
      assert.is(r.status, 'succeeded', JSON.stringify(r.error));
      assert.equal(r.output, { a: 'Leaves.' });
      assert.is(r.cost, COST);
      assert.match(history, `"cost":${COST}`);
      assert.is(s.seen.length, 1);
      assert.match(JSON.stringify(s.seen[0].body), 'What grows on trees?');
      assert.not.ok(history.includes(KEY));
    });
  });
}

test('a 429 with retry-after is retried by the client and the run succeeds', async () => {
  const script = (_r: SeenRequest, i: number): Reply | undefined => (i === 0 ? { status: 429, headers: { 'retry-after': '0' } } : undefined);
  for (const wire of ['openai', 'anthropic'] as const) {
    await withLoopback(wire, script, async (s) => {
      const { r } = await runAsk(s, { retryDelayMs: 60_000 });
      assert.is(r.status, 'succeeded');
      assert.is(s.seen.length, 2);
    });
  }
});

test('a 401 that echoes the key fails the step at once (1 request) and the key is nowhere in the history', async () => {
  const script = (): Reply => ({ status: 401, body: '{"error":{"message":"Incorrect API key provided: {key}"}}' });
  for (const wire of ['openai', 'anthropic', 'ollama'] as const) {
    await withLoopback(wire, script, async (s) => {
      const { r, history } = await runAsk(s);
      assert.is(r.status, 'failed');
      assert.is(r.error?.name, 'LlmRejectedError');
      assert.is(s.seen.length, 1, 'neither the client nor the hub retried');
      assert.not.ok(history.includes(KEY), 'the key reached the history');
      assert.not.ok(history.includes(KEY.slice(0, 16)), 'part of the key reached the history');
      assert.match(history, 'Incorrect API key provided: [redacted]');
    });
  }
});

test('500 on every request: the client retries, then the hub retries the attempt, then the step fails with LlmError', async () => {
  await withLoopback('ollama', () => ({ status: 500, body: 'upstream exploded' }), async (s) => {
    const { r } = await runAsk(s);
    assert.is(r.status, 'failed');
    assert.is(r.error?.name, 'LlmError');
    assert.is(s.seen.length, 4, '2 attempts x (1 request + 1 retry)');
  });
});

test('a reply that is not the output schema fails the attempt with LlmOutputError, and the hub tries again', async () => {
  const s = await startLoopback('openai', { answer: (req) => (s.seen.indexOf(req) === 0 ? '{"b":1}' : '{"a":"Second try."}') });
  try {
    const { r } = await runAsk(s);
    assert.is(r.status, 'succeeded');
    assert.equal(r.output, { a: 'Second try.' });
    assert.is(s.seen.length, 2);
  } finally {
    await s.close();
  }
});

test('cancelling the run aborts the request in flight', async () => {
  await withLoopback('anthropic', () => ({ hang: true }), async (s) => {
    const wf = defineWorkflow({ id: 'ask', onFailure: 'failed', steps: [{ id: 'ask', worker: llmWorker({ ...ask, config: configFor(s) }) }] });
    const h = startRun(wf, { q: 'hi' }, { store: tempStore() });
    await s.nextRequest();
    h.cancel('no longer needed');
    const r: RunResult = await h.result;
    assert.is(r.status, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.is(s.dropped, 1);
    assert.is(s.seen.length, 1);
  });
});

test('a streamed reply is assembled; the provider can be chosen on the worker', async () => {
  await withLoopback('anthropic', undefined, async (s) => {
    const worker = llmWorker({ ...ask, provider: 'anthropic', config: { ...configFor(s), provider: 'openai', stream: true } });
    let cost = 0;
    const out = await worker.run({ q: 'hi' }, { ...ctx(), reportCost: (n: number) => (cost += n) });
    assert.equal(out, { a: 'Leaves.' });
    assert.is(cost, COST);
    assert.is(s.seen[0].url, '/v1/messages');
    assert.is(s.seen[0].body.stream, true);
  });
});

test('llmWorkers: summarise parses its own reply shape and reports the cost', async () => {
  const s = await startLoopback('ollama', { answer: (req) => JSON.stringify({ sentences: [`Echo: ${req.body.messages[1].content.split('\n').pop()}`] }) });
  try {
    const w = llmWorkers({ provider: 'ollama', baseUrl: s.baseUrl, model: 'test-model', prices: PRICES }).summarise;
    let cost = 0;
    const out = await w.run(w.input.parse({ text: 'Hello world.', maxSentences: 1 }), { ...ctx(), reportCost: (n: number) => (cost += n) });
    assert.equal(w.output.parse(out), { summary: 'Echo: Hello world.', sentences: ['Echo: Hello world.'] });
    assert.match(s.seen[0].body.messages[1].content, /^At most 1 sentences\./);
    assert.is(cost, COST);
    assert.is(s.seen[0].headers.authorization, undefined, 'no key configured, none sent');
  } finally {
    await s.close();
  }
});

test.run();
