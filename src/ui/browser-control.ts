import { randomBytes } from 'node:crypto';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { ControlRequest } from '../history/control.ts';
import type { RunBrowser } from '../history/run-store.ts';
import { ControlError, waitingApprovals, type ControlOutcome } from '../operations/control.ts';
import type { RunControl } from './context.ts';

/**
 * Approve, reject and cancel through any store's `RunBrowser`, with the checks of `orchestai
 * approve` / `cancel` (operations/control.ts): the request must fit the run's history, it is
 * recorded durably (`sendControl`), and when a live holder has the run (this server's own
 * process, another process, or a hub) the answer waits briefly until the history shows the
 * request applied (`live`); otherwise it waits for the run's next holder (`queued`).
 */

/** A `RunControl` whose answers also name the request sent. */
export interface BrowserControl extends RunControl {
  approve(...args: Parameters<RunControl['approve']>): Promise<ControlOutcome>;
  cancel(...args: Parameters<RunControl['cancel']>): Promise<ControlOutcome>;
}

/** How long a sender waits to see a live run apply its request (holders apply within a second). */
const DELIVERY_WAIT_MS = 2_500;

/**
 * The run control of a store.
 *
 * @example
 * const control = browserControl(asRunBrowser(createJsonlStore()));
 * await control.approve(runId, 'publish', { approved: true, by: 'ana' }); // { delivered: 'live', requestId: 'req-…' }
 */
export function browserControl(browser: RunBrowser, options: { deliveryWaitMs?: number } = {}): BrowserControl {
  const waitMs = options.deliveryWaitMs ?? DELIVERY_WAIT_MS;
  return {
    async approve(runId, step, decision) {
      const events = await unfinishedHistory(browser, runId);
      const waiting = waitingApprovals(events);
      if (!waiting.includes(step)) {
        throw new ControlError(`step ${JSON.stringify(step)} of run ${runId} is not waiting for an approval${waiting.length ? `; waiting: ${waiting.join(', ')}` : '; no step is waiting'}`);
      }
      const request: ControlRequest = { type: 'approve', id: requestId(), t: Date.now(), step, approved: decision.approved, ...(decision.by ? { by: decision.by } : {}), ...(decision.comment ? { comment: decision.comment } : {}) };
      return send(browser, runId, events, request, waitMs);
    },
    async cancel(runId, request) {
      const events = await unfinishedHistory(browser, runId);
      return send(browser, runId, events, { type: 'cancel', id: requestId(), t: Date.now(), ...(request.reason ? { reason: request.reason } : {}), ...(request.by ? { by: request.by } : {}) }, waitMs);
    },
  };
}

async function unfinishedHistory(browser: RunBrowser, runId: string): Promise<HistoryEvent[]> {
  if (!(await browser.exists(runId))) throw new ControlError(`unknown run ${JSON.stringify(runId)} in ${browser.location}`);
  const events = await browser.read(runId);
  const finished = events.findLast((e) => e.type === 'run.finished');
  if (finished?.type === 'run.finished') throw new ControlError(`run ${runId} already finished (${finished.status})`);
  return events;
}

const requestId = () => `req-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/** Whether an event is the run applying this request. */
const applies = (e: HistoryEvent, id: string) => (e.type === 'approval.received' || e.type === 'run.cancelled') && e.requestId === id;

async function send(browser: RunBrowser, runId: string, events: readonly HistoryEvent[], request: ControlRequest, waitMs: number): Promise<ControlOutcome> {
  // The holder is read before sending: a live run can apply the request and finish (giving the
  // run up) before this process looks again.
  const holder = await browser.holderOf(runId);
  if (!holder?.alive) {
    await browser.sendControl(runId, request);
    return { delivered: 'queued', requestId: request.id };
  }
  // Followed from the history's end as read, before sending, so the applying event cannot be missed.
  let stop = () => {};
  let timer: NodeJS.Timeout | undefined;
  const applied = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), waitMs);
    stop = browser.follow(runId, events.at(-1)?.seq ?? 0, (e) => {
      if (!applies(e, request.id)) return;
      clearTimeout(timer);
      resolve(true);
    });
  });
  try {
    await browser.sendControl(runId, request);
    return { delivered: (await applied) ? 'live' : 'queued', requestId: request.id };
  } finally {
    clearTimeout(timer);
    stop();
  }
}
