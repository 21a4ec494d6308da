/** One thing wrong with a definition, located by step and field. */
export interface Problem {
  step?: string;
  field?: string;
  message: string;
}

/**
 * Thrown by `defineWorkflow` and `compileWorkflow`: every problem at once, so a user
 * fixes a definition in one pass instead of one error per run.
 */
export class WorkflowDefinitionError extends Error {
  readonly problems: readonly Problem[];
  constructor(readonly workflowId: string, problems: Problem[]) {
    super(
      `workflow ${JSON.stringify(workflowId)} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'WorkflowDefinitionError';
    this.problems = problems;
  }
}

/**
 * Formats a problem as `step "x", field y: message`.
 *
 * @example
 * formatProblem({ step: 'coder', field: 'onSuccess', message: 'unknown target "reviwer"' })
 * // 'step "coder", field onSuccess: unknown target "reviwer"'
 */
export function formatProblem(p: Problem): string {
  const where = [p.step !== undefined ? `step ${JSON.stringify(p.step)}` : '', p.field ? `field ${p.field}` : '']
    .filter(Boolean)
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
