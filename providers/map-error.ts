import type { Scrubber } from '../transformers/secrets.ts';
import { isRetryableStatus, LlmError, LlmRejectedError } from './errors.ts';
import type { ResolvedModel } from './model.ts';
import { retryAfterMs } from './retry.ts';

/**
 * AI SDK errors as orchestai's: a status that another request may fix (408, 409, 429, 5xx) or
 * a network failure is an `LlmError`, anything else an `LlmRejectedError`. The message says
 * which endpoint answered what, scrubbed of every key (an endpoint may echo the key in its 401
 * body); the SDK's error is not kept as `cause`, since it holds the unscrubbed body.
 */

/** Names of AI SDK errors for answers that are not the provider's format (a proxy's HTML page, say). */
const MALFORMED = new Set(['AI_InvalidResponseDataError', 'AI_JSONParseError', 'AI_TypeValidationError', 'AI_EmptyResponseBodyError', 'AI_NoContentGeneratedError']);

/** The fields of the AI SDK's `APICallError` read here (matched by name: the SDK is loaded lazily). */
interface ApiCallError extends Error {
  url: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  isRetryable: boolean;
}

const isApiCallError = (e: unknown): e is ApiCallError => e instanceof Error && e.name === 'AI_APICallError';

/** The failure's cause text, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
function causeOf(e: Error): string {
  const cause = e.cause as Error | undefined;
  const deeper = cause?.cause as Error | undefined;
  return [cause?.message, deeper?.message].filter(Boolean).join(': ');
}

/** `e` as an Error: a stream's `error` part may be the API's own error object (Anthropic's `{ type, message }`). */
function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  const fields = typeof e === 'object' && e !== null ? (e as { type?: unknown; message?: unknown }) : {};
  if (typeof fields.message !== 'string') return new Error(String(e));
  return new Error(typeof fields.type === 'string' ? `${fields.type}: ${fields.message}` : fields.message);
}

/**
 * The orchestai error for what a call threw.
 *
 * @example
 * toLlmError(apiCallError, resolved, scrubber) // LlmRejectedError: LLM endpoint http://…/v1/chat/completions answered 401: …
 */
export function toLlmError(e: unknown, r: ResolvedModel, scrubber: Scrubber): LlmError {
  // Scrub before cutting: a key cut in half no longer matches its value.
  const clean = (text: string, max = Infinity) => scrubber.scrub(scrubber.scrub(text).slice(0, max));
  if (isApiCallError(e)) {
    const url = `${e.url}${r.query ? `?${r.query}` : ''}`;
    if (e.statusCode === undefined) {
      const why = causeOf(e) || e.message;
      return new LlmError(clean(`LLM endpoint ${url} unreachable: ${why}`), null, e.isRetryable);
    }
    const body = e.responseBody ?? e.message;
    const message = clean(`LLM endpoint ${url} answered ${e.statusCode}${body ? `: ${clean(body, 200)}` : ''}`);
    const retryable = isRetryableStatus(e.statusCode);
    const error = retryable ? new LlmError(message, e.statusCode, true) : new LlmRejectedError(message, e.statusCode);
    const wait = retryAfterMs(e.responseHeaders);
    if (wait !== undefined) error.retryAfterMs = wait;
    return error;
  }
  const err = asError(e);
  if (MALFORMED.has(err.name)) return new LlmRejectedError(clean(`LLM ${r.provider} endpoint answered with something that is not its API's format: ${err.message}`, 300), null);
  if (err.name === 'AI_LoadAPIKeyError') return new LlmRejectedError(clean(`LLM ${r.provider}: ${err.message}`), null);
  // A stream that broke midway (an `error` event, a dropped connection) may well work next time,
  // unless the SDK knows better.
  const retryable = (err as { isRetryable?: unknown }).isRetryable !== false;
  const message = clean(`LLM ${r.provider} call failed: ${err.message}`, 300);
  return retryable ? new LlmError(message, null, true) : new LlmRejectedError(message, null);
}
