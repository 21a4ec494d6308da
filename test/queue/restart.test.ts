import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pingRedis } from '../../src/queue/connection.ts';
import { createQueueExecutor } from '../../src/queue/queue-executor.ts';
import { startWorkerPool } from '../../src/queue/worker-pool.ts';
import { requireServices } from '../support/services.ts';
import { attemptOpts, countingWorker, freshRunId, until } from './support.ts';

const it = requireServices(test, ['redis']);

/** A Redis on a fixed port (so it can come back on the same one), without persistence. */
async function redisOn(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until(() => pingRedis(`redis://127.0.0.1:${port}`, 500).then(() => true, () => false), 5000, 'redis up');
  return server;
}

it('a Redis restart: hub and worker pool reconnect by themselves and the next attempt goes through', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  let server = await redisOn(port);
  const errors: Error[] = [];
  const double = countingWorker('double');
  const hub = createQueueExecutor({ redis: url });
  const pool = await startWorkerPool({ redis: url, workers: [double], onError: (e) => errors.push(e) });
  try {
    const before = await hub.execute(double, { n: 1 }, attemptOpts(freshRunId('restart'), 'a'));
    assert.equal(before.ok && before.output, { n: 2 });
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    server = await redisOn(port);
    const t0 = Date.now();
    const after = await hub.execute(double, { n: 5 }, attemptOpts(freshRunId('restart'), 'b'));
    assert.equal(after.ok && after.output, { n: 10 });
    const ms = Date.now() - t0;
    // The pool fetches again within a second of the lost connection; the hub's poll catches a missed event.
    assert.ok(ms < 3000, `the next attempt took ${ms} ms after Redis came back`);
    console.log(`  after a Redis restart the next attempt took ${ms} ms`);
  } finally {
    await hub.close();
    await pool.close();
    server.kill('SIGKILL');
  }
});

it.run();
