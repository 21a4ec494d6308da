import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '../../machines/index.ts';
import { createJsonlStore, replay, resume, startRun } from '../../src/index.ts';

const inc = defineWorker({ name: 'inc', description: 'Adds one.', input: z.object({ n: z.number() }), output: z.object({ n: z.number() }), run: async ({ n }) => ({ n: n + 1 }) });
const flow = defineWorkflow({ id: 'reentrant', onFailure: 'failed', steps: ['a', 'b', 'c'].map((id) => ({ id, worker: inc })) });

test('interrupt and cancel asked from inside onEvent wait for the current call: the history replays and the run resumes', async () => {
  const store = createJsonlStore(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-reentrant-')));
  let handle: ReturnType<typeof startRun> | undefined;
  handle = startRun(flow, { n: 0 }, { store, onEvent: (e) => e.type === 'step.succeeded' && e.step === 'a' && handle!.interrupt('asked from onEvent') });
  assert.is((await handle.result).status, 'interrupted');
  const recorded = store.read(handle.runId);
  assert.ok(replay(recorded, flow).ok, 'the interrupted history replays');
  const resumed = await resume(handle.runId, { workflow: flow, store });
  assert.equal([resumed.status, resumed.output], ['succeeded', { n: 3 }]);

  let cancelling: ReturnType<typeof startRun> | undefined;
  cancelling = startRun(flow, { n: 0 }, { store, onEvent: (e) => e.type === 'step.succeeded' && e.step === 'b' && cancelling!.cancel('asked from onEvent') });
  assert.is((await cancelling.result).status, 'cancelled');
  assert.ok(replay(store.read(cancelling.runId), flow).ok, 'the cancelled history replays');
});

test('an interrupt asked before the run began (a hub stopping while it replayed) still interrupts it', async () => {
  const store = createJsonlStore(fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-early-')));
  const early = new AbortController();
  early.abort(new Error('stopping'));
  const handle = startRun(flow, { n: 0 }, { store, interruptSignal: early.signal });
  assert.is((await handle.result).status, 'interrupted');
  assert.ok(store.read(handle.runId).some((e) => e.type === 'run.interrupted'));
  const resumed = await resume(handle.runId, { workflow: flow, store, interruptSignal: early.signal });
  assert.is(resumed.status, 'interrupted', 'a resume asked to stop before it went live stops too');
  assert.equal((await resume(handle.runId, { workflow: flow, store })).output, { n: 3 });
});

test.run();
