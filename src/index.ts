/**
 * orchestai's public API. Define workers and workflows, run them on the hub, replay,
 * time-travel and resume from their histories.
 */
export { defineWorker, defineWorkflow, compileWorkflow, toMermaid, WorkflowDefinitionError } from '../machines/index.ts';
export type { Worker, Workflow, WorkflowSpec, StepSpec, Branch, CompiledWorkflow, RetryPolicyInput } from '../machines/index.ts';
export * as transformers from '../transformers/index.ts';
export { run, startRun, newRunId, type RunOptions, type RunHandle, type RunResult } from './run.ts';
export { replay, stateAt, describe as describeEvent, type ReplayResult, type Divergence } from './replay.ts';
export { resume, DivergenceError } from './resume.ts';
export { systemClock, VirtualClock, type Clock } from './clock.ts';
export { createJsonlStore } from './history/jsonl-store.ts';
export { HistoryParseError, parseHistory } from './history/parse.ts';
export type { HistoryStore, HistoryWriter, RunSummary, Durability } from './history/store.ts';
export type { HistoryEvent } from './history/events.ts';
