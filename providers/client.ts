import { toJSONSchema, type z } from 'zod';
import type { ModelMessage } from 'ai';
import { createScrubber, type Scrubber } from '../transformers/secrets.ts';
import { parseProviderConfig, ProviderConfigError, type ProviderConfig, type ProviderConfigInput, type ProviderName } from './config.ts';
import { LlmError, LlmOutputError, LlmRejectedError } from './errors.ts';
import { findJson, zodProblems } from './json.ts';
import { resolveModel, type ResolvedModel } from './model.ts';
import { costOf, type TokenUsage } from './prices.ts';
import { withRetries } from './retry.ts';
import { toLlmError } from './map-error.ts';

/**
 * One client for every LLM use: text or schema-checked objects from OpenAI, Anthropic, Ollama or
 * any OpenAI-compatible server, through the AI SDK. Each call retries what another request can
 * fix (with backoff that respects `retry-after`), stops at the timeout or the caller's signal
 * (both cancel the HTTP request), and reports its token usage and USD cost.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmCallOptions {
  /** Cancels the request (and the waits between retries); the call rejects with its reason. */
  signal?: AbortSignal;
  /** Instructions sent before the prompt. */
  system?: string;
  /** Overrides the config's `stream`. */
  stream?: boolean;
}

export interface LlmTextResult {
  text: string;
  usage: TokenUsage;
  /** USD from the price table; null when the model has no price (local Ollama models cost 0). */
  cost: number | null;
}

export interface LlmObjectResult<T> extends LlmTextResult {
  object: T;
}

export interface LlmClient {
  readonly config: ProviderConfig & { provider: ProviderName };
  /**
   * The model's reply to a prompt (a user message) or a conversation.
   *
   * @example
   * const { text, cost } = await client.generateText('Say hi', { system: 'Be brief.' });
   */
  generateText(prompt: string | ChatMessage[], options?: LlmCallOptions): Promise<LlmTextResult>;
  /**
   * A reply that must be JSON matching `schema`: the provider is asked for JSON of the schema's
   * shape, and the reply is checked with it. A reply that does not match is an `LlmOutputError`
   * listing the problems (carrying the usage and cost it took).
   *
   * @example
   * const { object } = await client.generateObject(z.object({ title: z.string() }), 'Title for a post on trees');
   */
  generateObject<S extends z.ZodType>(schema: S, prompt: string | ChatMessage[], options?: LlmCallOptions): Promise<LlmObjectResult<z.output<S>>>;
}

export interface LlmClientOptions {
  /** The fetch the SDK uses (default: the global one). */
  fetch?: typeof fetch;
}

const DEFAULTS = { timeoutMs: 60_000, maxRetries: 2, retryDelayMs: 1000, maxRetryDelayMs: 60_000 };

/** The AI SDK's functions, imported on first use (loading them costs ~100 ms a process). */
type Sdk = typeof import('ai');
let sdk: Promise<Sdk> | undefined;
const loadSdk = () => (sdk ??= import('ai'));

/** System messages become instructions (the SDK refuses them among messages by default). */
function split(prompt: string | ChatMessage[], system: string | undefined): { system?: string; messages: ModelMessage[] } {
  const list: ChatMessage[] = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
  const systems = [system, ...list.filter((m) => m.role === 'system').map((m) => m.content)].filter((s): s is string => !!s);
  const messages = list.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content }) as ModelMessage);
  return { ...(systems.length ? { system: systems.join('\n\n') } : {}), messages };
}

/** The JSON Schema of a zod schema, for the prompt (`{}` when it has no JSON form, e.g. a transform). */
function schemaToJson(schema: z.ZodType): unknown {
  try {
    return toJSONSchema(schema, { unrepresentable: 'any' });
  } catch {
    return {};
  }
}

const usageOf = (u: { inputTokens?: number; outputTokens?: number } | undefined): TokenUsage => ({ inputTokens: u?.inputTokens ?? 0, outputTokens: u?.outputTokens ?? 0 });

/** What one request needs beyond the prompt. */
interface RequestSettings {
  model: ResolvedModel;
  temperature?: number;
  maxTokens?: number;
  abortSignal: AbortSignal;
}

/**
 * The SDK call for a prompt. With a schema, providers that take one get it as structured output
 * (OpenAI `json_schema`, Anthropic `output_config` or a forced `json` tool, Ollama `json_schema`);
 * servers with only a JSON mode get it in the instructions.
 */
function buildRequest(ai: Sdk, prompt: string | ChatMessage[], call: LlmCallOptions, s: RequestSettings, schema?: z.ZodType) {
  const schemaInPrompt = schema !== undefined && !s.model.nativeSchemas;
  const system = schemaInPrompt ? [call.system, `Answer with JSON only, matching this JSON Schema:\n${JSON.stringify(schemaToJson(schema))}`].filter(Boolean).join('\n\n') : call.system;
  return {
    model: s.model.model,
    ...split(prompt, system),
    // Retries are ours (retry.ts): their first delay is configurable.
    maxRetries: 0,
    abortSignal: s.abortSignal,
    temperature: s.temperature ?? 0,
    ...(s.maxTokens ? { maxOutputTokens: s.maxTokens } : {}),
    ...(schema ? { output: schemaInPrompt ? ai.Output.json() : ai.Output.object({ schema }) } : {}),
    // Strict JSON schemas make OpenAI refuse optional fields; the reply is checked here anyway.
    providerOptions: { openai: { strictJsonSchema: false } },
  };
}

