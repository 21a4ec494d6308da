import type { ErrorInfo } from '../../machines/history/events.ts';
import type { AttemptResult } from '../runtime/attempt.ts';

/**
 * Turning what BullMQ reports about a job into the `AttemptResult` the hub expects. Failures
 * are data: a job that failed in the queue, vanished, or returned something unexpected becomes
 * `{ ok: false, error }` naming the worker and the job, never a thrown error or a hang.
 */

/**
 * The AttemptResult a worker process stored as the job's return value (JSON text or parsed).
 *
 * @example
 * resultOfReturnValue('{"ok":true,"output":1,"durationMs":3}', 'w', 'r/a/1') // { ok: true, output: 1, durationMs: 3 }
 */
export function resultOfReturnValue(value: unknown, worker: string, jobId: string): AttemptResult {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      /* judged below */
    }
  }
  const r = v as Partial<AttemptResult> | null;
  if (r && typeof r === 'object' && r.ok === true && 'output' in r) return r as AttemptResult;
  if (r && typeof r === 'object' && r.ok === false && r.error && typeof r.error.message === 'string') return r as AttemptResult;
  return queueFailure(worker, jobId, `the worker process returned something that is not an attempt result (${preview(value)})`);
}

/**
 * A job that failed inside BullMQ (its processor threw, or it stalled too often): retryable, since
 * another attempt may land on a healthy worker.
 *
 * @example
 * queueFailure('summarize', 'r1/a/1', 'job stalled more than allowable limit')
 */
export function queueFailure(worker: string, jobId: string, reason: string): AttemptResult {
  const error: ErrorInfo = { name: 'QueueJobError', message: `worker ${JSON.stringify(worker)}, job ${jobId}: ${reason}`, retryable: true };
  return { ok: false, error, durationMs: 0, aborted: false };
}

/**
 * What an aborted attempt resolves to; a late result of the worker process is ignored.
 *
 * @example
 * abortedResult(signal, 12)
 */
export function abortedResult(signal: AbortSignal, durationMs: number): AttemptResult {
  const reason = signal.reason as Error | string | undefined;
  const message = String((reason as Error)?.message ?? reason ?? 'aborted');
  return { ok: false, error: { name: 'AbortError', message, retryable: false }, durationMs, aborted: true };
}

function preview(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
