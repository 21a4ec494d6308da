import type { Catalog, Plan } from '../types.ts';
import { llmConfigFromEnv, LlmPlanError, requestLlmPlan, type LlmConfig } from './llm.ts';

export { llmConfigFromEnv, requestLlmPlan, LlmPlanError, type LlmConfig } from './llm.ts';
export { LlmPlanSchema, LLM_PLAN_JSON_SCHEMA } from './schema.ts';

/** Plans below this confidence go to the fallback. */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.5;

/** What the fallback did, for the CLI to report. */
export type FallbackOutcome =
  | { status: 'not-needed' }
  | { status: 'not-configured' }
  | { status: 'used' }
  /** The LLM answered but its plan did not validate; `problems` says why. */
  | { status: 'rejected'; problems: string[] }
  /** The endpoint failed (HTTP error, timeout, unreachable, retries spent). */
  | { status: 'failed'; error: string };

export interface FallbackOptions {
  threshold?: number;
  /** Defaults to `llmConfigFromEnv(env)`. `null` disables the LLM. */
  llm?: LlmConfig | null;
  env?: Record<string, string | undefined>;
  /** The fetch the provider SDK uses (default: the global one). */
  fetch?: typeof fetch;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/**
 * Keeps a confident plan; below the threshold asks the configured LLM for one, and otherwise (no
 * endpoint, or its answer failed validation) returns the original plan flagged low-confidence.
 * Never throws for LLM trouble: it is reported in `outcome`.
 *
 * @example
 * const { plan, outcome } = await withFallback(modelPlan, catalog);
 * if (outcome.status === 'rejected') console.error(outcome.problems.join('\n'));
 */
export async function withFallback(plan: Plan, catalog: Catalog, options: FallbackOptions = {}): Promise<{ plan: Plan; outcome: FallbackOutcome }> {
  const threshold = options.threshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  if (plan.confidence >= threshold) return { plan: { ...plan, lowConfidence: false }, outcome: { status: 'not-needed' } };
  const low: Plan = { ...plan, lowConfidence: true };
  const llm = options.llm === undefined ? llmConfigFromEnv(options.env) : options.llm;
  if (!llm) return { plan: low, outcome: { status: 'not-configured' } };
  try {
    return { plan: await requestLlmPlan(plan.instruction, catalog, llm, options.fetch, options.signal), outcome: { status: 'used' } };
  } catch (e) {
    if (e instanceof LlmPlanError) return { plan: low, outcome: { status: 'rejected', problems: e.problems } };
    return { plan: low, outcome: { status: 'failed', error: (e as Error).message } };
  }
}
