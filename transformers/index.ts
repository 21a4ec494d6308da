/**
 * Floor 1: pure transformers between steps. The hub computes each worker's input with
 * `applyInput` and folds each output into `shared` with `applyOutput`.
 * `custom` exists for both directions, so it is exported as `customInput` / `customOutput`.
 */
export type { Json, JsonObject, RunContext, StepInfo, InputTransformer, OutputTransformer } from './types.ts';
export { assertJson, assertJsonSince, isJson, deepFreeze, NotJsonError } from './json.ts';
export { parsePath, formatPath, getPath, MissingDataError, type PathSegment } from './path.ts';
export { TransformError } from './errors.ts';
export { applyInput, applyOutput } from './apply.ts';
export { fromInput, fromStep, fromLast, pick, rename, mergeDeps, combine, stepOutput, custom as customInput } from './input.ts';
export { template } from './template.ts';
export { toShared, mergeIntoShared, appendTo, custom as customOutput } from './output.ts';
