import type { TokenUsage } from './prices.ts';

/**
 * The errors of an LLM call. Retry policies match error names, so the names say what another
 * attempt can do: `LlmRejectedError` (a bad key, a bad request, an unknown model: never retried),
 * `LlmError` (rate limits, server errors, network errors and timeouts, once the client's own
 * retries are spent: worth another attempt later), `LlmOutputError` (the model answered, but not
 * with what the schema asks). Every message is scrubbed of the key before the error is made.
 */

/**
 * An HTTP, network or protocol failure of the provider.
 *
 * @example
 * new LlmError('answered 400', 400, false).name // 'LlmRejectedError'
 */
export class LlmError extends Error {
  /** The wait the server asked for (`retry-after-ms` / `retry-after`), when it did. */
  retryAfterMs?: number;
  constructor(message: string, readonly status: number | null, readonly retryable: boolean) {
    super(message);
    this.name = retryable ? 'LlmError' : 'LlmRejectedError';
  }
}

/**
 * A failure another attempt cannot fix: 400, 401, 403, 404, 422, a missing key, a malformed URL.
 *
 * @example
 * new LlmRejectedError('answered 401', 401) instanceof LlmError // true
 */
export class LlmRejectedError extends LlmError {
  constructor(message: string, status: number | null) {
    super(message, status, false);
  }
}

/**
 * The model's reply is not JSON, or not the shape the schema asks for; `problems` lists why
 * (`path: message`), `text` is the reply. Retryable: a model may answer better next time.
 *
 * @example
 * err.problems // ['nodes: Invalid input: expected array, received undefined']
 */
export class LlmOutputError extends LlmError {
  constructor(
    readonly problems: string[],
    readonly text: string,
    /** What the reply took, so a failed attempt is still paid for. */
    readonly usage?: TokenUsage,
    readonly cost?: number | null,
  ) {
    super(`the model's reply does not match the schema: ${problems.join('; ')}`, null, true);
    this.name = 'LlmOutputError';
  }
}

/** HTTP statuses worth another request: timeout, conflict, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
