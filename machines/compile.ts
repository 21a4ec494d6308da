import { assign, setup, type AnyStateMachine } from 'xstate';
import type { RunContext } from '../transformers/types.ts';
import type { NormalStep, Workflow } from './definition.ts';
import { backoffDelay, hashString } from './retry.ts';
import { checkMachine } from './check.ts';
import { WorkflowDefinitionError } from './problems.ts';

/**
 * Workflow -> XState v5 machine. The machine is pure: side effects leave it as
 * command actions (`startWorker`, `stopWorker`, `startGroup`, `stopGroup`,
 * `requestApproval`) that the hub executes, and results come back as events
 * (`done.<step>`, `fail.<step>`, `approve.<step>`, `reject.<step>`). Retries,
 * backoff, timeouts and loop bounds are states, guards and delayed transitions,
 * so they show on the chart and replay exactly.
 */

/** Machine context: control data only. Step outputs live in the hub's run context, so folding one is O(1). */
export interface MachineContext {
  /** Attempt number of each step currently being tried (cleared when the step is left). */
  attempts: Record<string, number>;
  /** Times each bounded branch (`<step>#<index>`) was taken. */
  loops: Record<string, number>;
  /** DAG form: steps (and groups) that have succeeded. */
  done: Record<string, true>;
  /** The failure that sent the run to a failed final. */
  error: { step: string; name: string; message: string; retryable: boolean } | null;
  /** Seeds retry jitter; derived from the run id so replay computes the same delays. */
  seed: number;
}

export type StepEvent =
  | { type: `done.${string}`; output: unknown; ctx: RunContext }
  | { type: `fail.${string}`; error: { name: string; message: string; retryable: boolean } }
  | { type: `approve.${string}` | `reject.${string}`; by?: string; comment?: string };

/** A step too wide to be drawn as parallel regions runs as one group state; members keep their own retry policies (run by the hub). */
export interface Group {
  id: string;
  members: string[];
  dependsOn: string[];
}

export interface CompiledWorkflow {
  workflow: Workflow;
  machine: AnyStateMachine;
  /** Plain JSON (no functions): importable in Stately Studio and accepted by `createMachine`. */
  config: Record<string, any>;
  groups: ReadonlyMap<string, Group>;
}

export interface CompileOptions {
  /** DAG siblings sharing their dependencies are grouped into one state above this count. Default 16. */
  maxParallelRegions?: number;
}

const INITIAL_CONTEXT: MachineContext = { attempts: {}, loops: {}, done: {}, error: null, seed: 0 };

/**
 * Compiles a workflow into an XState machine plus its JSON config, then checks
 * with XState's graph utilities that every state can reach a final state and
 * that every loop is bounded.
 *
 * @example
 * const { machine, config } = compileWorkflow(defineWorkflow({ id: 'one', steps: [{ id: 'a', worker, onFailure: 'failed' }] }));
 * JSON.stringify(config); // importable in Stately Studio
 */
export function compileWorkflow(workflow: Workflow, options: CompileOptions = {}): CompiledWorkflow {
  const groups = new Map<string, Group>();
  const states: Record<string, any> = {};
  const root = `#${workflow.id}`;
  const target = (id: string) => `${root}.${id}`;

  if (workflow.form === 'graph') {
    for (const step of workflow.steps) states[step.id] = step.type === 'approval' ? approvalState(step, target) : graphStepState(step, target);
  } else {
    const regions: Record<string, any> = {};
    const { nodes } = groupWideFanOuts(workflow.steps, options.maxParallelRegions ?? 16, groups);
    for (const node of nodes) {
      regions[node.id] = 'members' in node ? groupRegion(node, target(node.failure)) : dagRegion(node.step, node.deps, target);
    }
    const success = Object.entries(workflow.finals).find(([, f]) => f.status === 'succeeded')?.[0] ?? 'succeeded';
    states.dag = { type: 'parallel', states: regions, onDone: { target: target(success) } };
  }
  for (const [id, f] of Object.entries(workflow.finals)) states[id] = { type: 'final', meta: { status: f.status, ...(f.description ? { description: f.description } : {}) } };

  const config = {
    id: workflow.id,
    initial: workflow.form === 'graph' ? workflow.start : 'dag',
    context: INITIAL_CONTEXT,
    ...(workflow.description ? { description: workflow.description } : {}),
    states,
  };
  const machine = setup({
    types: {} as { context: MachineContext; events: StepEvent; input: { seed: number } },
    actions: implementationsOfActions(),
    guards: implementationsOfGuards(workflow),
    delays: delaysOf(workflow),
  }).createMachine({ ...(config as any), context: ({ input }: { input: { seed: number } }) => ({ ...INITIAL_CONTEXT, seed: input?.seed ?? 0 }) });

  const problems = checkMachine(machine);
  if (problems.length) throw new WorkflowDefinitionError(workflow.id, problems);
  return { workflow, machine, config: JSON.parse(JSON.stringify(config)), groups };
}

