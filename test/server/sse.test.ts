import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJsonlStore } from '../../src/index.ts';
import { startServer } from '../../src/server/server.ts';
import { resumeAfter } from '../../src/server/sse.ts';
import { TokenStore } from '../../src/server/tokens.ts';
import { FINISHED, sseMessages, testServer, WAITING } from './support.ts';

/**
 * GET /api/runs/:id/events as Server-Sent Events: from a sequence number (`?after=` or
 * `Last-Event-ID`), on a finished run and on a live one (events arrive as they are recorded, the
 * stream ends after run.finished), over `app.request` and over real HTTP.
 */

const s = testServer();
const SSE = { accept: 'text/event-stream' };
const seqs = (msgs: { id?: string }[]) => msgs.filter((m) => m.id).map((m) => Number(m.id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('resumeAfter: ?after= wins over Last-Event-ID; junk is 0', () => {
  assert.is(resumeAfter('7', '12'), 7);
  assert.is(resumeAfter(undefined, '12'), 12);
  assert.is(resumeAfter('x', undefined), 0);
  assert.is(resumeAfter(undefined, undefined), 0);
});

test('a finished run: every event after ?after=N, each `id: <seq>` with the event as data, then the stream ends', async () => {
  const total = s.store.read(FINISHED).length;
  const res = await s.call('viewer', 'GET', `/api/runs/${FINISHED}/events?after=5`, undefined, SSE);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const msgs = sseMessages(await res.text());
  assert.equal(seqs(msgs), range(6, total));
  const last = JSON.parse(msgs.at(-1)!.data);
  assert.equal([last.type, last.seq], ['run.finished', total]);
  assert.equal(JSON.parse(msgs[0].data), s.store.read(FINISHED)[5]);
});

test('a finished run: Last-Event-ID resumes the same way; after the last event nothing is sent', async () => {
  const total = s.store.read(FINISHED).length;
  const res = await s.call('viewer', 'GET', `/api/runs/${FINISHED}/events`, undefined, { ...SSE, 'last-event-id': String(total - 2) });
  assert.equal(seqs(sseMessages(await res.text())), [total - 1, total]);
  const none = await s.call('viewer', 'GET', `/api/runs/${FINISHED}/events?after=${total}`, undefined, SSE);
  assert.equal(sseMessages(await none.text()), []);
});

test('without Accept: text/event-stream the same route answers JSON (the viewer page polls it)', async () => {
  const body: any = await (await s.call('viewer', 'GET', `/api/runs/${FINISHED}/events?after=2`)).json();
  assert.is(body.total, s.store.read(FINISHED).length);
  assert.is(body.events[0].seq, 3);
});

test('a run no process holds ends with an `interrupted` event after its events', async () => {
  const msgs = sseMessages(await (await s.call('viewer', 'GET', `/api/runs/${WAITING}/events?after=0`, undefined, SSE)).text());
  assert.equal(seqs(msgs), range(1, s.store.read(WAITING).length));
  assert.is(msgs.at(-1)!.event, 'interrupted');
  assert.is((await s.call('viewer', 'GET', '/api/runs/nope/events', undefined, SSE)).status, 404);
});

test('a live run: events arrive while it runs, in order with no gap, and the stream ends after run.finished', async () => {
  const { runId } = await (await s.call('operator', 'POST', '/api/runs', { workflow: 'quick', input: { ms: 150 } })).json() as any;
  const res = await s.call('viewer', 'GET', `/api/runs/${runId}/events?after=0`, undefined, SSE);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let firstChunkWhileLive = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!text) firstChunkWhileLive = !s.store.read(runId).some((e) => e.type === 'run.finished');
    text += decoder.decode(value, { stream: true });
  }
  assert.ok(firstChunkWhileLive, 'the first events came before the run finished');
  const msgs = sseMessages(text);
  const events = s.store.read(runId);
  assert.equal(seqs(msgs), range(1, events.length));
  assert.is(JSON.parse(msgs.at(-1)!.data).type, 'run.finished');
});

test('a live run resumed from Last-Event-ID mid-run gets exactly the rest', async () => {
  const { runId } = await (await s.call('operator', 'POST', '/api/runs', { workflow: 'quick', input: { ms: 100 } })).json() as any;
  const first = await s.call('viewer', 'GET', `/api/runs/${runId}/events`, undefined, SSE);
  const reader = first.body!.getReader();
  const { value } = await reader.read();
  const got = seqs(sseMessages(new TextDecoder().decode(value)));
  await reader.cancel(); // the client drops the connection mid-run
  const lastId = got.at(-1)!;
  const rest = seqs(sseMessages(await (await s.call('viewer', 'GET', `/api/runs/${runId}/events`, undefined, { ...SSE, 'last-event-id': String(lastId) })).text()));
  assert.equal([...got, ...rest], range(1, s.store.read(runId).length));
});

test('over real HTTP: startServer refuses without an admin token; with one, SSE streams a run it started', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-server-http-'));
  const store = createJsonlStore(root);
  const tokens = new TokenStore(root);
  tokens.create('operator');
  try {
    await startServer({ store, port: 0 });
    assert.unreachable('started without an admin token');
  } catch (e: any) {
    assert.match(e.message, 'orchestai token create --role admin');
  }
  const { secret } = tokens.create('admin');
  const server = await startServer({ store, port: 0, cwd: root });
  try {
    const auth = { authorization: `Bearer ${secret}` };
    assert.is((await fetch(`${server.url}api/runs`)).status, 401);
    const started = await fetch(`${server.url}api/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ workflow: 'build-website', input: { topic: 'sse' } }) });
    assert.is(started.status, 202, await started.clone().text());
    const { runId } = (await started.json()) as any;
    const res = await fetch(`${server.url}api/runs/${runId}/events?after=0`, { headers: { ...auth, accept: 'text/event-stream' } });
    const msgs = sseMessages(await res.text());
    assert.ok(msgs.length > 3);
    assert.equal(seqs(msgs), range(1, msgs.length));
    assert.is(JSON.parse(msgs.at(-1)!.data).type, 'run.finished');
    const path404 = await fetch(`${server.url}api/runs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ workflow: '../evil.ts' }) });
    assert.is(path404.status, 404);
    assert.match((await path404.json() as any).message, 'not a path');
  } finally {
    await server.close();
  }
});

test('the app reported no unexpected errors (500s)', () => {
  assert.equal(s.errors, []);
});

test.after(async () => {
  await s.close();
});

test.run();
