import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { effectiveProviderConfig, parseProviderConfig, providerConfigFromEnv, ProviderConfigError } from '../../providers/config.ts';
import { loadConfigFile } from '../../src/project/config.ts';
import { costOf, priceOf } from '../../providers/prices.ts';
import { retryAfterMs, withRetries } from '../../providers/retry.ts';
import { findJson } from '../../providers/json.ts';

/** Configuration from the environment and from code, the price table, and the retry loop's rules. */

test('providerConfigFromEnv: not configured (null) unless ORCHESTAI_LLM_PROVIDER or ORCHESTAI_LLM_BASE_URL is set', () => {
  assert.is(providerConfigFromEnv({}), null);
  assert.is(providerConfigFromEnv({ OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'a', ORCHESTAI_LLM_MODEL: 'm' }), null);
  assert.is(providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: '  ', ORCHESTAI_LLM_BASE_URL: '' }), null);
});

test('providerConfigFromEnv: each provider, its key variable, and the optional numbers', () => {
  assert.equal(providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'anthropic', ORCHESTAI_LLM_MODEL: 'claude-haiku-4-5', ANTHROPIC_API_KEY: 'ak' }), { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'ak' });
  assert.equal(providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'openai', ORCHESTAI_LLM_MODEL: 'gpt-4o', OPENAI_API_KEY: 'ok', ORCHESTAI_LLM_API_KEY: 'wins' }), { provider: 'openai', model: 'gpt-4o', apiKey: 'wins' });
  assert.equal(providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'ollama', ORCHESTAI_LLM_MODEL: 'llama3.2', OPENAI_API_KEY: 'not-for-ollama' }), { provider: 'ollama', model: 'llama3.2' });
  assert.equal(providerConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://h/v1', ORCHESTAI_LLM_MODEL: 'm', ORCHESTAI_LLM_TIMEOUT_MS: '2500', ORCHESTAI_LLM_MAX_RETRIES: '0' }), { provider: 'openai-compatible', baseUrl: 'http://h/v1', model: 'm', timeoutMs: 2500, maxRetries: 0 });
  // A key in the base URL's query counts as the key.
  assert.is(providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'openai', ORCHESTAI_LLM_BASE_URL: 'https://x/v1?api-key=k1', ORCHESTAI_LLM_MODEL: 'm' })?.provider, 'openai');
});

test('providerConfigFromEnv: a half configuration names the variable, never the key', () => {
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://h/v1' }), /ORCHESTAI_LLM_BASE_URL is set but ORCHESTAI_LLM_MODEL is not/);
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'anthropic' }), /ORCHESTAI_LLM_MODEL/);
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'gemini', ORCHESTAI_LLM_MODEL: 'm' }), /ORCHESTAI_LLM_PROVIDER="gemini" is not a provider: use one of openai, anthropic, ollama, openai-compatible/);
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'anthropic', ORCHESTAI_LLM_MODEL: 'm', OPENAI_API_KEY: 'x' }), /set ORCHESTAI_LLM_API_KEY or ANTHROPIC_API_KEY/);
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'ollama', ORCHESTAI_LLM_MODEL: 'm', ORCHESTAI_LLM_TIMEOUT_MS: 'soon' }), /ORCHESTAI_LLM_TIMEOUT_MS="soon" is not a whole number/);
  assert.throws(() => providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'openai-compatible', ORCHESTAI_LLM_MODEL: 'm' }), /baseUrl/);
});

test('parseProviderConfig: resolves the provider, refuses unknown keys and bad values without quoting them', () => {
  assert.is(parseProviderConfig({ model: 'gpt-4o' }).provider, 'openai');
  assert.is(parseProviderConfig({ model: 'm', baseUrl: 'http://h/v1' }).provider, 'openai-compatible');
  const typo = (() => {
    try {
      parseProviderConfig({ model: 'm', maxRetry: 3 } as any);
    } catch (e) {
      return e as Error;
    }
  })();
  assert.instance(typo, ProviderConfigError);
  assert.match(typo!.message, /maxRetry/);
  assert.throws(() => parseProviderConfig({ model: 'm', timeoutMs: -1 }), /LLM config timeoutMs/);
  assert.throws(() => parseProviderConfig({ model: 'm', apiKey: 42 as any }), (e: Error) => /apiKey/.test(e.message) && !e.message.includes('42'));
});

test('effectiveProviderConfig: the environment wins; else the project llm, its key from the environment', () => {
  const project = { provider: 'anthropic' as const, model: 'claude-haiku-4-5', maxRetries: 4 };
  assert.is(effectiveProviderConfig(undefined, {}), null);
  assert.equal(effectiveProviderConfig(project, {}), project);
  assert.equal(effectiveProviderConfig(project, { ANTHROPIC_API_KEY: 'ak' }), { ...project, apiKey: 'ak' });
  assert.equal(effectiveProviderConfig({ ...project, apiKey: 'own' }, { ANTHROPIC_API_KEY: 'ak' }), { ...project, apiKey: 'own' });
  assert.equal(effectiveProviderConfig(project, { ORCHESTAI_LLM_PROVIDER: 'ollama', ORCHESTAI_LLM_MODEL: 'llama3.2' }), { provider: 'ollama', model: 'llama3.2' });
});

