import { effectiveProviderConfig, type ProviderConfig } from '../../providers/config.ts';
import { loadProjectConfig } from './config.ts';

/**
 * The model the planner's fallback (and LLM workers built by the CLI) should ask: the
 * `ORCHESTAI_LLM_*` environment, else the project config's `llm` (its key from the environment).
 * Null when neither names one, so nothing calls out by accident.
 *
 * @example
 * await planWithDetails(instruction, { llm: await projectLlm(process.cwd(), process.env) });
 */
export async function projectLlm(cwd: string, env: Record<string, string | undefined>): Promise<ProviderConfig | null> {
  const project = await loadProjectConfig(cwd);
  return effectiveProviderConfig(project?.config.llm, env);
}
