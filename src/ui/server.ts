import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { HistoryEvent } from '../history/events.ts';
import type { HistoryStore } from '../history/store.ts';
import { buildTimeline, renderTimelineSvg } from '../viz/timeline.ts';
import { warmUpLayout } from '../viz/layout.ts';
import { isLoopbackHost, requestToken, tokenMatches, TOKEN_COOKIE } from './auth.ts';
import { errorPage, shellPage } from './pages.ts';
import { historyStateAt, type ViewState } from './state.ts';
import { WorkflowResolver, type WorkflowRegistry } from './workflows.ts';
import { loadPlanner } from './load-planner.ts';
import { stateAt } from '../replay.ts';
import { planView } from './plan.ts';

/**
 * The local viewer: a node:http server that serves the page (static files from this package,
 * nothing from a CDN) and a small JSON/SVG API over a history store. Charts are laid out on
 * the server with elkjs and sent as SVG, so the page needs no layout code.
 */

export interface UiServerOptions {
  /** What to show (only reads are used: `listRuns`, `read`, `exists`, `pathOf`). */
  store: Pick<HistoryStore, 'root' | 'listRuns' | 'read' | 'exists' | 'pathOf'>;
  /** 0 picks a free port. Default 4400. */
  port?: number;
  host?: string;
  /** Required when `host` is not a loopback address; checked on every request when set. */
  token?: string;
  /** Workflows to resolve by name besides the built-ins (tests, embedders). */
  workflows?: WorkflowRegistry;
  /** Base for relative module paths recorded in `run.started.source`. */
  cwd?: string;
}

