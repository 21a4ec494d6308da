/**
 * SIGTERM and SIGINT while the CLI holds runs: the first one interrupts them (each history records
 * why, the runs are released and `orchestai resume` continues them later); a second one exits at
 * once, as a user pressing Ctrl-C twice expects. Returns the signal to pass as `interruptSignal`
 * and the cleanup.
 *
 * @example
 * const stop = onStopSignals((s) => io.err(`${s}: interrupting`));
 * try { await run(workflow, input, { interruptSignal: stop.signal }); } finally { stop.dispose(); }
 */
export function onStopSignals(onFirst: (signal: NodeJS.Signals) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    onFirst(signal);
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/**
 * Resolves at the first SIGINT or SIGTERM: how a serving command (`ui`, `server`) waits before
 * closing cleanly so its port is freed.
 *
 * @example
 * await untilStopSignal(); await server.close();
 */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The exit code of a run the CLI ended: 0 succeeded, 130 cancelled or interrupted, 1 otherwise. */
export const exitCodeOf = (status: string): number => (status === 'succeeded' ? 0 : status === 'cancelled' || status === 'interrupted' ? 130 : 1);
