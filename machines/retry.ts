import { z } from 'zod';

/**
 * How a step retries. Every field is visible in the compiled chart: the attempt
 * bound as the `canRetry` guard's params, the delays as the `backoff_<step>` delay.
 */
export const RetryPolicySchema = z
  .object({
    /** Total attempts including the first; 1 means no retry. */
    maxAttempts: z.number().int().min(1).max(1000).default(3),
    initialDelayMs: z.number().min(0).default(1000),
    backoffFactor: z.number().min(1).default(2),
    maxDelayMs: z.number().min(0).default(60_000),
    /** Spread delays by up to +/-50%; the spread is derived from the run seed so replay sees the same delay. */
    jitter: z.boolean().default(false),
    /** Error names that fail the step at once, whatever the attempt count. */
    nonRetryable: z.array(z.string()).default([]),
  })
  .strict();

export type RetryPolicy = z.infer<typeof RetryPolicySchema>;
export type RetryPolicyInput = z.input<typeof RetryPolicySchema>;

export const NO_RETRY: RetryPolicy = RetryPolicySchema.parse({ maxAttempts: 1 });

/**
 * The wait before attempt `attempt + 1`, after attempt `attempt` failed.
 * Pure: jitter comes from `seed`, so a replay computes the same number.
 *
 * @example
 * backoffDelay(RetryPolicySchema.parse({ initialDelayMs: 100 }), 2, 0) // 200
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, seed: number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.backoffFactor ** (attempt - 1));
  if (!policy.jitter) return Math.round(base);
  const spread = unitHash(seed, attempt) - 0.5; // in [-0.5, 0.5)
  return Math.max(0, Math.round(base * (1 + spread)));
}

/**
 * A deterministic number in [0, 1) from two integers (a 32-bit mix, not crypto).
 *
 * @example
 * unitHash(7, 1) === unitHash(7, 1) // true
 */
export function unitHash(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * A stable 32-bit hash of a string (FNV-1a).
 *
 * @example
 * hashString('coder') // the same number in every process
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
