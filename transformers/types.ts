/**
 * The data a run carries between steps. The hub owns it; workers never see it,
 * they only see what an input transformer computes from it.
 *
 * Outputs are kept per step (append-only, one slot per step id) so that folding a
 * new output costs O(1) however long the run is; `shared` is the reducer-style
 * state that output transformers fold into with immer.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type JsonObject = { [key: string]: Json };

export interface RunContext {
  /** The run's initial input, as given to `run(workflow, input)`. */
  readonly input: Json;
  /** The latest successful output of each step that has completed, by step id. */
  readonly outputs: Readonly<Record<string, Json>>;
  /** Shared data folded in by output transformers. */
  readonly shared: Readonly<JsonObject>;
  /** Id of the step that succeeded most recently (graph form's default hand-off), if any. */
  readonly last?: string;
}

/** What a transformer knows about the step it serves. */
export interface StepInfo {
  readonly id: string;
  /** Steps this one depends on (DAG form), or the steps that can precede it (graph form). */
  readonly dependsOn: readonly string[];
}

/** Computes a worker's input from the run's context. Must be pure and deterministic. */
export type InputTransformer<I = unknown> = (ctx: RunContext, step: StepInfo) => I;

/**
 * Folds a worker's output into `shared`. Receives an immer draft: mutate it, or
 * return a replacement object. Must be pure and deterministic.
 */
export type OutputTransformer<O = unknown> = (
  shared: JsonObject,
  output: O,
  ctx: RunContext & { readonly step: StepInfo },
) => void | JsonObject;
