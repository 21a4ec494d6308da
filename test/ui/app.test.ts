import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJsonlStore } from '../../src/index.ts';
import { createUiApp } from '../../src/ui/app.ts';
import type { UiStore } from '../../src/ui/context.ts';
import type { UnexpectedErrorInfo } from '../../src/ui/errors.ts';
import { startUiServer } from '../../src/ui/server.ts';
import { WorkflowResolver } from '../../src/ui/workflows.ts';
import { finishedShopRun, writeHistory } from './histories.ts';

/**
 * The viewer app's access rules and error handling, through `app.request()` (no server), and
 * the server's wiring of the error reporter over real HTTP.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-ui-app-'));
const LOOPBACK = { host: '127.0.0.1:4400' };
/** Error text that must never reach a client. */
const SECRET = 'disk /home/alice/.orchestai/runs is on fire';

function appOver(store: UiStore, options: { token?: string; planner?: () => Promise<Record<string, any>> } = {}) {
  const reports: { error: unknown; info: UnexpectedErrorInfo }[] = [];
  const app = createUiApp({
    store,
    resolver: new WorkflowResolver(),
    planner: options.planner ?? (async () => ({})),
    token: options.token,
    onError: (error, info) => reports.push({ error, info }),
  });
  return { app, reports };
}

/** A real store whose listing fails the way a bug or a broken disk would. */
function storeWithBrokenList(thrown: unknown): UiStore {
  const store = createJsonlStore(tmp());
  return { ...store, listRuns: () => { throw thrown; } };
}

/** What a client must not see in a 500: the internal message, a stack frame, a source path. */
function assertNothingInternal(body: string) {
  assert.not.ok(body.includes(SECRET), body);
  assert.not.match(body, /\n\s+at /, 'no stack frames');
  assert.not.match(body, /\.ts[:)]/, 'no source paths');
}

test('an unexpected error is a 500 with a short id; the stack goes to the reporter, not the client', async () => {
  const { app, reports } = appOver(storeWithBrokenList(new Error(SECRET)));
  const res = await app.request('/api/runs', { headers: LOOPBACK });
  assert.is(res.status, 500);
  const text = await res.text();
  assertNothingInternal(text);
  const body = JSON.parse(text);
  assert.is(body.title, 'Server error');
  assert.match(body.errorId, /^[0-9a-f]{8}$/);
  assert.ok(body.error.includes(body.errorId), 'the message names the id to quote');
  assert.is(reports.length, 1);
  assert.is(reports[0].info.id, body.errorId);
  assert.equal({ method: reports[0].info.method, path: reports[0].info.path }, { method: 'GET', path: '/api/runs' });
  assert.is((reports[0].error as Error).message, SECRET);
  assert.match((reports[0].error as Error).stack!, /\n\s+at /);
});

test('an unexpected error on a page is a 500 page with the id; a thrown non-Error is handled alike', async () => {
  const store = createJsonlStore(tmp());
  const broken = { ...store, exists: () => { throw new TypeError(SECRET); } };
  const { app, reports } = appOver(broken);
  const page = await app.request('/runs/20261121T200000Z-gone', { headers: LOOPBACK });
  assert.is(page.status, 500);
  assert.match(page.headers.get('content-type')!, /text\/html/);
  const html = await page.text();
  assertNothingInternal(html);
  assert.match(html, /<h1>500 — Server error<\/h1>/);
  assert.ok(html.includes(`error id ${reports[0].info.id}`), html);

  const odd = appOver(storeWithBrokenList(SECRET));
  const res = await odd.app.request('/api/runs', { headers: LOOPBACK });
  assert.is(res.status, 500);
  assertNothingInternal(await res.text());
  assert.is(odd.reports.length, 1, 'a thrown string is reported too');
});

test('a planner that fails to load is a server error, not a planning refusal', async () => {
  const { app, reports } = appOver(createJsonlStore(tmp()), { planner: async () => { throw new Error(SECRET); } });
  const res = await app.request('/api/plan?instruction=summarise%20a.md', { headers: LOOPBACK });
  assert.is(res.status, 500);
  assertNothingInternal(await res.text());
  assert.is(reports.length, 1);
});

test('known errors keep their status, title and message', async () => {
  const root = tmp();
  writeHistory(root, finishedShopRun('20261121T200000Z-good'));
  const { app, reports } = appOver(createJsonlStore(root));
  const view = await app.request('/api/runs/20261121T200000Z-good/nope', { headers: LOOPBACK });
  assert.is(view.status, 404);
  assert.equal(await view.json(), { error: 'no such view "nope"', title: 'Not found' });
  const nothing = await app.request('/nothing%20here', { headers: LOOPBACK });
  assert.is(nothing.status, 404);
  assert.match(await nothing.text(), /Nothing is served at \/nothing%20here\./);
  assert.is((await app.request('/assets/other.js', { headers: LOOPBACK })).status, 404);
  assert.is((await app.request('/api/plan?instruction=%20', { headers: LOOPBACK })).status, 400);
  assert.is(reports.length, 0, 'known errors are not reported as unexpected');
});

