/**
 * Retries with exponential backoff that respect the server's `retry-after-ms` / `retry-after`.
 * Done here rather than by the AI SDK (which honours those headers too) because the SDK's first
 * delay is fixed at 2 s: a project cannot tune it, and tests would wait seconds per retry.
 */

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First delay, doubled on each retry. */
  initialDelayMs: number;
  /** A server asking for a longer wait than this is not retried: the error is thrown at once. */
  maxDelayMs: number;
  /** Cancels the waits (and, through the attempt, the requests). */
  signal?: AbortSignal;
}

/** What an attempt's failure tells the loop. */
export interface RetryVerdict {
  retryable: boolean;
  /** The wait the server asked for, in ms. */
  retryAfterMs?: number;
}

/**
 * The wait a response asks for: `retry-after-ms` (milliseconds, OpenAI), else `retry-after`
 * (seconds or an HTTP date). Undefined when neither is there or readable.
 *
 * @example
 * retryAfterMs({ 'retry-after': '2' }) // 2000
 */
export function retryAfterMs(headers: Record<string, string | undefined> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after']?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, the retries are spent, or the
 * server asks for a wait longer than `maxDelayMs`; then throws the last failure. `judge` maps a
 * failure to a verdict. An abort of `signal` ends the loop with its reason.
 *
 * @example
 * await withRetries((n) => callOnce(n), (e) => ({ retryable: e.status === 429 }), { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 60_000 });
 */
export async function withRetries<T>(attempt: (index: number) => Promise<T>, judge: (error: unknown) => RetryVerdict, options: RetryOptions): Promise<T> {
  let delay = options.initialDelayMs;
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const verdict = judge(error);
      if (!verdict.retryable || index >= options.maxRetries) throw error;
      const asked = verdict.retryAfterMs;
      if (asked !== undefined && asked > options.maxDelayMs) throw error;
      await wait(asked ?? delay, options.signal);
      delay *= 2;
    }
  }
}