function stepMeta(step: NormalStep) {
  return {
    step: step.id,
    ...(step.worker ? { worker: step.worker.name } : {}),
    ...(step.description ? { description: step.description } : {}),
    retry: step.retry,
    ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
  };
}

/** running <-> waiting, with the retry decision shared by worker failures and timeouts. */
function taskStates(step: NormalStep, onTerminalFailure: string, onSuccess: any, stoppable: boolean) {
  const s = step.id;
  const retryOr = (fallback: any) =>
    step.retry.maxAttempts > 1
      ? [{ guard: { type: 'canRetry', params: { step: s, maxAttempts: step.retry.maxAttempts, nonRetryable: step.retry.nonRetryable } }, target: 'waiting' }, fallback]
      : [fallback];
  // Attempt counting and the stop command cost a context update per step, so a step that can
  // neither retry nor time out (nor be cut short by a failing sibling) goes without them.
  const counts = needsAttemptCount(step);
  const running: any = {
    // A routed step shows its candidates on the state that runs them (the chart and the viewer read it).
    ...(step.candidates ? { meta: { candidates: step.candidates.map((w) => w.name), capability: step.capability ?? s } } : {}),
    entry: [...(counts ? [{ type: 'countAttempt', params: { step: s } }] : []), { type: 'startWorker', params: { step: s } }],
    ...(counts || stoppable ? { exit: [{ type: 'stopWorker', params: { step: s } }] } : {}),
    on: {
      [`done.${s}`]: onSuccess,
      [`fail.${s}`]: retryOr({ target: onTerminalFailure, actions: [{ type: 'setError', params: { step: s } }] }),
    },
  };
  if (step.timeoutMs) {
    running.after = { [`timeout_${s}`]: retryOr({ target: onTerminalFailure, actions: [{ type: 'setError', params: { step: s, name: 'TimeoutError' } }] }) };
  }
  const states: Record<string, any> = { running };
  if (step.retry.maxAttempts > 1) states.waiting = { after: { [`backoff_${s}`]: { target: 'running' } } };
  return states;
}

function graphStepState(step: NormalStep, target: (id: string) => string) {
  const onSuccess = step.branches.map((b, index) => {
    const guarded = b.when !== undefined || b.maxTimes !== undefined;
    return {
      target: target(b.target),
      ...(guarded ? { guard: { type: 'branch', params: { step: step.id, index, ...(b.label ? { label: b.label } : {}), ...(b.maxTimes ? { maxTimes: b.maxTimes } : {}) } } } : {}),
      ...(b.maxTimes ? { actions: [{ type: 'countLoop', params: { step: step.id, index } }] } : {}),
      ...(b.label ? { description: b.label } : {}),
    };
  });
  // When every branch is guarded and none holds (e.g. a loop bound is used up), the step fails.
  if (onSuccess.every((t) => 'guard' in t)) {
    onSuccess.push({ target: target(step.onFailure!), actions: [{ type: 'setError', params: { step: step.id, name: 'NoBranchTaken' } }] } as any);
  }
  return {
    initial: 'running',
    meta: stepMeta(step),
    ...(needsAttemptCount(step) ? { exit: [{ type: 'clearAttempts', params: { step: step.id } }] } : {}),
    states: taskStates(step, target(step.onFailure!), onSuccess, false),
  };
}

