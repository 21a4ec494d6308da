import type { ControlChannel } from '../history/control.ts';

/**
 * One watch per control channel in a process, dispatching to the runs this process holds: a
 * process with 10,000 live runs has one watcher, not 10,000. The watch starts with the first run
 * and then stays (one inotify handle, an unref'd timer): runs started one after another would
 * otherwise set up and tear down a watcher each.
 */
export class ControlHub {
  private static readonly hubs = new WeakMap<ControlChannel, ControlHub>();
  private readonly handlers = new Map<string, () => void>();
  private unwatch: (() => void) | undefined;
  /**
   * Held while this process has live runs: a run that waits only for a request from another
   * process (a cancel, say) has nothing else keeping the process alive, and must not end with it.
   */
  private keepAlive: NodeJS.Timeout | undefined;

  private constructor(private readonly channel: ControlChannel) {}

  /**
   * The hub of a channel.
   *
   * @example
   * const stop = ControlHub.of(store.control).register(runId, () => applyRequests());
   */
  static of(channel: ControlChannel): ControlHub {
    let hub = ControlHub.hubs.get(channel);
    if (!hub) ControlHub.hubs.set(channel, (hub = new ControlHub(channel)));
    return hub;
  }

  /** Calls `onRequests` whenever requests arrive for `runId`; returns the unregister. */
  register(runId: string, onRequests: () => void): () => void {
    this.handlers.set(runId, onRequests);
    this.unwatch ??= this.channel.watch(() => this.handlers.keys(), (id) => this.handlers.get(id)?.());
    this.keepAlive ??= setInterval(() => {}, 1 << 30);
    return () => {
      if (this.handlers.get(runId) === onRequests) this.handlers.delete(runId);
      if (this.handlers.size === 0 && this.keepAlive) {
        clearInterval(this.keepAlive);
        this.keepAlive = undefined;
      }
    };
  }
}