/** A streamed reply, assembled from its deltas; a broken stream throws what broke it. */
async function assemble(ai: Sdk, request: ReturnType<typeof buildRequest>): Promise<{ text: string; usage: TokenUsage }> {
  let text = '';
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  // Errors arrive as `error` parts here; the SDK's default onError would also print them.
  for await (const part of ai.streamText({ ...request, onError: () => {} }).fullStream) {
    if (part.type === 'text-delta') text += part.text;
    else if (part.type === 'finish') usage = usageOf(part.totalUsage);
    else if (part.type === 'error' && !ai.NoObjectGeneratedError.isInstance(part.error)) throw part.error;
  }
  // An aborted stream ends quietly (with an `abort` part): the caller's catch says why.
  request.abortSignal.throwIfAborted();
  return { text, usage };
}

/**
 * A client for `config` (checked now: a wrong field throws a `ProviderConfigError`; the endpoint
 * is resolved on the first call, whose errors are `LlmRejectedError`s).
 *
 * @example
 * const client = createLlmClient({ provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: process.env.ANTHROPIC_API_KEY });
 * const { object, cost } = await client.generateObject(PlanSchema, 'Plan a website', { signal: ctx.signal });
 */
export function createLlmClient(input: ProviderConfigInput, options: LlmClientOptions = {}): LlmClient {
  const config = parseProviderConfig(input);
  const settings = { ...DEFAULTS, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & typeof config;
  let resolved: Promise<{ model: ResolvedModel; scrubber: Scrubber }> | undefined;
  const resolve = () =>
    (resolved ??= resolveModel(config, options.fetch).then(
      (model) => ({ model, scrubber: createScrubber(model.secrets) }),
      (e) => {
        resolved = undefined;
        if (e instanceof ProviderConfigError) throw new LlmRejectedError(e.message, null);
        throw e;
      },
    ));
  const costFor = (usage: TokenUsage) => costOf(usage, config.model, config.prices) ?? (config.provider === 'ollama' ? 0 : null);

  /** One HTTP request (streamed or not), bounded by the timeout and the caller's signal. */
  async function once(r: { model: ResolvedModel; scrubber: Scrubber }, prompt: string | ChatMessage[], call: LlmCallOptions, schema?: z.ZodType): Promise<{ text: string; usage: TokenUsage }> {
    const ai = await loadSdk();
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const abortSignal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    const request = buildRequest(ai, prompt, call, { model: r.model, temperature: settings.temperature, maxTokens: settings.maxTokens, abortSignal }, schema);
    try {
      if (call.stream ?? settings.stream) return await assemble(ai, request);
      const result = await ai.generateText(request);
      return { text: result.text, usage: usageOf(result.usage) };
    } catch (e) {
      if (call.signal?.aborted) throw call.signal.reason;
      // The reply came but did not parse as the schema: checked (and reported) by generateObject.
      if (ai.NoObjectGeneratedError.isInstance(e)) return { text: e.text ?? '', usage: usageOf(e.usage) };
      if (timeout.aborted) throw new LlmError(`LLM ${config.provider} ${config.model}: no answer within ${settings.timeoutMs} ms`, null, true);
      throw toLlmError(e, r.model, r.scrubber);
    }
  }

  async function ask(prompt: string | ChatMessage[], call: LlmCallOptions, schema?: z.ZodType) {
    const r = await resolve();
    return withRetries(() => once(r, prompt, call, schema), (e) => ({ retryable: e instanceof LlmError && e.retryable, retryAfterMs: (e as LlmError).retryAfterMs }), {
      maxRetries: settings.maxRetries,
      initialDelayMs: settings.retryDelayMs,
      maxDelayMs: settings.maxRetryDelayMs,
      signal: call.signal,
    });
  }

  return {
    config,
    async generateText(prompt, call = {}) {
      const { text, usage } = await ask(prompt, call);
      return { text, usage, cost: costFor(usage) };
    },
    async generateObject(schema, prompt, call = {}) {
      const { text, usage } = await ask(prompt, call, schema);
      const cost = costFor(usage);
      const scrub = (await resolve()).scrubber.scrub;
      const found = findJson(text);
      if (!found) throw new LlmOutputError([scrub(`the reply is not JSON: ${scrub(text).slice(0, 120)}`)], scrub(text), usage, cost);
      const parsed = schema.safeParse(found.value);
      if (!parsed.success) throw new LlmOutputError(zodProblems(parsed.error).map(scrub), scrub(text), usage, cost);
      return { object: parsed.data, text, usage, cost };
    },
  };
}
