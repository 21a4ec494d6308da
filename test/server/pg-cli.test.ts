import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgStore } from '../../src/history/pg/index.ts';
import { openStore, withoutPassword } from '../../src/server/open-store.ts';
import { TokenStore } from '../../src/server/tokens.ts';
import { cli } from '../support/cli.ts';
import { requireServices, sharedPostgres } from '../support/services.ts';

/**
 * `orchestai server --store postgres://…` and `orchestai ui --store …` as a user starts them: the
 * server process serves the database's runs with the tokens of the JSONL home, a run submitted
 * through its API is in the database (for the hubs), and a store that cannot be opened is one line
 * that never shows the URL's password.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'src/cli/bin.ts');
const it = requireServices(test, ['postgres']);

/** Starts the CLI and resolves with its first stdout line (the ready line), or rejects with its stderr. */
function startCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no ready line in 15 s; stderr: ${err}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, line: out.split('\n')[0] });
      }
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

it('orchestai server --store postgres://…: serves the database, tokens from ORCHESTAI_HOME; POST /api/runs submits', async () => {
  const pg = await sharedPostgres();
  const url = pg.url; // the CLI opens the default schema, `orchestai`: the listing may hold other files' runs too
  const store = await createPgStore(pg.url);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-server-cli-'));
  const { secret } = new TokenStore(home).create('operator', 'ci');
  new TokenStore(home).create('admin', 'root');
  const { child, line } = await startCli(['server', '--port', '0'], { ORCHESTAI_HOME: home, ORCHESTAI_STORE: url });
  try {
    const m = /^orchestai server: (http:\/\/\S+) .* on (\S+)$/.exec(line);
    assert.ok(m, line);
    assert.not.ok(line.includes(pg.url.split('@')[0].split(':').at(-1)!), 'the password is not printed');
    assert.match(m![2], /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
    const auth = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
    const res = await fetch(`${m![1]}api/runs`, { method: 'POST', headers: auth, body: JSON.stringify({ workflow: 'build-website', input: { topic: 'pg' }, priority: 2 }) });
    assert.is(res.status, 202, await res.clone().text());
    const { runId, status } = (await res.json()) as any;
    assert.is(status, 'queued');
    assert.is(await store.exists(runId), true, 'the run is in the database, for the hubs');
    assert.is((await store.read(runId)).length, 0, 'and nothing ran in the server');
    const listed = (await (await fetch(`${m![1]}api/runs?limit=500`, { headers: auth })).json()) as any;
    assert.ok(listed.runs.some((r: any) => r.runId === runId && r.workflowId === 'build-website'));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await store.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('openStore: nothing is the JSONL store of ORCHESTAI_HOME, a folder a JSONL store there; withoutPassword masks only the password', async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'oa-open-'));
  const byHome = await openStore(undefined, { ORCHESTAI_HOME: home });
  assert.equal([(byHome.store as any).root, byHome.location], [home, home]);
  const dir = path.join(home, 'other');
  assert.is((await openStore(dir, { ORCHESTAI_HOME: home })).location, dir);
  assert.is(withoutPassword('postgres://me:s3:cr@t@db:5432/x'), 'postgres://me:***@db:5432/x');
  assert.is(withoutPassword('connect to postgres://a:b@h1/x failed, then redis://c:d@h2:6379'), 'connect to postgres://a:***@h1/x failed, then redis://c:***@h2:6379');
  assert.is(withoutPassword('postgres://me@db/x'), 'postgres://me@db/x');
  assert.is(withoutPassword('postgresql://me:pw@db/x'), 'postgresql://me:***@db/x');
  fs.rmSync(home, { recursive: true, force: true });
});

test('a store that cannot be opened: one line naming it, its password masked', async () => {
  for (const command of ['server', 'ui']) {
    const r = await cli([command, '--store', 'postgres://app:hunter2secret@127.0.0.1:1/nowhere', '--port', '0']);
    assert.is(r.code, 1, command);
    assert.match(r.err, /cannot open the store postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    assert.not.ok(`${r.out}${r.err}`.includes('hunter2secret'), `${command}: no password in the output`);
  }
});

test.run();
