import http from 'node:http';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { RunBrowser } from '../history/run-store.ts';
import { createServerMetrics } from '../server/metrics.ts';
import { listen } from '../ui/server.ts';

export interface HubMetrics {
  /** Feed it the events the hub records (`startHub({ onEvent })`). */
  observe(runId: string, event: HistoryEvent): void;
  url: string;
  close(): Promise<void>;
}

/**
 * Prometheus metrics of a hub at `GET /metrics`: its runs' step durations and costs by worker, the
 * store's runs by status, and the attempts waiting in the queue. A hub runs the steps of the
 * scale-out path, so these are where they are measured; the server's /metrics counts the runs.
 * node:http rather than the API's framework: one read-only route needs no routing or auth (bind it
 * to a private address).
 *
 * @example
 * const metrics = await serveHubMetrics({ store, queueDepth: async () => 0, port: 9464 });
 * startHub({ store, workflows, onEvent: metrics.observe });
 */
export async function serveHubMetrics(o: { store: Pick<RunBrowser, 'listRuns'>; queueDepth: () => Promise<number>; port: number; host?: string }): Promise<HubMetrics> {
  const metrics = createServerMetrics(o.store, o.queueDepth, 'Attempts waiting for or running in a worker process (BullMQ queues), all workers.');
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end('not found: GET /metrics\n');
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (e) => res.writeHead(500).end(`metrics failed: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  const host = o.host ?? '127.0.0.1';
  const port = await listen(server, o.port, host);
  return {
    observe: (runId, event) => metrics.observe(runId, event),
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