export interface UiServer {
  /** The page URL (with `?token=` when a token is set). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
};

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(404, 'No such run', `"${part}" is not a run id.`);
  }
}

class HttpError extends Error {
  constructor(readonly status: number, readonly title: string, message: string, readonly extra: { file?: string; line?: number } = {}) {
    super(message);
  }
}

/**
 * Starts the viewer.
 *
 * @example
 * const ui = await startUiServer({ store: createJsonlStore(), port: 0 });
 * console.log(ui.url); // http://127.0.0.1:43121/
 * await ui.close();
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const { store, token } = options;
  if (!isLoopbackHost(host) && !token) {
    throw new Error(`refusing to serve run histories on ${host} without a token: pass --token <secret> (or bind to 127.0.0.1)`);
  }
  if (token !== undefined && token.length < 8) throw new Error('the UI token must be at least 8 characters');
  const resolver = new WorkflowResolver({ extra: options.workflows, cwd: options.cwd });
  warmUpLayout().catch(() => undefined); // a failure here shows up, with its message, on the first chart
  const planner = await loadPlanner();
  const cache = new Map<string, { mtimeMs: number; size: number; events: HistoryEvent[] }>();

  const readRun = (runId: string): { events: HistoryEvent[]; file: string } => {
    let file: string;
    try {
      file = store.pathOf(runId);
    } catch {
      throw new HttpError(404, 'No such run', `"${runId}" is not a run id.`);
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      if (!store.exists(runId)) throw new HttpError(404, 'No such run', `There is no run "${runId}" in ${store.root}.`);
      return { events: store.read(runId), file };
    }
    const hit = cache.get(runId);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return { events: hit.events, file };
    let events: HistoryEvent[];
    try {
      events = store.read(runId);
    } catch (e: any) {
      if (typeof e?.line === 'number') {
        throw new HttpError(422, 'History cannot be read', String(e.message), { file: e.file ?? file, line: e.line });
      }
      throw new HttpError(500, 'History cannot be read', `${file}: ${e?.message ?? e}`, { file });
    }
    if (events.length === 0) throw new HttpError(422, 'History is empty', `${file} has no events.`, { file, line: 1 });
    cache.set(runId, { mtimeMs: st.mtimeMs, size: st.size, events });
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
    return { events, file };
  };

  const started = (events: HistoryEvent[]) => events[0] as Extract<HistoryEvent, { type: 'run.started' }>;

  const stateOf = async (events: HistoryEvent[], seq: number): Promise<ViewState & { note?: string }> => {
    const first = started(events);
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
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
      res.end(body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    const p = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'only GET is served' });

    if (token === undefined) {
      // Open on loopback only: refuse other Host names so a web page cannot reach this server
      // through DNS rebinding (its requests would carry the attacker's host name).
      const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopbackHost(hostName)) return send(403, 'text/plain; charset=utf-8', `Host ${JSON.stringify(hostName)} is not a loopback name; use http://127.0.0.1:<port>/ or start with --token`);
    } else {
      if (!tokenMatches(token, requestToken(req, url))) {
        if (p.startsWith('/api/')) return json(401, { error: 'missing or wrong token' });
        return send(401, 'text/html; charset=utf-8', errorPage(401, 'Token required', 'Open the URL printed by `orchestai ui`, which carries ?token=…'));
      }
    }
    const cookie: Record<string, string> =
      token !== undefined && url.searchParams.get('token') ? { 'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/` } : {};

    if (p === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (ASSETS[p]) {
      const file = new URL(`./assets/${p.slice('/assets/'.length)}`, import.meta.url);
      return send(200, ASSETS[p], fs.readFileSync(file));
    }
    if (p === '/' || p === '/plan') {
      return send(200, 'text/html; charset=utf-8', shellPage({ storeRoot: store.root, planner: !!planner }), cookie);
    }
    const runPage = /^\/runs\/([^/]+)$/.exec(p);
    if (runPage) {
      const runId = decodePart(runPage[1]);
      readRun(runId); // 404 / 422 pages come from here, before any script runs
      return send(200, 'text/html; charset=utf-8', shellPage({ storeRoot: store.root, runId, planner: !!planner }), cookie);
    }
    if (p === '/api/meta') return json(200, { storeRoot: store.root, planner: !!planner });
    if (p === '/api/runs') {
      const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) | 0);
      const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 50) | 0));
      const t = performance.now();
      const page = store.listRuns({ offset, limit });
      return json(200, { ...page, offset, limit, elapsedMs: Math.round((performance.now() - t) * 10) / 10 });
    }
    const api = /^\/api\/runs\/([^/]+)(?:\/([a-z.]+))?$/.exec(p);
    if (api) {
      const runId = decodePart(api[1]);
      const what = api[2] ?? '';
      const { events, file } = readRun(runId);
      const first = started(events);
      const seqParam = url.searchParams.get('seq');
      const seq = seqParam === null ? events.length : Math.max(0, Math.min(events.length, Number(seqParam) | 0));
      switch (what) {
        case '': {
          const last = events[events.length - 1];
          let chart: { from: string } | { error: string };
          try {
            chart = { from: (await resolver.resolve(first.workflowId, first.source)).from };
          } catch (e: any) {
            chart = { error: String(e?.message ?? e) };
          }
          return json(200, {
            runId,
            file,
            workflowId: first.workflowId,
            source: first.source,
            instruction: first.instruction,
            input: first.input,
            events: events.length,
            finished: last.type === 'run.finished',
            chart,
            timeline: buildTimeline(events),
          });
        }
        case 'events': {
          const after = Math.max(0, Number(url.searchParams.get('after') ?? 0) | 0);
          return json(200, { total: events.length, events: events.slice(after) });
        }
        case 'state':
          return json(200, { ...(await stateOf(events, seq)), event: events[seq - 1] ?? null, total: events.length });
        case 'timeline.svg':
          // The whole run, with a cursor at the scrubbed event; a run still going is drawn up to now.
          return send(200, 'image/svg+xml; charset=utf-8', renderTimelineSvg(events, { highlightSeq: seqParam === null || seq >= events.length ? undefined : seq, now: Date.now() }));
        case 'chart.svg': {
          try {
            return send(200, 'image/svg+xml; charset=utf-8', await resolver.chartSvg(first.workflowId, first.source));
          } catch (e: any) {
            throw new HttpError(404, 'No chart', String(e?.message ?? e));
          }
        }
        default:
          throw new HttpError(404, 'Not found', `no such view "${what}"`);
      }
    }
    if (p === '/api/plan') {
      if (!planner) throw new HttpError(404, 'No planner', 'planner/index.ts is not present in this checkout');
      const instruction = url.searchParams.get('instruction') ?? '';
      if (!instruction.trim()) throw new HttpError(400, 'No instruction', 'pass ?instruction=…');
      try {
        return json(200, await planView(planner, instruction));
      } catch (e: any) {
        // Refusals, a missing model, a bad instruction: the planner's own one-line message.
        throw new HttpError(422, 'Cannot plan this instruction', String(e?.message ?? e));
      }
    }
    throw new HttpError(404, 'Not found', `Nothing is served at ${p}.`);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    handle(req, res, url).catch((e: unknown) => {
      const err = e instanceof HttpError ? e : new HttpError(500, 'Server error', String((e as any)?.stack ?? e));
      if (res.headersSent) return res.end();
      const wantsJson = url.pathname.startsWith('/api/');
      res.writeHead(err.status, { 'content-type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(wantsJson ? JSON.stringify({ error: err.message, title: err.title, ...err.extra }) : errorPage(err.status, err.title, err.message, err.extra));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4400, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
