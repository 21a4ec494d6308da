import type { LanguageModel } from 'ai';
import { keyedEndpoint, scrubText } from '../transformers/secrets.ts';
import { DEFAULT_BASE_URLS, ProviderConfigError, type ProviderConfig, type ProviderName } from './config.ts';

/**
 * The AI SDK model for a config: `@ai-sdk/openai` (chat completions), `@ai-sdk/anthropic`
 * (Messages) or `@ai-sdk/openai-compatible` (Ollama and any other server with OpenAI's API).
 * The SDK packages are imported on first use, so a process that never asks a model (most CLI
 * commands) does not load them.
 */

/** A model ready to call, with what errors must be scrubbed of and the query shown in messages. */
export interface ResolvedModel {
  model: LanguageModel;
  provider: ProviderName;
  /** Every credential seen (configured key, keys in the URL, user info). */
  secrets: string[];
  /** The base URL's query without keys (e.g. `api-version=...`), appended to every request. */
  query: string;
  /** The provider takes a JSON Schema for structured output; others only a JSON mode. */
  nativeSchemas: boolean;
}

/** Where to send requests, with the key taken out of the URL. */
function endpointOf(config: ProviderConfig & { provider: ProviderName }) {
  const base = config.baseUrl ?? DEFAULT_BASE_URLS[config.provider];
  if (!base) throw new ProviderConfigError(`LLM config baseUrl: the ${config.provider} provider needs a base URL`);
  let keyed;
  try {
    // The path is added by the SDK; '/' only normalises the trailing slash.
    keyed = keyedEndpoint(base, '/', config.apiKey);
  } catch (e) {
    throw new ProviderConfigError(`LLM config baseUrl: ${scrubText((e as Error).message, [config.apiKey])}`);
  }
  const url = new URL(keyed.url);
  const query = url.search.slice(1);
  const baseURL = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  const bearer = keyed.headers.authorization?.startsWith('Bearer ') ? keyed.headers.authorization.slice(7) : undefined;
  const key = config.apiKey || bearer || keyed.headers['api-key'];
  return { baseURL, query, key, headers: keyed.headers, secrets: keyed.secrets };
}

/** `fetchImpl` with `query` appended to every URL: the SDKs build URLs as base + path. */
function fetchWithQuery(fetchImpl: typeof fetch, query: string): typeof fetch {
  if (!query) return fetchImpl;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    for (const [k, v] of new URLSearchParams(query)) url.searchParams.append(k, v);
    return fetchImpl(input instanceof Request ? new Request(url, input) : url, init);
  };
}

/**
 * The AI SDK model for `config`. Hosted providers get the key through their SDK (`Authorization:
 * Bearer` for OpenAI, `x-api-key` for Anthropic); OpenAI-compatible servers get the headers the
 * URL called for (`api-key` for Azure-style `?api-key=`, else `Authorization: Bearer`).
 *
 * @example
 * const { model } = await resolveModel({ provider: 'ollama', model: 'llama3.2' });
 */
export async function resolveModel(config: ProviderConfig & { provider: ProviderName }, fetchImpl: typeof globalThis.fetch = globalThis.fetch): Promise<ResolvedModel> {
  const ep = endpointOf(config);
  const fetchKeepingQuery = fetchWithQuery(fetchImpl, ep.query);
  const done = (model: LanguageModel, nativeSchemas = true): ResolvedModel => ({ model, provider: config.provider, secrets: ep.secrets, query: ep.query, nativeSchemas });
  switch (config.provider) {
    case 'openai': {
      if (!ep.key) throw new ProviderConfigError('LLM config apiKey: the openai provider needs a key (ORCHESTAI_LLM_API_KEY or OPENAI_API_KEY)');
      const { createOpenAI } = await import('@ai-sdk/openai');
      const { authorization: _, ...headers } = ep.headers;
      return done(createOpenAI({ baseURL: ep.baseURL, apiKey: ep.key, headers, fetch: fetchKeepingQuery }).chat(config.model));
    }
    case 'anthropic': {
      if (!ep.key) throw new ProviderConfigError('LLM config apiKey: the anthropic provider needs a key (ORCHESTAI_LLM_API_KEY or ANTHROPIC_API_KEY)');
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      return done(createAnthropic({ baseURL: ep.baseURL, apiKey: ep.key, fetch: fetchKeepingQuery })(config.model));
    }
    case 'ollama':
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      // Ollama takes `response_format: json_schema`; other servers are only trusted with `json_object`.
      const nativeSchemas = config.provider === 'ollama';
      const provider = createOpenAICompatible({ name: config.provider, baseURL: ep.baseURL, headers: ep.headers, fetch: fetchKeepingQuery, includeUsage: true, supportsStructuredOutputs: nativeSchemas });
      return done(provider.chatModel(config.model), nativeSchemas);
    }
  }
}
