import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempProject } from '../support/project.ts';
import { findConfigFile, loadConfigFile, loadProjectConfig } from '../../src/project/config.ts';
import { projectWorkflows } from '../../src/project/workflows.ts';
import { resolveRecordedWorkflow, resolveWorkflowRef } from '../../src/project/resolve.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MACHINES = path.join(ROOT, 'machines/index.ts');

const project = (files: Record<string, string>) => tempProject(files);

const flow = (id: string, name = 'echo') => `
import { z } from 'zod';
import { defineWorker, defineWorkflow } from '${MACHINES}';
const w = defineWorker({ name: '${name}', description: 'echoes', input: z.unknown(), output: z.unknown(), run: (x: unknown) => x });
export default defineWorkflow({ id: '${id}', steps: [{ id: 'a', worker: w, onSuccess: 'succeeded' }], onFailure: 'failed' });
`;

test('the config is found from a subdirectory and its workflows resolve by id, for a typed ref and a recorded run', async () => {
  const dir = project({
    'orchestai.config.ts': "export default { workflows: ['./flows/article.ts', './flows/review.ts'] };\n",
    'flows/article.ts': flow('article'),
    'flows/review.ts': flow('review'),
    'src/deep/x.txt': '',
  });
  const sub = path.join(dir, 'src/deep');
  assert.is(findConfigFile(sub), path.join(dir, 'orchestai.config.ts'));
  const byRef = await resolveWorkflowRef('article', sub);
  assert.is(byRef.workflow.id, 'article');
  assert.is(byRef.source, undefined); // project workflows are found by the recorded id, not a recorded path
  assert.match(byRef.from, /flows\/article\.ts$/);
  const recorded = await resolveRecordedWorkflow({ workflowId: 'review' }, { cwd: sub });
  assert.is(recorded.workflow.id, 'review');
  // A project workflow may reuse a built-in's name; what the user typed finds the project's.
  assert.is((await resolveWorkflowRef('build-website', sub)).from, 'built-in build-website');
});

test('a recorded module path is never imported: the error names it and the two fixes', async () => {
  const dir = project({ 'flows/secret.mjs': "globalThis.__orchestaiImported = true;\nexport default {};\n" });
  const file = path.join(dir, 'flows/secret.mjs');
  let err: Error | undefined;
  await resolveRecordedWorkflow({ workflowId: 'secret', source: `module:${file}` }, { cwd: dir }).catch((e) => (err = e));
  assert.is((globalThis as any).__orchestaiImported, undefined, 'the module named by the history was imported');
  assert.is(err?.name, 'WorkflowNotFoundError');
  assert.match(err!.message, `it ran from ${file}, which a history cannot make us load`);
  assert.match(err!.message, `--workflow ${file}`);
  assert.is(err!.message.split('\n').length, 1);
});

test('config errors are one line naming the file and the entry', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'orchestai.config.mjs': 'export default { workflow: [] };\n' }, /orchestai\.config\.mjs: config: Unrecognized key: "workflow"/],
    [{ 'orchestai.config.mjs': 'export const x = 1;\n' }, /orchestai\.config\.mjs: no default export/],
    [{ 'orchestai.config.mjs': 'export default { workflows: [42] };\n' }, /orchestai\.config\.mjs: workflows\[0\]: expected a module path or a workflow made by defineWorkflow/],
    [{ 'orchestai.config.mjs': "export default { workflows: ['./nope.ts'] };\n" }, /orchestai\.config\.mjs: workflows\[0\]: module \.\/nope\.ts not found/],
    [{ 'orchestai.config.mjs': "export default { workflows: ['./empty.mjs'] };\n", 'empty.mjs': 'export const n = 1;\n' }, /workflows\[0\]: \.\/empty\.mjs exports no workflow/],
    [{ 'orchestai.config.mjs': "export default { workflows: ['./a.ts', './b.ts'] };\n", 'a.ts': flow('same', 'w1'), 'b.ts': flow('same', 'w2') }, /workflows\[1\]: workflow id "same" is declared twice \(\S+a\.ts and \S+b\.ts\)/],
    [{ 'orchestai.config.mjs': 'export default {;\n' }, /cannot load \S+orchestai\.config\.mjs: SyntaxError/],
  ];
  for (const [files, expected] of cases) {
    const dir = project(files);
    let err: Error | undefined;
    try {
      const loaded = await loadConfigFile(findConfigFile(dir)!);
      await projectWorkflows(loaded);
    } catch (e) {
      err = e as Error;
    }
    assert.ok(err, `no error for ${JSON.stringify(files)}`);
    assert.match(err!.message, expected);
    assert.is(err!.message.split('\n').length, 1, err!.message);
  }
});

test('without a config, a recorded id that is no built-in says where it looked', async () => {
  const dir = project({ 'x.txt': '' });
  assert.is(await loadProjectConfig(dir), undefined);
  let err: Error | undefined;
  await resolveRecordedWorkflow({ workflowId: 'article' }, { cwd: dir }).catch((e) => (err = e));
  assert.match(err!.message, `cannot find workflow "article" (no orchestai.config.ts from ${dir} up)`);
});

test.run();
