import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { suite, type Test } from 'uvu';

/**
 * Throwaway database servers for tests: a fresh PostgreSQL or Redis on a free loopback port with
 * its data in a temporary folder, gone (process and files) when `stop()` is called, when the test
 * process exits or is interrupted, and even when it is killed (a watchdog shell outlives it by at
 * most a second). Postgres refuses to run as root, so as root it runs as the `postgres` user.
 */

export interface PostgresService {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` (password authentication over TCP). */
  url: string;
  port: number;
  /** The postmaster's pid and its data folder (inside a temporary folder removed by stop()). */
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface RedisService {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/** Which servers this machine can start (their binaries are found). */
export function servicesAvailable(): { postgres: boolean; redis: boolean } {
  return { postgres: postgresBin('initdb') !== undefined && postgresBin('postgres') !== undefined, redis: onPath('redis-server') !== undefined };
}

/**
 * The test registrar to use for tests needing these services. When they are all installed it is
 * `test` itself; otherwise the tests go to a suite that never runs and `test` gets one test that
 * prints `skipped: postgres not installed` and passes, or fails under CI (where they are installed).
 *
 * @example
 * const it = requireServices(test, ['postgres']);
 * it('claims once', async () => { ... });
 * test.run();
 */
export function requireServices<T>(t: Test<T>, needed: readonly ('postgres' | 'redis')[]): Test<T> {
  const available = servicesAvailable();
  const missing = needed.filter((name) => !available[name]);
  if (missing.length === 0) return t;
  const line = `skipped: ${missing.join(' and ')} not installed`;
  t(line, () => {
    console.log(line);
    if (process.env.CI) throw new Error(`${line}, but CI must run these tests: install ${missing.join(', ')}`);
  });
  return suite<T>(`not run: ${missing.join(', ')} missing`) as Test<T>;
}

let sharedPgServer: Promise<PostgresService> | undefined;
let sharedRedisServer: Promise<RedisService> | undefined;

/** One Postgres for the whole test process (uvu runs every file in one process): started on first use, stopped at exit. */
export function sharedPostgres(): Promise<PostgresService> {
  sharedPgServer ??= startPostgres();
  return sharedPgServer;
}

/** One Redis for the whole test process, like `sharedPostgres`. */
export function sharedRedis(): Promise<RedisService> {
  sharedRedisServer ??= startRedis();
  return sharedRedisServer;
}

/**
 * Starts a fresh PostgreSQL: `initdb` into a temporary folder, then `postgres` on a free loopback
 * port with fsync off (tests need no durability; `durable: true` keeps the server's defaults, for
 * benchmarks) and its unix socket inside that folder.
 *
 * @example
 * const pg = await startPostgres();
 * const store = await createPgStore(pg.url);
 * ...
 * await pg.stop();
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresService> {
  const initdb = postgresBin('initdb');
  const postgres = postgresBin('postgres');
  if (!initdb || !postgres) throw new Error('postgres not installed: no initdb/postgres on PATH or in /usr/lib/postgresql/*/bin');
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-pg-'));
  const data = path.join(base, 'data');
  const password = randomBytes(12).toString('hex');
  fs.writeFileSync(path.join(base, 'pwfile'), password + '\n', { mode: 0o600 });
  if (user) chownTree(base, user);
  const init = spawnSync(initdb, ['-D', data, '-U', 'postgres', '--pwfile', path.join(base, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    ...asUser(user),
    encoding: 'utf8',
  });
  if (init.status !== 0) {
    fs.rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${init.status}): ${(init.stderr || init.stdout || String(init.error)).trim().split('\n').slice(-3).join(' | ')}`);
  }
  const port = await freePort();
  const log = path.join(base, 'postgres.log');
  const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${base}`, '-c', 'max_connections=300', ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])];
  const child = spawnDetached(postgres, args, log, user);
  const stop = guard(child, base, 'SIGINT');
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntil(() => pgReady(url), child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, pid: child.pid!, dataDir: data, stop };
}

/**
 * Starts a fresh Redis on a free loopback port, without persistence.
 *
 * @example
 * const redis = await startRedis();
 * // new IORedis(redis.port, '127.0.0.1')
 * await redis.stop();
 */
export async function startRedis(): Promise<RedisService> {
  const bin = onPath('redis-server');
  if (!bin) throw new Error('redis not installed: no redis-server on PATH');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-redis-'));
  const port = await freePort();
  const log = path.join(base, 'redis.log');
  const child = spawnDetached(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', base, '--unixsocket', '', '--protected-mode', 'no'], log);
  const stop = guard(child, base, 'SIGTERM');
  try {
    await waitUntil(() => redisReady(port), child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

// ---------------------------------------------------------------- processes and clean-up

interface UserIds {
  uid: number;
  gid: number;
}

/** Servers still running, stopped synchronously when the process exits for any reason. */
const live = new Map<ChildProcess, { base: string; watchdog?: ChildProcess }>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.kill(process.pid, signal); // the default action, now that our handler is gone
    });
  }
}

/**
 * Immediate shutdown (SIGQUIT: postgres stops its children too) and files removed. The watchdog
 * is left to finish: it removes the folder again a moment later, in case the dying server wrote
 * into it after this removal.
 */
function killAllNow(): void {
  for (const [child, { base }] of live) {
    try {
      child.kill('SIGQUIT');
    } catch {
      /* already gone */
    }
    try {
      fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      /* the watchdog removes it */
    }
  }
  live.clear();
}

/**
 * Spawns a server that does not keep the test process alive (unref'd, output to a log file), and
 * a watchdog shell that stops it if the test process is killed without running exit handlers.
 */
function spawnDetached(bin: string, args: string[], log: string, user?: UserIds): ChildProcess {
  const fd = fs.openSync(log, 'a');
  if (user) fs.fchownSync(fd, user.uid, user.gid);
  const child = spawn(bin, args, { ...asUser(user), stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  child.unref();
  return child;
}

/** Registers the server for clean-up and returns its stop(): graceful signal, wait for exit, delete its folder. */
function guard(child: ChildProcess, base: string, signal: NodeJS.Signals): () => Promise<void> {
  hookExit();
  const watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -QUIT ${child.pid} 2>/dev/null; sleep 2; rm -rf '${base}'`], {
    stdio: 'ignore',
    detached: true,
  });
  watchdog.unref();
  live.set(child, { base, watchdog });
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      live.delete(child);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill(signal);
        const slow = setTimeout(() => child.kill('SIGQUIT'), 5_000);
        await exited;
        clearTimeout(slow);
      }
      watchdog.kill('SIGKILL');
      fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopping;
  };
}

