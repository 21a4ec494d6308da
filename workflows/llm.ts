import { z } from 'zod';
import { defineWorker, type Worker, type WorkerContext } from '../machines/worker.ts';
import type { RetryPolicyInput } from '../machines/retry.ts';
import { keyedEndpoint, scrubText, type KeyedEndpoint } from '../transformers/secrets.ts';
import { SpecSchema } from './lib/site.ts';

/**
 * LLM-backed workers through any OpenAI-compatible chat-completions endpoint. Used only
 * when configured (`ORCHESTAI_LLM_BASE_URL`, `ORCHESTAI_LLM_API_KEY`, `ORCHESTAI_LLM_MODEL`);
 * the built-in workflows and the tests use the local workers. The worker is a spoke like
 * any other: its input and output are schema-checked by the hub, its result is recorded,
 * and replay never calls the endpoint again.
 */

export interface LlmConfig {
  /**
   * e.g. `https://api.example.com/v1` or `http://127.0.0.1:8080/v1`; `/chat/completions` is appended
   * to its path (its query, e.g. Azure's `?api-version=`, is kept). A key in it (`?api-key=`,
   * `?key=`, ...) is taken out and sent in a header instead: `api-key` for `api-key=`, else
   * `Authorization: Bearer`; `apiKey`, when set, is the key sent.
   */
  baseUrl: string;
  apiKey: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
}

/**
 * The endpoint configured in the environment, or null when the base URL or model is
 * missing. The key may be empty (local servers often need none).
 *
 * @example
 * llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', ORCHESTAI_LLM_MODEL: 'small' })
 * // { baseUrl: 'http://127.0.0.1:8080/v1', apiKey: '', model: 'small' }
 */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  const baseUrl = env.ORCHESTAI_LLM_BASE_URL?.trim();
  const model = env.ORCHESTAI_LLM_MODEL?.trim();
  if (!baseUrl || !model) return null;
  return { baseUrl, apiKey: env.ORCHESTAI_LLM_API_KEY ?? '', model };
}

/**
 * An HTTP or protocol failure of the endpoint. Retry policies match error names, so a
 * failure that another attempt cannot fix (a 400, a bad key) is named `LlmRejectedError`
 * and the default policy lists it as non-retryable; rate limits, server errors and
 * unreachable endpoints stay `LlmError` and are retried.
 *
 * @example
 * new LlmError('answered 400', 400, false).name // 'LlmRejectedError'
 */
export class LlmError extends Error {
  constructor(message: string, readonly status: number | null, readonly retryable: boolean) {
    super(message);
    this.name = retryable ? 'LlmError' : 'LlmRejectedError';
  }
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * One chat-completions call with global fetch. Returns the first choice's content and
 * the token usage the server reports (0 when it reports none). The key travels in a header,
 * never in the URL, and error messages are scrubbed of it and of anything shaped like a
 * credential (an endpoint may echo the key back in its 401 body).
 *
 * @example
 * await chatComplete(config, [{ role: 'user', content: 'Say hi' }]) // { content: 'Hi!', tokens: 12 }
 */
export async function chatComplete(config: LlmConfig, messages: ChatMessage[], signal?: AbortSignal): Promise<{ content: string; tokens: number }> {
  let endpoint: KeyedEndpoint;
  try {
    endpoint = keyedEndpoint(config.baseUrl, '/chat/completions', config.apiKey);
  } catch (e) {
    throw new LlmError(`LLM endpoint: ${scrubText((e as Error).message, [config.apiKey])}`, null, false);
  }
  const { url, headers, secrets } = endpoint;
  // Scrub before cutting: a key cut in half no longer matches its value.
  const clean = (text: string) => scrubText(text, secrets);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: config.model, messages, temperature: config.temperature ?? 0, ...(config.maxTokens ? { max_tokens: config.maxTokens } : {}) }),
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    const cause = ((e as Error).cause as Error | undefined)?.message;
    throw new LlmError(clean(`LLM endpoint ${url} unreachable: ${(e as Error).message}${cause ? ` (${cause})` : ''}`), null, true);
  }
  const body = await res.text();
  if (!res.ok) throw new LlmError(clean(`LLM endpoint ${url} answered ${res.status}: ${clean(body).slice(0, 200)}`), res.status, res.status === 429 || res.status >= 500);
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    throw new LlmError(clean(`LLM endpoint ${url} returned non-JSON: ${clean(body).slice(0, 200)}`), res.status, false);
  }
  const content = json?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new LlmError(`LLM endpoint ${url}: response has no choices[0].message.content`, res.status, false);
  const tokens = Number(json?.usage?.total_tokens ?? 0);
  return { content, tokens: Number.isFinite(tokens) ? tokens : 0 };
}

