import { defineWorkflow } from '../machines/index.ts';
import type { AnyWorker } from '../machines/worker.ts';
import type { TaskStepSpec, Workflow } from '../machines/definition.ts';
import type { RetryPolicyInput } from '../machines/retry.ts';
import { customInput, fromLast, type InputTransformer, type Json, type JsonObject } from '../transformers/index.ts';

export interface LinearPipelineOptions {
  description?: string;
  /**
   * `last` (default): each step gets the previous step's output (`fromLast()`).
   * `accumulate`: each step gets the run input merged with every earlier output, later
   * fields winning, so a step can use a field produced several steps back.
   */
  handoff?: 'last' | 'accumulate';
  /** Per-step input overrides, by step id. */
  inputs?: Record<string, InputTransformer>;
  /** Applied to every step, on top of each worker's own policy. */
  retry?: RetryPolicyInput;
  timeoutMs?: number;
}

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Step ids for a list of workers: the worker name made id-safe, with `-2`, `-3`...
 * when a worker appears more than once.
 *
 * @example
 * stepIds(['summarise', 'summarise', '3d.render']) // ['summarise', 'summarise-2', 's3d_render']
 */
export function stepIds(names: readonly string[]): string[] {
  const used = new Map<string, number>();
  return names.map((n) => {
    let id = n.replace(/[^A-Za-z0-9_-]/g, '_');
    if (!/^[A-Za-z]/.test(id)) id = `s${id}`;
    const k = (used.get(id) ?? 0) + 1;
    used.set(id, k);
    return k === 1 ? id : `${id}-${k}`;
  });
}

/**
 * A graph-form workflow that runs `workers` one after another: the first gets the run
 * input, each next one the previous output (or everything so far, with `handoff:
 * 'accumulate'`); any failure fails the run; the run's output is the last step's output.
 *
 * @example
 * const wf = linearPipeline('doc-stats', [readFileWorker, extractTextWorker, textStatsWorker]);
 * await run(wf, { path: 'notes.md' }); // output: { stats: {...} }
 */
export function linearPipeline(id: string, workers: readonly AnyWorker[], options: LinearPipelineOptions = {}): Workflow {
  if (!Array.isArray(workers) || workers.length === 0) throw new Error(`linearPipeline(${JSON.stringify(id)}): needs at least one worker`);
  workers.forEach((w, i) => {
    if (!w || w.kind !== 'worker') throw new Error(`linearPipeline(${JSON.stringify(id)}): workers[${i}] is not a worker made by defineWorker`);
  });
  const ids = stepIds(workers.map((w) => w.name));
  for (const key of Object.keys(options.inputs ?? {})) {
    if (!ids.includes(key)) throw new Error(`linearPipeline(${JSON.stringify(id)}): inputs.${key} names no step (steps: ${ids.join(', ')})`);
  }
  const accumulate = (i: number) =>
    customInput((ctx) => {
      const merged: JsonObject = isObject(ctx.input) ? { ...ctx.input } : {};
      for (const prev of ids.slice(0, i)) if (isObject(ctx.outputs[prev])) Object.assign(merged, ctx.outputs[prev]);
      return merged;
    });
  const steps: TaskStepSpec[] = workers.map((worker, i) => {
    const step: TaskStepSpec = { id: ids[i], worker, onSuccess: ids[i + 1] ?? 'succeeded' };
    const override = options.inputs?.[ids[i]];
    if (override) step.input = override;
    else if (i > 0) step.input = options.handoff === 'accumulate' ? accumulate(i) : fromLast();
    else if (options.handoff === 'accumulate') step.input = accumulate(0);
    if (options.retry) step.retry = options.retry;
    if (options.timeoutMs !== undefined) step.timeoutMs = options.timeoutMs;
    return step;
  });
  return defineWorkflow({
    id,
    description: options.description ?? `Linear pipeline: ${workers.map((w) => w.name).join(' -> ')}`,
    onFailure: 'failed',
    steps,
  });
}
