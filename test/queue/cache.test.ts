import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { runAttempt, type AttemptExecutor } from '../../src/runtime/attempt.ts';
import { canonicalJson, resultsCacheDigest, withResultsCache, type CachedExecutor } from '../../src/queue/results-cache.ts';
import { createQueueExecutor } from '../../src/queue/queue-executor.ts';
import { startWorkerPool } from '../../src/queue/worker-pool.ts';
import { requireServices, startRedis, type RedisService } from '../support/services.ts';
import { attemptOpts, freshRunId } from './support.ts';

const it = requireServices(test, ['redis']);
let redis: RedisService;
let executor: CachedExecutor;
let calls = 0;
/** In-process attempts, counted: the cache must save calls. */
const counted: AttemptExecutor = (worker, input, opts) => {
  calls++;
  return runAttempt(worker, input, opts);
};

const spec = {
  description: 'Upper-cases a text; fails on "fail".',
  input: z.object({ text: z.string(), lang: z.string().optional() }),
  output: z.object({ text: z.string() }),
  run: ({ text }: { text: string }) => {
    if (text === 'fail') throw new Error('refused');
    return { text: text.toUpperCase() };
  },
};
const upper = defineWorker({ name: 'upper', ...spec, cache: true });
const upperV2 = defineWorker({ name: 'upper', ...spec, cache: true, version: '2' });
const shortLived = defineWorker({ name: 'upper-short', ...spec, cache: { ttlMs: 150 } });
const uncached = defineWorker({ name: 'upper-plain', ...spec });

it.before(async () => {
  redis = await startRedis();
  executor = withResultsCache(counted, { redis: redis.url });
});

it.after(async () => {
  await executor?.close();
  await redis?.stop();
});

it('canonical JSON sorts keys at every level; the digest names worker, version and input', () => {
  assert.is(canonicalJson({ b: 1, a: [{ d: 2, c: null }], e: 'x' }), '{"a":[{"c":null,"d":2}],"b":1,"e":"x"}');
  assert.is(resultsCacheDigest(upper, { text: 'a', lang: 'en' }), resultsCacheDigest(upper, { lang: 'en', text: 'a' }));
  assert.is.not(resultsCacheDigest(upper, { text: 'a' }), resultsCacheDigest(upperV2, { text: 'a' }));
  assert.match(resultsCacheDigest(upper, { text: 'a' }), /^[0-9a-f]{64}$/);
});

it('a miss calls and stores; a hit returns the output with cached: true, durationMs 0 and no call', async () => {
  calls = 0;
  const run = freshRunId('cache');
  const miss = await executor(upper, { text: 'hi', lang: 'en' }, attemptOpts(run, 'a'));
  assert.equal(miss.ok && miss.output, { text: 'HI' });
  assert.is((miss as any).cached, undefined);
  const hit = await executor(upper, { lang: 'en', text: 'hi' }, attemptOpts(run, 'b'));
  assert.equal(hit, { ok: true, output: { text: 'HI' }, durationMs: 0, cached: true });
  assert.is(calls, 1);
  // Another version of the code is another key: it calls.
  const v2 = await executor(upperV2, { text: 'hi', lang: 'en' }, attemptOpts(run, 'c'));
  assert.is((v2 as any).cached, undefined);
  assert.is(calls, 2);
});

it('failures are not cached, and workers without cache always call', async () => {
  calls = 0;
  const run = freshRunId('nocache');
  for (let i = 0; i < 2; i++) assert.is((await executor(upper, { text: 'fail' }, attemptOpts(run, `f${i}`))).ok, false);
  for (let i = 0; i < 2; i++) assert.is((await executor(uncached, { text: 'x' }, attemptOpts(run, `u${i}`))).ok, true);
  assert.is(calls, 4);
});

it("an entry expires after the worker's ttlMs", async () => {
  calls = 0;
  const run = freshRunId('ttl');
  await executor(shortLived, { text: 't' }, attemptOpts(run, 'a'));
  assert.ok((await executor(shortLived, { text: 't' }, attemptOpts(run, 'b')) as any).cached);
  await new Promise((r) => setTimeout(r, 250));
  const after = await executor(shortLived, { text: 't' }, attemptOpts(run, 'c'));
  assert.is((after as any).cached, undefined);
  assert.is(calls, 2);
});

it('in front of the queue executor: the second identical attempt never reaches a worker process', async () => {
  let ran = 0;
  const hub = createQueueExecutor({ redis: redis.url, prefix: 'cachedq' });
  const cached = withResultsCache(hub.execute, { redis: redis.url, prefix: 'cachedq' });
  const pool = await startWorkerPool({ redis: redis.url, prefix: 'cachedq', workers: [upper], onAttempt: () => ran++ });
  try {
    const run = freshRunId('cq');
    const a = await cached(upper, { text: 'q' }, attemptOpts(run, 'a'));
    const b = await cached(upper, { text: 'q' }, attemptOpts(run, 'b'));
    assert.equal(a.ok && a.output, { text: 'Q' });
    assert.equal(b, { ok: true, output: { text: 'Q' }, durationMs: 0, cached: true });
    assert.is(ran, 1);
  } finally {
    await pool.close();
    await cached.close();
    await hub.close();
  }
});

it('defineWorker checks version and cache', () => {
  assert.throws(() => defineWorker({ name: 'w', ...spec, version: '' }), /version must be a non-empty string/);
  assert.throws(() => defineWorker({ name: 'w', ...spec, cache: { ttlMs: 0 } }), /cache\.ttlMs must be a number > 0/);
  assert.throws(() => defineWorker({ name: 'w', ...spec, cache: { ttl: 5 } as any }), /cache\.ttl is not a cache field/);
  assert.equal(defineWorker({ name: 'w', ...spec, version: '3', cache: { ttlMs: 9 } }).cache, { ttlMs: 9 });
  assert.not.ok('cache' in defineWorker({ name: 'w', ...spec }));
});

it.run();
