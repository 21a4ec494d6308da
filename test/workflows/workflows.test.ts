import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { compileWorkflow, defineWorker, toMermaid } from '../../machines/index.ts';
import { createJsonlStore, replay, run } from '../../src/index.ts';
import { builtinWorkflows, linearPipeline } from '../../workflows/index.ts';
import { defaultInputs } from '../../workflows/builtins.ts';
import { stepIds } from '../../workflows/linear-pipeline.ts';
import { extractTextWorker } from '../../workflows/workers/extract-text.ts';
import { readFileWorker } from '../../workflows/workers/read-file.ts';
import { textStatsWorker } from '../../workflows/workers/text-stats.ts';
import { fixture, readFixture, tempDir } from './helpers.ts';

test('every built-in workflow defines, compiles to an XState machine and exports to Mermaid', () => {
  assert.equal(Object.keys(builtinWorkflows), ['build-website', 'paper-to-presentation', 'document-report']);
  for (const [name, make] of Object.entries(builtinWorkflows)) {
    const wf = make();
    assert.is(wf.id, name);
    const compiled = compileWorkflow(wf);
    assert.is(compiled.machine.id, name);
    assert.equal(JSON.parse(JSON.stringify(compiled.config)), compiled.config, 'plain JSON config');
    const mermaid = toMermaid(compiled);
    for (const s of wf.steps) assert.ok(mermaid.includes(s.id), `${s.id} in the chart`);
    assert.ok(defaultInputs[name], `default input for ${name}`);
  }
});

test('build-website: graph form, reviewer loops back to the coder at most twice', () => {
  const wf = builtinWorkflows['build-website']();
  assert.is(wf.form, 'graph');
  assert.equal(wf.steps.map((s) => s.id), ['product-manager', 'coder', 'reviewer', 'write-files']);
  const reviewer = wf.steps.find((s) => s.id === 'reviewer')!;
  assert.equal(reviewer.branches.map((b) => [b.target, b.maxTimes]), [['write-files', undefined], ['coder', 2], ['failed', undefined]]);
  assert.is(reviewer.branches[0].when!({ output: { review: { approved: true } }, ctx: {} as any }), true);
  assert.is(reviewer.branches[0].when!({ output: { review: { approved: false } }, ctx: {} as any }), false);
  assert.match((defaultInputs['build-website'] as any).brief, /Northside Community Bakery/);
});

test('paper-to-presentation: DAG with summarise and extract-figures in parallel', () => {
  const wf = builtinWorkflows['paper-to-presentation']();
  assert.is(wf.form, 'dag');
  const deps = Object.fromEntries(wf.steps.map((s) => [s.id, s.dependsOn]));
  assert.equal(deps, {
    'read-file': [],
    'extract-text': ['read-file'],
    summarise: ['extract-text'],
    'extract-figures': ['extract-text'],
    'structure-slides': ['summarise', 'extract-figures'],
    'render-deck': ['structure-slides'],
  });
  assert.ok(existsSync((defaultInputs['paper-to-presentation'] as any).path));
});

test('linearPipeline: chained steps, safe unique ids, argument errors', () => {
  const wf = linearPipeline('doc-stats', [readFileWorker, extractTextWorker, textStatsWorker, textStatsWorker]);
  assert.is(wf.form, 'graph');
  assert.equal(wf.steps.map((s) => [s.id, s.branches[0].target]), [['read-file', 'extract-text'], ['extract-text', 'text-stats'], ['text-stats', 'text-stats-2'], ['text-stats-2', 'succeeded']]);
  assert.equal(stepIds(['a.b', '9x', 'a.b']), ['a_b', 's9x', 'a_b-2']);
  assert.throws(() => linearPipeline('x', []), /needs at least one worker/);
  assert.throws(() => linearPipeline('x', [{} as any]), /workers\[0\] is not a worker/);
  assert.throws(() => linearPipeline('x', [readFileWorker], { inputs: { nope: () => null } }), /inputs\.nope names no step \(steps: read-file\)/);
});

async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = tempDir('orchestai-e2e-');
  const before = process.env.ORCHESTAI_HOME;
  process.env.ORCHESTAI_HOME = home;
  try {
    return await fn(home);
  } finally {
    if (before === undefined) delete process.env.ORCHESTAI_HOME;
    else process.env.ORCHESTAI_HOME = before;
    rmSync(home, { recursive: true, force: true });
  }
}

