import { randomBytes } from 'node:crypto';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { ControlRequest } from '../history/control.ts';
import type { HistoryStore } from '../history/store.ts';

/**
 * Steering a run from outside its process (the CLI's approve and cancel, the viewer's buttons):
 * check the request against the run's history, record it durably, and if the run's owner is alive
 * wait briefly until its history shows it applied.
 */

/** A request that cannot apply to the run as recorded; the message says why. */
export class ControlError extends Error {
  override name = 'ControlError';
}

/** Where a request went: applied by the live run (`live`), or waiting for a resume (`queued`). */
export interface ControlOutcome {
  delivered: 'live' | 'queued';
  requestId: string;
  /** The owner when the run is live. */
  owner?: { pid: number; host: string };
}

/**
 * The approval steps waiting for a decision as of a history's end: an approval timer set for the
 * step and no decision, cancellation or end after it.
 *
 * @example
 * waitingApprovals(store.read(runId)) // ['publish']
 */
export function waitingApprovals(events: readonly HistoryEvent[]): string[] {
  const waiting = new Map<string, string>(); // step -> approval timer id
  for (const e of events) {
    if (e.type === 'timer.set' && e.purpose === 'approval' && e.step) waiting.set(e.step, e.id);
    else if (e.type === 'approval.received') waiting.delete(e.step);
    else if (e.type === 'run.finished' || e.type === 'run.cancelled') waiting.clear();
    else if (e.type === 'timer.fired' || e.type === 'timer.cancelled') {
      for (const [step, id] of waiting) if (id === e.id) waiting.delete(step);
    }
  }
  return [...waiting.keys()];
}

/** How long a sender waits to see a live run apply its request (the owner applies within a second). */
const DELIVERY_WAIT_MS = 2_500;

/**
 * Approves or rejects a waiting approval step.
 *
 * @example
 * const { delivered } = await approveRun(store, runId, 'publish', { approved: true, by: 'ana', comment: 'ok' });
 */
export async function approveRun(store: HistoryStore, runId: string, step: string, decision: { approved: boolean; by?: string; comment?: string }): Promise<ControlOutcome> {
  const events = unfinishedHistory(store, runId);
  const waiting = waitingApprovals(events);
  if (!waiting.includes(step)) {
    throw new ControlError(`step ${JSON.stringify(step)} of run ${runId} is not waiting for an approval${waiting.length ? `; waiting: ${waiting.join(', ')}` : '; no step is waiting'}`);
  }
  return send(store, runId, { type: 'approve', id: requestId(), t: Date.now(), step, approved: decision.approved, ...(decision.by ? { by: decision.by } : {}), ...(decision.comment ? { comment: decision.comment } : {}) });
}

/**
 * Cancels an unfinished run.
 *
 * @example
 * await cancelRun(store, runId, { reason: 'wrong input', by: 'ops' });
 */
export async function cancelRun(store: HistoryStore, runId: string, request: { reason?: string; by?: string } = {}): Promise<ControlOutcome> {
  unfinishedHistory(store, runId);
  return send(store, runId, { type: 'cancel', id: requestId(), t: Date.now(), ...(request.reason ? { reason: request.reason } : {}), ...(request.by ? { by: request.by } : {}) });
}

function unfinishedHistory(store: HistoryStore, runId: string): HistoryEvent[] {
  if (!store.exists(runId)) throw new ControlError(`unknown run ${JSON.stringify(runId)} in ${store.root}`);
  const events = store.read(runId);
  const finished = events.findLast((e) => e.type === 'run.finished');
  if (finished?.type === 'run.finished') throw new ControlError(`run ${runId} already finished (${finished.status})`);
  return events;
}

const requestId = () => `req-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

async function send(store: HistoryStore, runId: string, request: ControlRequest): Promise<ControlOutcome> {
  // The owner is read before sending: a live run can apply the request and finish (releasing its
  // lock) before this process looks again.
  const owner = store.ownerOf(runId);
  store.control.send(runId, request);
  if (!owner?.alive) return { delivered: 'queued', requestId: request.id };
  const applied = await waitUntil(() => store.read(runId).some((e) => (e.type === 'approval.received' || e.type === 'run.cancelled') && e.requestId === request.id), DELIVERY_WAIT_MS);
  return { delivered: applied ? 'live' : 'queued', requestId: request.id, owner: { pid: owner.pid, host: owner.host } };
}

async function waitUntil(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (pred()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The viewer's buttons use the same checks and channel as the CLI.
 *
 * @example
 * await startUiServer({ store, control: runControl(store) });
 */
export function runControl(store: HistoryStore) {
  return {
    approve: (runId: string, step: string, decision: { approved: boolean; by?: string; comment?: string }) => approveRun(store, runId, step, decision),
    cancel: (runId: string, request: { reason?: string; by?: string }) => cancelRun(store, runId, request),
  };
}
