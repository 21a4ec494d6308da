import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { RunBrowser } from '../history/run-store.ts';

/**
 * A run's events as Server-Sent Events: each event is `id: <seq>` and `data: <event JSON>`,
 * starting after sequence number N (`?after=N`, or the `Last-Event-ID` header a reconnecting
 * `EventSource` sends). While the run is live its history is followed (`RunBrowser.follow`: the
 * file watched and polled for JSONL, NOTIFY for PostgreSQL); a run queued by the server, or
 * submitted to a database store and not started by a hub yet, is waited for. The stream ends
 * after `run.finished`, or, for a started run no process holds any more, with an `interrupted`
 * event (`orchestai resume`, or another hub, continues such a run; reconnect after it).
 */

export interface SseOptions {
  /** How often a run queued by this server is looked for; default 100 ms. */
  pollMs?: number;
  /** After this long without an event, whether anyone still holds the run is checked; default `pollMs` for JSONL, 1 s for other stores. */
  livenessMs?: number;
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
 * Streams the events of `runId` after `after` (the run must exist or be pending: check before calling).
 *
 * @example
 * return streamRunEvents(c, browser, runId, resumeAfter(c.req.query('after'), c.req.header('last-event-id')));
 */
export function streamRunEvents(c: Context, browser: RunBrowser, runId: string, after: number, options: SseOptions = {}): Response {
  const pollMs = options.pollMs ?? 100;
  const livenessMs = options.livenessMs ?? (browser.kind === 'jsonl' ? pollMs : Math.max(pollMs, 1000));
  return streamSSE(c, async (stream) => {
    while (!(await browser.exists(runId))) {
      if (!options.isPending?.(runId) || stream.aborted || stream.closed) return; // dropped from the queue (the server is stopping)
      await stream.sleep(pollMs);
    }
    await relay(stream, browser, runId, after, livenessMs);
  });
}

/** Sends the followed events in order, each once, until the run ends, is found abandoned, or the client goes. */
async function relay(stream: SSEStreamingApi, browser: RunBrowser, runId: string, after: number, livenessMs: number): Promise<void> {
  const inbox: HistoryEvent[] = [];
  let wake: (() => void) | undefined;
  const stop = browser.follow(runId, after, (e) => {
    inbox.push(e);
    wake?.();
  });
  stream.onAbort(() => wake?.());
  let sent = after;
  /** Sends an event not sent yet; true once the run has finished. */
  const send = async (e: HistoryEvent) => {
    if (e.seq <= sent) return false;
    await stream.writeSSE({ id: String(e.seq), data: JSON.stringify(e) });
    sent = e.seq;
    return e.type === 'run.finished';
  };
  const nap = () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => ((wake = undefined), resolve(false)), livenessMs);
      wake = () => ((wake = undefined), clearTimeout(timer), resolve(true));
    });
  try {
    while (!stream.aborted && !stream.closed) {
      if (inbox.length) {
        if (await send(inbox.shift()!)) return;
        continue;
      }
      if (await nap()) continue;
      // Quiet for a while: the holder is read before the events, so a run that ended in between shows its end.
      if ((await browser.holderOf(runId))?.alive) continue;
      // From the last event sent: a run that had already finished when the client asked has nothing more to send.
      const tail = await browser.read(runId, Math.max(0, sent - 1));
      for (const e of tail) if (await send(e)) return;
      if (tail.at(-1)?.type === 'run.finished') return;
      if (tail.length === 0 && (await browser.read(runId)).length === 0) continue; // submitted, no hub has started it yet
      await stream.writeSSE({ event: 'interrupted', data: JSON.stringify({ runId, lastSeq: sent }) });
      return;
    }
  } finally {
    stop();
  }
}
