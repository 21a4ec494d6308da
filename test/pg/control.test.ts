import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ControlRequest } from '../../src/history/control.ts';
import type { PgStore } from '../../src/history/pg/index.ts';
import { UnknownRunError } from '../../src/history/run-store.ts';
import { requireServices } from '../support/services.ts';
import { eventually, pgFixture, rejects, sleep, type PgFixture } from './helpers.ts';

const it = requireServices(test, ['postgres']);
let fx: PgFixture;
let hub: PgStore;
let server: PgStore;

it.before(async () => {
  fx = await pgFixture('control');
  hub = await fx.open();
  server = await fx.open();
});
it.after(async () => fx?.end());

const approve = (id: string, step = 'review'): ControlRequest => ({ type: 'approve', id, t: 1_000, step, approved: true, by: 'ann' });
const cancel = (id: string): ControlRequest => ({ type: 'cancel', id, t: 2_000, reason: 'wrong input' });

it('sendControl stores requests durably, oldest first, once per id; an unknown run is refused', async () => {
  await server.submit('k1', { workflowId: 'wf' }, {});
  await server.sendControl('k1', approve('a1'));
  await server.sendControl('k1', cancel('c1'));
  await server.sendControl('k1', approve('a1')); // a retried send: stored once
  assert.equal(await hub.controlRequests('k1'), [approve('a1'), cancel('c1')]);
  assert.equal(await hub.controlRequests('none'), []);
  await rejects(server.sendControl('none', cancel('c9')), (e) => e instanceof UnknownRunError);
});

it('the control channel answers synchronously from a cache loaded at claim and kept current by LISTEN', async () => {
  await server.submit('k2', { workflowId: 'wf' }, {});
  await server.sendControl('k2', approve('early'));
  const channel = hub.controlChannel();
  assert.equal(channel.requests('k2'), [], 'not claimed here: nothing cached');
  await hub.claim('k2', 'hub-a');
  assert.equal(channel.requests('k2'), [approve('early')], 'loaded at claim');
  const told: string[] = [];
  const stop = channel.watch(() => ['k2'], (runId) => told.push(runId));
  await eventually(() => told.length === 1, 2_000, 'the requests sent before the watch');
  await server.sendControl('k2', cancel('late'));
  await eventually(() => told.length === 2, 2_000, 'the new request');
  assert.equal(channel.requests('k2'), [approve('early'), cancel('late')]);
  // Requests to runs it does not watch are not reported.
  await server.submit('k3', { workflowId: 'wf' }, {});
  await server.sendControl('k3', cancel('other'));
  await sleep(150);
  assert.equal(told, ['k2', 'k2']);
  stop();
  await server.sendControl('k2', approve('after-stop', 'other'));
  await sleep(150);
  assert.equal(told.length, 2, 'nothing after unsubscribe');
});

it('send through the channel is cached at once and stored for everyone', async () => {
  await server.submit('k4', { workflowId: 'wf' }, {});
  await hub.claim('k4', 'hub-a');
  const errors: Error[] = [];
  const channel = hub.controlChannel((e) => errors.push(e));
  channel.send('k4', cancel('from-hub'));
  assert.equal(channel.requests('k4'), [cancel('from-hub')]);
  await eventually(async () => (await server.controlRequests('k4')).length === 1, 2_000, 'the stored request');
  channel.send('ghost', cancel('lost'));
  await eventually(() => errors.length === 1, 2_000, 'the storing error');
  assert.match(errors[0].message, /control request lost to run ghost was not stored/);
});

it('closing the writer forgets the run’s cached requests', async () => {
  await server.submit('k5', { workflowId: 'wf' }, {});
  await server.sendControl('k5', cancel('x'));
  const channel = hub.controlChannel();
  const { writer } = (await hub.claim('k5', 'hub-a'))!;
  assert.is(channel.requests('k5').length, 1);
  await writer.close();
  assert.equal(channel.requests('k5'), []);
});

test.run();
