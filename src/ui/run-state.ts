import type { HistoryEvent } from '../../machines/history/events.ts';
import { stateAt } from '../replay.ts';
import { historyStateAt, type ViewState } from './state.ts';
import type { WorkflowResolver } from './workflows.ts';

/**
 * The state of a run at an event, for the scrubber: replayed through the run's workflow when it
 * can be loaded and still matches the record, otherwise read from the recorded transitions with
 * a note saying why.
 */

export type RunStarted = Extract<HistoryEvent, { type: 'run.started' }>;

/**
 * The run's first event, which names its workflow and input.
 *
 * @example
 * runStarted(events).workflowId; // 'build-website'
 */
export function runStarted(events: HistoryEvent[]): RunStarted {
  return events[0] as RunStarted;
}

/**
 * The run's state after event `seq` (0 = before anything happened).
 *
 * @example
 * const s = await runStateAt(resolver, events, 12);
 * s.via; // 'replay' | 'history'
 */
export async function runStateAt(resolver: WorkflowResolver, events: HistoryEvent[], seq: number): Promise<ViewState & { note?: string }> {
  const first = runStarted(events);
  if (seq < 1) return historyStateAt(events, 0);
  let workflow;
  try {
    workflow = (await resolver.resolve(first.workflowId, first.source)).workflow;
  } catch (e: any) {
    return { ...historyStateAt(events, seq), note: `workflow unavailable (${e?.message ?? e}): state read from recorded transitions` };
  }
  const s = stateAt(events, workflow, seq);
  if (!s.ok) {
    // The definition changed since the run: show what was recorded and say why.
    return { ...historyStateAt(events, seq), note: `replay diverged (${s.divergence?.message}): state read from recorded transitions` };
  }
  return {
    seq: Math.min(seq, events.length),
    active: s.active,
    context: s.context,
    status: s.status,
    via: 'replay',
    ...(s.definitionChanged ? { note: 'the workflow definition changed since this run; the replay still matches the record' } : {}),
  };
}

/**
 * The steps waiting for an approval at the end of a history, for the page's Approve / Reject
 * buttons: a step whose approval timer was set (`timer.set` with purpose `approval`) and that
 * has no `approval.received` since, nor a fired (timed out) or cancelled timer; or a step whose
 * `awaiting` state is active (an approval without a timeout sets no timer). None once the run
 * has finished or was cancelled.
 *
 * @example
 * waitingApprovals(events); // ['review']
 */
export function waitingApprovals(events: readonly HistoryEvent[]): string[] {
  const byTimer = new Map<string, string>(); // step -> its approval timer
  let awaiting = new Set<string>();
  for (const e of events) {
    switch (e.type) {
      case 'timer.set':
        if (e.purpose === 'approval' && e.step) byTimer.set(e.step, e.id);
        break;
      case 'timer.fired':
      case 'timer.cancelled':
        for (const [step, id] of byTimer) {
          if (id !== e.id) continue;
          byTimer.delete(step);
          awaiting.delete(step);
        }
        break;
      case 'approval.received':
        byTimer.delete(e.step);
        awaiting.delete(e.step);
        break;
      case 'transition':
        awaiting = new Set(e.to.filter((p) => p.endsWith('.awaiting')).map((p) => p.slice(0, -'.awaiting'.length).split('.').at(-1)!));
        break;
      case 'run.finished':
      case 'run.cancelled':
        return [];
      default:
        break;
    }
  }
  return [...new Set([...byTimer.keys(), ...awaiting])];
}

/**
 * Whether the run can still be cancelled: it has not finished and no cancellation is recorded.
 *
 * @example
 * isCancellable(events); // true while it runs (or waits to be resumed)
 */
export function isCancellable(events: readonly HistoryEvent[]): boolean {
  return !events.some((e) => e.type === 'run.finished' || e.type === 'run.cancelled');
}
