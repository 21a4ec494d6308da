import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, ROOT } from '../support/cli.ts';
import { COMMAND_NAMES } from '../../src/cli/main.ts';

test('orchestai help (and no arguments) lists every command with its summary', async () => {
  for (const args of [['help'], [], ['--help'], ['-h']]) {
    const r = await cli(args);
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^Usage: orchestai <command> \[options\]/);
    for (const name of COMMAND_NAMES) assert.match(r.out, new RegExp(`^  ${name} +\\S`, 'm'));
    assert.match(r.out, /^  runs +List recorded runs, newest first\.$/m);
    assert.match(r.out, 'Every command takes --json');
  }
  assert.equal(COMMAND_NAMES, ['run', 'runs', 'show', 'replay', 'resume', 'export', 'plan', 'train', 'eval', 'approve', 'cancel', 'prune', 'delete', 'repair', 'route', 'ui', 'server', 'token', 'hub', 'worker']);
});

test('orchestai <cmd> --help, -h and help <cmd>: usage, arguments and each option with its help', async () => {
  const r = await cli(['replay', '--help']);
  assert.is(r.code, 0, r.err);
  assert.is(r.err, '');
  assert.match(r.out, /^Usage: orchestai replay <runId\|file\.jsonl> \[options\]$/m);
  assert.match(r.out, /^  runId\|file\.jsonl +a run id/m);
  assert.match(r.out, /^  --until <n> +stop at this event number .*\(a positive integer\)$/ms);
  assert.match(r.out, /^  --workflow <name\|module> +replay against/m);
  assert.match(r.out, /^  --json +print machine-readable JSON$/m);
  assert.match(r.out, /^  --debug +print the stack trace of an error$/m);
  assert.is((await cli(['help', 'replay'])).out, r.out);
  assert.is((await cli(['replay', '-h'])).out, r.out);
  const runs = await cli(['runs', '--help']);
  assert.match(runs.out, /--limit <n> +how many runs to list \(a positive integer; default 20\)/);
  const exp = await cli(['export', '--help']);
  assert.match(exp.out, /--format <json\|mermaid\|svg\|yaml> +[^]*\(default json\)/);
  const run = await cli(['run', '--help']);
  assert.match(run.out, /^  -y, --yes +run a low-confidence plan without asking$/m);
  // Help wraps at 80 columns here: compare with the wrapping undone.
  assert.match(run.out.replace(/\s+/g, ' '), /--concurrency <n> at most this many steps run at once \(a positive integer; default no limit\)/);
});

test('every command has help: its usage and --json/--debug', async () => {
  for (const name of COMMAND_NAMES) {
    const r = await cli([name, '--help']);
    assert.is(r.code, 0, `${name}: ${r.err}`);
    assert.match(r.out, new RegExp(`^Usage: orchestai ${name} `));
    assert.match(r.out, /--json/);
    assert.match(r.out, /--debug/);
  }
});

test('--version and -v print the version', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  for (const flag of ['--version', '-v']) {
    const r = await cli([flag]);
    assert.is(r.code, 0);
    assert.is(r.out, version);
  }
});

test("a command's module is imported only when that command runs (train would pull in tfjs)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-lazy-'));
  const log = path.join(dir, 'loaded.txt');
  // A module hook (in the loader thread) that logs every URL resolved.
  fs.writeFileSync(path.join(dir, 'hooks.mjs'), `import fs from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }\n`);
  fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
  const loaded = (args: string[]) => {
    fs.rmSync(log, { force: true });
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(path.join(dir, 'register.mjs')).href, 'src/cli/bin.ts', ...args], { cwd: ROOT, env: { ...process.env, ORCHESTAI_HOME: dir }, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    return fs.readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/src/cli/commands/') || u.includes('@tensorflow'));
  };
  const runs = loaded(['runs', '--json']);
  assert.equal(runs.filter((u) => u.includes('/src/cli/commands/')).map((u) => path.basename(u)), ['runs.ts']);
  assert.not.ok(runs.some((u) => u.includes('@tensorflow')));
  // The list of commands loads none of them.
  assert.equal(loaded(['help']), []);
});

test.run();
