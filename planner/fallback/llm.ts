import type { Catalog, Plan } from '../types.ts';
import { planProblems } from '../compile-plan.ts';
import { LlmPlanSchema } from './schema.ts';
import { createLlmClient } from '../../providers/client.ts';
import { providerConfigFromEnv, type ProviderConfigInput } from '../../providers/config.ts';
import { LlmOutputError } from '../../providers/errors.ts';

/**
 * Which model to ask: the provider config every LLM use shares (`{ provider?, model, baseUrl?,
 * apiKey?, timeoutMs?, maxRetries?, ... }`); without `provider`, a `baseUrl` means an
 * OpenAI-compatible server. The fallback's default timeout is 30 s.
 */
export type LlmConfig = ProviderConfigInput;

/**
 * The model configured in the environment, or null when none is: the rule of
 * `providerConfigFromEnv`, shared with the LLM workers (a base URL or provider without a model
 * is a configuration error naming the variable).
 *
 * @example
 * llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', ORCHESTAI_LLM_MODEL: 'qwen' })
 */
export function llmConfigFromEnv(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  return providerConfigFromEnv(env);
}

/** The LLM answered, but not with a usable plan; `problems` says what did not validate. */
export class LlmPlanError extends Error {
  override name = 'LlmPlanError';
  constructor(readonly problems: string[]) {
    super(`LLM plan rejected: ${problems.join('; ')}`);
  }
}

/** The instructions: the catalog and the rules; the plan's JSON shape travels as the structured-output schema. */
function instructions(catalog: Catalog): string {
  const tools = catalog.tools
    .map((t) => `- ${t.name}: ${t.description}${t.inputType?.length || t.outputType?.length ? ` [${(t.inputType ?? []).join(', ')} -> ${(t.outputType ?? []).join(', ')}]` : ''}`)
    .join('\n');
  const links = catalog.links.length ? `\nAllowed hand-offs (a dependency must be one of these, source -> target):\n${catalog.links.map((l) => `${l.source} -> ${l.target}`).join('\n')}` : '';
  return (
    'You plan workflows. Answer with a JSON object {"nodes": [{"id", "worker", "dependsOn", "confidence"?}]}. ' +
    'Each node runs one worker from the catalog; dependsOn lists ids of earlier nodes whose output it needs. ' +
    'Use only catalog workers, no cycles, the fewest nodes that fulfil the instruction.\n' +
    `Catalog:\n${tools}${links}`
  );
}

/**
 * Asks the model for a plan (structured output checked with `LlmPlanSchema`, through the shared
 * client: 429s and 5xx are retried with backoff that respects `retry-after`) and validates it:
 * catalog workers only, dependencies on known earlier nodes, no cycle, and hand-offs allowed by
 * the tool graph (when the catalog has links). Throws `LlmPlanError` listing what failed, or the
 * client's `LlmError` / `LlmRejectedError` for transport failures; every message is scrubbed of the key.
 *
 * @example
 * const plan = await requestLlmPlan('Summarise docs/a.md', catalog, { provider: 'ollama', model: 'qwen2.5' });
 */
export async function requestLlmPlan(instruction: string, catalog: Catalog, config: LlmConfig, fetchImpl?: typeof fetch, signal?: AbortSignal): Promise<Plan> {
  const client = createLlmClient({ timeoutMs: 30_000, ...config }, { fetch: fetchImpl });
  let object;
  try {
    ({ object } = await client.generateObject(LlmPlanSchema, instruction, { system: instructions(catalog), signal }));
  } catch (e) {
    if (e instanceof LlmOutputError) throw new LlmPlanError(e.problems);
    throw e;
  }
  const problems = planProblems(object, catalog, { requireHandOffs: catalog.links.length > 0 });
  if (problems.length) throw new LlmPlanError(problems);
  // A validated LLM plan carries the confidences the model gave; without any it is accepted as is (1).
  const nodes = object.nodes.map((n) => ({ id: n.id, worker: n.worker, dependsOn: [...n.dependsOn], confidence: n.confidence ?? 1 }));
  const confidence = Math.min(...nodes.map((n) => n.confidence));
  return { instruction, nodes, confidence, lowConfidence: false, source: 'llm' };
}
