import type { Catalog, Plan } from '../types.ts';
import { planProblems } from '../compile-plan.ts';
import { LLM_PLAN_JSON_SCHEMA, LlmPlanSchema, zodProblems } from './schema.ts';
import { keyedEndpoint, scrubText } from '../../transformers/secrets.ts';

/** Where to ask: an OpenAI-compatible chat-completions endpoint. */
export interface LlmConfig {
  /**
   * e.g. `http://127.0.0.1:8080/v1`; `/chat/completions` is appended to its path (its query is
   * kept). A key in it (`?api-key=`, `?key=`, ...) is taken out and sent in a header: `api-key`
   * for `api-key=`, else `Authorization: Bearer`; `apiKey`, when set, is the key sent.
   */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * The endpoint from `ORCHESTAI_LLM_BASE_URL`, `ORCHESTAI_LLM_API_KEY` and `ORCHESTAI_LLM_MODEL`,
 * or undefined when no base URL is set. A base URL without a model is a configuration error.
 *
 * @example
 * llmConfigFromEnv({ ORCHESTAI_LLM_BASE_URL: 'http://127.0.0.1:8080/v1', ORCHESTAI_LLM_MODEL: 'qwen' })
 */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const baseUrl = env.ORCHESTAI_LLM_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  const model = env.ORCHESTAI_LLM_MODEL?.trim();
  if (!model) throw new Error('ORCHESTAI_LLM_BASE_URL is set but ORCHESTAI_LLM_MODEL is not: name the model to ask');
  return { baseUrl, apiKey: env.ORCHESTAI_LLM_API_KEY?.trim() || undefined, model };
}

/** The LLM answered, but not with a usable plan; `problems` says what did not validate. */
export class LlmPlanError extends Error {
  override name = 'LlmPlanError';
  constructor(readonly problems: string[]) {
    super(`LLM plan rejected: ${problems.join('; ')}`);
  }
}

function prompt(instruction: string, catalog: Catalog): { role: string; content: string }[] {
  const tools = catalog.tools
    .map((t) => `- ${t.name}: ${t.description}${t.inputType?.length || t.outputType?.length ? ` [${(t.inputType ?? []).join(', ')} -> ${(t.outputType ?? []).join(', ')}]` : ''}`)
    .join('\n');
  const links = catalog.links.length ? `\nAllowed hand-offs (a dependency must be one of these, source -> target):\n${catalog.links.map((l) => `${l.source} -> ${l.target}`).join('\n')}` : '';
  return [
    {
      role: 'system',
      content:
        'You plan workflows. Answer with JSON only, matching this JSON Schema:\n' +
        JSON.stringify(LLM_PLAN_JSON_SCHEMA) +
        '\nEach node runs one worker from the catalog; dependsOn lists ids of earlier nodes whose output it needs. ' +
        'Use only catalog workers, no cycles, the fewest nodes that fulfil the instruction.\n' +
        `Catalog:\n${tools}${links}`,
    },
    { role: 'user', content: instruction },
  ];
}

/** Models often wrap JSON in a Markdown fence despite being told not to. */
function unfence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(text);
  return m ? m[1] : text;
}

/**
 * Asks the endpoint for a plan and validates it: JSON, the schema, catalog workers only,
 * dependencies on known earlier nodes, no cycle, and hand-offs allowed by the tool graph (when
 * the catalog has links). Throws `LlmPlanError` listing what failed, or an Error for transport
 * failures (HTTP status, timeout, unreachable). The key travels in a header, never in the URL;
 * messages are scrubbed of it and of anything shaped like a credential.
 *
 * @example
 * const plan = await requestLlmPlan('Summarise docs/a.md', catalog, { baseUrl, model: 'gpt-4o-mini' });
 */
export async function requestLlmPlan(
  instruction: string,
  catalog: Catalog,
  config: LlmConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<Plan> {
  let endpoint: ReturnType<typeof keyedEndpoint>;
  try {
    endpoint = keyedEndpoint(config.baseUrl, '/chat/completions', config.apiKey);
  } catch (e) {
    throw new Error(`LLM endpoint: ${scrubText((e as Error).message, [config.apiKey])}`);
  }
  const { url, headers, secrets } = endpoint;
  // Scrub before cutting: a key cut in half no longer matches its value.
  const clean = (text: string) => scrubText(text, secrets);
  const res = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: config.model, temperature: 0, response_format: { type: 'json_object' }, messages: prompt(instruction, catalog) }),
    signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
  }).catch((e: Error) => {
    throw new Error(clean(`LLM endpoint ${url}: ${e.name === 'TimeoutError' ? `no answer within ${config.timeoutMs ?? 30_000} ms` : (e.cause as Error)?.message ?? e.message}`));
  });
  const body = await res.text();
  if (!res.ok) throw new Error(clean(`LLM endpoint ${url}: HTTP ${res.status}${body ? ` (${clean(body).slice(0, 200)})` : ''}`));
  let content: unknown;
  try {
    content = JSON.parse(body)?.choices?.[0]?.message?.content;
  } catch {
    throw new LlmPlanError([clean(`response is not chat-completions JSON: ${clean(body).slice(0, 120)}`)]);
  }
  if (typeof content !== 'string') throw new LlmPlanError(['response has no choices[0].message.content string']);
  let value: unknown;
  try {
    value = JSON.parse(unfence(content));
  } catch (e) {
    throw new LlmPlanError([`message content is not JSON (${(e as Error).message}): ${content.slice(0, 120)}`]);
  }
  const parsed = LlmPlanSchema.safeParse(value);
  if (!parsed.success) throw new LlmPlanError(zodProblems(parsed.error));
  const problems = planProblems(parsed.data, catalog, { requireHandOffs: catalog.links.length > 0 });
  if (problems.length) throw new LlmPlanError(problems);
  // A validated LLM plan carries the confidences the model gave; without any it is accepted as is (1).
  const nodes = parsed.data.nodes.map((n) => ({ id: n.id, worker: n.worker, dependsOn: [...n.dependsOn], confidence: n.confidence ?? 1 }));
  const confidence = Math.min(...nodes.map((n) => n.confidence));
  return { instruction, nodes, confidence, lowConfidence: false, source: 'llm' };
}
