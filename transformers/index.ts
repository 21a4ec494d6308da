/**
 * `orchestai/transformers`: the pure functions between steps. Input transformers compute a
 * worker's input from the run's context; output transformers fold its output into `shared`.
 * `custom` exists for both directions, so it is exported as `customInput` / `customOutput`.
 */
export type { Json, JsonObject, RunContext, StepInfo, InputTransformer, OutputTransformer } from './types.ts';
export { fromInput, fromStep, fromLast, pick, rename, mergeDeps, combine, custom as customInput } from './input.ts';
export { template } from './template.ts';
export { toShared, mergeIntoShared, appendTo, custom as customOutput } from './output.ts';
export { TransformError } from './errors.ts';
export { MissingDataError } from './path.ts';
export { NotJsonError } from './json.ts';
export { describeTransformer, type TransformerDescription } from './describe.ts';
