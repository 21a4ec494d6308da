import type { Workflow } from '../machines/index.ts';
import { systemClock } from './clock.ts';
import { compiledOf } from './compiled.ts';
import type { EventOf, HistoryEvent, NewHistoryEvent } from '../machines/history/events.ts';
import { createJsonlStore } from './history/jsonl-store.ts';
import type { Durability, HistoryStore, HistoryWriter } from './history/store.ts';
import type { ControlChannel } from './history/control.ts';
import type { AttemptExecutor } from './runtime/attempt.ts';
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
  options: ResumeOptions & { store?: HistoryStore; durability?: Durability; onWarning?: (m: string) => void },
): Promise<RunResult & { resumed: boolean }> {
  const store = options.store ?? createJsonlStore();
  const { events, writer } = store.reopen(runId, options.durability, { onWarning: options.onWarning });
  return continueRun(runId, events, writer, { ...options, control: store.control });
}

export type ResumeOptions = Omit<RunOptions, 'runId' | 'source' | 'instruction' | 'store'> & { workflow: Workflow };

/**
 * Continues a run from its recorded events with a writer that appends after them (any store's):
 * replays the events, records what the killed writer did not, then goes on live.
 *
 * @example
 * const { events, writer } = store.reopen(runId);
 * const result = await continueRun(runId, events, writer, { workflow, control: store.control });
 */
export async function continueRun(
  runId: string,
  events: HistoryEvent[],
  writer: HistoryWriter,
  options: ResumeOptions & { control?: ControlChannel; execute?: AttemptExecutor; priority?: number },
): Promise<RunResult & { resumed: boolean }> {
  const redactor = redactorFor(options.workflow, options.redact);
  // A decision the killed writer did not record is made now, by this run's router.
  const replayed = replay(events, options.workflow, { tail: true, redactor, router: options.router });
  if (!replayed.ok) {
    await writer.close();
    throw new DivergenceError(runId, replayed.divergence!.message);
  }
  // Events the killed writer did not get to write (a torn run.finished, say) are recorded now.
  const written: HistoryEvent[] = [];
  for (const draft of replayed.tail ?? []) {
    const event = { ...draft, t: (options.clock ?? systemClock).now() } as NewHistoryEvent;
    written.push(writer.append(redactor ? redactor.redactEvent(event) : event));
  }
  await writer.flush();
  const finished = [...events, ...(replayed.tail ?? [])].findLast((e) => e.type === 'run.finished') as EventOf<'run.finished'> | undefined;
  if (finished) {
    await writer.close();
    return { runId, status: finished.status, final: finished.final, output: finished.output as any, error: finished.error, cost: finished.cost, durationMs: finished.durationMs, context: replayed.context, resumed: false };
  }
  const live = new LiveRun(compiledOf(options.workflow), runId, writer, { clock: options.clock ?? systemClock, signal: options.signal, concurrency: options.concurrency, inspect: options.inspect, onEvent: options.onEvent, onApprovalRequested: options.onApprovalRequested, control: options.control, interruptSignal: options.interruptSignal, redactor, resumed: true, router: options.router, execute: options.execute, priority: options.priority }, replayed.engine);
  return { ...(await live.resume([...events, ...written])), resumed: true };
}
