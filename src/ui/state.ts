import type { HistoryEvent } from '../../machines/history/events.ts';

/**
 * The state of a run as of event `seq`, read from the history alone: the active leaves come
 * from the last `transition` event, the context from the step results recorded so far.
 * The viewer uses the engine's `stateAt` (a real replay) when it can load the workflow, and
 * this when it cannot (module moved, workflow changed): a recorded run stays viewable.
 */
export interface ViewState {
  seq: number;
  active: string[];
  context: unknown;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** `replay` = computed by the engine's `stateAt`; `history` = read from recorded events. */
  via: 'replay' | 'history';
}

/**
 * Reads the state as of `seq` (clamped to the history) from recorded events.
 *
 * @example
 * historyStateAt(events, 5); // { seq: 5, active: ['fetch.running'], context: { input, outputs: {}, ... }, status: 'running', via: 'history' }
 */
export function historyStateAt(history: readonly HistoryEvent[], seq: number): ViewState {
  const upto = Math.max(0, Math.min(seq, history.length));
  let active: string[] = [];
  let status: ViewState['status'] = 'running';
  let input: unknown;
  const outputs: Record<string, unknown> = {};
  let last: unknown;
  let error: unknown = null;
  for (let i = 0; i < upto; i++) {
    const e = history[i];
    if (e.type === 'run.started') input = e.input;
    else if (e.type === 'transition') active = e.to;
    else if (e.type === 'step.succeeded') {
      outputs[e.step] = e.output;
      last = e.output;
    } else if (e.type === 'step.failed') error = { step: e.step, ...e.error };
    else if (e.type === 'run.finished') status = e.status;
    else if (e.type === 'run.cancelled') status = 'cancelled';
  }
  return { seq: upto, active, context: { input, outputs, last, error }, status, via: 'history' };
}