const started = (events: any[]) => events.filter((e) => e.type === 'step.started').map((e) => e.step);

test('end to end: build-website is rejected once, revised, approved and written to disk; history replays', () =>
  withHome(async (home) => {
    const store = createJsonlStore(home);
    const result = await run(builtinWorkflows['build-website'](), defaultInputs['build-website'] as any, { store });
    assert.is(result.status, 'succeeded', JSON.stringify(result.error));
    const out = result.output as any;
    assert.is(out.approved, true);
    assert.is(out.outDir, join(home, 'artifacts', result.runId, 'site'));
    assert.equal(readdirSync(out.outDir).sort(), ['about.html', 'contact.html', 'images', 'index.html', 'menu.html', 'style.css']);
    assert.match(readFileSync(join(out.outDir, 'contact.html'), 'utf8'), /<form /);
    const events = store.read(result.runId);
    assert.equal(started(events), ['product-manager', 'coder', 'reviewer', 'coder', 'reviewer', 'write-files']);
    const rp = replay(events, builtinWorkflows['build-website']());
    assert.ok(rp.ok, JSON.stringify(rp.divergence));
    assert.is(rp.status, 'succeeded');
  }));

test('end to end: build-website with the impossible brief fails after two revisions, writing nothing', () =>
  withHome(async (home) => {
    const store = createJsonlStore(home);
    const result = await run(builtinWorkflows['build-website'](), { brief: readFixture('briefs/impossible.md') }, { store });
    assert.is(result.status, 'failed');
    assert.equal(started(store.read(result.runId)), ['product-manager', 'coder', 'reviewer', 'coder', 'reviewer', 'coder', 'reviewer']);
    assert.not.ok(existsSync(join(home, 'artifacts', result.runId, 'site')));
  }));

test('end to end: paper-to-presentation writes a Marp deck for each sample paper; history replays', () =>
  withHome(async (home) => {
    const store = createJsonlStore(home);
    for (const paper of ['sparse-retrieval.md', 'street-trees.md']) {
      const result = await run(builtinWorkflows['paper-to-presentation'](), { path: fixture(`papers/${paper}`) }, { store });
      assert.is(result.status, 'succeeded', JSON.stringify(result.error));
      const out = result.output as any;
      assert.ok(out.deck.startsWith(join(home, 'artifacts', result.runId)));
      const md = readFileSync(out.deck, 'utf8');
      assert.is(out.bytes, Buffer.byteLength(md));
      assert.is((md.match(/^## /gm) ?? []).length + 1, out.slideCount);
      assert.ok(out.slideCount >= 8, `${out.slideCount} slides`);
      // Figure paths are re-based from the paper's folder to the deck's, so the images resolve.
      const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
      assert.is(images.length, 2);
      for (const src of images) assert.ok(existsSync(resolve(dirname(out.deck), src)), src);
      const rp = replay(store.read(result.runId), builtinWorkflows['paper-to-presentation']());
      assert.ok(rp.ok, JSON.stringify(rp.divergence));
    }
  }));

test('end to end: document-report and a custom linear pipeline with fromLast hand-offs', () =>
  withHome(async (home) => {
    const store = createJsonlStore(home);
    const report = await run(builtinWorkflows['document-report'](), defaultInputs['document-report'] as any, { store });
    assert.is(report.status, 'succeeded', JSON.stringify(report.error));
    const md = readFileSync((report.output as any).path, 'utf8');
    for (const h of ['## Summary', '## Key phrases', '## Readability', '## Sentiment']) assert.ok(md.includes(h), h);

    const shout = defineWorker({ name: 'shout', description: 'Upper-cases text.', input: z.object({ text: z.string() }), output: z.object({ text: z.string() }), run: ({ text }) => ({ text: text.toUpperCase() }) });
    const wf = linearPipeline('shout-stats', [shout, textStatsWorker]);
    const r = await run(wf, { text: 'One short line. Another one.' }, { store });
    assert.is(r.status, 'succeeded');
    assert.is((r.output as any).stats.sentences, 2);
    assert.is((r.output as any).stats.words, 5);
  }));

test.run();
