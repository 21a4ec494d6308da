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

/** JSON Schema of `LlmPlanSchema`, sent to the model so it knows the exact shape. */
export const LLM_PLAN_JSON_SCHEMA = z.toJSONSchema(LlmPlanSchema);

/**
 * `path: message` lines for every zod issue.
 *
 * @example
 * zodProblems(LlmPlanSchema.safeParse({}).error!) // ['nodes: Invalid input: expected array, received undefined']
 */
export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(root)'}: ${i.message}`);
}
