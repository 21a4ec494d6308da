import type { InputTransformer, OutputTransformer, RunContext, Json } from '../transformers/types.ts';
import type { AnyWorker } from './worker.ts';
import type { RetryPolicy, RetryPolicyInput } from './retry.ts';

/**
 * The definition language, as the user writes it. Two forms:
 * - graph form: steps name `onSuccess` / `onFailure` targets (loops allowed when bounded);
 * - DAG form: steps name `dependsOn`; ready steps run in parallel and are joined before dependants.
 * A workflow uses one form; `defineWorkflow` infers it and rejects a mix.
 */

/** A conditional success edge. The first branch whose `when` holds (or that has no `when`) is taken. */
export interface Branch {
  target: string;
  /** Pure predicate over the step's output and the run context. */
  when?: (args: { output: any; ctx: RunContext }) => boolean;
  /** Shown on the chart's edge, e.g. 'approved'. */
  label?: string;
  /** This edge may be taken at most this many times in a run (bounds loops). Once used up, the branch is skipped. */
  maxTimes?: number;
}

export type SuccessTarget = string | Branch[];

interface StepBase {
  id: string;
  description?: string;
  /** DAG form only. */
  dependsOn?: string[];
  /** Graph form: where to go on success (a step id or a final id). */
  onSuccess?: SuccessTarget;
  /** Graph form: where to go on terminal failure; defaults to the workflow's `onFailure`. */
  onFailure?: string;
}

export interface TaskStepSpec extends StepBase {
  type?: 'task';
  /** The worker that runs the step. Give either `worker` or `candidates`. */
  worker?: AnyWorker;
  /**
   * Two or more workers (distinct names) that can each do the step; at every attempt the hub asks
   * the run's router which one runs (see `machines/routing.ts`). The first is the default.
   * The step's retry policy and timeout default to the first candidate's.
   */
  candidates?: AnyWorker[];
  /** What the candidates can all do, for routers that learn per capability; default: the step id. */
  capability?: string;
  input?: InputTransformer;
  output?: OutputTransformer<any>;
  retry?: RetryPolicyInput;
  timeoutMs?: number;
}

/** Waits for an external approve/reject event; its output is the decision. */
export interface ApprovalStepSpec extends StepBase {
  type: 'approval';
  prompt?: string;
  /** No decision within this time is a failure (`ApprovalTimeout`). */
  timeoutMs: number;
}

export type StepSpec = TaskStepSpec | ApprovalStepSpec;

export interface FinalSpec {
  status: 'succeeded' | 'failed';
  description?: string;
}

export interface WorkflowSpec {
  /** `[a-z0-9][a-z0-9._-]*` */
  id: string;
  description?: string;
  steps: StepSpec[];
  /** Graph form: the first step; defaults to the first in `steps`. */
  start?: string;
  /** Default failure target for every step (graph form). DAG form always fails to `failed`. */
  onFailure?: string;
  /** Final states by id. Defaults: `succeeded` and `failed`. */
  finals?: Record<string, FinalSpec>;
  /** The run's output from its context; defaults to the output of the last step that succeeded. */
  output?: (ctx: RunContext) => Json;
}

/** A step after normalisation: defaults applied, worker policy merged. */
export interface NormalStep {
  id: string;
  type: 'task' | 'approval';
  description?: string;
  /** The step's worker; for a step with candidates, the first (default) candidate. */
  worker?: AnyWorker;
  /** A routed step's candidates, in definition order (absent for a step with one worker). */
  candidates?: readonly AnyWorker[];
  /** A routed step's capability (default: the step id); absent for a step with one worker unless given. */
  capability?: string;
  input?: InputTransformer;
  output?: OutputTransformer<any>;
  retry: RetryPolicy;
  timeoutMs?: number;
  approvalTimeoutMs?: number;
  prompt?: string;
  dependsOn: string[];
  branches: Branch[];
  onFailure?: string;
}

export interface Workflow {
  readonly kind: 'workflow';
  readonly id: string;
  readonly description?: string;
  readonly form: 'graph' | 'dag';
  readonly start: string;
  readonly steps: readonly NormalStep[];
  readonly finals: Readonly<Record<string, FinalSpec>>;
  readonly output?: (ctx: RunContext) => Json;
  /** Hex hash of the definition (structure, worker names, transformer sources); recorded in history. */
  readonly hash: string;
}