async function waitUntil(ready: () => Promise<boolean>, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${path.basename(log, '.log')} exited at start (${child.exitCode ?? child.signalCode}): ${tail(log)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path.basename(log, '.log')} did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${tail(log)}`);
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}

async function pgReady(url: string): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false; // refused, or "the database system is starting up"
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PING over the Redis protocol. */
function redisReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A port free right now on 127.0.0.1 (the server binds it a moment later; a clash makes it exit and the test fail loudly). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- binaries and users

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && isExecutable(file)) return file;
  }
  return undefined;
}

/** On PATH, else in the newest /usr/lib/postgresql/<version>/bin (Debian keeps them there). */
function postgresBin(name: string): string | undefined {
  const found = onPath(name);
  if (found) return found;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => path.join(root, v, 'bin', name)).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The `postgres` system user (created when missing), for running the server when we are root. */
function postgresUser(): UserIds {
  const lookup = () => {
    const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : undefined;
  };
  const found = lookup();
  if (found) return found;
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
  const created = lookup();
  if (!created) throw new Error(`no postgres user and useradd failed: ${(made.stderr || String(made.error)).trim()}`);
  return created;
}

function asUser(user?: UserIds): { uid?: number; gid?: number; cwd?: string; env?: NodeJS.ProcessEnv } {
  if (!user) return {};
  return { uid: user.uid, gid: user.gid, cwd: os.tmpdir(), env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } };
}

function chownTree(dir: string, user: UserIds): void {
  fs.chownSync(dir, user.uid, user.gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, user);
    else fs.chownSync(p, user.uid, user.gid);
  }
}
