import type { AnyWorker } from '../worker.ts';
import type { Branch, StepSpec, Workflow, WorkflowSpec } from '../definition.ts';
import { defineWorkflow } from '../workflow.ts';
import { compileWorkflow } from '../compile.ts';
import { formatProblem, WorkflowDefinitionError, type Problem } from '../problems.ts';
import { WorkflowFileError } from './errors.ts';
import { branchCondition, inputTransformer, outputTransformer, runOutput, type CodePlaceholder } from './expressions.ts';
import { errorAt, positionOf, type DataPath, type WorkflowFile } from './parse.ts';
import type { StepData, WorkerRef } from './schema.ts';

/**
 * Finds the worker a file names. `where` is `file:line:column` of the reference, for the caller's
 * own messages; anything it throws becomes a `WorkflowFileError` at that place.
 */
export type ResolveWorker = (ref: WorkerRef, where: string) => AnyWorker;

export interface ToSpecOptions {
  /**
   * `code` entries are what `export --format yaml` writes for code it cannot express. `'reject'`
   * (the default) makes them an error at their place; `'placeholder'` builds the workflow anyway
   * (its chart is complete), with functions that fail if a run ever reaches them.
   */
  code?: 'reject' | 'placeholder';
}

/**
 * The worker references of a file with their data paths, so a caller can resolve them (e.g.
 * import modules, start MCP servers) before the synchronous `toWorkflowSpec`: each step's
 * `worker`, and each of a routed step's `candidates`.
 *
 * @example
 * workerRefs(wf) // [{ ref: 'summarise', path: ['steps', 0, 'worker'], step: 'summarise' }]
 */
export function workerRefs(wf: WorkflowFile): { ref: WorkerRef; path: DataPath; step: string }[] {
  return wf.data.steps.flatMap((s, i) => {
    if ('worker' in s) return [{ ref: s.worker, path: ['steps', i, 'worker'], step: s.id }];
    if ('candidates' in s) return s.candidates.map((ref, j) => ({ ref, path: ['steps', i, 'candidates', j], step: s.id }));
    return [];
  });
}

/**
 * The `defineWorkflow` spec a parsed file describes: the same definition as code, so compile,
 * replay, resume, export and the viewer treat both alike.
 *
 * @example
 * const spec = toWorkflowSpec(parseWorkflowFile(text, 'flow.yaml'), (ref) => workerByName(String(ref)));
 * const workflow = defineWorkflow(spec);
 */
export function toWorkflowSpec(wf: WorkflowFile, resolveWorker: ResolveWorker, options: ToSpecOptions = {}): WorkflowSpec {
  const { data } = wf;
  const placeholderAt =
    (path: DataPath): CodePlaceholder =>
    (_code, what) => {
      if (options.code !== 'placeholder') throw errorAt(wf, path, `this ${what} is code from the module the file was exported from; a workflow file cannot run code: write it as an expression`);
      const where = positionOf(wf, path);
      return () => {
        throw new Error(`${wf.file}:${where.line}:${where.col}: this ${what} is code a workflow file cannot run; write it as an expression`);
      };
    };
  const steps = data.steps.map((s, i) => stepSpec(wf, s, ['steps', i], resolveWorker, placeholderAt));
  return {
    id: data.id,
    ...(data.description !== undefined ? { description: data.description } : {}),
    steps,
    ...(data.start !== undefined ? { start: data.start } : {}),
    ...(data.onFailure !== undefined ? { onFailure: data.onFailure } : {}),
    ...(data.finals !== undefined ? { finals: data.finals } : {}),
    ...(data.output !== undefined ? { output: runOutput(data.output, placeholderAt(['output'])) } : {}),
  };
}

