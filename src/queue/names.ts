/**
 * Names hub and worker processes agree on: queue per worker, job id per attempt, the cancel
 * stream, the BullMQ priority of a run. Both sides import these, so they cannot drift apart.
 */

/** Key prefix of everything orchestai keeps in Redis, unless a caller names another. */
export const DEFAULT_PREFIX = 'orchestai';

/** BullMQ's highest priority number (2^21); 1 runs first. */
const MAX_PRIORITY = 2 ** 21;

/**
 * The BullMQ queue of a worker: its name with anything but letters, digits, `.`, `_` and `-`
 * replaced (BullMQ keys use `:` as separator).
 *
 * @example
 * queueName('summarize') // 'summarize'
 */
export function queueName(worker: string): string {
  return worker.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The job id of one attempt: the same (run, step, attempt) is always the same job, so a second hub
 * re-launching an in-flight attempt joins it instead of running it again. Each part is URI-encoded
 * (no `:`, and `/` cannot occur inside a part), so distinct attempts never share an id.
 *
 * @example
 * attemptJobId({ runId: 'r1', step: 'a:b', attempt: 2 }) // 'r1/a%3Ab/2'
 */
export function attemptJobId(a: { runId: string; step: string; attempt: number }): string {
  return [a.runId, a.step, String(a.attempt)].map(encodeURIComponent).join('/');
}

/**
 * A run's priority (lower first, any number; none is 0) as a BullMQ priority, 1..2^21. Every job
 * gets one, so jobs with and without a run priority share one ordering (FIFO within a priority).
 *
 * @example
 * bullPriority(undefined) // 1
 * bullPriority(10) // 11
 */
export function bullPriority(priority: number | undefined): number {
  const p = Number.isFinite(priority) ? Math.round(priority!) : 0;
  return Math.min(MAX_PRIORITY, Math.max(1, p + 1));
}

/** The stream a hub writes cancellations of active jobs to; every pool reads it. */
export const cancelStreamKey = (prefix: string) => `${prefix}:_cancel`;

/** Where the results cache keeps one output. Worker names cannot start with `_`, so no queue key collides. */
export const cacheKey = (prefix: string, digest: string) => `${prefix}:_cache:${digest}`;
