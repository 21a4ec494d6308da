/**
 * The no-op worker every engine calls. It counts its calls so each run can be
 * checked to have executed exactly the expected number of nodes: an engine that
 * skipped work would otherwise look fast.
 */
let calls = 0;

/**
 * Resolves with its input on the next microtask; counts the call.
 *
 * @example
 * await noop({ v: 1 }); // { v: 1 }
 */
export async function noop<T>(input: T): Promise<T> {
  calls++;
  return input;
}

/**
 * Returns the call count and resets it to zero.
 *
 * @example
 * takeCalls(); await noop(1); takeCalls(); // 1
 */
export function takeCalls(): number {
  const n = calls;
  calls = 0;
  return n;
}