function stepSpec(wf: WorkflowFile, s: StepData, at: DataPath, resolveWorker: ResolveWorker, code: (path: DataPath) => CodePlaceholder): StepSpec {
  const common = {
    id: s.id,
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.dependsOn !== undefined ? { dependsOn: [...s.dependsOn] } : {}),
    ...(s.onFailure !== undefined ? { onFailure: s.onFailure } : {}),
    ...(s.onSuccess !== undefined ? { onSuccess: typeof s.onSuccess === 'string' ? s.onSuccess : s.onSuccess.map((b, j) => branch(b, [...at, 'onSuccess', j], code)) } : {}),
  };
  if (s.type === 'approval') return { ...common, type: 'approval', timeoutMs: s.timeoutMs, ...(s.prompt !== undefined ? { prompt: s.prompt } : {}) };
  const resolve = (ref: WorkerRef, path: DataPath) => resolveAt(wf, s.id, ref, path, resolveWorker);
  return {
    ...common,
    ...('candidates' in s ? { candidates: s.candidates.map((ref, j) => resolve(ref, [...at, 'candidates', j])) } : { worker: resolve(s.worker, [...at, 'worker']) }),
    ...(s.capability !== undefined ? { capability: s.capability } : {}),
    ...(s.input !== undefined ? { input: inputTransformer(s.input, code([...at, 'input'])) } : {}),
    ...(s.output !== undefined ? { output: outputTransformer(s.output, code([...at, 'output'])) } : {}),
    ...(s.retry !== undefined ? { retry: s.retry } : {}),
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
  };
}

/** One worker reference resolved; a failure becomes a `WorkflowFileError` at the reference. */
function resolveAt(wf: WorkflowFile, step: string, ref: WorkerRef, path: DataPath, resolveWorker: ResolveWorker): AnyWorker {
  try {
    const p = positionOf(wf, path);
    return resolveWorker(ref, `${wf.file}:${p.line}:${p.col}`);
  } catch (e) {
    throw e instanceof WorkflowFileError ? e : errorAt(wf, path, `step ${JSON.stringify(step)}: ${(e as Error).message}`);
  }
}

function branch(b: NonNullable<Exclude<StepData['onSuccess'], string>>[number], at: DataPath, code: (path: DataPath) => CodePlaceholder): Branch {
  return {
    target: b.target,
    ...(b.when !== undefined ? { when: branchCondition(b.when, code([...at, 'when'])) } : {}),
    ...(b.label !== undefined ? { label: b.label } : {}),
    ...(b.maxTimes !== undefined ? { maxTimes: b.maxTimes } : {}),
  };
}

/**
 * A parsed file as a checked, compiled-once workflow: `defineWorkflow` over `toWorkflowSpec`, and
 * its chart compiled, with any definition problem (unreachable step, mixed forms, a loop without a
 * bound...) reported at its place in the file.
 *
 * @example
 * const workflow = workflowFromFile(parseWorkflowFile(text, 'flow.yaml'), resolveWorker);
 */
export function workflowFromFile(wf: WorkflowFile, resolveWorker: ResolveWorker, options: ToSpecOptions = {}): Workflow {
  const spec = toWorkflowSpec(wf, resolveWorker, options);
  try {
    const workflow = defineWorkflow(spec);
    compileWorkflow(workflow);
    return workflow;
  } catch (e) {
    if (!(e instanceof WorkflowDefinitionError) || e.problems.length === 0) throw e;
    const first = e.problems[0];
    throw errorAt(wf, problemPath(wf, first), formatProblem(first) + (e.problems.length > 1 ? ` (and ${e.problems.length - 1} more)` : ''), true);
  }
}

/** The data path a definition problem points at: its step and field, as far as the file has them. */
function problemPath(wf: WorkflowFile, p: Problem): DataPath {
  const index = wf.data.steps.findIndex((s) => s.id === p.step);
  const base: (string | number)[] = index >= 0 ? ['steps', index] : [];
  const field = (p.field ?? '').split(/[.[\]]+/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  if (p.step === undefined && field[0] === 'dependsOn') return ['steps'];
  for (let n = field.length; n > 0; n--) {
    const path = [...base, ...field.slice(0, n)];
    if (wf.keys[JSON.stringify(path)] || wf.values[JSON.stringify(path)]) return path;
  }
  return index >= 0 ? [...base, 'id'] : base;
}
