import { createIORedisClient, type IRedisClient } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

/** A Redis URL that cannot be used; the message shows the URL with any password hidden. */
export class RedisUrlError extends Error {
  override name = 'RedisUrlError';
}

/** Where and as whom to connect, from a `redis://` URL; never logged (it may hold a password). */
export interface RedisUrlOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** An ioredis client wrapped for BullMQ: the ioredis API, and BullMQ's `IRedisClient` (give it as `connection`). */
export type QueueRedis = Redis & IRedisClient;

/**
 * `redis://[user[:password]@]host[:port][/db]` as connection options (port 6379, db 0 by default).
 *
 * @example
 * parseRedisUrl('redis://:s3cret@127.0.0.1:6390/2') // { host: '127.0.0.1', port: 6390, db: 2, password: 's3cret' }
 */
export function parseRedisUrl(url: string): RedisUrlOptions {
  let u: URL;
  try {
    if (!url.includes('://')) throw new Error('no scheme');
    u = new URL(url);
  } catch {
    throw new RedisUrlError(`not a Redis URL: ${JSON.stringify(redactRedisUrl(url))} (expected redis://host:port/db)`);
  }
  const shown = redactRedisUrl(url);
  if (u.protocol === 'rediss:') throw new RedisUrlError(`${shown}: TLS (rediss://) is not supported; use redis:// (e.g. through a TLS tunnel)`);
  if (u.protocol !== 'redis:') throw new RedisUrlError(`${shown}: the scheme must be redis://, got ${u.protocol}//`);
  if (!u.hostname) throw new RedisUrlError(`${shown}: no host (expected redis://host:port/db)`);
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new RedisUrlError(`${shown}: the database must be a number (redis://host:port/0), got ${JSON.stringify(dbText)}`);
  const out: RedisUrlOptions = { host: u.hostname.replace(/^\[|\]$/g, ''), port, db: dbText === '' ? 0 : Number(dbText) };
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  return out;
}

/**
 * The URL as it may be printed: the password replaced by `***`.
 *
 * @example
 * redactRedisUrl('redis://ana:s3cret@db:6379/0') // 'redis://ana:***@db:6379/0'
 */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)([^@/]*)@/i, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${auth.slice(0, colon)}:***`}@`;
  });
}

/**
 * Reconnection delay after the `times`-th failed try: 50 ms doubling, at most 1 s, forever (a
 * Redis restart must not stop a worker for good, and once it is back a pool is serving within ~1 s).
 */
export const reconnectDelayMs = (times: number): number => Math.min(1000, 50 * 2 ** Math.min(Math.max(times - 1, 0), 5));

/** The ioredis options for `url`: lazy, retrying forever, commands waiting while it reconnects. */
function ioredisOptions(url: string): RedisOptions {
  return {
    ...parseRedisUrl(url),
    lazyConnect: true,
    // BullMQ's blocking connections (Worker, QueueEvents) require it; a command waits out a restart.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: reconnectDelayMs,
    // A peer gone without a FIN (a network split) is noticed, and a blocked read does not wait forever.
    keepAlive: 10_000,
    // Commands issued in the same tick go out in one write: a hub with hundreds of attempts in
    // flight otherwise spends a sixth of its time in one writev per command.
    enableAutoPipelining: true,
  };
}

/**
 * An ioredis client whose duplicates (those BullMQ makes for its blocking reads included) join
 * `family`, so an owner can disconnect every connection it caused at once.
 */
function familyMember(options: RedisOptions, family: Set<Redis>): Redis {
  const client = new Redis(options);
  family.add(client);
  // BullMQ's wrapper duplicates through the raw client's `duplicate`: this one keeps the family.
  // A duplicate connects at once: ioredis's connect() fails at the first refused try, and BullMQ
  // would give up on a lazy one while Redis is down, where a connecting one is waited for.
  client.duplicate = ((override?: Partial<RedisOptions>) => familyMember({ ...client.options, lazyConnect: false, ...(override ?? {}) }, family)) as Redis['duplicate'];
  return client;
}

/**
 * A fresh, lazy client for `url` (it connects at its first command), ready to give BullMQ as
 * `connection`. Its duplicates, and theirs, are added to `family` when one is given.
 *
 * @example
 * const client = redisClient('redis://127.0.0.1:6379/0');
 * await client.set('k', 'v', 'PX', 1000);
 */
export function redisClient(url: string, family: Set<Redis> = new Set()): QueueRedis {
  return createIORedisClient(familyMember(ioredisOptions(url), family)) as unknown as QueueRedis;
}

/** The clients one owner (an executor, a pool) opened, with every duplicate made from them. */
export interface RedisClients {
  /**
   * A new client, connecting at once (BullMQ waits for a connecting client however long Redis is
   * down); connection trouble goes to the `onError` given (it reconnects by itself).
   */
  create(): QueueRedis;
  /**
   * Disconnects every client made and every duplicate of them: a BullMQ object still waiting for
   * an unreachable Redis then gives up, so closing it cannot hang.
   */
  disconnectAll(): void;
}

/**
 * A factory of clients for `url` that remembers them and their duplicates, to disconnect them all.
 *
 * @example
 * const clients = redisClients('redis://127.0.0.1:6379', () => {});
 * const queue = new Queue('q', { connection: clients.create() });
 * clients.disconnectAll(); await queue.close();
 */
export function redisClients(url: string, onError: (e: Error) => void): RedisClients {
  const family = new Set<Redis>();
  return {
    create() {
      const c = redisClient(url, family);
      c.on('error', onError);
      c.connect().catch(() => {}); // the retry strategy goes on trying after a failed first try
      return c;
    },
    disconnectAll() {
      for (const c of family) c.disconnect();
    },
  };
}

/**
 * Checks that Redis answers at `url` within `timeoutMs`; rejects with one line naming the URL
 * (password hidden) and the cause, so a CLI fails fast instead of retrying forever.
 *
 * @example
 * await pingRedis('redis://127.0.0.1:6379', 3000);
 */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const where = parseRedisUrl(url);
  // One try: an unreachable server or a refused password is reported, not retried.
  const client = new Redis({ ...ioredisOptions(url), retryStrategy: () => null, maxRetriesPerRequest: 0 });
  let lastError: Error | undefined;
  client.on('error', (e: Error) => (lastError ??= e));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    throw new RedisUrlError(`cannot reach Redis at ${redactRedisUrl(url)}: ${causeOf(lastError ?? (e as Error), where)}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** A socket error's code (ECONNREFUSED), or the server's refusal (WRONGPASS …) naming the server. */
function causeOf(e: Error, where: RedisUrlOptions): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  if (e.name === 'ReplyError') return `redis ${where.host}:${where.port}: ${e.message}`;
  return e.message;
}
