import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveRecordedWorkflow, resolveWorkflowRef } from '../../src/project/resolve.ts';

/** A project config may list workflow files next to modules; a recorded file run is found through it. */

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-yaml-project-'));
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), text);
  return dir;
}

const STATS = 'id: stats\nsteps:\n  - { id: count, worker: text-stats, dependsOn: [], input: { object: { text: { from: input } } } }\n';

test('a .yaml entry of orchestai.config: the workflow by id, and a recorded file: run finds it by id', async () => {
  const dir = project({ 'orchestai.config.mjs': "export default { workflows: ['./flows.yaml'] };\n", 'flows.yaml': STATS });
  const byId = await resolveWorkflowRef('stats', dir);
  assert.is(byId.workflow.id, 'stats');
  assert.is(byId.from, `file ${path.join(dir, 'flows.yaml')}`);
  const recorded = await resolveRecordedWorkflow({ workflowId: 'stats', source: `file:${path.join(dir, 'flows.yaml')}` }, { cwd: dir });
  assert.is(recorded.workflow.hash, byId.workflow.hash);
});

test('a .json workflow file by path is recorded as file:<path>; a missing one is a clear error', async () => {
  const json = JSON.stringify({ id: 'stats-json', steps: [{ id: 'count', worker: 'text-stats', dependsOn: [] }] }, null, 2);
  const dir = project({ 'flow.json': json });
  const r = await resolveWorkflowRef('flow.json', dir);
  assert.is(r.source, `file:${path.join(dir, 'flow.json')}`);
  assert.is(r.workflow.form, 'dag');
  await r.close?.();
  try {
    await resolveWorkflowRef('nope.yaml', dir);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /^workflow file not found: .*nope\.yaml$/);
  }
});

test('a history never makes us load its file: without the config or --workflow, the run is not found', async () => {
  const dir = project({ 'flow.yaml': STATS });
  try {
    await resolveRecordedWorkflow({ workflowId: 'stats', source: `file:${path.join(dir, 'flow.yaml')}` }, { cwd: dir });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /which a history cannot make us load: list that file in orchestai\.config\.ts/);
  }
  const named = await resolveRecordedWorkflow({ workflowId: 'stats', source: 'file:/elsewhere/flow.yaml' }, { cwd: dir, override: 'flow.yaml' });
  assert.is(named.workflow.id, 'stats');
});

test('unknown worker in a file: one line at the worker reference', async () => {
  const dir = project({ 'flow.yaml': 'id: w\nsteps:\n  - id: a\n    dependsOn: []\n    worker: { module: ./missing.ts }\n' });
  try {
    await resolveWorkflowRef('flow.yaml', dir);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /^flow\.yaml:5:13: step "a": worker module not found: .*missing\.ts$/);
  }
});

test.run();