function approvalState(step: NormalStep, target: (id: string) => string) {
  const s = step.id;
  const success = step.branches[0]?.target;
  const fail = { target: target(step.onFailure!), actions: [{ type: 'setError', params: { step: s, name: 'ApprovalRejected' } }] };
  return {
    initial: 'awaiting',
    meta: { step: s, approval: true, timeoutMs: step.approvalTimeoutMs, ...(step.prompt ? { prompt: step.prompt } : {}) },
    states: {
      awaiting: {
        entry: [{ type: 'requestApproval', params: { step: s } }],
        on: { [`approve.${s}`]: { target: target(success!) }, [`reject.${s}`]: fail },
        after: { [`approvalTimeout_${s}`]: { target: target(step.onFailure!), actions: [{ type: 'setError', params: { step: s, name: 'ApprovalTimeout' } }] } },
      },
    },
  };
}

/** Only retries and timeouts read the attempt count; without them every attempt is attempt 1. */
function needsAttemptCount(step: NormalStep): boolean {
  return step.retry.maxAttempts > 1 || step.timeoutMs !== undefined;
}

function blockedState(deps: string[]) {
  return { always: { guard: { type: 'depsDone', params: { deps } }, target: 'running' } };
}

function dagRegion(step: NormalStep, deps: string[], target: (id: string) => string) {
  const onSuccess = { target: 'done', actions: [{ type: 'markDone', params: { step: step.id } }] };
  const inner =
    step.type === 'approval'
      ? {
          running: {
            entry: [{ type: 'requestApproval', params: { step: step.id } }],
            on: {
              [`approve.${step.id}`]: onSuccess,
              [`reject.${step.id}`]: { target: target(step.onFailure!), actions: [{ type: 'setError', params: { step: step.id, name: 'ApprovalRejected' } }] },
            },
            after: { [`approvalTimeout_${step.id}`]: { target: target(step.onFailure!), actions: [{ type: 'setError', params: { step: step.id, name: 'ApprovalTimeout' } }] } },
          },
        }
      : taskStates(step, target(step.onFailure!), onSuccess, true);
  return {
    initial: deps.length ? 'blocked' : 'running',
    meta: step.type === 'approval' ? { step: step.id, approval: true, timeoutMs: step.approvalTimeoutMs } : stepMeta(step),
    ...(step.type === 'task' && needsAttemptCount(step) ? { exit: [{ type: 'clearAttempts', params: { step: step.id } }] } : {}),
    states: { ...(deps.length ? { blocked: blockedState(deps) } : {}), ...inner, done: { type: 'final' } },
  };
}

function groupRegion(group: Group & { failure: string }, failureTarget: string) {
  const g = group.id;
  return {
    initial: group.dependsOn.length ? 'blocked' : 'running',
    meta: { group: g, members: group.members, description: `${group.members.length} steps run as one group; each member retries by its own policy` },
    states: {
      ...(group.dependsOn.length ? { blocked: blockedState(group.dependsOn) } : {}),
      running: {
        entry: [{ type: 'startGroup', params: { group: g } }],
        exit: [{ type: 'stopGroup', params: { group: g } }],
        on: {
          [`done.${g}`]: { target: 'done', actions: [{ type: 'markDone', params: { step: g } }] },
          [`fail.${g}`]: { target: failureTarget, actions: [{ type: 'setError', params: { step: g } }] },
        },
      },
      done: { type: 'final' },
    },
  };
}

type DagNode = { id: string; step: NormalStep; deps: string[] } | (Group & { failure: string });

/** Siblings with the same dependencies, more than `max` of them, become one group node. */
function groupWideFanOuts(steps: readonly NormalStep[], max: number, groups: Map<string, Group>): { nodes: DagNode[] } {
  const taken = new Set(steps.map((s) => s.id));
  const bySignature = new Map<string, NormalStep[]>();
  for (const s of steps) {
    if (s.type !== 'task') continue;
    const key = [...s.dependsOn].sort().join('\u0000');
    bySignature.set(key, [...(bySignature.get(key) ?? []), s]);
  }
  const groupOf = new Map<string, string>();
  for (const members of bySignature.values()) {
    if (members.length <= max) continue;
    let id = `group_${members[0].id}`;
    while (taken.has(id)) id += '_';
    taken.add(id);
    groups.set(id, { id, members: members.map((m) => m.id), dependsOn: [] });
    for (const m of members) groupOf.set(m.id, id);
  }
  const mapDeps = (deps: string[]) => [...new Set(deps.map((d) => groupOf.get(d) ?? d))];
  const nodes: DagNode[] = [];
  const emitted = new Set<string>();
  for (const s of steps) {
    const g = groupOf.get(s.id);
    if (g === undefined) nodes.push({ id: s.id, step: s, deps: mapDeps(s.dependsOn) });
    else if (!emitted.has(g)) {
      emitted.add(g);
      const group = groups.get(g)!;
      group.dependsOn = mapDeps(s.dependsOn);
      nodes.push({ ...group, failure: s.onFailure! });
    }
  }
  return { nodes };
}

