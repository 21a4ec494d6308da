import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mcpWorkers } from '../../workflows/mcp/index.ts';
import { defineWorkflow, run, replay, createJsonlStore } from '../../src/index.ts';
import { FIXTURE, alive, calls, serverSpec } from './helpers.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-mcp-flow-'));

test('a workflow written by hand over MCP workers runs, records each tool call, and replays with the server gone', async () => {
  const log = path.join(tmp, 'calls.log');
  const mcp = await mcpWorkers(serverSpec(log));
  const w = Object.fromEntries(mcp.workers.map((x) => [x.name, x]));
  const workflow = defineWorkflow({
    id: 'mcp-word-report',
    steps: [
      { id: 'read', worker: w['read-text'], dependsOn: [] },
      { id: 'count', worker: w['count_words'], dependsOn: ['read'], input: (ctx) => ({ ...(ctx.outputs.read as object), top: 2 }) },
      { id: 'report', worker: w['format-report'], dependsOn: ['count'], input: (ctx) => ({ ...(ctx.outputs.count as object), title: 'Pond words' }) },
    ],
    output: (ctx) => ctx.outputs.report,
  });
  const store = createJsonlStore(path.join(tmp, 'store'));
  let result;
  try {
    result = await run(workflow, { path: FIXTURE }, { store });
  } finally {
    await mcp.close();
  }
  assert.is(result.status, 'succeeded', JSON.stringify(result.error));
  assert.equal(result.output, { text: '# Pond words\n\n63 words on 5 lines.\n\n- pond: 4\n- ducks: 3' });
  const history = store.read(result.runId);
  const started = history.filter((e) => e.type === 'step.started') as any[];
  const succeeded = history.filter((e) => e.type === 'step.succeeded') as any[];
  assert.equal(started.map((e) => [e.step, e.worker]), [['read', 'read-text'], ['count', 'count_words'], ['report', 'format-report']]);
  assert.equal(succeeded.map((e) => e.step), ['read', 'count', 'report']);
  assert.equal(succeeded[1].output.topWords, [{ word: 'pond', count: 4 }, { word: 'ducks', count: 3 }]);
  assert.equal(calls(log), ['readText', 'count_words', 'format-report']);

  // Replay feeds the recorded results: no tool is called, and none could be (the server is closed).
  assert.not.ok(alive(mcp.pid!));
  const r = replay(history, workflow);
  assert.ok(r.ok, JSON.stringify(r.divergence));
  assert.is(r.status, 'succeeded');
  assert.equal(calls(log).length, 3);
});

test.run();
