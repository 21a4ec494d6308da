import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Workflow } from '../../machines/index.ts';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { Json } from '../../transformers/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import { compiledOf } from '../compiled.ts';
import type { ControlChannel } from '../history/control.ts';
import type { ClaimedRun, RunStore } from '../history/run-store.ts';
import { continueRun } from '../resume.ts';
import { redactorFor } from '../run.ts';
import type { AttemptExecutor } from '../runtime/attempt.ts';
import { LiveRun, type RunResult } from '../runtime/live.ts';

export interface HubOptions {
  store: RunStore;
  /** The workflows this hub can drive, by id; a run of another workflow is left to other hubs. */
  workflows: Iterable<Workflow>;
  /** Carries out attempts; default: in this process. A queue executor hands them to `orchestai worker` processes. */
  execute?: AttemptExecutor;
  /** Requests from other processes (approve, cancel); default: the store's channel. */
  control?: ControlChannel;
  /** At most this many runs driven at once; default 1,000. */
  maxRuns?: number;
  /** How often leases are renewed; default 1 s (the store's lease must be several times longer). */
  renewMs?: number;
  /** How often the store is asked for runs to take, besides its notifications; default 1 s. */
  pollMs?: number;
  /** This hub's name in the runs table; default `hub-<host>-<pid>-<random>`. */
  holder?: string;
  clock?: Clock;
  /** Told every event this hub records (for metrics, logs). */
  onEvent?: (runId: string, event: HistoryEvent) => void;
  /** Told each run this hub ends, interrupts or gives up. */
  onRunEnded?: (runId: string, outcome: RunResult | { status: 'abandoned'; error: string }) => void;
}

export interface Hub {
  readonly holder: string;
  /** The ids of the runs this hub drives now. */
  held(): string[];
  /** Interrupts every run it drives (recorded; another hub continues them at once) and stops. */
  stop(): Promise<void>;
}

/**
 * Starts a hub: it takes runs nobody holds (submitted, or left by a hub that died once its lease
 * expired), drives each with the deterministic engine, renews their leases, and gives up a run
 * whose lease it lost. A run already started continues through replay, then live: completed steps
 * never run again, timers keep their remaining time.
 *
 * @example
 * const hub = startHub({ store: await createPgStore(url), workflows: [article], execute: queue.execute });
 * // … on SIGTERM:
 * await hub.stop();
 */
export function startHub(options: HubOptions): Hub {
  const holder = options.holder ?? `hub-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const workflows = new Map([...options.workflows].map((w) => [w.id, w]));
  const maxRuns = options.maxRuns ?? 1000;
  const control = options.control ?? options.store.controlChannel?.();
  const driving = new Map<string, AbortController>();
  /** Runs this hub cannot drive (unknown workflow, divergent history): left to other hubs, not retried here. */
  const refused = new Set<string>();
  let stopping = false;
  let filling: Promise<void> | undefined;
  let again = false;

  const fill = (): void => {
    if (stopping) return;
    if (filling) return void (again = true);
    filling = takeRuns()
      .catch((e) => void process.stderr.write(`hub ${holder}: could not take runs: ${message(e)}\n`))
      .finally(() => {
        filling = undefined;
        if (again && !stopping) (again = false), fill();
      });
  };

  const takeRuns = async (): Promise<void> => {
    while (!stopping && driving.size < maxRuns) {
      const ids = (await options.store.orphans(maxRuns - driving.size + refused.size)).filter((id) => !refused.has(id) && !driving.has(id));
      if (ids.length === 0) return;
      let took = 0;
      for (const id of ids) {
        if (stopping || driving.size >= maxRuns) return;
        const claimed = await options.store.claim(id, holder);
        if (claimed) took++, drive(id, claimed);
      }
      if (took === 0) return; // other hubs were faster: wait for the next notification
    }
  };

  const drive = (runId: string, claimed: ClaimedRun): void => {
    const workflow = workflows.get(claimed.meta.workflowId);
    if (!workflow) return giveUp(runId, claimed, `this hub has no workflow ${JSON.stringify(claimed.meta.workflowId)}`);
    const interrupt = new AbortController();
    driving.set(runId, interrupt);
    start(runId, claimed, workflow, interrupt.signal).then(
      (result) => ended(runId, result),
      (e) => {
        // A run this hub could not go on with (a divergent history, a failed write) is left to
        // other hubs rather than taken again here at once; a lost lease means another hub has it.
        if ((e as Error)?.name !== 'LeaseLostError') {
          refused.add(runId);
          process.stderr.write(`hub ${holder}: gave up run ${runId}: ${message(e)}\n`);
        }
        ended(runId, { status: 'abandoned', error: message(e) });
      },
    );
  };

  const start = (runId: string, claimed: ClaimedRun, workflow: Workflow, interruptSignal: AbortSignal): Promise<RunResult> => {
    const clock = options.clock ?? systemClock;
    const onEvent = options.onEvent && ((e: HistoryEvent) => options.onEvent!(runId, e));
    const common = { clock, control, execute: options.execute, priority: claimed.meta.priority, interruptSignal, onEvent };
    if (claimed.events.length > 0) return continueRun(runId, claimed.events, claimed.writer, { workflow, ...common });
    const live = new LiveRun(compiledOf(workflow), runId, claimed.writer, { ...common, redactor: redactorFor(workflow, undefined, claimed.input) });
    return live.start(claimed.input as Json, { source: claimed.meta.source, instruction: claimed.meta.instruction });
  };

  const giveUp = (runId: string, claimed: ClaimedRun, why: string): void => {
    refused.add(runId);
    process.stderr.write(`hub ${holder}: left run ${runId} to other hubs: ${why}\n`);
    Promise.resolve(claimed.writer.close())
      .then(() => options.store.release(holder, [runId]))
      .catch(() => {});
  };

  const ended = (runId: string, outcome: RunResult | { status: 'abandoned'; error: string }): void => {
    driving.delete(runId);
    options.onRunEnded?.(runId, outcome);
    fill();
  };

  const renew = async (): Promise<void> => {
    if (driving.size === 0) return;
    const lost = await options.store.renew(holder, [...driving.keys()]);
    for (const id of lost) driving.get(id)?.abort(new Error(`hub ${holder} lost the lease of run ${id}`));
  };

  const unsubscribe = options.store.onOrphan(fill);
  const poll = setInterval(fill, options.pollMs ?? 1000);
  const renewal = setInterval(() => renew().catch((e) => process.stderr.write(`hub ${holder}: lease renewal failed: ${message(e)}\n`)), options.renewMs ?? 1000);
  fill();

  return {
    holder,
    held: () => [...driving.keys()],
    async stop() {
      stopping = true;
      clearInterval(poll);
      clearInterval(renewal);
      unsubscribe();
      await filling;
      const ids = [...driving.keys()];
      for (const c of driving.values()) c.abort(new Error(`hub ${holder} is stopping`));
      // Interrupted runs settle once their last events commit; then others may take them at once.
      while (driving.size > 0) await new Promise((r) => setTimeout(r, 10));
      await options.store.release(holder, ids);
    },
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
