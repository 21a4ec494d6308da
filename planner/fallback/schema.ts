import { z } from 'zod';

/**
 * The JSON an LLM must answer with: the same DAG shape a planner returns, nothing else.
 * `confidence` is optional because most chat models cannot calibrate one.
 */
export const LlmPlanSchema = z
  .object({
    nodes: z
      .array(
        z
          .object({
            id: z.string().min(1),
            worker: z.string().min(1),
            dependsOn: z.array(z.string()),
            confidence: z.number().min(0).max(1).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type LlmPlan = z.infer<typeof LlmPlanSchema>;

/** JSON Schema of `LlmPlanSchema` (the client sends the schema itself, as structured output or in the prompt). */
export const LLM_PLAN_JSON_SCHEMA = z.toJSONSchema(LlmPlanSchema);

/** `path: message` lines for every zod issue (kept here for existing imports; the client has the same). */
export { zodProblems } from '../../providers/json.ts';
