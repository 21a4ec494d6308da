import { z } from 'zod';

/**
 * Which model to ask and how: one shape for every LLM use (workers and the planner's fallback),
 * from the project config or the environment.
 */

/** The providers the client speaks to. `openai-compatible` is any server with OpenAI's chat-completions API. */
export const PROVIDERS = ['openai', 'anthropic', 'ollama', 'openai-compatible'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** USD per million tokens. */
export const PriceSchema = z.strictObject({ input: z.number().min(0), output: z.number().min(0) });
export type Price = z.infer<typeof PriceSchema>;

/** Where a provider answers when no base URL is given. */
export const DEFAULT_BASE_URLS: Record<ProviderName, string | undefined> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  'openai-compatible': undefined,
};

/** The checked config. Unknown keys are errors: a typo (`maxRetry`) must not pass silently. */
export const ProviderConfigSchema = z
  .strictObject({
    /** Default: `openai-compatible` when `baseUrl` is set, else `openai`. */
    provider: z.enum(PROVIDERS).optional(),
    model: z.string().trim().min(1),
    /**
     * e.g. `http://127.0.0.1:8080/v1`; the provider's path (`/chat/completions`, `/messages`) is
     * appended. Its query (Azure's `?api-version=`) is kept; a key in it (`?api-key=`, `?key=`) is
     * taken out and sent in a header instead.
     */
    baseUrl: z.string().trim().min(1).optional(),
    /** Sent in a header, never in a URL, and scrubbed from every error message. */
    apiKey: z.string().optional(),
    /** Per HTTP request, default 60 000. */
    timeoutMs: z.number().int().positive().optional(),
    /** Retries after a 408/409/429/5xx, a network error or a timeout; default 2. */
    maxRetries: z.number().int().min(0).max(20).optional(),
    /** First backoff delay, doubled on each retry; default 1000. A `retry-after` header wins. */
    retryDelayMs: z.number().int().min(0).optional(),
    /** A `retry-after` longer than this fails at once instead of waiting; default 60 000. */
    maxRetryDelayMs: z.number().int().min(0).optional(),
    /** Default 0, so runs are as repeatable as the model allows. */
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    /** Read the answer as a server-sent-event stream. */
    stream: z.boolean().optional(),
    /** Prices by model id, added to (and winning over) the built-in table. */
    prices: z.record(z.string(), PriceSchema).optional(),
  });

export type ProviderConfigInput = z.input<typeof ProviderConfigSchema>;
export type ProviderConfig = z.output<typeof ProviderConfigSchema>;

/** A provider config that is missing pieces or has the wrong shape; names the field or variable. */
export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
}

/**
 * `config` checked, with its provider resolved. Throws a `ProviderConfigError` naming the field.
 *
 * @example
 * parseProviderConfig({ baseUrl: 'http://127.0.0.1:8080/v1', model: 'qwen' }).provider // 'openai-compatible'
 */
export function parseProviderConfig(config: ProviderConfigInput): ProviderConfig & { provider: ProviderName } {
  const parsed = ProviderConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'config';
    // The message never quotes the value: it may be a key.
    throw new ProviderConfigError(`LLM config ${where}: ${issue.message}`);
  }
  const provider = parsed.data.provider ?? (parsed.data.baseUrl ? 'openai-compatible' : 'openai');
  if (provider === 'openai-compatible' && !parsed.data.baseUrl) throw new ProviderConfigError('LLM config baseUrl: the openai-compatible provider needs the server\'s base URL');
  return { ...parsed.data, provider };
}

/** The environment variable that may hold a provider's key when `ORCHESTAI_LLM_API_KEY` is unset. */
const PROVIDER_KEY_VARS: Partial<Record<ProviderName, string>> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

const MS_VARS = { ORCHESTAI_LLM_TIMEOUT_MS: 'timeoutMs', ORCHESTAI_LLM_MAX_RETRIES: 'maxRetries' } as const;

