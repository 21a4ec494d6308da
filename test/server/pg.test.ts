import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HistoryEvent } from '../../machines/history/events.ts';
import { requireServices, sharedPostgres } from '../support/services.ts';
import { finishedShopRun, waitingShopRun } from '../ui/histories.ts';
import { appendAll, pgServer, type PgServer } from './pg-support.ts';
import { sseMessages, until } from './support.ts';

/**
 * `orchestai server` on the PostgreSQL store: `POST /api/runs` submits the run (no run in the
 * server's process), a stand-in hub claims it and writes its events through the store's writer,
 * and the API reads, streams and controls it through the store: the run list, one run, SSE from
 * a sequence number (NOTIFY), approve / cancel landing in the store's control requests, the roles.
 */

const it = requireServices(test, ['postgres']);
let s: PgServer;
const SSE = { accept: 'text/event-stream' };
const seqs = (msgs: { id?: string }[]) => msgs.filter((m) => m.id).map((m) => Number(m.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const json = async (res: Response, status: number): Promise<any> => {
  assert.is(res.status, status, await res.clone().text());
  return res.json();
};
const submit = async (body: Record<string, unknown>) => json(await s.call('operator', 'POST', '/api/runs', body), 202);

/** The events of a `shop` run under a given id, up to and including its approval timer. */
const waitingEvents = (runId: string) => waitingShopRun(runId, Date.now() - 5_000);

it.before(async () => {
  s = await pgServer();
});

it.after(async () => {
  await s?.close();
});

it('POST /api/runs submits the run for the hubs (202, queued): listed as running with no owner, by priority for the hubs', async () => {
  const low = await submit({ workflow: 'gated', input: { ms: 1 }, priority: 5 });
  const high = await submit({ workflow: 'quick', priority: 1 });
  assert.equal([low.status, low.workflowId, high.status], ['queued', 'gated', 'queued']);
  const claimable = await s.store.orphans(10);
  assert.equal(claimable.filter((id) => id === low.runId || id === high.runId), [high.runId, low.runId], 'priority 1 before priority 5');
  const listed = await json(await s.call('viewer', 'GET', '/api/runs?status=running&limit=500'), 200);
  const row = listed.runs.find((r: any) => r.runId === low.runId);
  assert.equal([row.workflowId, row.status, row.owner], ['gated', 'running', undefined]);
  assert.is((await s.store.read(low.runId)).length, 0, 'nothing ran in the server: no events');
  const metrics = await (await s.call('viewer', 'GET', '/metrics')).text();
  assert.match(metrics, /^orchestai_queue_depth 2$/m);
  assert.match(metrics, /^orchestai_runs\{status="running"\} 2$/m);
  const page = await json(await s.call('viewer', 'GET', `/api/runs/${low.runId}`), 409);
  assert.match(page.error, /queued: no hub has started it yet/);
  await s.store.release('nobody', [low.runId, high.runId]); // they stay queued for the next tests' hubs
});

it('roles: no token 401, a viewer cannot submit or approve (403), an unknown workflow is a 404, a bad priority a 400', async () => {
  assert.is((await s.call(undefined, 'GET', '/api/runs')).status, 401);
  assert.is((await s.call('viewer', 'POST', '/api/runs', { workflow: 'quick' })).status, 403);
  assert.is((await s.call('viewer', 'POST', '/api/runs/x/approve', { step: 'review' })).status, 403);
  assert.is((await s.call('operator', 'POST', '/api/runs', { workflow: 'nope' })).status, 404);
  assert.is((await s.call('operator', 'POST', '/api/runs', { workflow: 'quick', priority: 1.5 })).status, 400);
  assert.is((await s.call('operator', 'POST', '/api/prune', { olderThanMs: 0 })).status, 403);
  assert.is((await s.call('viewer', 'GET', '/api/runs/20990101T000000000-nope')).status, 404);
});

it('a run a hub claims: GET shows it waiting for approval; SSE from seq N gets the later events in order, live, to its end', async () => {
  const { runId } = await submit({ workflow: 'shop' });
  // A stream opened while the run is still queued waits for a hub rather than ending.
  const early = await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=0`, undefined, SSE);
  await new Promise((r) => setTimeout(r, 1_300)); // past a liveness check (1 s): nobody holds it, yet it is not interrupted
  const writer = await s.claim(runId);
  const script = finishedShopRun(runId, Date.now() - 5_000);
  const waiting = waitingEvents(runId);
  await appendAll(writer, waiting);

  const run = await json(await s.call('viewer', 'GET', `/api/runs/${runId}`), 200);
  assert.equal([run.workflowId, run.events, run.finished, run.waitingApprovals, run.cancellable, run.control], ['shop', waiting.length, false, ['approve'], true, true]);
  assert.is(run.timeline.status, 'running', 'its hub holds it: live');
  assert.is(run.chart.from, 'built-in shop');
  const listed = await json(await s.call('viewer', 'GET', '/api/runs?workflow=shop'), 200);
  assert.equal(listed.runs.map((r: any) => [r.runId, r.status, r.owner?.host, r.owner?.alive]), [[runId, 'running', 'h1', true]]);

  const N = 4;
  const res = await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=${N}`, undefined, SSE);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (seq: number) => {
    while (!seqs(sseMessages(text)).includes(seq)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  };
  await readUntil(waiting.length);
  assert.equal(seqs(sseMessages(text)), range(N + 1, waiting.length), 'what was there, after N');
  await appendAll(writer, script.slice(waiting.length, waiting.length + 3));
  await readUntil(waiting.length + 3);
  await appendAll(writer, script.slice(waiting.length + 3));
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const msgs = sseMessages(text);
  assert.equal(seqs(msgs), range(N + 1, script.length), 'each event once, in order, and the stream ends after run.finished');
  const stored = await s.store.read(runId);
  assert.equal(msgs.map((m) => JSON.parse(m.data)), stored.slice(N));
  assert.is(stored.at(-1)!.type, 'run.finished');

  const fromStart = seqs(sseMessages(await early.text()));
  assert.equal(fromStart, range(1, script.length), 'the stream opened while queued got the whole run');
  const resumed = seqs(sseMessages(await (await s.call('viewer', 'GET', `/api/runs/${runId}/events`, undefined, { ...SSE, 'last-event-id': String(script.length - 2) })).text()));
  assert.equal(resumed, [script.length - 1, script.length], 'Last-Event-ID resumes exactly');
});

it('approve through the API lands in the store; the hub applying it makes it `live`', async () => {
  const { runId } = await submit({ workflow: 'shop' });
  const writer = await s.claim(runId);
  await appendAll(writer, waitingEvents(runId));
  // The stand-in hub: applies the first approval request it sees, as the engine would.
  const hub = (async () => {
    let requests: Awaited<ReturnType<typeof s.store.controlRequests>> = [];
    await until(async () => (requests = await s.store.controlRequests(runId)).length > 0, 5_000, 'the request in the store');
    const r = requests[0] as Extract<typeof requests[0], { type: 'approve' }>;
    writer.append({ type: 'approval.received', t: Date.now(), step: r.step, approved: r.approved, by: r.by, comment: r.comment, requestId: r.id } as any);
    await writer.flush();
  })();
  const answer = await json(await s.call('operator', 'POST', `/api/runs/${runId}/approve`, { step: 'approve', comment: 'ship it' }), 200);
  await hub;
  assert.equal([answer.delivered, answer.approved, answer.by], ['live', true, 'token ops']);
  const [request] = await s.store.controlRequests(runId);
  assert.equal([request.type, (request as any).step, (request as any).approved, request.by, (request as any).comment], ['approve', 'approve', true, 'token ops', 'ship it']);
  const after = await json(await s.call('viewer', 'GET', `/api/runs/${runId}`), 200);
  assert.equal(after.waitingApprovals, [], 'applied: nothing waits any more');
  const again = await json(await s.call('operator', 'POST', `/api/runs/${runId}/approve`, { step: 'approve' }), 409);
  assert.match(again.message, /not waiting for an approval/);
  await writer.close();
});

it('a run its hub gave up: control requests wait for the next hub (`queued`); SSE ends with `interrupted`', async () => {
  const { runId } = await submit({ workflow: 'shop' });
  const writer = await s.claim(runId, 'h2');
  const waiting = waitingEvents(runId);
  await appendAll(writer, waiting);
  await s.store.release('h2', [runId]); // the hub stops without finishing it
  const listed = await json(await s.call('viewer', 'GET', '/api/runs?status=interrupted'), 200);
  assert.ok(listed.runs.some((r: any) => r.runId === runId), 'listed as interrupted');
  const cancel = await json(await s.call('operator', 'POST', `/api/runs/${runId}/cancel`, { reason: 'wrong input' }), 200);
  assert.is(cancel.delivered, 'queued');
  assert.equal((await s.store.controlRequests(runId)).map((r) => [r.type, (r as any).reason, r.by]), [['cancel', 'wrong input', 'token ops']]);
  const msgs = sseMessages(await (await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=${waiting.length - 1}`, undefined, SSE)).text());
  assert.equal(seqs(msgs), [waiting.length]);
  assert.equal([msgs.at(-1)!.event, JSON.parse(msgs.at(-1)!.data).lastSeq], ['interrupted', waiting.length]);
});

it('the viewer pages read the store: its location without the password, the run page, the JSON events', async () => {
  const page = await s.call('viewer', 'GET', '/');
  const html = await page.text();
  assert.is(page.status, 200);
  assert.ok(html.includes(s.store.location), 'the store location is shown');
  const password = new URL((await sharedPostgres()).url).password;
  assert.ok(password.length >= 8 && !html.includes(password), 'no password in the page');
  const { runId } = await submit({ workflow: 'shop' });
  const writer = await s.claim(runId);
  const events: HistoryEvent[] = waitingEvents(runId);
  await appendAll(writer, events);
  assert.is((await s.call('viewer', 'GET', `/runs/${runId}`)).status, 200);
  const body = await json(await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=2`), 200);
  assert.equal([body.total, body.events[0].seq], [events.length, 3]);
  await appendAll(writer, finishedShopRun(runId).slice(events.length, events.length + 1));
  const grown = await json(await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=2`), 200);
  assert.is(grown.total, events.length + 1, 'a later read sees the new event');
  await writer.close();
});

it('prune on PostgreSQL deletes finished runs with their events and requests, never a run a live hub holds; dryRun deletes nothing', async () => {
  const { runId: done } = await submit({ workflow: 'shop' });
  const doneWriter = await s.claim(done, 'hub-prune');
  await appendAll(doneWriter, finishedShopRun(done, Date.now() - 60_000));
  await doneWriter.close();
  await s.store.sendControl(done, { type: 'cancel', id: 'late', t: Date.now() });
  const { runId: held } = await submit({ workflow: 'shop' });
  const heldWriter = await s.claim(held, 'hub-prune');
  await appendAll(heldWriter, waitingShopRun(held, Date.now() - 60_000));
  const dry = await json(await s.call('admin', 'POST', '/api/prune', { olderThanMs: 0, status: ['succeeded', 'interrupted'], dryRun: true }), 200);
  assert.ok(dry.deleted.includes(done) && !dry.deleted.includes(held), 'the live hub\'s run is kept');
  assert.ok(await s.store.exists(done), 'a dry run deletes nothing');
  const real = await json(await s.call('admin', 'POST', '/api/prune', { olderThanMs: 0, status: ['succeeded'] }), 200);
  assert.ok(real.deleted.includes(done));
  assert.equal(real.failed, []);
  assert.is(await s.store.exists(done), false);
  assert.equal(await s.store.controlRequests(done), []);
  assert.match(await failure(() => s.store.read(done)), /no run/);
  assert.match(await failure(() => s.store.delete(held)), /held by hub-prune \(lease live\)/);
  assert.ok(await s.store.exists(held));
  await heldWriter.close();
});

/** The message a call fails with ('' when it does not fail). */
async function failure(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

test.run();
