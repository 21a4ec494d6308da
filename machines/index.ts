/** The definition language and the compiler: everything above this floor builds machines through here. */
export { defineWorker, type Worker, type AnyWorker, type WorkerContext, type WorkerSpec } from './worker.ts';
export { defineWorkflow, topologicalSteps, DEFAULT_FINALS } from './workflow.ts';
export type { Workflow, WorkflowSpec, StepSpec, TaskStepSpec, ApprovalStepSpec, Branch, NormalStep, FinalSpec } from './definition.ts';
export { compileWorkflow, type CompiledWorkflow, type CompileOptions, type Group, type MachineContext, type StepEvent } from './compile.ts';
export { RetryPolicySchema, backoffDelay, hashString, type RetryPolicy, type RetryPolicyInput } from './retry.ts';
export { WorkflowDefinitionError, formatProblem, type Problem } from './problems.ts';
export { toMermaid } from './export.ts';
