import type { Workflow } from '../machines/index.ts';
import { systemClock } from './clock.ts';
import { compiledOf } from './compiled.ts';
import type { EventOf, HistoryEvent, NewHistoryEvent } from '../machines/history/events.ts';
import { createJsonlStore } from './history/jsonl-store.ts';
import type { Durability, HistoryStore } from './history/store.ts';
import { replay } from './replay.ts';
import { LiveRun, type RunResult } from './runtime/live.ts';
import { redactorFor, type RunOptions } from './run.ts';

/** The recorded path and the current definition disagree, so the run cannot continue safely. */
export class DivergenceError extends Error {
  constructor(readonly runId: string, readonly detail: string) {
    super(`run ${runId} cannot resume: ${detail}`);
    this.name = 'DivergenceError';
  }
}

/**
 * Continues a run after its process died: replays the history (no worker runs again),
 * then goes on live. Completed steps are never re-run; an attempt that was in flight
 * runs again (at-least-once); backoff and approval timers keep their remaining time.
 * A finished run returns its recorded result.
 *
 * @example
 * const result = await resume(runId, { workflow });
 */
export async function resume(
  runId: string,
  options: Omit<RunOptions, 'runId' | 'source' | 'instruction'> & { workflow: Workflow; store?: HistoryStore; durability?: Durability; onWarning?: (m: string) => void },
): Promise<RunResult & { resumed: boolean }> {
  const store = options.store ?? createJsonlStore();
  const { events, writer } = store.reopen(runId, options.durability, { onWarning: options.onWarning });
  const redactor = redactorFor(options.workflow, options.redact);
  // A decision the killed writer did not record is made now, by this run's router.
  const replayed = replay(events, options.workflow, { tail: true, redactor, router: options.router });
  if (!replayed.ok) {
    writer.close();
    throw new DivergenceError(runId, replayed.divergence!.message);
  }
  // Events the killed writer did not get to write (a torn run.finished, say) are recorded now.
  const written: HistoryEvent[] = [];
  for (const draft of replayed.tail ?? []) {
    const event = { ...draft, t: (options.clock ?? systemClock).now() } as NewHistoryEvent;
    written.push(writer.append(redactor ? redactor.redactEvent(event) : event));
  }
  writer.flush();
  const finished = [...events, ...(replayed.tail ?? [])].findLast((e) => e.type === 'run.finished') as EventOf<'run.finished'> | undefined;
  if (finished) {
    writer.close();
    return { runId, status: finished.status, final: finished.final, output: finished.output as any, error: finished.error, cost: finished.cost, durationMs: finished.durationMs, context: replayed.context, resumed: false };
  }
  const live = new LiveRun(compiledOf(options.workflow), runId, writer, { clock: options.clock ?? systemClock, signal: options.signal, concurrency: options.concurrency, inspect: options.inspect, onEvent: options.onEvent, onApprovalRequested: options.onApprovalRequested, control: store.control, interruptSignal: options.interruptSignal, redactor, resumed: true, router: options.router }, replayed.engine);
  return { ...(await live.resume([...events, ...written])), resumed: true };
}
