import type { HistoryEvent } from '../../../machines/history/events.ts';
import type { Listener } from './notify.ts';

interface Follower {
  runId: string;
  delivered: number;
  onEvent: (event: HistoryEvent) => void;
  reading: boolean;
  again: boolean;
  stopped: boolean;
}

const RETRY_MS = 1_000;

/**
 * Live tails of runs over LISTEN/NOTIFY: each commit notifies `<runId>:<lastSeq>`; a follower of
 * that run reads the events after the last one it delivered and delivers them in order. Reads of
 * one follower never overlap (a notification during a read asks for one more read), and each event
 * is delivered only when its seq is the next one, so nothing is skipped or delivered twice.
 *
 * @example
 * const followers = new Followers(listener, 'orchestai_events', (runId, after) => store.read(runId, after));
 * const stop = followers.follow(runId, 0, (e) => console.log(e.seq, e.type));
 */
export class Followers {
  private readonly byRun = new Map<string, Set<Follower>>();
  private unlisten?: () => void;

  constructor(
    private readonly listener: Listener,
    private readonly channel: string,
    private readonly readAfter: (runId: string, afterSeq: number) => Promise<HistoryEvent[]>,
  ) {}

  follow(runId: string, afterSeq: number, onEvent: (event: HistoryEvent) => void): () => void {
    this.unlisten ??= this.listen();
    const follower: Follower = { runId, delivered: afterSeq, onEvent, reading: false, again: false, stopped: false };
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(follower);
    // Read once when LISTEN is active, so a commit between the two is seen by one or the other.
    this.listener.ready().then(
      () => this.pull(follower),
      () => this.retryLater(follower),
    );
    return () => {
      follower.stopped = true;
      set.delete(follower);
      if (set.size === 0 && this.byRun.get(runId) === set) this.byRun.delete(runId);
    };
  }

  private listen(): () => void {
    const off = this.listener.on(this.channel, (payload) => {
      const colon = payload.lastIndexOf(':');
      const runId = payload.slice(0, colon);
      const lastSeq = Number(payload.slice(colon + 1));
      for (const follower of this.byRun.get(runId) ?? []) if (lastSeq > follower.delivered) this.pull(follower);
    });
    const offResync = this.listener.onResync(() => {
      for (const set of this.byRun.values()) for (const follower of set) this.pull(follower);
    });
    return () => {
      off();
      offResync();
    };
  }

  private async pull(follower: Follower): Promise<void> {
    if (follower.stopped) return;
    if (follower.reading) return void (follower.again = true);
    follower.reading = true;
    try {
      do {
        follower.again = false;
        let events: HistoryEvent[];
        try {
          events = await this.readAfter(follower.runId, follower.delivered);
        } catch {
          return this.retryLater(follower); // the database is away, or the run is not there yet
        }
        for (const event of events) {
          if (follower.stopped || event.seq !== follower.delivered + 1) break;
          follower.delivered = event.seq;
          follower.onEvent(event); // a throwing callback is the caller's bug: it surfaces, unswallowed
        }
      } while (follower.again && !follower.stopped);
    } finally {
      follower.reading = false;
    }
  }

  private retryLater(follower: Follower): void {
    if (!follower.stopped) setTimeout(() => void this.pull(follower), RETRY_MS).unref();
  }

  close(): void {
    this.unlisten?.();
    for (const set of this.byRun.values()) for (const follower of set) follower.stopped = true;
    this.byRun.clear();
  }
}
