import { Immer } from 'immer';
import { TransformError, reasonOf } from './errors.ts';
import { assertJson, assertJsonSince } from './json.ts';
import type { InputTransformer, Json, JsonObject, OutputTransformer, RunContext, StepInfo } from './types.ts';

/**
 * Our own immer instance, so a global `setAutoFreeze(false)` elsewhere cannot turn off
 * the guarantee that every `shared` we hand out is deeply frozen. Strict iteration off
 * (immer 11's default): JSON objects have no symbol or non-enumerable keys to copy.
 */
const immer = new Immer({ autoFreeze: true });

/**
 * Runs an input transformer and checks that what it computed is JSON. Anything thrown
 * becomes a `TransformError` whose message starts `step "<id>": input transformer:`.
 *
 * @example
 * applyInput(fromStep('research', 'notes'), ctx, { id: 'write', dependsOn: ['research'] });
 */
export function applyInput<I = Json>(transformer: InputTransformer<I>, ctx: RunContext, step: StepInfo): I & Json {
  try {
    const value = transformer(ctx, step);
    assertJson(value, 'input');
    return value as I & Json;
  } catch (e) {
    // A nested `custom` transformer already said which step it was; don't say it twice.
    if (e instanceof TransformError && e.step === step.id && e.phase === 'input') throw e;
    throw new TransformError(step.id, 'input', reasonOf(e), { cause: e });
  }
}

/**
 * Folds a step's output into `shared` with immer: the transformer may mutate its draft
 * or return a replacement object. The previous `shared` is never changed; the result is
 * checked to be a JSON object and is deeply frozen. No transformer: `shared` unchanged.
 * `shared` itself is trusted to be JSON ({} or an earlier result of `applyOutput`): only
 * what the transformer changed is checked, so a step costs its change, not `shared`'s size.
 *
 * @example
 * const next = applyOutput(appendTo('drafts'), shared, { text: 'v2' }, { ...ctx, step });
 */
export function applyOutput<O = Json>(
  transformer: OutputTransformer<O> | undefined,
  shared: JsonObject,
  output: O,
  ctx: RunContext & { readonly step: StepInfo },
): JsonObject {
  if (!transformer) return shared;
  const fail = (reason: string, cause?: unknown) => new TransformError(ctx.step.id, 'output', reason, { cause });
  let next: unknown;
  let returned = false;
  try {
    next = immer.produce(shared, (draft: JsonObject) => {
      const result = transformer(draft, output, ctx);
      returned = result !== undefined && result !== draft;
      return result;
    });
  } catch (e) {
    // Immer's own wording for this is a minified code when NODE_ENV=production.
    const both = returned && e instanceof Error && e.message.startsWith('[Immer]');
    throw fail(both ? 'it both changed its draft and returned a new object; do one or the other' : reasonOf(e), e);
  }
  if (next === null || typeof next !== 'object' || Array.isArray(next)) {
    throw fail(`shared must stay a plain object, but the transformer made it ${Array.isArray(next) ? 'an array' : String(next)}`);
  }
  try {
    assertJsonSince(next, shared, 'shared');
  } catch (e) {
    throw fail(reasonOf(e), e);
  }
  return next as JsonObject;
}
