import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LeaseLostError, type AsyncHistoryWriter, type PgStore } from '../../src/history/pg/index.ts';
import { requireServices } from '../support/services.ts';
import { finished, pgFixture, rejects, sleep, started, step, type PgFixture } from './helpers.ts';

const it = requireServices(test, ['postgres']);
let fx: PgFixture;
let store: PgStore;

it.before(async () => {
  fx = await pgFixture('commit');
  store = await fx.open({ leaseMs: 10_000 });
});
it.after(async () => fx?.end());

async function claimNew(s: PgStore, runId: string, holder = 'hub-a'): Promise<AsyncHistoryWriter> {
  await s.submit(runId, { workflowId: 'wf' }, {});
  return (await s.claim(runId, holder))!.writer;
}

it('append numbers events synchronously and buffers them; flush resolves once they are committed', async () => {
  const w = await claimNew(store, 'a1');
  const e1 = w.append(started('a1'));
  const e2 = w.append(step(1));
  assert.equal([e1.seq, e2.seq, w.lastSeq], [1, 2, 2]);
  assert.equal(e2, { seq: 2, ...step(1) });
  assert.equal(await store.read('a1'), [], 'nothing is stored before flush');
  await w.flush();
  assert.equal((await store.read('a1')).map((e) => e.seq), [1, 2]);
  assert.equal(await store.read('a1', 1), [e2]);
  await w.flush(); // nothing buffered: resolves at once
  const [row] = await fx.sql(`SELECT status, last_seq, (extract(epoch FROM started_at) * 1000)::float8 AS started FROM $schema.runs WHERE id = 'a1'`);
  assert.equal(row, { status: 'running', last_seq: 2, started: 1_000 });
});

it('many concurrent writers flushing after every append share few transactions', async () => {
  const runs = 60;
  const steps = 10;
  const writers = await Promise.all(Array.from({ length: runs }, (_, i) => claimNew(store, `g${i}`)));
  const before = { ...store.stats };
  await Promise.all(
    writers.map(async (w, i) => {
      w.append(started(`g${i}`));
      await w.flush();
      for (let s = 1; s <= steps; s++) {
        w.append(step(s));
        await w.flush();
      }
    }),
  );
  const flushes = store.stats.flushes - before.flushes;
  const batches = store.stats.batches - before.batches;
  assert.is(flushes, runs * (steps + 1));
  assert.is(store.stats.events - before.events, runs * (steps + 1));
  assert.ok(batches < flushes / 10, `${batches} transactions for ${flushes} flushes`);
  const [count] = await fx.sql(`SELECT count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM $schema.events WHERE run_id LIKE 'g%'`);
  assert.equal(count, { n: runs * (steps + 1), runs });
  for (const i of [0, 17, runs - 1]) assert.equal((await store.read(`g${i}`)).map((e) => e.seq), Array.from({ length: steps + 1 }, (_, k) => k + 1));
});

