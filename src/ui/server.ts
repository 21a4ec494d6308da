import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { warmUpLayout } from '../viz/layout.ts';
import { createUiApp } from './app.ts';
import { isLoopbackHost } from './auth.ts';
import type { RunControl, UiStore } from './context.ts';
import type { UiErrorReporter } from './errors.ts';
import { loadProjectPlanner } from './load-planner.ts';
import { WorkflowResolver, type WorkflowRegistry } from './workflows.ts';

/**
 * The local viewer: serves the page (static files from this package, nothing from a CDN) and a
 * small JSON/SVG API over a history store. Charts are laid out on the server with elkjs and
 * sent as SVG, so the page needs no layout code. The routes live in `app.ts`; this file checks
 * the options, wires the parts and listens.
 */

export interface UiServerOptions {
  /** What to show: the JSONL store or any `RunBrowser` (the PostgreSQL store); only read, writes go through `control`. */
  store: UiStore;
  /** 0 picks a free port. Default 4400. */
  port?: number;
  host?: string;
  /** Required when `host` is not a loopback address; checked on every request when set. */
  token?: string;
  /** Workflows to resolve by name besides the built-ins (tests, embedders). */
  workflows?: WorkflowRegistry;
  /** Base for relative module paths recorded in `run.started.source`. */
  cwd?: string;
  /** Receives unexpected errors with the id shown to the client. Default: the stack to stderr. */
  onError?: UiErrorReporter;
  /** Approves, rejects and cancels runs for the page's buttons; without it the viewer only reads (buttons hidden, 501). */
  control?: RunControl;
}

export interface UiServer {
  /** The page URL (with `?token=` when a token is set). */
  url: string;
  port: number;
  close(): Promise<void>;
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
  const { token } = options;
  checkAccessOptions(host, token);
  warmUpLayout().catch(() => undefined); // a failure here shows up, with its message, on the first chart
  const app = createUiApp({
    store: options.store,
    resolver: new WorkflowResolver({ extra: options.workflows, cwd: options.cwd }),
    planner: loadProjectPlanner(options.cwd),
    token,
    onError: options.onError,
    control: options.control,
  });
  // Not `overrideGlobalObjects`: the viewer runs inside the CLI (or an embedder's process),
  // whose global Request/Response it must leave alone. The default createServer is node:http's.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as http.Server;
  const port = await listen(server, options.port ?? 4400, host);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/${token ? `?token=${encodeURIComponent(token)}` : ''}`,
    port,
    close: () => closeServer(server),
  };
}

/** Histories hold step inputs and outputs: off loopback, a token is required. */
function checkAccessOptions(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    throw new Error(`refusing to serve run histories on ${host} without a token: pass --token <secret> (or bind to 127.0.0.1)`);
  }
  if (token !== undefined && token.length < 8) throw new Error('the UI token must be at least 8 characters');
}

/** Listens, rejecting with the server's error (e.g. EADDRINUSE, which the CLI explains). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting and drops open connections (the page keeps some alive), so the port is freed now. */
function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
