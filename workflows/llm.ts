import { z } from 'zod';
import { defineWorker, type Worker, type WorkerContext } from '../machines/worker.ts';
import type { RetryPolicyInput } from '../machines/retry.ts';
import { createLlmClient, type LlmClient } from '../providers/client.ts';
import { providerConfigFromEnv, type ProviderConfigInput, type ProviderName } from '../providers/config.ts';
import { LlmOutputError } from '../providers/errors.ts';
import { findJson } from '../providers/json.ts';
import { SpecSchema } from './lib/site.ts';

export { LlmError, LlmRejectedError, LlmOutputError } from '../providers/errors.ts';
export type { ChatMessage } from '../providers/client.ts';

/**
 * LLM-backed workers on the provider layer (`providers/`): OpenAI, Anthropic, Ollama or any
 * OpenAI-compatible server. Used only when configured (`ORCHESTAI_LLM_PROVIDER` or
 * `ORCHESTAI_LLM_BASE_URL`, with `ORCHESTAI_LLM_MODEL` and a key); the built-in workflows and the
 * tests use the local workers. The worker is a spoke like any other: its input and output are
 * schema-checked by the hub, its result is recorded, and replay never calls the model again.
 */

/**
 * Which model to ask: `{ provider?, model, baseUrl?, apiKey?, timeoutMs?, maxRetries?, ... }`
 * (see `ProviderConfig`). Without `provider`, a `baseUrl` means an OpenAI-compatible server.
 */
export type LlmConfig = ProviderConfigInput;

/**
 * The model configured in the environment, or null when none is (the rule of
 * `providerConfigFromEnv`, shared with the planner's fallback).
 *
 * @example
 * llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', ORCHESTAI_LLM_MODEL: 'small' })
 * // { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8080/v1', model: 'small' }
 */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  return providerConfigFromEnv(env);
}

/**
 * The JSON value in a model's reply: the whole reply, else the first fenced block, else the
 * outermost `{...}`. Throws an `LlmOutputError` (retryable: the model may do better) when none parses.
 *
 * @example
 * extractJson('Here:\n```json\n{"a":1}\n```') // { a: 1 }
 */
export function extractJson(content: string): unknown {
  const found = findJson(content);
  if (!found) throw new LlmOutputError([`the reply holds no JSON object: ${content.slice(0, 200)}`], content);
  return found.value;
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
  /** Overrides `config.provider`: the same worker definition on another provider. */
  provider?: ProviderName;
  retry?: RetryPolicyInput;
  timeoutMs?: number;
}

/**
 * A worker that asks the model, through one client made when the worker is defined (so a wrong
 * config field fails at definition). Without `parse`, the reply is asked for and checked as JSON of
 * the output schema. Reports the call's USD cost (from the price table) as the attempt's cost,
 * also when the reply was unusable; a model without a price reports none.
 *
 * @example
 * const summarise = llmWorker({
 *   name: 'summarise', description: 'Summarises a text.', config,
 *   input: z.object({ text: z.string() }), output: z.object({ summary: z.string(), sentences: z.array(z.string()) }),
 *   system: 'Reply with JSON {"summary": string, "sentences": string[]}.', prompt: ({ text }) => text,
 * });
 */
export function llmWorker<I extends z.ZodType, O extends z.ZodType>(spec: LlmWorkerSpec<I, O>): Worker<z.output<I>, z.output<O>> {
  const client: LlmClient = createLlmClient(spec.provider ? { ...spec.config, provider: spec.provider } : spec.config);
  // Usage goes to the hub too: a routing policy weighs tokens, and a worker priced per token in
  // the definition (rather than by the provider's table) is charged from it.
  const report = (ctx: WorkerContext, cost: number | null | undefined, usage?: { inputTokens: number; outputTokens: number }) => {
    if (usage) ctx.reportUsage?.(usage);
    if (cost) ctx.reportCost(cost);
  };
  return defineWorker({
    name: spec.name,
    description: spec.description,
    input: spec.input,
    output: spec.output,
    retry: spec.retry ?? { maxAttempts: 3, initialDelayMs: 1000, nonRetryable: ['LlmRejectedError'] },
    timeoutMs: spec.timeoutMs ?? 60_000,
    async run(input: z.output<I>, ctx: WorkerContext) {
      const call = { system: spec.system, signal: ctx.signal };
      if (spec.parse) {
        const { text, cost, usage } = await client.generateText(spec.prompt(input), call);
        report(ctx, cost, usage);
        return spec.parse(text, input);
      }
      try {
        const { object, cost, usage } = await client.generateObject(spec.output, spec.prompt(input), call);
        report(ctx, cost, usage);
        return object as z.input<O>;
      } catch (e) {
        if (e instanceof LlmOutputError) report(ctx, e.cost, e.usage);
        throw e;
      }
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
