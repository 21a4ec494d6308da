import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPgStore, type PgStore } from '../../src/history/pg/index.ts';
import { UnknownRunError } from '../../src/history/run-store.ts';
import { requireServices } from '../support/services.ts';
import { eventually, pgFixture, rejects, sleep, started, type PgFixture } from './helpers.ts';

const it = requireServices(test, ['postgres']);
let fx: PgFixture;
let store: PgStore;

it.before(async () => {
  fx = await pgFixture('leases');
  store = await fx.open({ leaseMs: 300, orphanPollMs: 100 });
});
it.after(async () => fx?.end());

it('submit records a queued run with its input and meta; an id taken twice is refused', async () => {
  await store.submit('s1', { workflowId: 'wf', priority: 3, source: 'builtin:wf', instruction: 'do it' }, { ticket: 42, tags: ['a', 'b'] });
  const [row] = await fx.sql(`SELECT status, holder, priority, input, source, instruction, last_seq FROM $schema.runs WHERE id = 's1'`);
  assert.equal(row, { status: 'queued', holder: null, priority: 3, input: { ticket: 42, tags: ['a', 'b'] }, source: 'builtin:wf', instruction: 'do it', last_seq: 0 });
  await rejects(() => store.submit('s1', { workflowId: 'wf' }, null), /run s1 already exists/);
  assert.ok(await store.exists('s1'));
  assert.not.ok(await store.exists('nope'));
  assert.equal(await store.read('s1'), []);
  await rejects(() => store.read('nope'), (e: Error) => e instanceof UnknownRunError && e.message.includes('nope'));
});

it('claim returns meta, input, events and a writer; a live holder keeps others out', async () => {
  await store.submit('c1', { workflowId: 'wf', source: 'src.ts' }, { x: 1 });
  const claimed = await store.claim('c1', 'hub-a');
  assert.ok(claimed);
  assert.equal(claimed.meta, { workflowId: 'wf', priority: 0, source: 'src.ts' });
  assert.equal(claimed.input, { x: 1 });
  assert.equal(claimed.events, []);
  assert.is(claimed.writer.lastSeq, 0);
  assert.is(await store.claim('c1', 'hub-b'), undefined);
  const holder = await store.holderOf('c1');
  assert.is(holder?.holder, 'hub-a');
  assert.is(holder?.alive, true);
  assert.ok(holder!.leaseUntil! > Date.now() - 5_000);
  // The holder itself may claim again (a hub restarting with the same id).
  assert.ok(await store.claim('c1', 'hub-a'));
});

it('two holders racing for one run: exactly one wins, every time', async () => {
  const other = await fx.open({ leaseMs: 300 });
  for (let i = 0; i < 20; i++) {
    await store.submit(`race${i}`, { workflowId: 'wf' }, i);
  }
  for (let i = 0; i < 20; i++) {
    const [a, b] = await Promise.all([store.claim(`race${i}`, 'hub-a'), other.claim(`race${i}`, 'hub-b')]);
    assert.is(Number(a !== undefined) + Number(b !== undefined), 1, `race${i}: ${a ? 'a' : '-'} ${b ? 'b' : '-'}`);
  }
});

it('an expired lease lets another holder take the run over, with the events stored so far', async () => {
  await store.submit('x1', { workflowId: 'wf' }, {});
  const first = (await store.claim('x1', 'hub-a'))!;
  first.writer.append(started('x1'));
  await first.writer.flush();
  assert.is(await store.claim('x1', 'hub-b'), undefined);
  await sleep(350); // leaseMs 300
  assert.equal((await store.holderOf('x1'))?.alive, false);
  assert.ok((await store.orphans(100)).includes('x1'));
  const second = await store.claim('x1', 'hub-b');
  assert.ok(second);
  assert.equal(second.events.map((e) => [e.seq, e.type]), [[1, 'run.started']]);
  assert.is(second.writer.lastSeq, 1);
  assert.is((await store.holderOf('x1'))?.holder, 'hub-b');
});

