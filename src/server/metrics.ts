import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { RunBrowser } from '../history/run-store.ts';
import { RUN_STATUSES } from '../history/store.ts';

/**
 * The server's Prometheus metrics, on a registry of its own (never prom-client's global one, so
 * an embedder's metrics and several servers in one process do not collide):
 * - `orchestai_runs{status}`: runs in the store by status, counted at each scrape;
 * - `orchestai_step_duration_seconds{worker,outcome}`: attempts of the runs this server started;
 * - `orchestai_worker_cost_total{worker}`: what those attempts cost;
 * - `orchestai_queue_depth`: runs accepted by `POST /api/runs` and waiting for a run slot (or, on
 *   a shared store, for a hub).
 */

export interface ServerMetrics {
  registry: Registry;
  /** Feeds the step metrics from a run's events (the `onEvent` of the runs this server starts). */
  observe(runId: string, event: HistoryEvent): void;
  /** The text a scrape gets. */
  text(): Promise<string>;
}

/** At most this many runs are read per scrape, so a huge store cannot make a scrape slow. */
const SCRAPE_LIMIT = 10_000;

/**
 * The metrics of a store, with the queue depth read from `queueDepth`.
 *
 * @example
 * const metrics = createServerMetrics(asRunBrowser(store), () => launcher.depth());
 * startRun(workflow, input, { store, runId, onEvent: (e) => metrics.observe(runId, e) });
 * await metrics.text(); // '# HELP orchestai_runs …'
 */
export function createServerMetrics(store: Pick<RunBrowser, 'listRuns'>, queueDepth: () => Promise<number>, depthHelp = 'Runs accepted by POST /api/runs that wait for a run slot of this server (on a shared store: for a hub).'): ServerMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'orchestai_runs',
    help: `Runs in the history store by status (the newest ${SCRAPE_LIMIT} at most).`,
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = new Map<string, number>(RUN_STATUSES.map((s) => [s, 0]));
      for (const r of (await store.listRuns({ limit: SCRAPE_LIMIT })).runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });
  const duration = new Histogram({
    name: 'orchestai_step_duration_seconds',
    help: 'Duration of step attempts of the runs this server started, by worker and outcome.',
    labelNames: ['worker', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const cost = new Counter({ name: 'orchestai_worker_cost_total', help: 'Cost reported by step attempts of the runs this server started, by worker.', labelNames: ['worker'], registers: [registry] });
  new Gauge({
    name: 'orchestai_queue_depth',
    help: depthHelp,
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });

  // The worker of an attempt is named in its step.started only.
  const workerOf = new Map<string, string>();
  const key = (runId: string, e: { step: string; attempt: number }) => `${runId}\u0000${e.step}\u0000${e.attempt}`;
  return {
    registry,
    observe(runId, event) {
      if (event.type === 'step.started') workerOf.set(key(runId, event), event.worker);
      else if (event.type === 'step.succeeded' || event.type === 'step.failed') {
        const worker = workerOf.get(key(runId, event)) ?? 'unknown';
        workerOf.delete(key(runId, event));
        duration.observe({ worker, outcome: event.type === 'step.succeeded' ? 'succeeded' : 'failed' }, event.durationMs / 1000);
        if (event.cost) cost.inc({ worker }, event.cost);
      } else if (event.type === 'run.finished' || event.type === 'run.interrupted') {
        // Attempts cut off by the end of the run never report: forget them.
        for (const k of workerOf.keys()) if (k.startsWith(`${runId}\u0000`)) workerOf.delete(k);
      }
    },
    text: () => registry.metrics(),
  };
}