test('the project config takes an optional llm key, checked like any provider config', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-llm-config-'));
  const file = path.join(dir, 'orchestai.config.mjs');
  fs.writeFileSync(file, "export default { llm: { provider: 'ollama', model: 'qwen2.5', timeoutMs: 20000 } };\n");
  const { config } = await loadConfigFile(file);
  assert.equal(config.llm, { provider: 'ollama', model: 'qwen2.5', timeoutMs: 20000 });
  const bad = path.join(dir, 'bad', 'orchestai.config.mjs');
  fs.mkdirSync(path.dirname(bad));
  fs.writeFileSync(bad, "export default { llm: { provider: 'gemini', model: 'x' } };\n");
  const e = await loadConfigFile(bad).then(() => null, (x: Error) => x);
  assert.match(e!.message, /orchestai\.config\.mjs: llm\.provider: /);
});

test('prices: exact, dated variants by the longest family, overrides, unknown models', () => {
  assert.equal(priceOf('gpt-4o-mini'), { input: 0.15, output: 0.6 });
  assert.equal(priceOf('gpt-4o-mini-2024-07-18'), { input: 0.15, output: 0.6 });
  assert.equal(priceOf('gpt-4o-2024-08-06'), { input: 2.5, output: 10 });
  assert.equal(priceOf('claude-sonnet-4-5-20250929'), { input: 3, output: 15 });
  assert.is(priceOf('gpt-4oo'), undefined);
  assert.is(priceOf('my-local-model'), undefined);
  assert.equal(priceOf('gpt-4o', { 'gpt-4o': { input: 1, output: 1 } }), { input: 1, output: 1 });
  assert.is(costOf({ inputTokens: 1_000_000, outputTokens: 500_000 }, 'gpt-4o-mini'), 0.45);
  assert.is(costOf({ inputTokens: 3, outputTokens: 1 }, 'm', { m: { input: 0.1, output: 0.2 } }), 5e-7);
  assert.is(costOf({ inputTokens: 10, outputTokens: 10 }, 'unpriced'), null);
});

test('retryAfterMs: milliseconds first, then seconds or an HTTP date', () => {
  assert.is(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }), 250);
  assert.is(retryAfterMs({ 'retry-after': '2' }), 2000);
  assert.is(retryAfterMs({ 'retry-after': '0' }), 0);
  assert.is(retryAfterMs({ 'retry-after': new Date(10_000).toUTCString() }, 4_000), 6000);
  assert.is(retryAfterMs({ 'retry-after': 'soon' }), undefined);
  assert.is(retryAfterMs({}), undefined);
});

test('withRetries: backs off exponentially, stops on a non-retryable failure or when retries are spent', async () => {
  const started: number[] = [];
  const t0 = Date.now();
  const failing = async (i: number) => {
    started.push(Date.now() - t0);
    throw Object.assign(new Error(`fail ${i}`), { retryable: true });
  };
  const e = await withRetries(failing, (err: any) => ({ retryable: err.retryable }), { maxRetries: 2, initialDelayMs: 30, maxDelayMs: 1000 }).catch((x) => x);
  assert.is(e.message, 'fail 2');
  assert.is(started.length, 3);
  // Timers never fire early (give or take a millisecond): waits of 30 then 60 ms.
  assert.ok(started[1] - started[0] >= 28 && started[2] - started[1] >= 58, `delays doubled: ${started}`);
  let calls = 0;
  const fatal = await withRetries(async () => {
    calls++;
    throw new Error('no');
  }, () => ({ retryable: false }), { maxRetries: 5, initialDelayMs: 1, maxDelayMs: 1000 }).catch((x) => x);
  assert.is(fatal.message, 'no');
  assert.is(calls, 1);
  assert.is(await withRetries(async (i) => (i < 1 ? Promise.reject(new Error('once')) : 'ok'), () => ({ retryable: true, retryAfterMs: 0 }), { maxRetries: 1, initialDelayMs: 60_000, maxDelayMs: 1000 }), 'ok');
});

test('findJson: whole, fenced, braced, or nothing', () => {
  assert.equal(findJson('{"a":1}'), { value: { a: 1 } });
  assert.equal(findJson('```\n{"a":2}\n```'), { value: { a: 2 } });
  assert.equal(findJson('so {"a":3}.'), { value: { a: 3 } });
  assert.is(findJson('nothing here'), undefined);
});

test.run();