test('only GET and HEAD: anything else is a 405 naming the allowed methods', async () => {
  const { app } = appOver(createJsonlStore(tmp()));
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    for (const p of ['/', '/api/runs', '/nowhere']) {
      const res = await app.request(p, { method, headers: LOOPBACK });
      assert.is(res.status, 405, `${method} ${p}`);
      assert.is(res.headers.get('allow'), 'GET, HEAD');
      assert.equal(await res.json(), { error: 'only GET is served' });
    }
  }
  const head = await app.request('/', { method: 'HEAD', headers: LOOPBACK });
  assert.is(head.status, 200);
  assert.is(await head.text(), '');
});

test('without a token only loopback Host names are answered (DNS rebinding), a missing Host included', async () => {
  const { app } = appOver(createJsonlStore(tmp()));
  const status = async (headers: Record<string, string>) => (await app.request('/api/runs', { headers })).status;
  for (const host of ['127.0.0.1:4400', '127.0.0.2', 'localhost', 'LOCALHOST:4400', '[::1]:4400']) assert.is(await status({ host }), 200, host);
  for (const host of ['evil.example:4400', '0.0.0.0:4400', '192.168.1.20:4400', 'localhost.evil.example']) assert.is(await status({ host }), 403, host);
  assert.is(await status({}), 403, 'no Host header is not loopback');
});

test('with a token: it is required from header, query or cookie; a ?token= visit sets the cookie', async () => {
  const token = 'correct-horse';
  const { app } = appOver(createJsonlStore(tmp()), { token });
  // A token replaces the Host check: the viewer is meant to be reached by another name then.
  const lan = { host: '192.168.1.20:4400' };

  const noToken = await app.request('/api/runs', { headers: lan });
  assert.is(noToken.status, 401);
  assert.equal(await noToken.json(), { error: 'missing or wrong token' });
  const page = await app.request('/', { headers: lan });
  assert.is(page.status, 401);
  assert.match(await page.text(), /<h1>401 — Token required<\/h1>/);
  const wrong = await app.request('/?token=wrong-horse', { headers: lan });
  assert.is(wrong.status, 401);
  assert.is(wrong.headers.get('set-cookie'), null, 'a wrong token sets no cookie');

  const visit = await app.request(`/?token=${token}`, { headers: lan });
  assert.is(visit.status, 200);
  const cookie = visit.headers.get('set-cookie')!;
  assert.match(cookie, /^orchestai_ui_token=correct-horse;/);
  for (const attr of ['HttpOnly', 'SameSite=Strict', 'Path=/']) assert.ok(cookie.includes(attr), `${attr} in ${cookie}`);

  const viaCookie = await app.request('/api/runs', { headers: { ...lan, cookie: cookie.split(';')[0] } });
  assert.is(viaCookie.status, 200);
  assert.is(viaCookie.headers.get('set-cookie'), null, 'the cookie is set by ?token= visits only');
  assert.is((await app.request('/api/runs', { headers: { ...lan, authorization: `Bearer ${token}` } })).status, 200);
  assert.is((await app.request('/api/runs', { headers: { ...lan, authorization: 'Bearer wrong-horse', cookie: cookie.split(';')[0] } })).status, 401, 'a wrong header is not rescued by the cookie');
});

test('server: a short token is refused; unexpected errors reach onError, or stderr by default', async () => {
  let refused: Error | undefined;
  await startUiServer({ store: createJsonlStore(tmp()), port: 0, token: 'short' }).then((ui) => ui.close(), (e) => (refused = e));
  assert.match(String(refused?.message), /at least 8 characters/);

  const reported: string[] = [];
  const ui = await startUiServer({ store: storeWithBrokenList(new Error(SECRET)), port: 0, onError: (_e, info) => reported.push(info.id) });
  try {
    const res = await fetch(`${ui.url}api/runs`);
    assert.is(res.status, 500);
    const body = (await res.json()) as { errorId: string };
    assertNothingInternal(JSON.stringify(body));
    assert.equal(reported, [body.errorId]);
  } finally {
    await ui.close();
  }

  const quiet = await startUiServer({ store: storeWithBrokenList(new Error(SECRET)), port: 0 });
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: any) => (written.push(String(chunk)), true)) as typeof write;
  try {
    const body = (await (await fetch(`${quiet.url}api/runs`)).json()) as { errorId: string };
    const log = written.join('');
    assert.ok(log.includes(`orchestai ui: error ${body.errorId} on GET /api/runs`), log);
    assert.ok(log.includes(SECRET) && /\n\s+at /.test(log), 'the stack is in the log');
  } finally {
    process.stderr.write = write;
    await quiet.close();
  }
});

test.run();
