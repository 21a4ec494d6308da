import { backoffDelay, hashString, type RetryPolicy } from '../../machines/retry.ts';
import type { Group } from '../../machines/compile.ts';
import type { ErrorInfo } from '../../machines/history/events.ts';

/** What to do after a group member's attempt failed. */
export type MemberFailure = { kind: 'retry'; timerId: string; delayMs: number } | { kind: 'fail'; error: ErrorInfo };

/**
 * Bookkeeping and decisions for wide fan-outs that the compiler turned into one group state:
 * which members are still open, each member's attempt count, and whether a failed member
 * retries (by its own policy, with the same seeded backoff a step state would use) or fails
 * the group. Pure: the engine records and executes what it decides.
 *
 * @example
 * const groups = new GroupRuns(compiled.groups, (s) => policy, seed);
 * for (const m of groups.start('group_m0')) launch(m, groups.nextAttempt('group_m0', m));
 */
export class GroupRuns {
  private readonly open = new Map<string, { remaining: Set<string>; attempts: Map<string, number> }>();

  constructor(
    private readonly groups: ReadonlyMap<string, Group>,
    private readonly policyOf: (step: string) => RetryPolicy,
    private readonly seed: number,
  ) {}

  /** Opens a group; returns its members, to be launched. */
  start(groupId: string): readonly string[] {
    const group = this.groups.get(groupId)!;
    this.open.set(groupId, { remaining: new Set(group.members), attempts: new Map() });
    return group.members;
  }

  has(groupId: string): boolean {
    return this.open.has(groupId);
  }

  /** Counts and returns the member's next attempt number. */
  nextAttempt(groupId: string, step: string): number {
    const run = this.open.get(groupId)!;
    const attempt = (run.attempts.get(step) ?? 0) + 1;
    run.attempts.set(step, attempt);
    return attempt;
  }

  /** Closes a group early; returns the members that were still open. */
  stop(groupId: string): string[] {
    const run = this.open.get(groupId);
    this.open.delete(groupId);
    return run ? [...run.remaining] : [];
  }

  /** Marks a member done; true when it was the group's last. */
  succeeded(groupId: string, step: string): boolean {
    const run = this.open.get(groupId);
    if (!run) return false;
    run.remaining.delete(step);
    if (run.remaining.size > 0) return false;
    this.open.delete(groupId);
    return true;
  }

  failed(groupId: string, step: string, attempt: number, error: ErrorInfo): MemberFailure {
    const policy = this.policyOf(step);
    if (error.retryable && !policy.nonRetryable.includes(error.name) && attempt < policy.maxAttempts) {
      return { kind: 'retry', timerId: `retry.${groupId}.${step}.${attempt}`, delayMs: backoffDelay(policy, attempt, this.seed ^ hashString(step)) };
    }
    return { kind: 'fail', error: { ...error, message: `member ${JSON.stringify(step)}: ${error.message}` } };
  }
}
