import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { HistoryStore } from '../history/store.ts';

/**
 * A run's events as Server-Sent Events: each event is `id: <seq>` and `data: <event JSON>`,
 * starting after sequence number N (`?after=N`, or the `Last-Event-ID` header a reconnecting
 * `EventSource` sends). While the run is live the history is followed (read again every
 * `pollMs`; a run queued by the server is waited for); the stream ends after `run.finished`, or, for a run no process holds any more,
 * with an `interrupted` event (`orchestai resume` continues such a run; reconnect after it).
 */

export interface SseOptions {
  /** How often a live run's history is read again; default 100 ms. */
  pollMs?: number;
  /** Whether a run without a history yet is waiting to start (queued by the server): the stream waits for it. */
  isPending?: (runId: string) => boolean;
}

/**
 * Where a client resumes: `?after=` wins over `Last-Event-ID`; anything not a non-negative
 * integer counts as 0.
 *
 * @example
 * resumeAfter('7', undefined); // 7
 * resumeAfter(undefined, '12'); // 12
 */
export function resumeAfter(after: string | undefined, lastEventId: string | undefined): number {
  const raw = after ?? lastEventId ?? '0';
  return /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : 0;
}

/**
 * Streams the events of `runId` after `after` (the run must exist: check before calling).
 *
 * @example
 * return streamRunEvents(c, store, runId, resumeAfter(c.req.query('after'), c.req.header('last-event-id')));
 */
export function streamRunEvents(c: Context, store: Pick<HistoryStore, 'read' | 'ownerOf' | 'exists'>, runId: string, after: number, options: SseOptions = {}): Response {
  const pollMs = options.pollMs ?? 100;
  return streamSSE(c, async (stream) => {
    let sent = after;
    while (!stream.aborted && !stream.closed) {
      if (!store.exists(runId)) {
        if (!options.isPending?.(runId)) return; // dropped from the queue (the server is stopping)
        await stream.sleep(pollMs);
        continue;
      }
      const events = store.read(runId);
      for (const e of events) {
        if (e.seq <= sent) continue;
        await stream.writeSSE({ id: String(e.seq), data: JSON.stringify(e) });
        sent = e.seq;
      }
      if (events.some((e) => e.type === 'run.finished')) return;
      // Read the owner after the events: a run that finished in between shows its end on the next turn.
      if (!store.ownerOf(runId)?.alive && !store.read(runId).some((e) => e.type === 'run.finished' && e.seq > sent)) {
        await stream.writeSSE({ event: 'interrupted', data: JSON.stringify({ runId, lastSeq: sent }) });
        return;
      }
      await stream.sleep(pollMs);
    }
  });
}
