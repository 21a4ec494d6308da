import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';
import { defineWorker, defineWorkflow, run, createJsonlStore } from '../../src/index.ts';
import { createStatelyInspector } from '../../src/inspect/stately.ts';

/**
 * The Stately inspector path, checked without the internet: the inspection events a real
 * run emits go through the package's own `createInspector` (the code its WebSocket/browser
 * inspectors use) into a capturing adapter, and through our bridge wiring over loopback.
 */

let flaky = 0;
const fetcher = defineWorker({
  name: 'fetcher',
  description: 'Fails once, then returns its input.',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  run: (x) => {
    if (flaky++ === 0) throw Object.assign(new Error('flaky'), { retryable: true });
    return x;
  },
  retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
});
const doubler = defineWorker({ name: 'doubler', description: 'Doubles n.', input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: ({ n }) => ({ n: n * 2 }) });
const workflow = () =>
  defineWorkflow({ id: 'inspected', onFailure: 'failed', steps: [{ id: 'fetch', worker: fetcher, onSuccess: 'double' }, { id: 'double', worker: doubler, onSuccess: 'succeeded' }] });

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-inspect-'));
const idle = () => new Promise((r) => setTimeout(r, 20));

test('the events a run emits are XState InspectionEvents the Stately inspector converts in full', async () => {
  flaky = 0;
  const raw: InspectionEvent[] = [];
  const sent: StatelyInspectionEvent[] = [];
  const inspector = createInspector({ send: (e) => void sent.push(e) });
  const wf = workflow();
  const result = await run(wf, { n: 2 }, { store: createJsonlStore(tmp()), inspect: (e) => { raw.push(e); inspector.inspect.next?.(e); } });
  assert.is(result.status, 'succeeded');
  await idle(); // the package converts events on an idle callback (setTimeout in Node)

  // Raw events: the three kinds, each with an actorRef and rootId as XState emits them.
  assert.equal([...new Set(raw.map((e) => e.type))].sort(), ['@xstate.actor', '@xstate.event', '@xstate.snapshot']);
  for (const e of raw) {
    assert.type(e.actorRef?.sessionId, 'string');
    assert.type(e.rootId, 'string');
  }
  // Converted events: one per raw event (none dropped as "unhandled"), with the fields the inspector UI reads.
  assert.ok(raw.length >= 10, `a run emits many inspection events (got ${raw.length})`);
  assert.is(sent.length, raw.length);
  const actor = sent.find((e) => e.type === '@xstate.actor')!;
  assert.ok(actor && actor.type === '@xstate.actor');
  if (actor.type !== '@xstate.actor') return;
  assert.is(actor.name, 'inspected');
  const definition = JSON.parse(actor.definition!);
  assert.is(definition.id, 'inspected');
  assert.ok(definition.states.fetch.states.running, 'the machine definition reaches the inspector');
  const session = actor.sessionId;
  for (const e of sent) {
    assert.is(e.sessionId, session, `${e.type} belongs to the run's actor`);
    assert.type(e._version, 'string');
    assert.type(e.createdAt, 'string');
  }
  const events = sent.filter((e): e is Extract<StatelyInspectionEvent, { type: '@xstate.event' }> => e.type === '@xstate.event').map((e) => e.event.type);
  for (const t of ['fail.fetch', 'done.fetch', 'done.double']) assert.ok(events.includes(t), `event ${t} sent (got ${events.join(', ')})`);
  assert.ok(events.some((t) => t.includes('backoff_fetch')), 'the retry timer firing is an event too');
  const snaps = sent.filter((e): e is Extract<StatelyInspectionEvent, { type: '@xstate.snapshot' }> => e.type === '@xstate.snapshot');
  const values = snaps.map((s) => JSON.stringify((s.snapshot as any).value));
  for (const v of ['{"fetch":"running"}', '{"fetch":"waiting"}', '{"double":"running"}', '"succeeded"']) assert.ok(values.includes(v), `snapshot ${v} sent (got ${values.join(' ')})`);
  assert.is((snaps[snaps.length - 1].snapshot as any).status, 'done');
  for (const s of snaps) assert.type(s.event?.type, 'string');
});

test('createStatelyInspector: events reach the bridge over loopback WebSocket', async () => {
  flaky = 0;
  // `ws` is a dependency of @statelyai/inspect (no types installed); it plays the browser side of the bridge here.
  const wsModule = 'ws';
  const { WebSocket } = (await import(wsModule)) as any;
  const inspector = await createStatelyInspector();
  assert.match(inspector.url, /^http:\/\/localhost:\d+$/);
  const received: any[] = [];
  const client = new WebSocket(inspector.wsUrl);
  await new Promise((resolve, reject) => { client.once('open', resolve); client.once('error', reject); });
  client.on('message', (data: Buffer) => received.push(JSON.parse(data.toString())));
  try {
    const result = await run(workflow(), { n: 1 }, { store: createJsonlStore(tmp()), inspect: inspector.inspect });
    assert.is(result.status, 'succeeded');
    assert.is(await inspector.flush(), true, 'the inspector connected and sent everything');
    const deadline = Date.now() + 3000;
    while (!received.some((e) => e.type === '@xstate.snapshot' && e.snapshot?.value === 'succeeded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.equal([...new Set(received.map((e) => e.type))].sort(), ['@xstate.actor', '@xstate.event', '@xstate.snapshot']);
    assert.ok(received.some((e) => e.type === '@xstate.snapshot' && e.snapshot?.value === 'succeeded'), 'final snapshot arrived');
  } finally {
    client.terminate();
    inspector.stop();
  }
});

test.run();