/**
 * The JSON value in a model's reply: the whole reply, else the first fenced block, else
 * the outermost `{...}`. Models wrap JSON in prose more often than not.
 *
 * @example
 * extractJson('Here:\n```json\n{"a":1}\n```') // { a: 1 }
 */
export function extractJson(content: string): unknown {
  const attempts = [content, /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1], content.slice(content.indexOf('{'), content.lastIndexOf('}') + 1)];
  for (const a of attempts) {
    if (!a || !a.trim()) continue;
    try {
      return JSON.parse(a);
    } catch {
      /* try the next shape */
    }
  }
  throw new LlmError(`the model's reply holds no JSON object: ${content.slice(0, 200)}`, null, true);
}

export interface LlmWorkerSpec<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  description: string;
  input: I;
  output: O;
  system: string;
  /** The user message for an input. */
  prompt: (input: z.output<I>) => string;
  /** Reply -> output; default: the JSON in the reply. */
  parse?: (content: string, input: z.output<I>) => z.input<O>;
  config: LlmConfig;
  retry?: RetryPolicyInput;
  timeoutMs?: number;
}

/**
 * A worker that asks the model. Reports the tokens used as the attempt's cost.
 *
 * @example
 * const summarise = llmWorker({
 *   name: 'summarise', description: 'Summarises a text.', config,
 *   input: z.object({ text: z.string() }), output: z.object({ summary: z.string(), sentences: z.array(z.string()) }),
 *   system: 'Reply with JSON {"summary": string, "sentences": string[]}.', prompt: ({ text }) => text,
 * });
 */
export function llmWorker<I extends z.ZodType, O extends z.ZodType>(spec: LlmWorkerSpec<I, O>): Worker<z.output<I>, z.output<O>> {
  return defineWorker({
    name: spec.name,
    description: spec.description,
    input: spec.input,
    output: spec.output,
    retry: spec.retry ?? { maxAttempts: 3, initialDelayMs: 1000, nonRetryable: ['LlmRejectedError'] },
    timeoutMs: spec.timeoutMs ?? 60_000,
    async run(input: z.output<I>, ctx: WorkerContext) {
      const { content, tokens } = await chatComplete(spec.config, [{ role: 'system', content: spec.system }, { role: 'user', content: spec.prompt(input) }], ctx.signal);
      ctx.reportCost(tokens);
      return spec.parse ? spec.parse(content, input) : (extractJson(content) as z.input<O>);
    },
  });
}

/**
 * LLM versions of two default workers, with the same names and schemas, so they can be
 * swapped into a workflow when an endpoint is configured.
 *
 * @example
 * const config = llmConfigFromEnv();
 * const workers = config ? llmWorkers(config) : [];
 */
export function llmWorkers(config: LlmConfig) {
  return {
    summarise: llmWorker({
      name: 'summarise',
      description: 'Writes a short summary of a text with a language model.',
      input: z.object({ text: z.string(), maxSentences: z.number().int().min(1).max(50).default(5) }),
      output: z.object({ summary: z.string(), sentences: z.array(z.string()) }),
      system: 'You summarise documents. Reply with JSON only: {"sentences": [string, ...]} holding at most the requested number of sentences.',
      prompt: ({ text, maxSentences }) => `At most ${maxSentences} sentences.\n\n${text}`,
      parse: (content) => {
        const v = extractJson(content) as { sentences?: unknown };
        const sentences = Array.isArray(v?.sentences) ? v.sentences.map(String) : [];
        return { summary: sentences.join(' '), sentences };
      },
      config,
    }),
    'product-manager': llmWorker({
      name: 'product-manager',
      description: 'Turns a written website brief into a product spec with a language model.',
      input: z.object({ brief: z.string().min(1) }),
      output: z.object({ spec: SpecSchema }),
      system:
        'You are a product manager. Reply with JSON only: {"spec": {"title": string, "audience": string, "pages": [{"name": string, "sections": [string]}], "features": [string], "acceptance": [string]}}. Acceptance items are checkable sentences with "must".',
      prompt: ({ brief }) => brief,
      config,
    }),
  };
}
