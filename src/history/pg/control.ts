import type { ControlChannel, ControlRequest } from '../control.ts';
import type { Listener } from './notify.ts';

/**
 * Control requests as the live engine reads them: synchronously, from a cache. The cache holds the
 * requests of the runs this process drives (loaded when it claims one) and LISTEN keeps it up to
 * date: a request sent from anywhere (`sendControl` notifies `<schema>_control` with the run id)
 * is read back into the cache, then the watcher is told, within a round trip.
 *
 * @example
 * const control = store.controlChannel();
 * const stop = control.watch(() => heldRuns, (runId) => engineOf(runId).applyRequests(control.requests(runId)));
 */
export class ControlCache {
  private readonly cache = new Map<string, ControlRequest[]>();

  constructor(
    private readonly listener: Listener,
    private readonly channelName: string,
    private readonly load: (runId: string) => Promise<ControlRequest[]>,
    private readonly store: (runId: string, request: ControlRequest) => Promise<void>,
  ) {}

  /** Remembers a run's requests (read at claim). Requests only accumulate, so a shorter list (an older read) never replaces a longer one. */
  set(runId: string, requests: ControlRequest[]): void {
    const known = this.cache.get(runId);
    if (!known || requests.length >= known.length) this.cache.set(runId, requests);
  }

  /** Drops a run given up or finished. */
  forget(runId: string): void {
    this.cache.delete(runId);
  }

  /** Reads a run's requests into the cache; true when there are new ones. */
  async refresh(runId: string): Promise<boolean> {
    const before = this.cache.get(runId)?.length ?? 0;
    this.set(runId, await this.load(runId));
    return (this.cache.get(runId)?.length ?? 0) > before;
  }

  /**
   * The synchronous channel over this cache. `send` records the request in the cache at once and
   * stores it in the background; a failure goes to `onError` (default: a process warning).
   */
  channel(onError: (error: Error) => void = (e) => process.emitWarning(e.message, 'OrchestaiControl')): ControlChannel {
    return {
      send: (runId, request) => {
        const known = this.cache.get(runId);
        if (known && !known.some((r) => r.id === request.id)) this.cache.set(runId, [...known, request]);
        this.store(runId, request).catch((e: Error) => onError(new Error(`control request ${request.id} to run ${runId} was not stored: ${e.message}`)));
      },
      requests: (runId) => this.cache.get(runId) ?? [],
      watch: (interest, onRequest) => this.watch(interest, onRequest, onError),
    };
  }

  private watch(interest: () => Iterable<string>, onRequest: (runId: string) => void, onError: (error: Error) => void): () => void {
    let stopped = false;
    const check = (runId: string, always: boolean) =>
      this.refresh(runId).then(
        (fresh) => {
          if (!stopped && (fresh || always)) onRequest(runId);
        },
        (e: Error) => onError(new Error(`cannot read the control requests of run ${runId}: ${e.message}`)),
      );
    const off = this.listener.on(this.channelName, (runId) => {
      if (new Set(interest()).has(runId)) void check(runId, true);
    });
    // Requests sent before the watch began, or while the connection was away, are reported too;
    // the receiver skips those it already applied (their ids are in the history).
    const everything = () => {
      for (const runId of interest()) if (!stopped) void check(runId, (this.cache.get(runId)?.length ?? 0) > 0);
    };
    const offResync = this.listener.onResync(everything);
    this.listener.ready().then(everything, () => undefined);
    return () => {
      stopped = true;
      off();
      offResync();
    };
  }
}
