import type http from 'node:http';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { RunStore } from '../history/run-store.ts';
import type { HistoryStore } from '../history/store.ts';
import { isRunBrowser } from '../ui/store-view.ts';
import { loadProjectPlanner } from '../ui/load-planner.ts';
import { listen } from '../ui/server.ts';
import { WorkflowResolver, type WorkflowRegistry } from '../ui/workflows.ts';
import { warmUpLayout } from '../viz/layout.ts';
import { createServerApp } from './app.ts';
import { projectOrBuiltin, type WorkflowFinder } from './launcher.ts';
import { TokenStore } from './tokens.ts';

/**
 * `orchestai server` listening: the app of app.ts on a port. It refuses to start until the store
 * has an admin token, so the API is never open to whoever reaches the port.
 */

export interface ServerOptions {
  /** The JSONL store, or a shared `RunStore` (PostgreSQL: `POST /api/runs` submits, hubs run). */
  store: HistoryStore | RunStore;
  /**
   * The folder of `tokens.json`. Default: the JSONL store's root; with a shared store,
   * `$ORCHESTAI_HOME`, else `.orchestai/` in `cwd` (where the JSONL store would be).
   */
  home?: string;
  /** 0 picks a free port. Default 4500. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where project workflows are found (the project config). */
  cwd?: string;
  /** Finds workflows for POST /api/runs; default: project ids and built-ins from `cwd`. */
  find?: WorkflowFinder;
  /** Workflows the viewer draws by name besides the project's and the built-ins (tests, embedders). */
  workflows?: WorkflowRegistry;
  maxRuns?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops listening, then interrupts the runs it started (each can be resumed). */
  close(): Promise<void>;
}

/** Where the tokens are: see `ServerOptions.home`. */
function homeOf(options: ServerOptions): string {
  if (options.home) return options.home;
  if (!isRunBrowser(options.store)) return options.store.root;
  return path.resolve(process.env.ORCHESTAI_HOME ?? path.join(options.cwd ?? process.cwd(), '.orchestai'));
}

/** No admin token in the store: the message says how to make one. */
export class NoAdminTokenError extends Error {
  override name = 'NoAdminTokenError';
}

/**
 * Starts the server.
 *
 * @example
 * const server = await startServer({ store: createJsonlStore(), port: 0 });
 * console.log(server.url); // http://127.0.0.1:43121/
 * await server.close();
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const tokens = new TokenStore(homeOf(options));
  if (!tokens.has('admin')) {
    throw new NoAdminTokenError(`no admin token in ${tokens.file}: create one with \`orchestai token create --role admin\` (its secret is printed once), then start the server again`);
  }
  const host = options.host ?? '127.0.0.1';
  const cwd = options.cwd ?? process.cwd();
  warmUpLayout().catch(() => undefined);
  const server = createServerApp({ store: options.store, resolver: new WorkflowResolver({ cwd, extra: options.workflows }), find: options.find ?? projectOrBuiltin(cwd), planner: loadProjectPlanner(cwd), tokens, maxRuns: options.maxRuns });
  const http = createAdaptorServer({ fetch: server.app.fetch, overrideGlobalObjects: false }) as http.Server;
  const port = await listen(http, options.port ?? 4500, host);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await server.close();
    },
  };
}

