import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defineWorker, defineWorkflow, type Workflow } from '../../machines/index.ts';
import { createJsonlStore } from '../../src/index.ts';
import { createServerApp, type ServerApp } from '../../src/server/app.ts';
import { WorkflowNotFoundError } from '../../src/project/resolve.ts';
import { TokenStore, type Role } from '../../src/server/tokens.ts';
import { WorkflowResolver } from '../../src/ui/workflows.ts';
import { finishedShopRun, waitingShopRun, writeHistory } from '../ui/histories.ts';
import { shopWorkflow } from '../ui/shop-workflow.ts';

/**
 * A server app over a temporary JSONL store holding a finished and a waiting `shop` run (written
 * by hand, no process holds them), a token of each role, and workflows the API can start: `quick`
 * (two short steps that report a cost), `gated` (a step, an approval, a step) and `slow` (one
 * step of `ms` from the input, for cancelling and queueing).
 */

export const FINISHED = '20261121T190000Z-done';
export const WAITING = '20261121T200000Z-wait';

const sleeper = (name: string, cost = 0) =>
  defineWorker({
    name,
    description: `Test worker ${name}: waits input.ms (default 5) and echoes its input.`,
    input: z.any(),
    output: z.any(),
    run: async (x: any, ctx) => {
      await ctx.sleep(typeof x?.ms === 'number' ? x.ms : 5);
      if (cost) ctx.reportCost(cost);
      return x;
    },
  });

export const testWorkflows: Record<string, () => Workflow> = {
  quick: () => defineWorkflow({ id: 'quick', onFailure: 'failed', steps: [
    { id: 'one', worker: sleeper('quick-one', 0.25), onSuccess: 'two' },
    { id: 'two', worker: sleeper('quick-two', 0.5), onSuccess: 'succeeded' },
  ] }),
  gated: () => defineWorkflow({ id: 'gated', onFailure: 'failed', steps: [
    { id: 'draft', worker: sleeper('gated-draft'), onSuccess: 'review' },
    { id: 'review', type: 'approval', timeoutMs: 60_000, onSuccess: 'publish' },
    { id: 'publish', worker: sleeper('gated-publish'), onSuccess: 'succeeded' },
  ] }),
  slow: () => defineWorkflow({ id: 'slow', onFailure: 'failed', steps: [{ id: 'wait', worker: sleeper('slow-wait'), onSuccess: 'succeeded' }] }),
  shop: shopWorkflow,
};

export interface TestServer extends ServerApp {
  root: string;
  store: ReturnType<typeof createJsonlStore>;
  tokens: TokenStore;
  /** A secret per role. */
  secret: Record<Role, string>;
  /** Unexpected errors the app reported (500s); each test file checks it stays empty. */
  errors: unknown[];
  /** `app.request` with `Authorization: Bearer <secret of role>` (none for `undefined`). */
  call(role: Role | undefined | { secret: string }, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** The planner the app loads: the real planner module (the shipped default model). */
const realPlanner = () => import('../../planner/index.ts');

export function testServer(options: { maxRuns?: number; planner?: () => Promise<any> } = {}): TestServer {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-server-'));
  writeHistory(root, finishedShopRun(FINISHED));
  writeHistory(root, waitingShopRun(WAITING));
  const store = createJsonlStore(root);
  const tokens = new TokenStore(root);
  const secret = { viewer: tokens.create('viewer', 'v').secret, operator: tokens.create('operator', 'ops').secret, admin: tokens.create('admin', 'root').secret };
  const errors: unknown[] = [];
  const find = async (ref: string) => {
    if (!Object.hasOwn(testWorkflows, ref)) throw new WorkflowNotFoundError(`unknown workflow ${JSON.stringify(ref)}`);
    return { workflow: testWorkflows[ref](), source: `builtin:${ref}` };
  };
  const server = createServerApp({
    store, tokens, find,
    resolver: new WorkflowResolver({ extra: testWorkflows }),
    planner: options.planner ?? realPlanner,
    maxRuns: options.maxRuns,
    ssePollMs: 20,
    onError: (e) => errors.push(e),
  });
  const call: TestServer['call'] = (who, method, url, body, headers = {}) => {
    const all: Record<string, string> = { ...headers };
    if (who !== undefined) all.authorization = `Bearer ${typeof who === 'string' ? secret[who] : who.secret}`;
    if (body !== undefined) all['content-type'] ??= 'application/json';
    return Promise.resolve(server.app.request(url, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
  };
  return { ...server, root, store, tokens, secret, call, errors };
}

/** Polls until `pred` holds (or fails after `ms`). */
export async function until(pred: () => boolean | Promise<boolean>, ms = 5_000, what = 'a condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Parses an SSE body into its messages. */
export function sseMessages(text: string): { id?: string; event?: string; data: string }[] {
  return text.split('\n\n').filter((b) => b.trim()).map((block) => {
    const m: { id?: string; event?: string; data: string } = { data: '' };
    for (const line of block.split('\n')) {
      const [k, ...rest] = line.split(':');
      const v = rest.join(':').replace(/^ /, '');
      if (k === 'id') m.id = v;
      else if (k === 'event') m.event = v;
      else if (k === 'data') m.data += v;
    }
    return m;
  });
}
