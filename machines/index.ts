/**
 * `orchestai/machines`: the definition language and its compiler to XState. Everything above this
 * floor builds machines through here.
 */
export { defineWorker, type Worker, type AnyWorker, type WorkerContext, type WorkerSpec, type TokenUsage } from './worker.ts';
export type { Router, RouteRequest, RouteDecision, RouteCandidate, PriceModel } from './routing.ts';
export { defineWorkflow } from './workflow.ts';
export type { Workflow, WorkflowSpec, StepSpec, TaskStepSpec, ApprovalStepSpec, Branch, FinalSpec } from './definition.ts';
export { compileWorkflow, type CompiledWorkflow, type CompileOptions } from './compile.ts';
export type { RetryPolicy, RetryPolicyInput } from './retry.ts';
export { WorkflowDefinitionError, type Problem } from './problems.ts';
export { toMermaid } from './export.ts';
export { parseWorkflowFile, WorkflowFileError, workflowToYaml, toWorkflowSpec, workflowFromFile, workflowJsonSchema, type WorkflowFile, type WorkerRef } from './yaml/index.ts';
