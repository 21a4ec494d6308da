import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HistoryEvent } from '../../machines/history/events.ts';
import type { PgStore } from '../../src/history/pg/index.ts';
import { requireServices } from '../support/services.ts';
import { eventually, finished, pgFixture, sleep, started, step, type PgFixture } from './helpers.ts';

const it = requireServices(test, ['postgres']);
let fx: PgFixture;
let writerStore: PgStore;
let readerStore: PgStore;

it.before(async () => {
  fx = await pgFixture('follow');
  writerStore = await fx.open();
  readerStore = await fx.open(); // another process, in effect: notifications cross connections
});
it.after(async () => fx?.end());

it('follow delivers every event in order, without gaps or repeats, across many small commits', async () => {
  await writerStore.submit('f1', { workflowId: 'wf' }, {});
  const seen: number[] = [];
  const stop = readerStore.follow('f1', 0, (e) => seen.push(e.seq));
  await sleep(50);
  const w = (await writerStore.claim('f1', 'hub'))!.writer;
  w.append(started('f1'));
  await w.flush();
  for (let i = 1; i <= 300; i++) {
    w.append(step(i));
    if (i % 3 === 0) await w.flush(); // batches of 1 to 3 events, notified one commit at a time
    else if (i % 7 === 0) void w.flush();
  }
  w.append(finished());
  await w.flush();
  await eventually(() => seen.length >= 302, 5_000, 'all 302 events');
  await sleep(100);
  stop();
  assert.equal(seen, Array.from({ length: 302 }, (_, i) => i + 1));
});

it('follow starts after afterSeq, reads what was already there once, then the rest live; stop ends delivery', async () => {
  await writerStore.submit('f2', { workflowId: 'wf' }, {});
  const w = (await writerStore.claim('f2', 'hub'))!.writer;
  w.append(started('f2'));
  for (let i = 1; i <= 5; i++) w.append(step(i));
  await w.flush();
  const seen: HistoryEvent[] = [];
  const stop = readerStore.follow('f2', 3, (e) => seen.push(e));
  assert.equal(seen, [], 'never called back from inside follow()');
  await eventually(() => seen.length === 3, 2_000, 'the stored events');
  assert.equal(seen.map((e) => e.seq), [4, 5, 6]);
  assert.equal(seen[0], { seq: 4, ...step(3) });
  w.append(step(6));
  await w.flush();
  await eventually(() => seen.length === 4, 2_000, 'the live event');
  stop();
  w.append(step(7));
  await w.flush();
  await sleep(150);
  assert.equal(seen.map((e) => e.seq), [4, 5, 6, 7]);
});

it('several followers of several runs each get exactly their own run', async () => {
  const runs = ['m1', 'm2', 'm3'];
  const seen: Record<string, number[]> = { m1: [], m2: [], m3: [] };
  const twice: number[] = [];
  for (const id of runs) await writerStore.submit(id, { workflowId: 'wf' }, {});
  const stops = runs.map((id) => readerStore.follow(id, 0, (e) => seen[id].push(e.seq)));
  stops.push(readerStore.follow('m2', 0, (e) => twice.push(e.seq)));
  await sleep(50);
  const writers = await Promise.all(runs.map(async (id) => (await writerStore.claim(id, 'hub'))!.writer));
  await Promise.all(
    writers.map(async (w, k) => {
      w.append(started(runs[k]));
      for (let i = 1; i <= 20 * (k + 1); i++) {
        w.append(step(i));
        await w.flush();
      }
    }),
  );
  await eventually(() => seen.m1.length === 21 && seen.m2.length === 41 && seen.m3.length === 61 && twice.length === 41, 5_000, 'every run complete');
  for (const stop of stops) stop();
  assert.equal(seen.m2, Array.from({ length: 41 }, (_, i) => i + 1));
  assert.equal(twice, seen.m2);
  assert.equal(seen.m3, Array.from({ length: 61 }, (_, i) => i + 1));
});

it('following a run before it is submitted picks it up once it is written', async () => {
  const seen: number[] = [];
  const stop = readerStore.follow('later', 0, (e) => seen.push(e.seq));
  await sleep(50);
  await writerStore.submit('later', { workflowId: 'wf' }, {});
  const w = (await writerStore.claim('later', 'hub'))!.writer;
  w.append(started('later'));
  w.append(step(1));
  await w.flush();
  await eventually(() => seen.length === 2, 3_000, 'both events');
  stop();
  assert.equal(seen, [1, 2]);
});

it('follow and control watches survive a dropped LISTEN connection: they reconnect and catch up', async () => {
  const reader = await fx.open();
  await writerStore.submit('drop', { workflowId: 'wf' }, {});
  const seen: number[] = [];
  const stop = reader.follow('drop', 0, (e) => seen.push(e.seq));
  const w = (await writerStore.claim('drop', 'hub'))!.writer;
  w.append(started('drop'));
  await w.flush();
  await eventually(() => seen.length === 1, 2_000, 'the first event');
  const killed = await fx.sql(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = 'LISTEN "${fx.schema}_control"'`);
  assert.ok(killed.length >= 1, 'found the listening connections');
  for (let i = 1; i <= 5; i++) w.append(step(i)); // committed while no one listens
  await w.flush();
  await eventually(() => seen.length === 6, 5_000, 'the events committed while disconnected');
  w.append(step(6));
  await w.flush();
  await eventually(() => seen.length === 7, 3_000, 'live events after reconnecting');
  stop();
  assert.equal(seen, [1, 2, 3, 4, 5, 6, 7]);
});

test.run();
