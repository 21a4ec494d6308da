import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileWorkflow, parseWorkflowFile, workflowFromFile } from '../../machines/index.ts';
import { builtinWorkflows } from '../../workflows/builtins.ts';
import { workerByName } from '../../workflows/catalog.ts';
import { cli, ROOT } from '../support/cli.ts';

/** Workflow files from the command line: run, replay, export, and errors at file:line:column. */

const BRIEF = fs.readFileSync(path.join(ROOT, 'fixtures/briefs/bakery.md'), 'utf8');
const chart = (wf: Parameters<typeof compileWorkflow>[0]) => JSON.stringify(compileWorkflow(wf).config);

test('run build-website.yaml --json succeeds; replay --workflow <yaml> finds no divergence', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-cli-yaml-'));
  const r = await cli(['run', 'fixtures/workflows/build-website.yaml', '--input', JSON.stringify({ brief: BRIEF }), '--json'], home);
  assert.is(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.is(result.status, 'succeeded');
  assert.is(result.output.approved, true);
  const started = JSON.parse(fs.readFileSync(result.history, 'utf8').split('\n')[0]);
  assert.is(started.source, `file:${path.join(ROOT, 'fixtures/workflows/build-website.yaml')}`);
  const rp = await cli(['replay', result.runId, '--workflow', 'fixtures/workflows/build-website.yaml'], home);
  assert.is(rp.code, 0, rp.out + rp.err);
  assert.match(rp.out, /^no divergence: \d+ events replayed .*status succeeded$/);
  assert.not.match(rp.out, /definition changed/);
});

test('run paper-to-presentation.yaml with a path input writes the deck', async () => {
  const r = await cli(['run', 'fixtures/workflows/paper-to-presentation.yaml', '--input', 'fixtures/papers/sparse-retrieval.md', '--json']);
  assert.is(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.is(result.status, 'succeeded');
  assert.ok(fs.existsSync(result.output.deck), result.output.deck);
  assert.ok(result.output.slideCount >= 8);
});

test('export build-website --format yaml: the output parses back to the built-in chart', async () => {
  const r = await cli(['export', 'build-website', '--format', 'yaml']);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^# yaml-language-server: \$schema=machines\/yaml\/workflow\.schema\.json\n/);
  const wf = workflowFromFile(parseWorkflowFile(r.out, 'exported.yaml'), (ref) => workerByName(String(ref)), { code: 'placeholder' });
  assert.is(chart(wf), chart(builtinWorkflows['build-website']()));
});

test('export a workflow file --format yaml --out: same definition, module paths re-based onto the output folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-export-yaml-'));
  const out = path.join(dir, 'shout.yaml');
  const r = await cli(['export', 'test/yaml/flows/shout.yaml', '--format', 'yaml', '--out', out]);
  assert.is(r.code, 0, r.err);
  const text = fs.readFileSync(out, 'utf8');
  const rel = path.relative(dir, path.join(ROOT, 'test/yaml/flows/workers.ts')).split(path.sep).join('/');
  assert.ok(text.includes(`module: ${rel}`), text);
  const back = await cli(['export', out, '--format', 'json']);
  const orig = await cli(['export', 'test/yaml/flows/shout.yaml', '--format', 'json']);
  assert.is(back.code, 0, back.err);
  assert.is(back.out, orig.out);
});

test('run a file whose worker comes from a module next to it: templates, retries, shared, output', async () => {
  const r = await cli(['run', 'test/yaml/flows/shout.yaml', '--input', '{"name":"ana"}', '--json']);
  assert.is(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).output, 'HELLO ANA!! (HELLO ANA!!)');
});

test('run a file whose workers are MCP tools: the server is started in the file folder and stopped after', async () => {
  const r = await cli(['run', 'test/yaml/flows/words-mcp.yaml', '--input', '{"text":"tides tides moons moons moons sun"}', '--json']);
  assert.is(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.is(result.status, 'succeeded', JSON.stringify(result.error));
  assert.match(JSON.stringify(result.output), /# Counted.*6 words on 1 lines.*moons: 3.*tides: 2/);
});

test('a malformed file: exit 1 and one line naming file:line:column', async () => {
  const r = await cli(['run', 'test/yaml/flows/broken.yaml']);
  assert.is(r.code, 1);
  const lines = r.err.split('\n').filter(Boolean);
  assert.is(lines.length, 1, r.err);
  assert.match(lines[0], /test\/yaml\/flows\/broken\.yaml:6:5: unknown key "onSucess" in steps\[0\]$/);
  const exp = await cli(['export', 'test/yaml/flows/broken.yaml', '--format', 'yaml']);
  assert.is(exp.code, 1);
  assert.match(exp.err, /broken\.yaml:6:5: /);
});

test('a recorded file run is not loaded from its history alone: replay without --workflow uses the project or built-in by id', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-cli-yaml-'));
  const r = await cli(['run', 'test/yaml/flows/shout.yaml', '--input', '{"name":"bo"}', '--json'], home);
  assert.is(r.code, 0, r.err);
  const rp = await cli(['replay', JSON.parse(r.out).runId], home);
  assert.is(rp.code, 1);
  assert.match(rp.err, /cannot find workflow "shout".*it ran from .*shout\.yaml, which a history cannot make us load: list that file in orchestai\.config\.ts .* or pass --workflow /);
});

test.run();