it('fencing: a writer whose run another holder took gets LeaseLostError, stores nothing; the rest of its batch commits', async () => {
  const short = await fx.open({ leaseMs: 150 });
  const loser = await claimNew(short, 'f-lost', 'hub-a');
  const keeper = await claimNew(short, 'f-kept', 'hub-a');
  loser.append(started('f-lost'));
  keeper.append(started('f-kept'));
  await Promise.all([loser.flush(), keeper.flush()]);
  await sleep(200);
  const thief = await short.claim('f-lost', 'hub-b');
  assert.ok(thief, 'the lease expired: hub-b takes the run');
  await short.renew('hub-a', ['f-kept']);
  // Both flush in the same turn, so one batch carries both runs.
  const batches = short.stats.batches;
  loser.append(step(1));
  loser.append(step(2));
  keeper.append(step(1));
  const [lost, kept] = await Promise.allSettled([loser.flush(), keeper.flush()]);
  assert.is(short.stats.batches - batches, 1, 'one transaction for both');
  assert.is(kept.status, 'fulfilled');
  assert.is(lost.status, 'rejected');
  const error = (lost as PromiseRejectedResult).reason as Error;
  assert.ok(error instanceof LeaseLostError);
  assert.match(error.message, /run f-lost: lease lost by hub-a/);
  assert.equal((await short.read('f-lost')).map((e) => e.seq), [1], 'nothing of the lost writer after its lease');
  assert.equal((await short.read('f-kept')).map((e) => e.seq), [1, 2]);
  // The lost writer stays refused; the new holder continues from seq 1.
  loser.append(step(3));
  await rejects(loser.flush(), (e) => e instanceof LeaseLostError);
  await rejects(loser.close(), (e) => e instanceof LeaseLostError);
  assert.is((await short.holderOf('f-lost'))?.holder, 'hub-b', 'closing the lost writer released nothing');
  assert.is(thief.writer.lastSeq, 1);
  thief.writer.append(step(1));
  await thief.writer.flush();
  assert.equal((await short.read('f-lost')).map((e) => e.seq), [1, 2]);
});

it('a released run fences its old writer too; two writers of one holder cannot both write a seq', async () => {
  const w = await claimNew(store, 'd1');
  w.append(started('d1'));
  await w.flush();
  await store.release('hub-a', ['d1']);
  w.append(step(1));
  await rejects(w.flush(), (e) => e instanceof LeaseLostError);

  const first = await claimNew(store, 'd2');
  const second = (await store.claim('d2', 'hub-a'))!.writer; // the same holder claims again
  first.append(started('d2'));
  second.append(started('d2'));
  const results = await Promise.allSettled([first.flush(), second.flush()]);
  assert.equal(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  assert.ok((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason instanceof LeaseLostError);
  assert.equal((await store.read('d2')).length, 1);
});

it('run.finished sets the outcome, times, cost and duration, and lets the holder go', async () => {
  const w = await claimNew(store, 'fin');
  w.append(started('fin', 1_500));
  w.append(step(1));
  w.append(finished('cancelled', 2_500));
  await w.flush();
  const [row] = await fx.sql(
    `SELECT status, holder, lease_until, cost, duration_ms, last_seq, (extract(epoch FROM started_at) * 1000)::float8 AS started, (extract(epoch FROM finished_at) * 1000)::float8 AS finished FROM $schema.runs WHERE id = 'fin'`,
  );
  assert.equal(row, { status: 'cancelled', holder: null, lease_until: null, cost: 0.25, duration_ms: 40, last_seq: 3, started: 1_500, finished: 2_500 });
  await w.close(); // nothing to release
  assert.is(await store.holderOf('fin'), undefined);
});

it('close() flushes, then gives an unfinished run up for another hub', async () => {
  const w = await claimNew(store, 'cl');
  w.append(started('cl'));
  await w.close();
  assert.equal((await store.read('cl')).length, 1);
  assert.is(await store.holderOf('cl'), undefined);
  assert.ok((await store.orphans(1000)).includes('cl'));
  assert.throws(() => w.append(step(1)), /closed/);
  const again = await store.claim('cl', 'hub-b');
  assert.is(again?.writer.lastSeq, 1);
});

it('a bad event fails only its own run; the others of the batch commit', async () => {
  const bad = await claimNew(store, 'bad');
  const good = await claimNew(store, 'good');
  bad.append({ ...step(1), event: 'nul\u0000byte' } as never); // jsonb refuses \u0000
  good.append(started('good'));
  const [b, g] = await Promise.allSettled([bad.flush(), good.flush()]);
  assert.is(g.status, 'fulfilled');
  assert.is(b.status, 'rejected');
  assert.match((b as PromiseRejectedResult).reason.message, /run bad: storing events 1\.\.1 failed/);
  assert.equal((await store.read('good')).length, 1);
  assert.equal(await store.read('bad'), []);
});

test.run();
