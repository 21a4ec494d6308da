/**
 * `orchestai`: define workers and workflows, run them on the hub, replay, time-travel and resume
 * them from their histories. Planning lives in `orchestai/planner`, the built-in workflows in
 * `orchestai/workflows`, the transformers between steps in `orchestai/transformers`.
 */
export { defineWorker, defineWorkflow, compileWorkflow, toMermaid, WorkflowDefinitionError } from '../machines/index.ts';
export type { Router, RouteRequest, RouteDecision, RouteCandidate, PriceModel, TokenUsage } from '../machines/index.ts';
export type { Worker, AnyWorker, WorkerContext, Workflow, WorkflowSpec, StepSpec, TaskStepSpec, ApprovalStepSpec, Branch, CompiledWorkflow, RetryPolicyInput } from '../machines/index.ts';
export { run, startRun, type RunOptions, type RunHandle, type RunResult } from './run.ts';
export { replay, stateAt, type ReplayResult, type Divergence } from './replay.ts';
export { resume, DivergenceError } from './resume.ts';
export { systemClock, VirtualClock, type Clock } from './clock.ts';
export { createJsonlStore } from './history/jsonl-store.ts';
export { approveRun, cancelRun, waitingApprovals, ControlError, type ControlOutcome } from './operations/control.ts';
export { RunOwnedError } from './history/ownership.ts';
export { HistoryParseError, parseHistory } from '../machines/history/parse.ts';
export type { HistoryStore, HistoryWriter, RunSummary, Durability } from './history/store.ts';
export type { HistoryEvent, NewHistoryEvent } from '../machines/history/events.ts';
export { defineConfig, type ProjectConfigInput as OrchestaiConfig } from './project/config.ts';
export { loadWorkflowFile, type LoadedWorkflowFile } from './project/workflow-file.ts';
