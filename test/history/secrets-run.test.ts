import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, run, replay, resume } from '../../src/index.ts';
import { llmWorker } from '../../workflows/llm.ts';
import { tempStore } from '../support/workers.ts';

/** The acceptance case: a secret in a run's input, in an env-configured key and in an echoed error never reach the history file. */

const INPUT_SECRET = 'hunter2-correct-horse';
const ENV_KEY = 'orch-env-key-5b1e7f9a';

test('a secret in the input (schema-marked), an environment key and an error that echoes it stay out of the history', async () => {
  const call = defineWorker({
    name: 'call-api',
    description: 'Calls an API with a password and echoes what it was given, like a careless API.',
    input: z.object({ user: z.string(), password: z.string().meta({ secret: true }) }),
    output: z.object({ echoed: z.string() }),
    run: ({ user, password }) => ({ echoed: `hello ${user}, your password ${password} and key ${ENV_KEY} were accepted` }),
  });
  const fails = defineWorker({
    name: 'fails',
    description: 'Fails with a message that quotes the key.',
    input: z.any(),
    output: z.any(),
    retry: { maxAttempts: 1 },
    run: () => {
      throw new Error(`401 Incorrect API key provided: ${ENV_KEY}`);
    },
  });
  const wf = defineWorkflow({ id: 'leaky', onFailure: 'failed', steps: [{ id: 'call', worker: call }, { id: 'boom', worker: fails }] });
  const store = tempStore();
  const r = await run(wf, { user: 'ana', password: INPUT_SECRET }, { store, redact: { env: { MY_SERVICE_API_KEY: ENV_KEY } } });
  assert.is(r.status, 'failed');
  const text = fs.readFileSync(store.pathOf(r.runId), 'utf8');
  assert.not.ok(text.includes(INPUT_SECRET), 'the input secret reached the history');
  assert.not.ok(text.includes(ENV_KEY), 'the env key reached the history');
  assert.match(text, '401 Incorrect API key provided: [redacted]');
  assert.match(text, '"user":"ana"');
  // What was recorded still replays.
  assert.ok(replay(store.read(r.runId), wf, {}).ok);
});

test('an LLM endpoint that echoes the key in a 401: the step fails, the history has no key', async () => {
  const key = 'sk-test-0123456789abcdefghij';
  const server = http.createServer((req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}` } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const ask = llmWorker({ name: 'ask', description: 'Asks a model.', input: z.object({ q: z.string() }), output: z.object({ a: z.string() }), config: { baseUrl: base, apiKey: key, model: 'm' }, system: 'answer', prompt: ({ q }) => q });
    const wf = defineWorkflow({ id: 'ask', onFailure: 'failed', steps: [{ id: 'ask', worker: ask, retry: { maxAttempts: 1 } }] });
    const store = tempStore();
    const r = await run(wf, { q: 'hi' }, { store });
    assert.is(r.status, 'failed');
    const text = fs.readFileSync(store.pathOf(r.runId), 'utf8');
    assert.not.ok(text.includes(key), 'the key reached the history');
    assert.not.ok(text.includes('sk-test-0123'), 'part of the key reached the history');
  } finally {
    server.close();
  }
});

test('after a resume, a step whose input held a redacted secret fails saying why instead of sending the marker', async () => {
  const makeToken = defineWorker({ name: 'make-token', description: 'Mints a token.', input: z.any(), output: z.object({ token: z.string().meta({ secret: true }) }), run: () => ({ token: 'tok-minted-abcdef' }) });
  let release!: () => void;
  const wait = new Promise<void>((r) => (release = r));
  const useToken = defineWorker({ name: 'use-token', description: 'Uses the token.', input: z.object({ token: z.string() }), output: z.any(), run: async ({ token }, ctx) => {
    await Promise.race([wait, new Promise((_, rej) => ctx.signal.addEventListener('abort', () => rej(ctx.signal.reason)))]);
    return { used: token.length };
  } });
  const wf = defineWorkflow({ id: 'tok', onFailure: 'failed', steps: [{ id: 'mint', worker: makeToken }, { id: 'use', worker: useToken }] });
  const store = tempStore();
  const { startRun } = await import('../../src/index.ts');
  const h = startRun(wf, {}, { store });
  await new Promise((r) => setTimeout(r, 30));
  h.interrupt('deploy');
  await h.result;
  assert.not.ok(fs.readFileSync(store.pathOf(h.runId), 'utf8').includes('tok-minted'));
  release();
  const resumed = await resume(h.runId, { workflow: wf, store });
  assert.is(resumed.status, 'failed');
  assert.equal(resumed.error?.name, 'RedactedInputError');
});

test.run();
