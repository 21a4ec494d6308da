import { createHash } from 'node:crypto';
import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import { RetryPolicySchema, type RetryPolicy } from './retry.ts';
import type { Branch, FinalSpec, NormalStep, StepSpec, TaskStepSpec, Workflow, WorkflowSpec } from './definition.ts';
import { WorkflowDefinitionError, type Problem } from './problems.ts';

const WORKFLOW_ID = /^[a-z0-9][a-z0-9._:-]*$/i;
/** No dots: step ids become state-node keys and event names (`done.<id>`), where dots mean nesting. */
const STEP_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

export const DEFAULT_FINALS: Readonly<Record<string, FinalSpec>> = Object.freeze({
  succeeded: { status: 'succeeded' },
  failed: { status: 'failed' },
});

/**
 * Validates a workflow spec and returns the normalised, frozen workflow.
 * Throws one `WorkflowDefinitionError` listing every problem (step and field).
 *
 * @example
 * const wf = defineWorkflow({
 *   id: 'shout',
 *   steps: [{ id: 'upper', worker: upper, onSuccess: 'succeeded', onFailure: 'failed' }],
 * });
 */
export function defineWorkflow(spec: WorkflowSpec): Workflow {
  const problems: Problem[] = [];
  const id = spec?.id;
  if (typeof id !== 'string' || !WORKFLOW_ID.test(id)) problems.push({ field: 'id', message: `must match ${WORKFLOW_ID}, got ${JSON.stringify(id)}` });
  if (!Array.isArray(spec?.steps) || spec.steps.length === 0) {
    throw new WorkflowDefinitionError(String(id), [...problems, { field: 'steps', message: 'must be a non-empty array' }]);
  }
  const finals = { ...(spec.finals ?? DEFAULT_FINALS) };
  for (const [fid, f] of Object.entries(finals)) {
    if (!STEP_ID.test(fid)) problems.push({ field: `finals.${fid}`, message: `final id must match ${STEP_ID}` });
    if (f?.status !== 'succeeded' && f?.status !== 'failed') problems.push({ field: `finals.${fid}.status`, message: `must be "succeeded" or "failed"` });
  }

  const seen = new Set<string>();
  spec.steps.forEach((s, i) => {
    const where = typeof s?.id === 'string' ? s.id : `#${i}`;
    if (typeof s?.id !== 'string' || !STEP_ID.test(s.id)) problems.push({ step: where, field: 'id', message: `must match ${STEP_ID}` });
    else if (seen.has(s.id)) problems.push({ step: s.id, field: 'id', message: 'duplicate step id' });
    else if (s.id in finals) problems.push({ step: s.id, field: 'id', message: 'collides with a final state id' });
    seen.add(s?.id);
  });

  const usesDeps = spec.steps.some((s) => s.dependsOn !== undefined);
  const usesTargets = spec.steps.some((s) => s.onSuccess !== undefined);
  if (usesDeps && usesTargets) {
    for (const s of spec.steps) if (s.onSuccess !== undefined) problems.push({ step: s.id, field: 'onSuccess', message: 'a workflow using dependsOn (DAG form) cannot also use onSuccess targets (graph form)' });
  }
  const form: Workflow['form'] = usesDeps ? 'dag' : 'graph';
  const stepIds = new Set(spec.steps.map((s) => s.id));
  const isTarget = (t: unknown) => typeof t === 'string' && (stepIds.has(t) || t in finals);

  const steps: NormalStep[] = spec.steps.map((s, i) => normaliseStep(s, i, spec, form, finals, isTarget, problems));

  let start = spec.start ?? spec.steps[0]?.id;
  if (form === 'graph') {
    if (!stepIds.has(start)) problems.push({ field: 'start', message: `unknown step ${JSON.stringify(start)}` });
    else problems.push(...unreachable(steps, start));
  } else {
    problems.push(...dagProblems(steps));
    start = steps.find((s) => s.dependsOn.length === 0)?.id ?? start;
  }
  if (spec.output !== undefined && typeof spec.output !== 'function') problems.push({ field: 'output', message: 'must be a function of the run context' });
  if (problems.length) throw new WorkflowDefinitionError(String(id), problems);

  const workflow: Workflow = {
    kind: 'workflow',
    id,
    description: spec.description,
    form,
    start,
    steps: Object.freeze(steps.map((s) => Object.freeze(s))),
    finals: Object.freeze(finals),
    output: spec.output,
    hash: '',
  };
  return Object.freeze({ ...workflow, hash: hashWorkflow(workflow) });
}

