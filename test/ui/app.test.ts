import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createJsonlStore } from '../../src/index.ts';
import { createUiApp } from '../../src/ui/app.ts';
import type { RunControl, UiStore } from '../../src/ui/context.ts';
import type { UnexpectedErrorInfo } from '../../src/ui/errors.ts';
import { startUiServer } from '../../src/ui/server.ts';
import { WorkflowResolver } from '../../src/ui/workflows.ts';
import { finishedShopRun, waitingShopRun, writeHistory } from './histories.ts';

/**
 * The viewer app's access rules and error handling, through `app.request()` (no server), and
 * the server's wiring of the error reporter over real HTTP.
 */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-ui-app-'));
const LOOPBACK = { host: '127.0.0.1:4400' };
/** Error text that must never reach a client. */
const SECRET = 'disk /home/alice/.orchestai/runs is on fire';

function appOver(store: UiStore, options: { token?: string; planner?: () => Promise<Record<string, any>>; control?: RunControl } = {}) {
  const reports: { error: unknown; info: UnexpectedErrorInfo }[] = [];
  const app = createUiApp({
    store,
    resolver: new WorkflowResolver(),
    planner: options.planner ?? (async () => ({})),
    token: options.token,
    onError: (error, info) => reports.push({ error, info }),
    control: options.control,
  });
  return { app, reports };
}

/** A run control that records what it is asked and answers `delivered`, or throws `refuse`. */
function fakeControl(answer: { delivered?: 'live' | 'queued'; refuse?: unknown } = {}) {
  const calls: unknown[][] = [];
  const control: RunControl = {
    async approve(runId, step, decision) {
      calls.push(['approve', runId, step, decision]);
      if (answer.refuse !== undefined) throw answer.refuse;
      return { delivered: answer.delivered ?? 'live' };
    },
    async cancel(runId, request) {
      calls.push(['cancel', runId, request]);
      if (answer.refuse !== undefined) throw answer.refuse;
      return { delivered: answer.delivered ?? 'live' };
    },
  };
  return { control, calls };
}

/** A POST as the viewer's own page sends it: JSON, from the viewer's origin. */
const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...LOOPBACK, 'content-type': 'application/json', origin: 'http://127.0.0.1:4400', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A store with a run waiting for the approval of step `approve`, and a finished one. */
function controlStore() {
  const root = tmp();
  writeHistory(root, waitingShopRun('20261121T200000Z-wait'));
  writeHistory(root, finishedShopRun('20261121T190000Z-done'));
  return createJsonlStore(root);
}
const WAIT = '/api/runs/20261121T200000Z-wait';

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

test('run controls without a control: 501 and nothing else changes; the summary says so', async () => {
  const { app } = appOver(controlStore());
  for (const [route, body] of [['approve', { step: 'approve', approved: true }], ['cancel', {}]] as const) {
    const res = await app.request(`${WAIT}/${route}`, postJson(body));
    assert.is(res.status, 501, route);
    const json = (await res.json()) as { error: string };
    assert.match(json.error, /without a run control/);
  }
  const summary = (await (await app.request(WAIT, { headers: LOOPBACK })).json()) as Record<string, unknown>;
  assert.is(summary.control, false);
  assert.equal(summary.waitingApprovals, ['approve'], 'what waits is still reported');
  assert.is(((await (await app.request('/api/meta', { headers: LOOPBACK })).json()) as any).control, false);
});