function implementationsOfActions() {
  // Commands: the hub executes them; inside the machine they do nothing.
  const command = () => {};
  return {
    startWorker: command,
    stopWorker: command,
    startGroup: command,
    stopGroup: command,
    requestApproval: command,
    countAttempt: assign(({ context }: { context: MachineContext }, p: { step: string }) => ({
      attempts: { ...context.attempts, [p.step]: (context.attempts[p.step] ?? 0) + 1 },
    })),
    clearAttempts: assign(({ context }: { context: MachineContext }, p: { step: string }) => {
      if (!(p.step in context.attempts)) return {};
      const { [p.step]: _, ...attempts } = context.attempts;
      return { attempts };
    }),
    countLoop: assign(({ context }: { context: MachineContext }, p: { step: string; index: number }) => {
      const key = `${p.step}#${p.index}`;
      return { loops: { ...context.loops, [key]: (context.loops[key] ?? 0) + 1 } };
    }),
    markDone: assign(({ context }: { context: MachineContext }, p: { step: string }) => ({ done: { ...context.done, [p.step]: true as const } })),
    setError: assign(({ event }: { event: any }, p: { step: string; name?: string }) => ({
      error: event?.error
        ? { step: p.step, name: event.error.name, message: event.error.message, retryable: event.error.retryable }
        : { step: p.step, name: p.name ?? 'Error', message: errorMessage(p), retryable: false },
    })),
  } as any;
}

function errorMessage(p: { step: string; name?: string }): string {
  switch (p.name) {
    case 'TimeoutError':
      return `step ${JSON.stringify(p.step)} timed out`;
    case 'NoBranchTaken':
      return `step ${JSON.stringify(p.step)}: no success branch could be taken (a loop bound may be used up)`;
    case 'ApprovalTimeout':
      return `step ${JSON.stringify(p.step)}: no approval before the timeout`;
    case 'ApprovalRejected':
      return `step ${JSON.stringify(p.step)}: rejected`;
    default:
      return `step ${JSON.stringify(p.step)} failed`;
  }
}

function implementationsOfGuards(workflow: Workflow) {
  const byId = new Map(workflow.steps.map((s) => [s.id, s]));
  return {
    canRetry: ({ context, event }: { context: MachineContext; event: any }, p: { step: string; maxAttempts: number; nonRetryable: string[] }) => {
      const error = event?.error ?? { name: 'TimeoutError', retryable: true };
      if (error.retryable === false || p.nonRetryable.includes(error.name)) return false;
      return (context.attempts[p.step] ?? 0) < p.maxAttempts;
    },
    branch: ({ context, event }: { context: MachineContext; event: any }, p: { step: string; index: number; maxTimes?: number }) => {
      const b = byId.get(p.step)!.branches[p.index];
      if (p.maxTimes !== undefined && (context.loops[`${p.step}#${p.index}`] ?? 0) >= p.maxTimes) return false;
      return b.when ? b.when({ output: event.output, ctx: event.ctx }) === true : true;
    },
    depsDone: ({ context }: { context: MachineContext }, p: { deps: string[] }) => p.deps.every((d) => context.done[d] === true),
  } as any;
}

function delaysOf(workflow: Workflow) {
  const delays: Record<string, (args: { context: MachineContext }) => number> = {};
  for (const s of workflow.steps) {
    const salt = hashString(s.id);
    if (s.retry.maxAttempts > 1) delays[`backoff_${s.id}`] = ({ context }) => backoffDelay(s.retry, context.attempts[s.id] ?? 1, context.seed ^ salt);
    if (s.timeoutMs) delays[`timeout_${s.id}`] = () => s.timeoutMs!;
    if (s.approvalTimeoutMs) delays[`approvalTimeout_${s.id}`] = () => s.approvalTimeoutMs!;
  }
  return delays;
}
