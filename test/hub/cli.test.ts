import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { submitRun, waitForRun } from '../../src/hub/client.ts';
import { startHub } from '../../src/hub/hub.ts';
import { pgFixture, type PgFixture } from '../pg/helpers.ts';
import { cli } from '../support/cli.ts';
import { requireServices } from '../support/services.ts';
import approvalFlow from '../support/approval-flow.ts';
import { chaosDag } from '../chaos/flow.ts';

// `orchestai runs`, `show` and `replay` on the PostgreSQL store (`--store postgres://…?schema=`).
const it = requireServices(test, ['postgres']);

let fx: PgFixture;
it.before(async () => {
  fx = await pgFixture('cli');
});
it.after(async () => {
  await fx.end();
});

it('runs, show and replay read a run a hub drove, from --store or $ORCHESTAI_STORE; an unknown id is one line', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  const hub = startHub({ store, workflows: [approvalFlow] });
  const runId = await submitRun(store, 'needs-approval', { topic: 'tides' });
  await new Promise((r) => setTimeout(r, 50));
  await store.sendControl(runId, { type: 'approve', id: 'ok-1', t: Date.now(), step: 'publish', approved: true, by: 'ana' });
  assert.is((await waitForRun(store, runId)).status, 'succeeded');
  await hub.stop();
  const url = `${fx.url}?schema=${fx.schema}`;

  const runs = await cli(['runs', '--store', url, '--json']);
  assert.is(runs.code, 0, runs.err);
  const page = JSON.parse(runs.out);
  assert.equal([page.total, page.runs[0].runId, page.runs[0].status], [1, runId, 'succeeded']);
  assert.not.ok(runs.out.includes(new URL(fx.url).password), 'no password printed');

  const shown = await cli(['show', runId, '--store', url]);
  assert.is(shown.code, 0, shown.err);
  assert.match(shown.out, /needs-approval\s+succeeded/);

  process.env.ORCHESTAI_STORE = url;
  try {
    const replayed = await cli(['replay', runId, '--workflow', 'test/support/approval-flow.ts', '--json']);
    assert.is(replayed.code, 0, replayed.err);
    assert.is(JSON.parse(replayed.out).ok, true);
    const unknown = await cli(['show', 'no-such-run']);
    assert.is(unknown.code, 1);
    assert.match(unknown.err, /unknown run "no-such-run" in postgres:\/\/postgres@127\.0\.0\.1/);
    assert.not.ok(unknown.err.includes(new URL(fx.url).password));
  } finally {
    delete process.env.ORCHESTAI_STORE;
  }
});

it('run --store submits to the hubs and waits for the end; an instruction is refused there', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  const hub = startHub({ store, workflows: [chaosDag] });
  try {
    const url = `${fx.url}?schema=${fx.schema}`;
    const r = await cli(['run', 'test/chaos/flow.ts', '--store', url, '--input', '{"n":1}', '--priority', '2', '--json']);
    assert.is(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.equal([out.status, out.output], ['succeeded', { n: 11 }]);
    const [row] = await fx.sql('SELECT priority FROM $schema.runs WHERE id = $1', [out.runId]);
    assert.is(row.priority, 2);
    const planned = await cli(['run', 'Summarise report.md', '--store', url]);
    assert.is(planned.code, 1);
    assert.match(planned.err, /an instruction is planned and run in this process/);
    const local = await cli(['run', 'test/chaos/flow.ts', '--priority', '1']);
    assert.match(local.err, /--priority orders runs waiting for a hub/);
  } finally {
    await hub.stop();
  }
});

it('approve and cancel --store: the request is stored and the hub holding the run applies it', async () => {
  const store = await fx.open({ leaseMs: 2000 });
  const hub = startHub({ store, workflows: [approvalFlow] });
  try {
    const url = `${fx.url}?schema=${fx.schema}`;
    const approved = await submitRun(store, 'needs-approval', { topic: 'tides' });
    const cancelled = await submitRun(store, 'needs-approval', { topic: 'waves' });
    const waiting = async (id: string) => (await store.read(id)).some((e) => e.type === 'timer.set' && e.purpose === 'approval');
    for (let i = 0; !((await waiting(approved)) && (await waiting(cancelled))); i++) {
      if (i > 200) throw new Error('the runs never waited for approval');
      await new Promise((r) => setTimeout(r, 25));
    }
    const a = await cli(['approve', approved, 'publish', '--store', url, '--by', 'ana', '--comment', 'fine', '--json']);
    assert.is(a.code, 0, a.err);
    assert.is(JSON.parse(a.out).delivered, 'live');
    const c = await cli(['cancel', cancelled, '--store', url, '--reason', 'wrong topic']);
    assert.is(c.code, 0, c.err);
    assert.is((await waitForRun(store, approved)).status, 'succeeded');
    assert.is((await waitForRun(store, cancelled)).status, 'cancelled');
    const received = (await store.read(approved)).find((e) => e.type === 'approval.received') as any;
    assert.equal([received.by, received.comment], ['ana', 'fine']);
    const late = await cli(['cancel', approved, '--store', url]);
    assert.is(late.code, 1);
    assert.match(late.err, /already finished \(succeeded\)/);
    const resumeHere = await cli(['cancel', cancelled, '--store', url, '--resume']);
    assert.match(resumeHere.err, /on a postgres:\/\/ store a hub takes the run/);
  } finally {
    await hub.stop();
  }
});

test.run();
