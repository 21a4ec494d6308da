import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileWorkflow, workflowToYaml } from '../../machines/index.ts';
import { createJsonlStore, replay, run } from '../../src/index.ts';
import { builtinWorkflows, defaultInputs } from '../../workflows/builtins.ts';
import { fromText, loadFixture, ROOT, withHome } from './helpers.ts';

/**
 * The acceptance of workflow files: build-website and paper-to-presentation written as YAML
 * compile to the code form's chart, run to the same output through the same steps with the same
 * worker inputs, replay cleanly (against either form), and every built-in exports to YAML that
 * parses back to the same chart.
 */

const chart = (wf: Parameters<typeof compileWorkflow>[0]) => JSON.stringify(compileWorkflow(wf).config);

for (const id of ['build-website', 'paper-to-presentation']) {
  test(`${id}.yaml compiles to the same statechart JSON as the code form`, () => {
    const yaml = loadFixture(`${id}.yaml`);
    assert.is(yaml.id, id);
    assert.is(yaml.form, builtinWorkflows[id]().form);
    assert.is(chart(yaml), chart(builtinWorkflows[id]()));
  });
}

/** A run's history reduced to what must match between the forms: steps, worker inputs and outputs, the run's output. */
function trace(events: any[], runId: string) {
  const pick = events
    .filter((e) => e.type === 'step.started' || e.type === 'step.succeeded' || e.type === 'step.failed' || e.type.startsWith('run.'))
    .map((e) => ({ type: e.type, step: e.step, input: e.input, output: e.output, status: e.status }));
  return JSON.parse(JSON.stringify(pick).split(runId).join('<run>'));
}

async function runBoth(id: string, input: unknown, home: string) {
  const store = createJsonlStore(home);
  const code = await run(builtinWorkflows[id](), input as any, { store });
  const yaml = await run(loadFixture(`${id}.yaml`), input as any, { store });
  return { store, code, yaml };
}

const sameOutput = (a: { output?: unknown; runId: string }, b: { output?: unknown; runId: string }) =>
  assert.equal(JSON.parse(JSON.stringify(b.output).split(b.runId).join('<run>')), JSON.parse(JSON.stringify(a.output).split(a.runId).join('<run>')));

test('build-website.yaml runs like the code form (rejected once, revised, approved, written) and replays', () =>
  withHome(async (home) => {
    const { store, code, yaml } = await runBoth('build-website', defaultInputs['build-website'], home);
    assert.is(yaml.status, 'succeeded', JSON.stringify(yaml.error));
    assert.is((yaml.output as any).approved, true);
    sameOutput(code, yaml);
    assert.equal(trace(store.read(yaml.runId), yaml.runId), trace(store.read(code.runId), code.runId));
    const own = replay(store.read(yaml.runId), loadFixture('build-website.yaml'));
    assert.ok(own.ok, JSON.stringify(own.divergence));
    assert.is(own.definitionChanged, false);
    const cross = replay(store.read(code.runId), loadFixture('build-website.yaml'));
    assert.ok(cross.ok, JSON.stringify(cross.divergence));
  }));

test('build-website.yaml: the brief as a plain string, and an impossible brief that fails after two revisions, as in code', () =>
  withHome(async (home) => {
    const brief = fs.readFileSync(path.join(ROOT, 'fixtures/briefs/impossible.md'), 'utf8');
    for (const input of [{ brief }, brief]) {
      const { store, code, yaml } = await runBoth('build-website', input, home);
      assert.is(yaml.status, 'failed');
      assert.is(code.status, 'failed');
      assert.equal(trace(store.read(yaml.runId), yaml.runId), trace(store.read(code.runId), code.runId));
    }
  }));

test('paper-to-presentation.yaml writes the same deck as the code form and replays', () =>
  withHome(async (home) => {
    const input = { path: path.join(ROOT, 'fixtures/papers/street-trees.md'), maxSentences: 4 };
    const { store, code, yaml } = await runBoth('paper-to-presentation', input, home);
    assert.is(yaml.status, 'succeeded', JSON.stringify(yaml.error));
    sameOutput(code, yaml);
    assert.is(fs.readFileSync((yaml.output as any).deck, 'utf8'), fs.readFileSync((code.output as any).deck, 'utf8').split(code.runId).join(yaml.runId));
    assert.equal(trace(store.read(yaml.runId), yaml.runId), trace(store.read(code.runId), code.runId));
    const rp = replay(store.read(yaml.runId), loadFixture('paper-to-presentation.yaml'));
    assert.ok(rp.ok, JSON.stringify(rp.divergence));
    assert.is(rp.status, 'succeeded');
  }));

test('paper-to-presentation.yaml takes the path as a plain string, as the code form does', () =>
  withHome(async (home) => {
    const { code, yaml } = await runBoth('paper-to-presentation', path.join(ROOT, 'fixtures/papers/sparse-retrieval.md'), home);
    assert.is(yaml.status, 'succeeded', JSON.stringify(yaml.error));
    sameOutput(code, yaml);
  }));

for (const id of Object.keys(builtinWorkflows)) {
  test(`export: built-in ${id} as YAML parses back to the same statechart JSON`, () => {
    const text = workflowToYaml(builtinWorkflows[id]());
    assert.is(chart(fromText(text, `${id}.yaml`, { code: 'placeholder' })), chart(builtinWorkflows[id]()));
  });
}

test('export: a YAML workflow exports to YAML that parses back to the same definition (same hash), with no code left', () => {
  for (const id of ['build-website', 'paper-to-presentation']) {
    const wf = loadFixture(`${id}.yaml`);
    const text = workflowToYaml(wf);
    assert.not.match(text, /code:/);
    const back = fromText(text, `${id}.exported.yaml`);
    assert.is(back.hash, wf.hash);
    assert.is(chart(back), chart(wf));
  }
});

test('export: code the file cannot express is kept as code: entries, listed in the header, refused when run', () => {
  const text = workflowToYaml(builtinWorkflows['build-website']());
  assert.match(text, /# 6 parts are code/);
  assert.match(text, /when: \{ code: "\(\{ ?output ?\}\) ?=> ?output\?\.review\?\.approved ?=== ?true" \}/);
  try {
    fromText(text, 'bw.yaml');
    assert.unreachable('code accepted');
  } catch (e) {
    assert.match((e as Error).message, /^bw\.yaml:\d+:\d+: this input transformer is code from the module/);
  }
});

test.run();
