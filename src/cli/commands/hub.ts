import { startHub } from '../../hub/hub.ts';
import { isPostgresUrl, withoutPassword } from '../../server/open-store.ts';
import { servedWorkflows } from '../../project/served.ts';
import { CliError, defineCommand } from '../command.ts';
import { duration, port, positiveInt } from '../options.ts';
import { serveHubMetrics } from '../../hub/metrics-server.ts';
import { untilStopSignal } from '../signals.ts';
import { redisSpec, storeSpec } from '../store-option.ts';

/** The store, only on the scale-out path (it loads the PostgreSQL driver). */
const loadPgStore = () => import('../../history/pg/pg-store.ts');
/** The queue, only when attempts go to worker processes (it loads BullMQ). */
const loadQueue = () => import('../../queue/index.ts');

export default defineCommand({
  options: {
    store: { help: 'the PostgreSQL store to drive runs of (default: $ORCHESTAI_STORE)', value: 'postgres://…' },
    redis: { help: 'hand attempts to `orchestai worker` processes through this Redis (default: $ORCHESTAI_REDIS; without one, attempts run in this process)', value: 'redis://…' },
    workflow: { help: 'the workflows to drive, comma-separated (ids, modules or files); default: every workflow of orchestai.config.ts', value: 'refs' },
    'max-runs': { help: 'at most this many runs driven at once', parse: positiveInt, default: 1000 },
    schema: { help: 'the PostgreSQL schema of the store\'s tables', value: 'name', defaultText: 'orchestai' },
    'metrics-port': { help: 'serve Prometheus metrics (step durations and costs by worker, runs by status, queue depth) at http://127.0.0.1:<port>/metrics', parse: port },
    lease: { help: 'how long a run stays this hub\'s without a renewal; another hub takes it over after that', parse: duration, default: 5000 },
  },
  help: [
    'A hub drives runs stored in PostgreSQL: it takes submitted runs and runs whose hub died (once their lease expired),',
    'records every event in the store, and hands attempts to worker processes (`orchestai worker`) through Redis.',
    'Start as many hubs as you like, on any machine: each run is driven by one hub at a time.',
    'Examples:',
    '  orchestai hub --store postgres://orchestai@db:5432/orchestai --redis redis://queue:6379',
    '  orchestai worker --redis redis://queue:6379 --concurrency 20',
  ].join('\n'),
  async run({ values, io }) {
    const url = await storeSpec(values.store, io);
    if (!url) throw new CliError('hub needs a PostgreSQL store: pass --store postgres://user@host:5432/db, set ORCHESTAI_STORE, or add `store` to orchestai.config.ts');
    if (!isPostgresUrl(url)) throw new CliError(`--store must be a postgres:// URL (got ${JSON.stringify(withoutPassword(url))}); the JSONL store runs in one process: use \`orchestai run\``);
    const refs = (values.workflow ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const workflows = await servedWorkflows(refs, io.cwd);
    const { createPgStore } = await loadPgStore();
    const store = await createPgStore(url, { leaseMs: values.lease, ...(values.schema ? { schema: values.schema } : {}) }).catch((e) => {
      throw new CliError(`cannot open the store ${withoutPassword(url)}: ${withoutPassword(String(e?.message ?? e))}`);
    });
    const redis = await redisSpec(values.redis, io);
    const q = redis ? await loadQueue() : undefined;
    const queue = q?.createQueueExecutor({ redis: redis! });
    // Workers that opt into the results cache (`cache: true`) answer from Redis when they can.
    const execute = queue && q!.withResultsCache(queue.execute, { redis: redis! });
    const metrics = values['metrics-port'] === undefined ? undefined : await serveHubMetrics({ store, port: values['metrics-port'], queueDepth: async () => sum(await (queue?.depth() ?? Promise.resolve({}))) });
    const hub = startHub({ store, workflows, execute, onEvent: metrics?.observe, maxRuns: values['max-runs'], renewMs: Math.max(100, Math.floor(values.lease / 4)), pollMs: Math.min(1000, values.lease) });
    if (metrics) io.err(`hub ${hub.holder}: metrics at ${metrics.url}`);
    io.out(`hub ${hub.holder}: driving ${workflows.map((w) => w.id).join(', ')} from ${store.location}${queue ? ` with attempts on ${withoutPassword(redis!)}` : ' with attempts in this process'}`);
    await untilStopSignal();
    io.err(`hub ${hub.holder}: stopping; interrupting ${hub.held().length} runs for other hubs to continue`);
    await hub.stop();
    await metrics?.close();
    await execute?.close();
    await queue?.close();
    await store.close();
    return 0;
  },
});

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
