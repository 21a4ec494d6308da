/**
 * A transformer failed for a step. The hub turns it into a failure of `step`; the
 * message always starts with the step id and the phase, so a log line alone says where.
 */
export class TransformError extends Error {
  override name = 'TransformError';
  constructor(
    /** Id of the step whose transformer failed. */
    readonly step: string,
    readonly phase: 'input' | 'output',
    /** What went wrong, without the step prefix. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`step "${step}": ${phase} transformer: ${reason}`, options);
  }
}

/** The message of anything thrown, for use inside another error's message. */
export function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : `threw a non-Error value: ${String(e)}`;
}