function normaliseStep(
  s: StepSpec,
  index: number,
  spec: WorkflowSpec,
  form: Workflow['form'],
  finals: Record<string, FinalSpec>,
  isTarget: (t: unknown) => boolean,
  problems: Problem[],
): NormalStep {
  const step = s.id;
  const type = s.type ?? 'task';
  let retry: RetryPolicy = RetryPolicySchema.parse({ maxAttempts: 1 });
  const out: NormalStep = { id: s.id, type: type as NormalStep['type'], description: s.description, retry, dependsOn: [...(s.dependsOn ?? [])], branches: [] };
  if (type === 'task') {
    const t = s as TaskStepSpec;
    const worker = t.candidates !== undefined ? routedWorker(t, out, problems) : t.worker;
    if (t.candidates === undefined && (!worker || (worker as any).kind !== 'worker')) problems.push({ step, field: 'worker', message: 'must be a worker made by defineWorker' });
    else if (worker && (worker as any).kind === 'worker') {
      out.worker = worker;
      retry = worker.retry;
    }
    if (t.capability !== undefined) {
      if (typeof t.capability !== 'string' || t.capability.trim() === '') problems.push({ step, field: 'capability', message: 'must be a non-empty string' });
      else out.capability = t.capability;
    }
    if (t.retry !== undefined) {
      const r = RetryPolicySchema.safeParse({ ...(worker?.retry ?? {}), ...t.retry });
      if (r.success) retry = r.data;
      else for (const issue of r.error.issues) problems.push({ step, field: `retry.${issue.path.join('.')}`, message: issue.message });
    }
    out.retry = retry;
    out.timeoutMs = t.timeoutMs ?? worker?.timeoutMs;
    if (out.timeoutMs !== undefined && !(out.timeoutMs > 0)) problems.push({ step, field: 'timeoutMs', message: 'must be > 0' });
    if (t.input !== undefined && typeof t.input !== 'function') problems.push({ step, field: 'input', message: 'must be an input transformer function' });
    if (t.output !== undefined && typeof t.output !== 'function') problems.push({ step, field: 'output', message: 'must be an output transformer function' });
    out.input = t.input;
    out.output = t.output;
  } else if (type === 'approval') {
    const a = s as Extract<StepSpec, { type: 'approval' }>;
    if (!(a.timeoutMs > 0)) problems.push({ step, field: 'timeoutMs', message: 'an approval step needs a timeout > 0 ms' });
    out.approvalTimeoutMs = a.timeoutMs;
    out.prompt = a.prompt;
  } else {
    problems.push({ step, field: 'type', message: `unknown step type ${JSON.stringify(type)} (use "task" or "approval")` });
  }

  if (form === 'graph') {
    const next = spec.steps[index + 1]?.id;
    const success = s.onSuccess ?? next ?? firstFinal(finals, 'succeeded');
    out.branches = typeof success === 'string' ? [{ target: success }] : Array.isArray(success) ? success.map((b) => ({ ...b })) : [];
    if (out.branches.length === 0) problems.push({ step, field: 'onSuccess', message: 'must be a target id or a non-empty array of branches' });
    out.branches.forEach((b: Branch, i) => {
      const field = typeof success === 'string' ? 'onSuccess' : `onSuccess[${i}]`;
      if (!isTarget(b.target)) problems.push({ step, field: `${field}${typeof success === 'string' ? '' : '.target'}`, message: `unknown target ${JSON.stringify(b.target)}` });
      if (b.when !== undefined && typeof b.when !== 'function') problems.push({ step, field: `${field}.when`, message: 'must be a function ({ output, ctx }) => boolean' });
      if (b.maxTimes !== undefined && !(Number.isInteger(b.maxTimes) && b.maxTimes >= 1)) problems.push({ step, field: `${field}.maxTimes`, message: 'must be an integer >= 1' });
    });
    const failure = s.onFailure ?? spec.onFailure;
    if (failure === undefined) problems.push({ step, field: 'onFailure', message: 'no failure path: set onFailure on the step or on the workflow' });
    else if (!isTarget(failure)) problems.push({ step, field: 'onFailure', message: `unknown target ${JSON.stringify(failure)}` });
    out.onFailure = failure;
  } else {
    if (s.onFailure !== undefined) problems.push({ step, field: 'onFailure', message: 'DAG form: a failed step fails the run; onFailure is not used' });
    out.onFailure = firstFinal(finals, 'failed');
    if (out.onFailure === undefined) problems.push({ step, field: 'onFailure', message: 'no failure path: the workflow has no final with status "failed"' });
  }
  return out;
}

/**
 * Checks a routed step's `candidates` (two or more workers, distinct names, not with `worker`),
 * keeps them and the capability (default: the step id) on the normalised step, and returns the
 * first candidate: the step's default worker, whose retry policy and timeout the step inherits.
 */