test('run controls: approve, reject and cancel reach the control ("viewer" by default); the summary offers them', async () => {
  const { control, calls } = fakeControl();
  const { app, reports } = appOver(controlStore(), { control });
  const approve = await app.request(`${WAIT}/approve`, postJson({ step: 'approve', approved: true, comment: 'looks good' }));
  assert.is(approve.status, 200);
  assert.equal(await approve.json(), { runId: '20261121T200000Z-wait', step: 'approve', approved: true, by: 'viewer', delivered: 'live' });
  const reject = await app.request(`${WAIT}/approve`, postJson({ step: 'approve', approved: false, by: 'ana' }, { 'content-type': 'application/json; charset=utf-8' }));
  assert.is(reject.status, 200);
  const cancel = await app.request(`${WAIT}/cancel`, postJson({ reason: 'wrong input' }));
  assert.is(cancel.status, 200);
  assert.equal(await cancel.json(), { runId: '20261121T200000Z-wait', by: 'viewer', delivered: 'live' });
  assert.equal(calls, [
    ['approve', '20261121T200000Z-wait', 'approve', { approved: true, by: 'viewer', comment: 'looks good' }],
    ['approve', '20261121T200000Z-wait', 'approve', { approved: false, by: 'ana' }],
    ['cancel', '20261121T200000Z-wait', { by: 'viewer', reason: 'wrong input' }],
  ]);
  assert.is(reports.length, 0);

  const queued = appOver(controlStore(), { control: fakeControl({ delivered: 'queued' }).control });
  assert.is(((await (await queued.app.request(`${WAIT}/cancel`, postJson({}))).json()) as any).delivered, 'queued');

  const summary = (await (await app.request(WAIT, { headers: LOOPBACK })).json()) as Record<string, unknown>;
  assert.equal([summary.control, summary.waitingApprovals, summary.cancellable], [true, ['approve'], true]);
  const done = (await (await app.request('/api/runs/20261121T190000Z-done', { headers: LOOPBACK })).json()) as Record<string, unknown>;
  assert.equal([done.control, done.waitingApprovals, done.cancellable], [true, [], false], 'a finished run offers nothing');
});

test('run controls: a refusal from the control is a 409 with its message; bad bodies 400; unknown runs 404', async () => {
  const refusing = fakeControl({ refuse: new Error('step publish is not waiting for approval') });
  const { app, reports } = appOver(controlStore(), { control: refusing.control });
  const res = await app.request(`${WAIT}/approve`, postJson({ step: 'publish', approved: true }));
  assert.is(res.status, 409);
  assert.equal(await res.json(), { error: 'step publish is not waiting for approval', title: 'Cannot approve' });
  const cancel = await app.request(`${WAIT}/cancel`, postJson({}));
  assert.is(cancel.status, 409);
  assert.equal(((await cancel.json()) as any).title, 'Cannot cancel');
  assert.is(reports.length, 0, 'a refusal is not an unexpected error');

  const { control, calls } = fakeControl();
  const ok = appOver(controlStore(), { control });
  const status = async (path: string, body: unknown) => (await ok.app.request(path, postJson(body))).status;
  assert.is(await status(`${WAIT}/approve`, '{"step": "approve", '), 400, 'not JSON');
  assert.is(await status(`${WAIT}/approve`, { step: 'approve' }), 400, 'no decision');
  assert.is(await status(`${WAIT}/approve`, { step: '', approved: true }), 400, 'no step');
  assert.is(await status(`${WAIT}/approve`, { step: 'approve', approved: 'yes' }), 400, 'a decision that is not a boolean');
  assert.is(await status(`${WAIT}/cancel`, { reason: 'x', force: true }), 400, 'unknown fields');
  assert.is(await status('/api/runs/20990101T000000Z-nope/cancel', {}), 404);
  assert.equal(calls, [], 'the control is asked nothing for a bad request');

  const broken = appOver(controlStore(), { control: { ...control, cancel: async () => ({ delivered: 'maybe' }) as any } });
  const odd = await broken.app.request(`${WAIT}/cancel`, postJson({}));
  assert.is(odd.status, 500, 'a control answering nonsense is a bug, reported');
  assert.is(broken.reports.length, 1);
});

