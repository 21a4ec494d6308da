import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createQueueExecutor } from '../../src/queue/queue-executor.ts';
import { rate } from '../../src/cli/commands/worker.ts';
import { servedWorkers } from '../../src/queue/served-workers.ts';
import { cli, ROOT } from '../support/cli.ts';
import { requireServices, startRedis } from '../support/services.ts';
import fixture, { shout } from './fixture-flow.ts';
import { attemptOpts, freshRunId, until } from './support.ts';

const FLOW = 'test/queue/fixture-flow.ts';

test('worker without a Redis: one line saying what to pass', async () => {
  const env = process.env.ORCHESTAI_REDIS;
  delete process.env.ORCHESTAI_REDIS;
  try {
    const r = await cli(['worker', '--workflow', FLOW]);
    assert.is(r.code, 1);
    // One line naming the flag and the variable (the project config may be named too).
    assert.match(r.err, /^orchestai: worker needs a Redis: pass --redis redis:\/\/host:port\/db,? (or )?set ORCHESTAI_REDIS[^\n]*$/);
  } finally {
    if (env !== undefined) process.env.ORCHESTAI_REDIS = env;
  }
});

test('worker: bad --rate, bad --redis, unknown --only and no workflow are one-line errors', async () => {
  const bad = await cli(['worker', '--redis', 'redis://127.0.0.1:1', '--rate', '20']);
  assert.is(bad.code, 1);
  assert.is(bad.err, 'orchestai: --rate must be attempts per duration, like 20/1s, 100/1m or 5/500ms, got "20"');
  assert.match((await cli(['worker', '--redis', 'redis://127.0.0.1:1', '--rate', '0/1s'])).err, /^orchestai: --rate must be .*got "0\/1s"$/);
  assert.match((await cli(['worker', '--redis', 'redis://127.0.0.1:1', '--lock', 'soon'])).err, /^orchestai: --lock must be a duration like .*, got "soon"$/);
  const url = await cli(['worker', '--redis', 'http://:s3cret@h:1', '--workflow', FLOW]);
  assert.is(url.err, 'orchestai: --redis: http://:***@h:1: the scheme must be redis://, got http://');
  const only = await cli(['worker', '--redis', 'redis://127.0.0.1:1', '--workflow', FLOW, '--only', 'shout,nope']);
  assert.is(only.err, 'orchestai: --only names "nope", which no workflow uses (workers: shout, whisper, echo-text)');
  const two = await cli(['worker', '--redis', 'redis://127.0.0.1:1', '--workflow', `${FLOW}, test/support/slow-chain.ts`, '--only', 'x']);
  assert.is(two.err, 'orchestai: --only names "x", which no workflow uses (workers: shout, whisper, echo-text, slow-step)');
  const none = await cli(['worker', '--redis', 'redis://127.0.0.1:1']);
  assert.match(none.err, /^orchestai: .*: no orchestai\.config\.ts found from here: name the workflows to serve with --workflow <id\|module\|file>$/);
  const down = await cli(['worker', '--redis', 'redis://:s3cret@127.0.0.1:1/0', '--workflow', FLOW]);
  assert.is(down.err, 'orchestai: cannot reach Redis at redis://:***@127.0.0.1:1/0: ECONNREFUSED');
});

test('--rate values and the workers a workflow uses (routed candidates included)', () => {
  assert.equal(rate('20/1s', '--rate'), { max: 20, durationMs: 1000 });
  assert.equal(rate('20/s', '--rate'), { max: 20, durationMs: 1000 });
  assert.equal(rate('5/500ms', '--rate'), { max: 5, durationMs: 500 });
  assert.equal(rate('100/1m', '--rate'), { max: 100, durationMs: 60_000 });
  for (const bad of ['20', '/1s', '20/', '20/1x', '-1/1s', '1.5/1s']) assert.throws(() => rate(bad, '--rate'), /--rate must be/);
  assert.equal(servedWorkers([fixture]).map((w) => w.name), ['shout', 'whisper', 'echo-text']);
  assert.equal(servedWorkers([fixture], ['echo-text']).map((w) => w.name), ['echo-text']);
});

const it = requireServices(test, ['redis']);

it('orchestai worker (a process): ready line, serves attempts from a hub, stops gracefully on SIGTERM', async () => {
  const redis = await startRedis();
  const hub = createQueueExecutor({ redis: redis.url });
  const tsx = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const proc = spawn(process.execPath, ['--import', tsx, path.join(ROOT, 'src/cli/bin.ts'), 'worker', '--workflow', FLOW, '--concurrency', '20'], {
    cwd: ROOT,
    env: { ...process.env, ORCHESTAI_REDIS: redis.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  try {
    await until(() => out.includes('\n'), 15_000, 'the ready line');
    assert.is(out, `worker: serving 3 workers (shout, whisper, echo-text) on ${redis.url}, concurrency 20\n`);
    const r = await hub.execute(shout, { text: 'hey' }, attemptOpts(freshRunId('cli'), 'loud'));
    assert.equal(r.ok && r.output, { text: 'HEY' });
    proc.kill('SIGTERM');
    assert.is(await exit, 0, err);
    assert.match(err, /worker: stopping; finishing the attempts in progress/);
    assert.match(err, /worker: stopped/);
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await hub.close();
    await redis.stop();
  }
});

it.run();