it('renew extends held leases and names the runs lost; a finished run is not lost', async () => {
  for (const id of ['n1', 'n2', 'n3']) await store.submit(id, { workflowId: 'wf' }, {});
  await store.claim('n1', 'hub-a');
  await store.claim('n2', 'hub-a');
  const n3 = (await store.claim('n3', 'hub-a'))!;
  n3.writer.append(started('n3'));
  n3.writer.append({ type: 'run.finished', t: 5_000, status: 'succeeded', cost: 0, durationMs: 1 });
  await n3.writer.flush();
  for (let i = 0; i < 4; i++) {
    await sleep(100);
    assert.equal(await store.renew('hub-a', ['n1', 'n2', 'n3']), []);
  }
  assert.is(await store.claim('n1', 'hub-b'), undefined, 'renewed for 400 ms beyond a 300 ms lease: still held');
  await sleep(350);
  assert.ok(await store.claim('n2', 'hub-b'));
  assert.equal(await store.renew('hub-a', ['n1', 'n2', 'n3']), ['n2']);
  assert.equal(await store.renew('hub-a', []), []);
});

it('release gives runs up at once and notifies; others claim without waiting', async () => {
  await store.submit('r1', { workflowId: 'wf' }, {});
  await store.claim('r1', 'hub-a');
  let woken = 0;
  const off = store.onOrphan(() => woken++);
  await sleep(50);
  woken = 0;
  await store.release('hub-b', ['r1']); // not its holder: nothing happens
  assert.is((await store.holderOf('r1'))?.holder, 'hub-a');
  await store.release('hub-a', ['r1']);
  assert.is(await store.holderOf('r1'), undefined);
  await eventually(() => woken > 0, 2_000, 'the orphans notification');
  off();
  assert.ok(await store.claim('r1', 'hub-b'));
});

it('orphans: unheld and expired runs only, by priority then oldest; onOrphan hears submissions and sees expiries', async () => {
  const fresh = await pgFixture('orph');
  try {
    const s = await fresh.open({ leaseMs: 200, orphanPollMs: 50 });
    let woken = 0;
    const off = s.onOrphan(() => woken++);
    await sleep(100);
    await s.submit('low', { workflowId: 'wf', priority: 5 }, {});
    await eventually(() => woken > 0, 2_000, 'the submit notification');
    await s.submit('high', { workflowId: 'wf', priority: -1 }, {});
    await s.submit('mid1', { workflowId: 'wf', priority: 0 }, {});
    await s.submit('mid2', { workflowId: 'wf', priority: 0 }, {});
    await s.submit('held', { workflowId: 'wf', priority: -5 }, {});
    assert.equal(await s.orphans(10), ['held', 'high', 'mid1', 'mid2', 'low']);
    assert.equal(await s.orphans(2), ['held', 'high']);
    for (const id of ['held', 'high', 'mid1', 'mid2', 'low']) assert.ok(await s.claim(id, 'hub-a'));
    assert.equal(await s.orphans(10), []);
    // Nobody renews: the poll sees the expired leases (a dead hub sends no notification).
    await sleep(100);
    woken = 0;
    await eventually(() => woken > 0, 2_000, 'the expiry poll');
    assert.equal(await s.orphans(10), ['held', 'high', 'mid1', 'mid2', 'low']);
    off();
  } finally {
    await fresh.end();
  }
});

it('a finished run cannot be claimed and is no orphan', async () => {
  await store.submit('f1', { workflowId: 'wf' }, {});
  const c = (await store.claim('f1', 'hub-a'))!;
  c.writer.append(started('f1'));
  c.writer.append({ type: 'run.finished', t: 5_000, status: 'failed', cost: 0, durationMs: 1 });
  await c.writer.close();
  assert.is(await store.claim('f1', 'hub-b'), undefined);
  assert.is(await store.holderOf('f1'), undefined);
  assert.not.ok((await store.orphans(1000)).includes('f1'));
});

it('location carries no password', async () => {
  assert.ok(fx.url.includes(':') && /:[0-9a-f]{24}@/.test(fx.url), 'the test server uses a password');
  assert.not.ok(store.location.includes(fx.url.match(/:([0-9a-f]{24})@/)![1]));
  assert.match(store.location, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
  assert.is(store.kind, 'postgres');
  const wrong = fx.url.replace(/:([0-9a-f]{24})@/, ':not-the-password@');
  const error = await rejects(createPgStore(wrong, { schema: fx.schema }), /password authentication failed/);
  assert.not.match(error.message, /not-the-password/);
  assert.match(error.message, /postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/, 'names the place');
});

test.run();
