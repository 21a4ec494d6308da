import type { Listener } from './notify.ts';

/**
 * Wakes hubs when there is work nobody holds. Two sources: the `<schema>_orphans` notification
 * (a run submitted, or given up by a hub stopping or closing its writer), and, because a hub that
 * dies sends nothing, a look every `pollMs` for unfinished runs whose lease expired (or that a
 * lost notification left unheld). The look is one indexed EXISTS for the whole store, whatever the
 * number of subscribers; subscribers are called while such runs exist, so a hub at capacity is
 * reminded until it takes them.
 *
 * @example
 * const watch = new OrphanWatch(listener, 'orchestai_orphans', 5_000, () => anyOrphan());
 * const off = watch.on(() => void hub.takeWork());
 */
export class OrphanWatch {
  private readonly subscribers = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private unlisten?: () => void;

  constructor(
    private readonly listener: Listener,
    private readonly channel: string,
    private readonly pollMs: number,
    private readonly anyOrphan: () => Promise<boolean>,
  ) {}

  on(onOrphan: () => void): () => void {
    this.subscribers.add(onOrphan);
    this.start();
    return () => {
      this.subscribers.delete(onOrphan);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  close(): void {
    this.subscribers.clear();
    this.stop();
  }

  private start(): void {
    if (this.unlisten) return;
    const offNotify = this.listener.on(this.channel, () => this.wake());
    const offResync = this.listener.onResync(() => this.wake());
    this.timer = setInterval(() => void this.look(), this.pollMs);
    this.timer.unref();
    this.unlisten = () => {
      offNotify();
      offResync();
    };
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unlisten?.();
    this.unlisten = undefined;
  }

  private async look(): Promise<void> {
    try {
      if (await this.anyOrphan()) this.wake();
    } catch {
      /* the database is away: the next look tries again */
    }
  }

  private wake(): void {
    for (const subscriber of [...this.subscribers]) subscriber();
  }
}
