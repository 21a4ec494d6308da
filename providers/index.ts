/**
 * The model provider layer: one client for every LLM use (workers and the planner's fallback) on
 * the AI SDK, for OpenAI, Anthropic, Ollama and OpenAI-compatible servers.
 */
export { createLlmClient, type LlmClient, type LlmClientOptions, type LlmCallOptions, type LlmTextResult, type LlmObjectResult, type ChatMessage } from './client.ts';
export {
  PROVIDERS,
  DEFAULT_BASE_URLS,
  ProviderConfigSchema,
  ProviderConfigError,
  parseProviderConfig,
  providerConfigFromEnv,
  effectiveProviderConfig,
  type ProviderName,
  type ProviderConfig,
  type ProviderConfigInput,
  type Price,
} from './config.ts';
export { LlmError, LlmRejectedError, LlmOutputError, isRetryableStatus } from './errors.ts';
export { DEFAULT_PRICES, priceOf, costOf, type TokenUsage } from './prices.ts';
export { retryAfterMs, withRetries, type RetryOptions, type RetryVerdict } from './retry.ts';
export { findJson, zodProblems } from './json.ts';
