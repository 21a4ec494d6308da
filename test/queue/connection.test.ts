import { spawn } from 'node:child_process';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isIRedisClient, Queue } from 'bullmq';
import { parseRedisUrl, pingRedis, reconnectDelayMs, redactRedisUrl, redisClient, redisClients } from '../../src/queue/connection.ts';
import { attemptJobId, bullPriority, queueName } from '../../src/queue/names.ts';
import { requireServices, startRedis, type RedisService } from '../support/services.ts';
import { until } from './support.ts';

test('parseRedisUrl: host, port, db, credentials; one-line errors never show the password', () => {
  assert.equal(parseRedisUrl('redis://127.0.0.1:6390/2'), { host: '127.0.0.1', port: 6390, db: 2 });
  assert.equal(parseRedisUrl('redis://cache'), { host: 'cache', port: 6379, db: 0 });
  assert.equal(parseRedisUrl('redis://ana:p%40ss@db:1/0'), { host: 'db', port: 1, db: 0, username: 'ana', password: 'p@ss' });
  assert.equal(parseRedisUrl('redis://:s3cret@[::1]:7000'), { host: '::1', port: 7000, db: 0, password: 's3cret' });
  for (const [url, msg] of [
    ['http://:s3cret@h:1', /^http:\/\/:\*\*\*@h:1: the scheme must be redis:\/\/, got http:\/\//],
    ['rediss://:s3cret@h', /TLS \(rediss:\/\/\) is not supported/],
    ['redis://:s3cret@h/x', /the database must be a number/],
    ['localhost:6379', /^not a Redis URL: "localhost:6379" \(expected redis:\/\/host:port\/db\)$/],
    ['not a url s3cret', /not a Redis URL/],
  ] as const) {
    let message = '';
    try {
      parseRedisUrl(url);
    } catch (e) {
      message = (e as Error).message;
    }
    assert.match(message, msg, url);
    if (url.includes(':s3cret@')) assert.not.match(message, 's3cret');
  }
  assert.is(redactRedisUrl('redis://ana:s3cret@db:6379/0'), 'redis://ana:***@db:6379/0');
  assert.is(redactRedisUrl('redis://tok@db'), 'redis://***@db');
  assert.is(redactRedisUrl('redis://db:6379'), 'redis://db:6379');
});

test('names: queue per worker, one job id per attempt (no ":"), priorities in 1..2^21', () => {
  assert.is(queueName('summarize.v2'), 'summarize.v2');
  assert.is(queueName('a:b c'), 'a_b_c');
  assert.is(attemptJobId({ runId: 'r:1', step: 'a/b', attempt: 2 }), 'r%3A1/a%2Fb/2');
  assert.is.not(attemptJobId({ runId: 'a/b', step: 'c', attempt: 1 }), attemptJobId({ runId: 'a', step: 'b/c', attempt: 1 }));
  assert.equal([undefined, -5, 0, 1, 2.4, 1e12, NaN].map(bullPriority), [1, 1, 1, 2, 3, 2 ** 21, 1]);
});

test('reconnecting: 50 ms doubling up to 1 s, never giving up', () => {
  assert.equal([1, 2, 3, 4, 5, 6, 7, 50, 10_000].map(reconnectDelayMs), [50, 100, 200, 400, 800, 1000, 1000, 1000, 1000]);
});

const it = requireServices(test, ['redis']);
let redis: RedisService;
it.before(async () => {
  redis = await startRedis();
});
it.after(async () => {
  await redis?.stop();
});

it('the client is ioredis wrapped for BullMQ: lazy, both command forms, TTLs in ms', async () => {
  const c = redisClient(redis.url);
  try {
    assert.ok(isIRedisClient(c), 'BullMQ takes it as it is');
    assert.is(c.status, 'wait', 'no connection before the first command');
    assert.is(await c.set('k', 'v', 'PX', 10_000), 'OK');
    assert.is(await c.set('k2', 'v', { PX: 10_000 }), 'OK', "BullMQ's structured form");
    const ttl = await c.pttl('k');
    assert.ok(ttl > 9000 && ttl <= 10_000, `pttl ${ttl}`);
    await c.incr('k').then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /not an integer/));
  } finally {
    await c.quit();
  }
  await until(() => c.status === 'end', 1000, 'the client ended after QUIT');
});

it("disconnectAll ends every client made and every duplicate, BullMQ's included, so a Queue closes", async () => {
  const clients = redisClients(redis.url, () => {});
  const mine = clients.create();
  const queue = new Queue('family-test', { connection: clients.create() });
  await queue.waitUntilReady();
  const dup = mine.duplicate();
  const dupOfDup = dup.duplicate();
  await Promise.all([mine.ping(), dup.ping(), dupOfDup.ping()]);
  clients.disconnectAll();
  await until(() => [mine, dup, dupOfDup].every((c) => c.status === 'end'), 2000, 'every client ended');
  await queue.close();
});

it('the client reconnects by itself within ~1 s when the server drops it, and commands sent meanwhile go through', async () => {
  const c = redisClient(redis.url);
  const admin = redisClient(redis.url);
  let closes = 0;
  c.on('close', () => closes++);
  c.on('error', () => {});
  try {
    const id = await c.client('ID');
    await admin.client('KILL', 'ID', String(id));
    await until(() => closes === 1, 2000, 'the drop seen');
    const t0 = Date.now();
    assert.is(await c.ping(), 'PONG');
    assert.ok(Date.now() - t0 < 1000, `reconnected in ${Date.now() - t0} ms`);
    assert.is.not(await c.client('ID'), id);
  } finally {
    c.disconnect();
    admin.disconnect();
  }
});

it('pingRedis fails fast with one line naming the URL (password hidden) and the cause', async () => {
  await pingRedis(redis.url);
  const url = 'redis://:s3cret@127.0.0.1:1/0';
  const err = await pingRedis(url, 1000).then(() => null, (e: Error) => e);
  assert.match(err?.message ?? '', /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: ECONNREFUSED$/);
});

it('a password-protected Redis: AUTH and SELECT from the URL; a wrong password fails fast without showing it', async () => {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', 'right-pw'], { stdio: 'ignore' });
  try {
    await until(() => pingRedis(`redis://:right-pw@127.0.0.1:${port}/3`, 500).then(() => true, () => false), 5000, 'redis with a password');
    const c = redisClient(`redis://:right-pw@127.0.0.1:${port}/3`);
    await c.set('where', 'db3');
    assert.match(String(await c.client('INFO')), / db=3 /);
    c.disconnect();
    const err = await pingRedis(`redis://:wrong-pw@127.0.0.1:${port}/0`, 2000).then(() => null, (e: Error) => e);
    assert.match(err?.message ?? '', /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: redis 127\.0\.0\.1:\d+: WRONGPASS/);
    assert.not.match(err?.message ?? '', /wrong-pw/);
  } finally {
    server.kill('SIGKILL');
  }
});

/** A port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

it.run();
