import { createHash } from 'node:crypto';
import type { AnyWorker } from '../../machines/worker.ts';
import type { Json } from '../../transformers/index.ts';
import type { AttemptExecutor, AttemptResult } from '../runtime/attempt.ts';
import { redisClient } from './connection.ts';
import { cacheKey, DEFAULT_PREFIX } from './names.ts';

/** A cached output lives this long unless the worker says otherwise: 24 h. */
export const DEFAULT_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

export interface ResultsCacheOptions {
  /** `redis://host:port/db`. */
  redis: string;
  /** Key prefix in Redis (default `orchestai`). */
  prefix?: string;
}

/** An executor with a results cache in front, and the cache's connection to close. */
export type CachedExecutor = AttemptExecutor & { close(): Promise<void> };

/**
 * JSON with object keys sorted at every level, so equal inputs give equal text whatever order
 * their keys were written in.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }) // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key digest of an attempt: sha256 of the worker's name, its version and its input.
 *
 * @example
 * resultsCacheDigest(summarize, { text: 'hi' }) // '3f1c…' (64 hex digits)
 */
export function resultsCacheDigest(worker: AnyWorker, input: Json): string {
  return createHash('sha256').update(JSON.stringify([worker.name, worker.version ?? '', canonicalJson(input)])).digest('hex');
}

/** The ttl of a worker's cache, or undefined when it does not cache. */
function ttlOf(worker: AnyWorker): number | undefined {
  if (!worker.cache) return undefined;
  return (typeof worker.cache === 'object' ? worker.cache.ttlMs : undefined) ?? DEFAULT_CACHE_TTL_MS;
}

/**
 * Puts an opt-in results cache in Redis in front of `execute`: for a worker with `cache` set, an
 * attempt whose (worker, version, input) succeeded before returns that output at once
 * (`cached: true`, `durationMs: 0`, no cost) without calling; a success is stored for the worker's
 * ttl; failures are never stored. Workers without `cache` go straight to `execute`. A Redis that
 * fails is no reason to fail an attempt: the call is made, uncached.
 *
 * @example
 * const execute = withResultsCache(queue.execute, { redis: 'redis://127.0.0.1:6379' });
 * await execute(summarize, { text }, opts); // later calls with the same text: cached: true
 * await execute.close();
 */
export function withResultsCache(execute: AttemptExecutor, options: ResultsCacheOptions): CachedExecutor {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const client = redisClient(options.redis);
  client.on('error', () => {}); // it reconnects; meanwhile attempts run uncached
  const cached: AttemptExecutor = async (worker, input, opts) => {
    const ttl = ttlOf(worker);
    if (ttl === undefined) return execute(worker, input, opts);
    const key = cacheKey(prefix, resultsCacheDigest(worker, input));
    const hit = await client.get(key).catch(() => null);
    if (hit !== null) {
      const output = parseStored(hit);
      if (output !== undefined) return { ok: true, output: output.value, durationMs: 0, cached: true };
    }
    const result: AttemptResult = await execute(worker, input, opts);
    if (result.ok && !result.cached) await client.set(key, JSON.stringify({ value: result.output }), 'PX', Math.max(1, Math.round(ttl))).catch(() => null);
    return result;
  };
  return Object.assign(cached, {
    async close() {
      client.disconnect();
    },
  });
}

/** A stored entry `{ value }`; undefined when it is not one (then the call is made and overwrites it). */
function parseStored(text: string): { value: Json } | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && 'value' in v ? (v as { value: Json }) : undefined;
  } catch {
    return undefined;
  }
}
