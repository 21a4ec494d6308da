import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HistoryEvent, NewHistoryEvent } from '../../machines/history/events.ts';
import { createPgStore, type PgStore } from '../../src/history/pg/index.ts';
import type { HistoryWriter } from '../../src/history/store.ts';
import { WorkflowNotFoundError } from '../../src/project/resolve.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { TokenStore, type Role } from '../../src/server/tokens.ts';
import { sharedPostgres } from '../support/services.ts';
import { testWorkflows } from './support.ts';

/**
 * `orchestai server` over a PostgreSQL store, for the tests: the process-wide test Postgres, a
 * schema of this fixture's own, the server on a free port with its tokens in a temporary home
 * (the JSONL home, as `--store postgres://…` keeps it), and a stand-in for a hub: claim a run and
 * append events to it through the store's writer, as `orchestai hub` would.
 */

export interface PgServer {
  store: PgStore;
  server: RunningServer;
  home: string;
  secret: Record<Role, string>;
  /** `fetch` on the server with the bearer token of a role (none for `undefined`). */
  call(role: Role | undefined, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Claims a run as hub `holder` and returns its writer (the run must be claimable). */
  claim(runId: string, holder?: string): Promise<HistoryWriter>;
  close(): Promise<void>;
}

export async function pgServer(): Promise<PgServer> {
  const pg = await sharedPostgres();
  const store = await createPgStore(pg.url, { schema: `t_server_${randomBytes(4).toString('hex')}`, leaseMs: 30_000 });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-server-pg-'));
  const tokens = new TokenStore(home);
  const secret = { viewer: tokens.create('viewer', 'v').secret, operator: tokens.create('operator', 'ops').secret, admin: tokens.create('admin', 'root').secret };
  const find = async (ref: string) => {
    if (!Object.hasOwn(testWorkflows, ref)) throw new WorkflowNotFoundError(`unknown workflow ${JSON.stringify(ref)}`);
    return { workflow: testWorkflows[ref](), source: `builtin:${ref}` };
  };
  const server = await startServer({ store, home, port: 0, find, workflows: testWorkflows });
  return {
    store,
    server,
    home,
    secret,
    call(role, method, url, body, headers = {}) {
      const all: Record<string, string> = { ...headers };
      if (role) all.authorization = `Bearer ${secret[role]}`;
      if (body !== undefined) all['content-type'] ??= 'application/json';
      return fetch(new URL(url, server.url), { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    },
    async claim(runId, holder = 'h1') {
      const claimed = await store.claim(runId, holder);
      if (!claimed) throw new Error(`run ${runId} could not be claimed by ${holder}`);
      return claimed.writer;
    },
    async close() {
      await server.close();
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Appends hand-written events (their `seq` is the writer's to give) and commits them. */
export async function appendAll(writer: HistoryWriter, events: readonly HistoryEvent[]): Promise<void> {
  for (const e of events) {
    const { seq: _seq, ...draft } = e as HistoryEvent & Record<string, unknown>;
    writer.append(draft as NewHistoryEvent);
  }
  await writer.flush();
}
