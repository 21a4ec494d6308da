import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startHub, type Hub } from '../../src/hub/hub.ts';
import { requireServices } from '../support/services.ts';
import { pgServer, type PgServer } from './pg-support.ts';
import { sseMessages, testWorkflows, until } from './support.ts';

/**
 * The whole path on PostgreSQL with a real hub (`startHub`, what `orchestai hub` runs): a run
 * started through the server's API is driven by the hub, streamed live by the server's SSE, waits
 * for its approval, is approved through the API (applied by the hub: `live`), and finishes.
 */

const it = requireServices(test, ['postgres']);
let s: PgServer;
let hub: Hub;

it.before(async () => {
  s = await pgServer();
  hub = startHub({ store: s.store, workflows: [testWorkflows.gated(), testWorkflows.quick()], control: s.store.controlChannel(), renewMs: 500, pollMs: 200 });
});

it.after(async () => {
  await hub?.stop();
  await s?.close();
});

it('POST /api/runs → a hub drives it → SSE live → approve via the API (live) → run.finished', async () => {
  const started = await s.call('operator', 'POST', '/api/runs', { workflow: 'gated', input: { ms: 20 } });
  assert.is(started.status, 202);
  const { runId } = (await started.json()) as any;
  const res = await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=0`, undefined, { accept: 'text/event-stream' });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events = () => sseMessages(text).filter((m) => m.id).map((m) => JSON.parse(m.data));
  while (!events().some((e) => e.type === 'timer.set' && e.purpose === 'approval')) {
    const { value, done } = await reader.read();
    if (done) assert.unreachable(`the stream ended before the approval: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  const run = (await (await s.call('viewer', 'GET', `/api/runs/${runId}`)).json()) as any;
  assert.equal(run.waitingApprovals, ['review']);
  const approved = (await (await s.call('operator', 'POST', `/api/runs/${runId}/approve`, { step: 'review' })).json()) as any;
  assert.is(approved.delivered, 'live', 'the hub applied it while the API waited');
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const streamed = events();
  const stored = await s.store.read(runId);
  assert.equal(streamed, stored, 'the stream is the history, each event once, in order');
  assert.equal([stored.at(-1)!.type, (stored.at(-1) as any).status], ['run.finished', 'succeeded']);
  assert.ok(stored.some((e) => e.type === 'approval.received' && e.by === 'token ops'));
  await until(async () => (await s.store.listRuns({ status: 'succeeded' })).runs.some((r) => r.runId === runId), 2_000, 'listed succeeded');
});

test.run();