/**
 * The model configured in the environment, or null when none is. The one rule, for workers and
 * the planner alike: configured means `ORCHESTAI_LLM_PROVIDER` or `ORCHESTAI_LLM_BASE_URL` is set
 * (a stray `OPENAI_API_KEY` alone never makes orchestai call out). Once configured, a missing model,
 * an unknown provider, or a hosted provider without a key is a `ProviderConfigError` naming the
 * variable. The key is `ORCHESTAI_LLM_API_KEY`, else `OPENAI_API_KEY` / `ANTHROPIC_API_KEY` for
 * those providers; `ORCHESTAI_LLM_TIMEOUT_MS` and `ORCHESTAI_LLM_MAX_RETRIES` are optional.
 *
 * @example
 * providerConfigFromEnv({ ORCHESTAI_LLM_PROVIDER: 'anthropic', ORCHESTAI_LLM_MODEL: 'claude-sonnet-4-5', ANTHROPIC_API_KEY: 'sk-ant-...' })
 * // { provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'sk-ant-...' }
 */
export function providerConfigFromEnv(env: Record<string, string | undefined> = process.env): (ProviderConfig & { provider: ProviderName }) | null {
  const named = env.ORCHESTAI_LLM_PROVIDER?.trim();
  const baseUrl = env.ORCHESTAI_LLM_BASE_URL?.trim() || undefined;
  if (!named && !baseUrl) return null;
  if (named && !(PROVIDERS as readonly string[]).includes(named)) {
    throw new ProviderConfigError(`ORCHESTAI_LLM_PROVIDER=${JSON.stringify(named)} is not a provider: use one of ${PROVIDERS.join(', ')}`);
  }
  const provider = (named || 'openai-compatible') as ProviderName;
  const model = env.ORCHESTAI_LLM_MODEL?.trim();
  if (!model) throw new ProviderConfigError(`${named ? 'ORCHESTAI_LLM_PROVIDER' : 'ORCHESTAI_LLM_BASE_URL'} is set but ORCHESTAI_LLM_MODEL is not: name the model to ask`);
  const keyVar = PROVIDER_KEY_VARS[provider];
  const apiKey = env.ORCHESTAI_LLM_API_KEY?.trim() || (keyVar ? env[keyVar]?.trim() : undefined) || undefined;
  if (keyVar && !apiKey && !hasUrlKey(baseUrl)) throw new ProviderConfigError(`ORCHESTAI_LLM_PROVIDER=${provider} needs a key: set ORCHESTAI_LLM_API_KEY or ${keyVar}`);
  const config: ProviderConfigInput = { provider, model, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}) };
  for (const [name, field] of Object.entries(MS_VARS)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new ProviderConfigError(`${name}=${JSON.stringify(raw)} is not a whole number`);
    config[field] = n;
  }
  return parseProviderConfig(config);
}

/**
 * The model that applies for a project: the environment's when it configures one (it wins, so a
 * shell can point a project at another model), else the project config's `llm` with its key taken
 * from the environment when the config has none (keys belong in the environment, not in committed
 * files). Null when neither configures a model.
 *
 * @example
 * const llm = effectiveProviderConfig(project?.config.llm, process.env);
 * await planWithDetails(instruction, { llm });
 */
export function effectiveProviderConfig(project: ProviderConfigInput | undefined, env: Record<string, string | undefined> = process.env): (ProviderConfig & { provider: ProviderName }) | null {
  const fromEnv = providerConfigFromEnv(env);
  if (fromEnv || !project) return fromEnv;
  const config = parseProviderConfig(project);
  if (config.apiKey) return config;
  const keyVar = PROVIDER_KEY_VARS[config.provider];
  const apiKey = env.ORCHESTAI_LLM_API_KEY?.trim() || (keyVar ? env[keyVar]?.trim() : undefined);
  return apiKey ? { ...config, apiKey } : config;
}

/** True when a base URL carries a key in its query (it is then moved to a header). */
function hasUrlKey(baseUrl: string | undefined): boolean {
  return !!baseUrl && /[?&](?:api[-_]?key|key|access_token)=[^&]/i.test(baseUrl);
}