test('run controls refuse cross-site requests: 415 without a JSON content type, 403 from another origin', async () => {
  const { control, calls } = fakeControl();
  const { app } = appOver(controlStore(), { control });
  const send = (headers: Record<string, string>, body = JSON.stringify({ step: 'approve', approved: true })) =>
    app.request(`${WAIT}/approve`, { method: 'POST', headers: { ...LOOPBACK, ...headers }, body });
  // What a <form> of another site can send without a preflight.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    assert.is((await send({ 'content-type': type })).status, 415, type);
  }
  assert.is((await send({})).status, 415, 'no content type');
  for (const origin of ['https://evil.example', 'http://127.0.0.1:4401', 'http://localhost:4400', 'null', 'file://']) {
    const res = await send({ 'content-type': 'application/json', origin });
    assert.is(res.status, 403, origin);
    assert.match(((await res.json()) as { error: string }).error, /only the viewer's own page/);
  }
  assert.is((await send({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).status, 403, 'Sec-Fetch-Site: cross-site');
  assert.is((await send({ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' })).status, 403, 'Sec-Fetch-Site: same-site');
  assert.equal(calls, [], 'nothing reached the control');
  assert.is((await send({ 'content-type': 'application/json', origin: 'http://127.0.0.1:4400', 'sec-fetch-site': 'same-origin' })).status, 200, 'the page itself');
  assert.is((await send({ 'content-type': 'application/json' })).status, 200, 'no Origin (curl, scripts)');
  // A default port is the same origin whether the Host names it or not.
  const plain = await app.request(`${WAIT}/approve`, { method: 'POST', headers: { host: '127.0.0.1', 'content-type': 'application/json', origin: 'http://127.0.0.1:80' }, body: JSON.stringify({ step: 'approve', approved: true }) });
  assert.is(plain.status, 200);
  assert.is((await app.request(`${WAIT}/approve`, { method: 'POST', headers: { ...LOOPBACK, 'content-type': 'application/json' }, body: 'x'.repeat(20_000) })).status, 413);
});

test('POST only on the two control routes; every other route still refuses it (405)', async () => {
  const { control } = fakeControl();
  const { app } = appOver(controlStore(), { control });
  for (const p of ['/', '/plan', '/api/meta', '/api/runs', WAIT, `${WAIT}/state`, `${WAIT}/events`, `${WAIT}/timeline.svg`, `${WAIT}/approved`, `${WAIT}/approve/x`, '/runs/20261121T200000Z-wait', '/assets/app.js']) {
    const res = await app.request(p, postJson({ step: 'approve', approved: true }));
    assert.is(res.status, 405, `POST ${p}`);
    assert.is(res.headers.get('allow'), 'GET, HEAD');
  }
  for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
    const res = await app.request(`${WAIT}/approve`, { method, headers: { ...LOOPBACK, origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.is(res.status, 405, `${method} approve`);
    assert.is(res.headers.get('allow'), 'POST');
    assert.is(res.headers.get('access-control-allow-origin'), null, 'no CORS answer');
  }
});

test('run controls off loopback: the token is required like everywhere else', async () => {
  const { control, calls } = fakeControl();
  const { app } = appOver(controlStore(), { control, token: 'correct-horse' });
  const lan = { host: '192.168.1.20:4400', 'content-type': 'application/json' };
  const body = JSON.stringify({ reason: 'stop' });
  assert.is((await app.request(`${WAIT}/cancel`, { method: 'POST', headers: lan, body })).status, 401);
  assert.is((await app.request(`${WAIT}/cancel`, { method: 'POST', headers: { ...lan, origin: 'http://192.168.1.20:4400', authorization: 'Bearer wrong-horse' }, body })).status, 401);
  assert.equal(calls, []);
  assert.is((await app.request(`${WAIT}/cancel`, { method: 'POST', headers: { ...lan, origin: 'http://192.168.1.20:4400', authorization: 'Bearer correct-horse' }, body })).status, 200);
  const plainLoopback = appOver(controlStore(), { control });
  assert.is((await plainLoopback.app.request(`${WAIT}/cancel`, { method: 'POST', headers: { host: 'evil.example:4400', 'content-type': 'application/json', origin: 'http://evil.example:4400' }, body })).status, 403, 'DNS rebinding: the Host check comes first');
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

  const { control, calls } = fakeControl({ delivered: 'queued' });
  const controlled = await startUiServer({ store: controlStore(), port: 0, control });
  try {
    const res = await fetch(`${controlled.url}api/runs/20261121T200000Z-wait/approve`, { method: 'POST', headers: { 'content-type': 'application/json', origin: controlled.url.replace(/\/$/, '') }, body: JSON.stringify({ step: 'approve', approved: true }) });
    assert.is(res.status, 200);
    assert.equal(await res.json(), { runId: '20261121T200000Z-wait', step: 'approve', approved: true, by: 'viewer', delivered: 'queued' });
    assert.equal(calls, [['approve', '20261121T200000Z-wait', 'approve', { approved: true, by: 'viewer' }]], 'startUiServer passes its control to the app');
  } finally {
    await controlled.close();
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
