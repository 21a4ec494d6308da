import { preview } from '../util/preview.ts';
import type { ErrorInfo } from '../../machines/history/events.ts';

/**
 * Turns anything thrown into the recorded error shape. Errors are retryable unless
 * they say otherwise (`retryable: false`), because most worker failures in AI
 * systems (rate limits, flaky models, malformed output) are transient.
 *
 * @example
 * toErrorInfo(new TypeError('x')) // { name: 'TypeError', message: 'x', retryable: true }
 */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message, retryable: (e as any).retryable !== false };
  return { name: 'Error', message: typeof e === 'string' ? e : JSON.stringify(e) ?? String(e), retryable: true };
}

/** A worker's output failed its schema: names the worker, the field and the value. */
export class OutputValidationError extends Error {
  readonly retryable = true;
  constructor(worker: string, field: string, value: unknown, reason: string) {
    super(`worker ${JSON.stringify(worker)} returned an invalid output: field ${field || '(root)'} = ${preview(value)}: ${reason}`);
    this.name = 'OutputValidationError';
  }
}

/** A worker's input (from its input transformer) failed the worker's schema; retrying cannot help. */
export class InputValidationError extends Error {
  readonly retryable = false;
  constructor(worker: string, step: string, field: string, value: unknown, reason: string) {
    super(`step ${JSON.stringify(step)}: input for worker ${JSON.stringify(worker)} is invalid: field ${field || '(root)'} = ${preview(value)}: ${reason}`);
    this.name = 'InputValidationError';
  }
}

/**
 * A routed step's attempt could not start: the router failed, or chose a worker that is not one
 * of the step's candidates. Not retryable: asking the same router again gives the same answer.
 */
export class RouteError extends Error {
  readonly retryable = false;
  constructor(step: string, attempt: number, reason: string) {
    super(`step ${JSON.stringify(step)}, attempt ${attempt}: ${reason}`);
    this.name = 'RouteError';
  }
}