function routedWorker(t: TaskStepSpec, out: NormalStep, problems: Problem[]): TaskStepSpec['worker'] {
  const step = t.id;
  if (t.worker !== undefined) problems.push({ step, field: 'candidates', message: 'give either worker or candidates, not both' });
  if (!Array.isArray(t.candidates) || t.candidates.length < 2) {
    problems.push({ step, field: 'candidates', message: `must list at least 2 workers, got ${Array.isArray(t.candidates) ? t.candidates.length : JSON.stringify(typeof t.candidates)} (use worker for one)` });
    return undefined;
  }
  const names = new Set<string>();
  let ok = true;
  t.candidates.forEach((w, i) => {
    if (!w || (w as any).kind !== 'worker') {
      ok = false;
      problems.push({ step, field: `candidates[${i}]`, message: 'must be a worker made by defineWorker' });
    } else if (names.has(w.name)) {
      ok = false;
      problems.push({ step, field: `candidates[${i}]`, message: `duplicate worker name ${JSON.stringify(w.name)}` });
    } else names.add(w.name);
  });
  if (!ok) return undefined;
  out.candidates = Object.freeze([...t.candidates]);
  out.capability = t.id;
  return t.candidates[0];
}

function firstFinal(finals: Record<string, FinalSpec>, status: FinalSpec['status']): string | undefined {
  if (finals[status]?.status === status) return status;
  return Object.entries(finals).find(([, f]) => f.status === status)?.[0];
}

/** Graph form: every step must be reachable from the start over success and failure edges. */
function unreachable(steps: NormalStep[], start: string): Problem[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const s = byId.get(queue.pop()!);
    if (!s) continue;
    for (const t of [...s.branches.map((b) => b.target), s.onFailure]) {
      if (t !== undefined && byId.has(t) && !seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return steps.filter((s) => !seen.has(s.id)).map((s) => ({ step: s.id, message: `unreachable from the start step ${JSON.stringify(start)}` }));
}

function dagProblems(steps: NormalStep[]): Problem[] {
  const problems: Problem[] = [];
  const graph = new DirectedGraph();
  for (const s of steps) if (!graph.hasNode(s.id)) graph.addNode(s.id);
  for (const s of steps) {
    const seen = new Set<string>();
    for (const d of s.dependsOn) {
      if (seen.has(d)) problems.push({ step: s.id, field: 'dependsOn', message: `lists ${JSON.stringify(d)} twice` });
      else if (d === s.id) problems.push({ step: s.id, field: 'dependsOn', message: 'depends on itself' });
      else if (!graph.hasNode(d)) problems.push({ step: s.id, field: 'dependsOn', message: `unknown step ${JSON.stringify(d)}` });
      else graph.mergeEdge(d, s.id);
      seen.add(d);
    }
  }
  if (hasCycle(graph)) problems.push({ field: 'dependsOn', message: `dependency cycle among steps ${cycleMembers(graph).map((s) => JSON.stringify(s)).join(', ')}` });
  return problems;
}

/** The steps left after repeatedly removing steps with no remaining dependencies: exactly those on or behind a cycle. */
function cycleMembers(graph: DirectedGraph): string[] {
  const indeg = new Map(graph.nodes().map((n) => [n, graph.inDegree(n)]));
  const queue = [...indeg].filter(([, d]) => d === 0).map(([n]) => n);
  while (queue.length) {
    const n = queue.pop()!;
    indeg.delete(n);
    for (const m of graph.outNeighbors(n)) {
      const d = indeg.get(m)! - 1;
      indeg.set(m, d);
      if (d === 0) queue.push(m);
    }
  }
  return [...indeg.keys()];
}

/**
 * Steps of a DAG-form workflow in a dependency-respecting order (ties by definition order).
 *
 * @example
 * topologicalSteps(wf).map((s) => s.id) // ['read', 'summarise', 'figures', 'slides']
 */
export function topologicalSteps(workflow: Workflow): NormalStep[] {
  const graph = new DirectedGraph();
  for (const s of workflow.steps) graph.addNode(s.id);
  for (const s of workflow.steps) for (const d of s.dependsOn) graph.mergeEdge(d, s.id);
  const byId = new Map(workflow.steps.map((s) => [s.id, s]));
  return topologicalSort(graph).map((id) => byId.get(id)!);
}

/** A stable hash of everything that can change a run's path: structure, workers, policies, transformer sources. */
function hashWorkflow(w: Workflow): string {
  const fn = (f: unknown) => (typeof f === 'function' ? f.toString() : undefined);
  const canonical = JSON.stringify({
    id: w.id,
    form: w.form,
    start: w.start,
    finals: w.finals,
    output: fn(w.output),
    steps: w.steps.map((s) => ({
      id: s.id,
      type: s.type,
      worker: s.worker?.name,
      // Absent (so left out of the JSON) for steps with one worker: their hashes do not change.
      candidates: s.candidates?.map((w) => w.name),
      capability: s.capability,
      input: fn(s.input),
      output: fn(s.output),
      retry: s.retry,
      timeoutMs: s.timeoutMs,
      approvalTimeoutMs: s.approvalTimeoutMs,
      dependsOn: s.dependsOn,
      onFailure: s.onFailure,
      branches: s.branches.map((b) => ({ target: b.target, label: b.label, maxTimes: b.maxTimes, when: fn(b.when) })),
    })),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
