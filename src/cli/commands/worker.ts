import { servedWorkflows } from '../../project/served.ts';
import { parseRedisUrl, redactRedisUrl } from '../../queue/connection.ts';
import { servedWorkers } from '../../queue/served-workers.ts';
import { startWorkerPool, type WorkerPool } from '../../queue/worker-pool.ts';
import { redisSpec } from '../store-option.ts';
import { CliError, defineCommand } from '../command.ts';
import { duration, parseDuration, positiveInt, type Parser } from '../options.ts';
import { untilStopSignal } from '../signals.ts';

const RATE_EXPECTS = 'attempts per duration, like 20/1s, 100/1m or 5/500ms';

/**
 * `--rate 20/1s`: at most that many attempts per duration, per worker. A bare unit counts one
 * (`20/s` is `20/1s`).
 *
 * @example
 * rate('20/1s', '--rate') // { max: 20, durationMs: 1000 }
 */
export const rate: Parser<{ max: number; durationMs: number }> = Object.assign(
  (raw: string, flag: string) => {
    const m = /^(\d+)\/(.+)$/.exec(raw.trim());
    const max = m ? Number(m[1]) : NaN;
    const durationMs = m ? parseDuration(/^(ms|s|m|h|d)$/.test(m[2]) ? `1${m[2]}` : m[2]) : undefined;
    if (!(max >= 1 && Number.isSafeInteger(max)) || !durationMs || durationMs < 1) throw new CliError(`${flag} must be ${RATE_EXPECTS}, got ${JSON.stringify(raw)}`);
    return { max, durationMs };
  },
  { expects: RATE_EXPECTS, placeholder: 'n/duration' },
);

export default defineCommand({
  options: {
    redis: { help: 'the Redis the hub queues attempts in', value: 'url', defaultText: '$ORCHESTAI_REDIS' },
    workflow: { help: 'serve the workers of these workflows, comma-separated (ids, modules or files); default: every workflow of orchestai.config.ts', value: 'refs' },
    only: { help: 'serve only these workers (comma-separated names)', value: 'a,b' },
    concurrency: { help: 'attempts at once per worker (a worker declaring less keeps its own)', parse: positiveInt, default: 10 },
    rate: { help: 'at most this many attempts per duration, per worker, across all worker processes', parse: rate, defaultText: 'no limit' },
    prefix: { help: "the Redis key prefix (the hub's must match)", value: 'prefix', default: 'orchestai' },
    lock: { help: "how soon a dead worker process's attempts go to another; raise it for workers that block the event loop longer", parse: duration, defaultText: '4s' },
  },
  help: 'Environment:\n  ORCHESTAI_REDIS  the Redis URL when --redis is not given, e.g. redis://127.0.0.1:6379/0\n\nStops on SIGTERM or Ctrl-C after the attempts it is running finish (again to exit at once).',
  async run({ values, io }) {
    const url = await redisSpec(values.redis, io);
    if (!url) throw new CliError('worker needs a Redis: pass --redis redis://host:port/db, set ORCHESTAI_REDIS, or add `redis` to orchestai.config.ts');
    const shown = redactRedisUrl(url);
    try {
      parseRedisUrl(url);
    } catch (e) {
      throw new CliError(`--redis: ${(e as Error).message}`);
    }
    const refs = (values.workflow ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const workflows = await servedWorkflows(refs, io.cwd);
    const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
    let workers;
    try {
      workers = servedWorkers(workflows, only);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (workers.length === 0) throw new CliError(`no worker to serve: the workflows (${workflows.map((w) => w.id).join(', ')}) use none`);
    let pool: WorkerPool;
    try {
      pool = await startWorkerPool({
        redis: url,
        workers,
        concurrency: values.concurrency,
        limiter: values.rate,
        prefix: values.prefix,
        lockDurationMs: values.lock,
        onError: quiet((line) => io.err(line)),
      });
    } catch (e) {
      // Redis unreachable: one line. Anything else is a bug, shown with its name (and stack with --debug).
      if ((e as Error).name === 'RedisUrlError') throw new CliError((e as Error).message);
      throw e;
    }
    const names = pool.workers;
    const summary = `serving ${names.length} worker${names.length === 1 ? '' : 's'} (${names.join(', ')}) on ${shown}, concurrency ${values.concurrency}${values.rate ? `, rate ${values.rate.max}/${values.rate.durationMs}ms` : ''}`;
    if (values.json) io.out(JSON.stringify({ ready: true, workers: names, redis: shown, concurrency: values.concurrency, rate: values.rate ?? null }));
    else io.out(`worker: ${summary}`);
    await untilStopSignal();
    io.err('worker: stopping; finishing the attempts in progress (again to exit at once)');
    await pool.close();
    io.err('worker: stopped');
    return 0;
  },
});

/**
 * Reports connection trouble once per message per 10 s: every connection of the pool reports the
 * same outage (`ECONNREFUSED`) on each reconnect try.
 */
function quiet(print: (line: string) => void): (e: Error) => void {
  const last = new Map<string, number>();
  return (e) => {
    const line = `worker: ${e.message}`;
    const now = Date.now();
    if (now - (last.get(line) ?? -Infinity) < 10_000) return;
    last.set(line, now);
    print(line);
  };
}
