import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { NewHistoryEvent } from '../../machines/history/events.ts';
import { createPgStore, type PgStore, type PgStoreOptions } from '../../src/history/pg/index.ts';
import { sharedPostgres } from '../support/services.ts';

/**
 * Stores for the PostgreSQL tests: each in its own fresh schema of the process-wide test server,
 * so test files sharing it (uvu runs them in one process) never see each other's runs.
 */
export interface PgFixture {
  url: string;
  schema: string;
  open(options?: PgStoreOptions): Promise<PgStore>;
  /** Runs SQL on the test database (to look at rows, or to age a lease). */
  sql<R extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<R[]>;
  /** Closes every store opened here and drops the schema. */
  end(): Promise<void>;
}

export async function pgFixture(name: string): Promise<PgFixture> {
  const server = await sharedPostgres();
  const schema = `t_${name}_${randomBytes(4).toString('hex')}`;
  const stores: PgStore[] = [];
  const admin = new pg.Pool({ connectionString: server.url, max: 2 });
  return {
    url: server.url,
    schema,
    async open(options = {}) {
      const store = await createPgStore(server.url, { schema, ...options });
      stores.push(store);
      return store;
    },
    async sql(text, params = []) {
      return (await admin.query(text.replaceAll('$schema', `"${schema}"`), params)).rows;
    },
    async end() {
      await Promise.all(stores.map((s) => s.close()));
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

export const started = (runId: string, t = 1_000): NewHistoryEvent => ({ type: 'run.started', t, runId, workflowId: 'wf', workflowHash: 'h', input: { runId } });
export const step = (i: number, t = 2_000): NewHistoryEvent => ({ type: 'transition', t: t + i, event: `e${i}`, from: [`s${i}`], to: [`s${i + 1}`] });
export const finished = (status: 'succeeded' | 'failed' | 'cancelled' = 'succeeded', t = 9_000): NewHistoryEvent => ({ type: 'run.finished', t, status, cost: 0.25, durationMs: 40 });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `check()` holds, polling every 10 ms; rejects after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** The error `promise` rejects with (fails the test when it resolves), checked against `expected`. */
export async function rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: RegExp | ((e: Error) => boolean)): Promise<Error> {
  let error: Error | undefined;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (e) {
    error = e as Error;
  }
  if (!error) throw new Error('expected a rejection, but it resolved');
  if (expected instanceof RegExp && !expected.test(error.message)) throw new Error(`rejected with "${error.message}", expected ${expected}`);
  if (typeof expected === 'function' && !expected(error)) throw new Error(`rejected with an unexpected ${error.name}: ${error.message}`);
  return error;
}

export interface Ran {
  code: number | null;
  out: string;
}

/** Runs child.ts; `onLine` sees each stdout line (to signal it); fails after `ms`. */
export function child(args: string[], options: { env?: NodeJS.ProcessEnv; ms?: number; onLine?: (line: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`child ${args.join(' ')} still running after ${options.ms ?? 15_000} ms: ${out} ${err}`));
    }, options.ms ?? 15_000);
    p.stdout.on('data', (d) => {
      const lines = (out + d).split('\n');
      for (const line of lines.slice(out.split('\n').length - 1, -1)) options.onLine?.(line, (s) => p.kill(s));
      out += d;
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out: out + err });
    });
  });
}

/** Alive, and not a zombie waiting for a parent to reap it. */
export function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
