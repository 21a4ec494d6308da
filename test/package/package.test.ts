import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inProject, packedProject, ROOT, userEnv } from '../support/packed.ts';

/**
 * The package from a user's side: packed, installed with production dependencies into an empty
 * project, then used from plain JavaScript, CommonJS, strict TypeScript and the CLI.
 */

const json = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!);

test('the tarball ships the build and its data, not tests, benches, scripts or CI', async () => {
  const { files, size } = await packedProject();
  const paths = files.map((f) => f.path);
  const stray = paths.filter((p) => !/^(dist\/|package\.json$|README\.md$|LICENSE$)/.test(p));
  assert.equal(stray, []);
  for (const p of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/bin.js', 'dist/planner/index.js', 'dist/workflows/index.js', 'dist/fixtures/planner/model/weights.bin', 'dist/src/ui/assets/app.js']) assert.ok(paths.includes(p), `missing ${p}`);
  assert.not.ok(paths.some((p) => /\.test\.|fixtures-gen|\/train\.jsonl$/.test(p)), 'test files, the fixture generator or training data shipped');
  // The default planner's five pooled members are most of it (about 1.3 MB of int8 weights each; the tarball was 8.2 MB on 2026-12-06).
  assert.ok(size < 9_000_000, `tarball is ${size} bytes`);
});

test('(a) a plain .mjs file defines two workers and a workflow and runs it', async () => {
  const { project } = await packedProject();
  const r = json(inProject(project, process.execPath, ['app.mjs']));
  assert.equal([r.status, r.output], ['succeeded', { count: 6 }]);
  assert.ok(fs.existsSync(path.join(project, '.orchestai/runs', `${r.runId}.jsonl`)), 'history under .orchestai/');
});

test('(b) a CommonJS file requires the package', async () => {
  const { project } = await packedProject();
  assert.equal(json(inProject(project, process.execPath, ['app.cjs'])), { status: 'succeeded', output: { text: 'FROM COMMONJS' } });
});

test('(c) a strict NodeNext TypeScript consumer type-checks with zero errors', async () => {
  const { project } = await packedProject();
  // The user's compiler and Node types; the package brings its own declarations.
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const out = inProject(project, process.execPath, [tsc, '-p', 'tsconfig.json', '--typeRoots', path.join(ROOT, 'node_modules/@types')]);
  assert.is(out.trim(), '');
  // And without Node's types: the declarations name no Node-only type (an env is a plain record).
  assert.is(inProject(project, process.execPath, [tsc, '-p', 'tsconfig.no-node-types.json']).trim(), '');
});

test('(d) npx orchestai runs a built-in, plans an instruction and runs a TypeScript module of the project', async () => {
  const { project } = await packedProject();
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
  assert.is(inProject(project, 'npx', ['--no-install', 'orchestai', '--version']).trim(), version);
  const site = json(inProject(project, 'npx', ['--no-install', 'orchestai', 'run', 'build-website', '--json']));
  assert.is(site.status, 'succeeded');
  const planned = JSON.parse(inProject(project, 'npx', ['--no-install', 'orchestai', 'plan', 'Summarise report.md and extract its keywords', '--json']));
  assert.equal(planned.plan.nodes.map((n: { worker: string }) => n.worker), ['read-file', 'extract-text', 'summarise', 'extract-keywords']);
  const flow = json(inProject(project, 'npx', ['--no-install', 'orchestai', 'run', './flows/greet.ts', '--json']));
  assert.equal([flow.status, flow.output], ['succeeded', { greeting: 'HELLO, ADA!' }]);
});

test('a run started with run() replays and resumes from the CLI through orchestai.config.ts', async () => {
  const { project } = await packedProject();
  const started = json(inProject(project, process.execPath, ['start.mjs']));
  assert.equal(started.output, { greeting: 'HELLO, GRACE!' });
  const replay = JSON.parse(inProject(project, 'npx', ['--no-install', 'orchestai', 'replay', started.runId, '--json']));
  assert.equal([replay.ok, replay.status], [true, 'succeeded']);
  const resumed = JSON.parse(inProject(project, 'npx', ['--no-install', 'orchestai', 'resume', started.runId, '--json']));
  assert.equal([resumed.resumed, resumed.status], [false, 'succeeded']);
  const svg = inProject(project, 'npx', ['--no-install', 'orchestai', 'export', 'greet', '--format', 'mermaid']);
  assert.match(svg, 'stateDiagram');
});

test('the viewer draws the statechart of a run started with run(), found through the config', async () => {
  const { project } = await packedProject();
  const { runId } = json(inProject(project, process.execPath, ['start.mjs']));
  // The installed bin itself rather than npx, so stopping it stops the server and not only npx.
  const ui = spawn(path.join(project, 'node_modules/.bin/orchestai'), ['ui', '--port', '0'], { cwd: project, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      ui.stdout.on('data', (d) => {
        text += d;
        const m = /orchestai ui: (http:\/\/\S+)/.exec(text);
        if (m) resolve(m[1]);
      });
      ui.on('exit', (code) => reject(new Error(`orchestai ui exited ${code}`)));
      setTimeout(() => reject(new Error(`no URL within 20 s: ${text}`)), 20_000);
    });
    const run = (await (await fetch(new URL(`/api/runs/${runId}`, url))).json()) as { chart: { from: string } };
    assert.match(run.chart.from, /flows\/greet\.ts/);
    const chart = await fetch(new URL(`/api/runs/${runId}/chart.svg`, url));
    assert.is(chart.status, 200);
    assert.match(await chart.text(), /<svg[\s\S]*shout/);
  } finally {
    ui.kill('SIGTERM');
  }
});

test.run();
