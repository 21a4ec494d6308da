import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Role } from '../../src/server/tokens.ts';
import { FINISHED, testServer, until, WAITING } from './support.ts';

/**
 * Every route of the server, for each role: no token and an unknown token are refused (401),
 * a role below the route's is refused (403), the route's role and those above get through. All
 * refusals carry `{ error, message }`.
 */

const s = testServer();
const roles: Role[] = ['viewer', 'operator', 'admin'];

interface RouteCase {
  method: string;
  url: string;
  body?: () => unknown;
  role: Role;
  /** The status when allowed. */
  ok: number;
  headers?: Record<string, string>;
}

const cases: RouteCase[] = [
  { method: 'GET', url: '/api/runs', role: 'viewer', ok: 200 },
  { method: 'GET', url: `/api/runs/${FINISHED}`, role: 'viewer', ok: 200 },
  { method: 'GET', url: `/api/runs/${FINISHED}/events`, role: 'viewer', ok: 200 },
  { method: 'GET', url: `/api/runs/${FINISHED}/events?after=3`, role: 'viewer', ok: 200, headers: { accept: 'text/event-stream' } },
  { method: 'GET', url: `/api/runs/${FINISHED}/state`, role: 'viewer', ok: 200 },
  { method: 'GET', url: `/api/runs/${FINISHED}/timeline.svg`, role: 'viewer', ok: 200 },
  { method: 'GET', url: '/metrics', role: 'viewer', ok: 200 },
  { method: 'GET', url: '/', role: 'viewer', ok: 200 },
  { method: 'GET', url: `/runs/${FINISHED}`, role: 'viewer', ok: 200 },
  { method: 'POST', url: '/api/runs', body: () => ({ workflow: 'quick', input: { ms: 1 } }), role: 'operator', ok: 202 },
  // Each allowed role asks for a step that is not waiting: the refusal is the run's (409), past the role check.
  { method: 'POST', url: `/api/runs/${WAITING}/approve`, body: () => ({ step: 'publish' }), role: 'operator', ok: 409 },
  { method: 'POST', url: `/api/runs/${WAITING}/reject`, body: () => ({ step: 'publish' }), role: 'operator', ok: 409 },
  { method: 'POST', url: `/api/runs/${FINISHED}/cancel`, body: () => ({ reason: 'test' }), role: 'operator', ok: 409 },
  { method: 'POST', url: '/api/plan', body: () => ({ instruction: 'Summarise report.md and chart its figures' }), role: 'operator', ok: 200 },
  // The viewer's planner panel plans (a paid LLM fallback may run): operator, like POST /api/plan.
  { method: 'GET', url: '/api/plan?instruction=Summarise%20report.md', role: 'operator', ok: 200 },
  { method: 'GET', url: '/api/tokens', role: 'admin', ok: 200 },
  { method: 'POST', url: '/api/tokens', body: () => ({ role: 'viewer', name: 'made-by-test' }), role: 'admin', ok: 201 },
  { method: 'DELETE', url: '/api/tokens/', role: 'admin', ok: 200 }, // id appended per call: a fresh token each time
  { method: 'POST', url: '/api/prune', body: () => ({ olderThanMs: 0, dryRun: true }), role: 'admin', ok: 200 },
];

const urlOf = (c: RouteCase) => (c.url === '/api/tokens/' ? `/api/tokens/${s.tokens.create('viewer', 'doomed').id}` : c.url);

async function assertRefused(res: Response, status: number, what: string) {
  assert.is(res.status, status, `${what}: ${await res.clone().text()}`);
  if (res.headers.get('content-type')?.includes('json')) {
    const body = (await res.json()) as any;
    assert.type(body.error, 'string', what);
    assert.type(body.message, 'string', what);
  }
}

for (const c of cases) {
  test(`${c.method} ${c.url}: 401 without a token or with a bad one`, async () => {
    await assertRefused(await s.call(undefined, c.method, urlOf(c), c.body?.(), c.headers), 401, 'no token');
    await assertRefused(await s.call({ secret: 'oa_000000000000_not-a-real-secret' }, c.method, urlOf(c), c.body?.(), c.headers), 401, 'bad token');
    const notBearer = await s.app.request(urlOf(c), { method: c.method, headers: { authorization: `Basic ${s.secret.admin}` } });
    assert.is(notBearer.status, 401);
  });

  test(`${c.method} ${c.url}: needs ${c.role}`, async () => {
    for (const role of roles) {
      const res = await s.call(role, c.method, urlOf(c), c.body?.(), c.headers);
      if (roles.indexOf(role) < roles.indexOf(c.role)) {
        await assertRefused(res, 403, `${role} on ${c.method} ${c.url}`);
      } else {
        assert.is(res.status, c.ok, `${role} on ${c.method} ${c.url}: ${await res.clone().text()}`);
        await res.arrayBuffer();
      }
    }
  });
}

test('the OpenAPI document needs no token', async () => {
  assert.is((await s.call(undefined, 'GET', '/api/openapi.json')).status, 200);
});

test('a revoked token is refused at once', async () => {
  const t = s.tokens.create('admin', 'short-lived');
  assert.is((await s.call({ secret: t.secret }, 'GET', '/api/runs')).status, 200);
  assert.is((await s.call('admin', 'DELETE', `/api/tokens/${t.id}`)).status, 200);
  assert.is((await s.call({ secret: t.secret }, 'GET', '/api/runs')).status, 401);
  assert.is((await s.call('admin', 'DELETE', `/api/tokens/${t.id}`)).status, 404);
});

test('viewer pages: 401 page without a token; ?token= sets a cookie that later requests use', async () => {
  const none = await s.app.request('/');
  assert.is(none.status, 401);
  assert.match(none.headers.get('content-type') ?? '', /html/);
  const first = await s.app.request(`/?token=${encodeURIComponent(s.secret.viewer)}`);
  assert.is(first.status, 200);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
  assert.match(cookie, /^orchestai_server_token=/);
  const list = await s.app.request('/api/runs', { headers: { cookie } });
  assert.is(list.status, 200);
  assert.is(((await list.json() as any)).total >= 2, true);
});

test('a POST authenticated by the cookie must come from the viewer page (CSRF), and needs the role', async () => {
  const opCookie = `orchestai_server_token=${encodeURIComponent(s.secret.operator)}`;
  const crossSite = await s.app.request(`/api/runs/${WAITING}/approve`, { method: 'POST', headers: { cookie: opCookie, 'content-type': 'application/json', origin: 'https://evil.example', host: 'localhost:4500' }, body: JSON.stringify({ step: 'approve' }) });
  assert.is(crossSite.status, 403);
  const plain = await s.app.request(`/api/runs/${WAITING}/cancel`, { method: 'POST', headers: { cookie: opCookie, 'content-type': 'text/plain' }, body: '{}' });
  assert.is(plain.status, 415);
  const viewerCookie = `orchestai_server_token=${encodeURIComponent(s.secret.viewer)}`;
  const low = await s.app.request(`/api/runs/${WAITING}/approve`, { method: 'POST', headers: { cookie: viewerCookie, 'content-type': 'application/json' }, body: JSON.stringify({ step: 'approve' }) });
  assert.is(low.status, 403);
});

test('the page approve button (same origin, cookie, operator) reaches the run: queued for a run no process holds', async () => {
  const cookie = `orchestai_server_token=${encodeURIComponent(s.secret.operator)}`;
  const res = await s.app.request(`/api/runs/${WAITING}/approve`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: 'http://localhost:4500', host: 'localhost:4500' }, body: JSON.stringify({ step: 'approve', approved: true, comment: 'fine' }) });
  assert.is(res.status, 200, await res.clone().text());
  const body = (await res.json()) as any;
  assert.equal([body.delivered, body.by, body.approved], ['queued', 'token ops', true]);
  assert.is(s.store.control.requests(WAITING).at(-1)?.type, 'approve');
});

test('bad requests: 400 with { error, message }', async () => {
  for (const [method, url, body] of [
    ['POST', '/api/runs', { input: {} }],
    ['POST', '/api/runs', { workflow: 'quick', extra: 1 }],
    ['POST', '/api/tokens', { role: 'root' }],
    ['POST', '/api/prune', { olderThanMs: -1 }],
    ['GET', '/api/runs?status=weird', undefined],
    ['GET', '/api/runs?since=yesterday-ish', undefined],
    ['GET', '/api/runs?limit=0', undefined],
  ] as const) {
    const res = await s.call('admin', method, url, body);
    assert.is(res.status, 400, `${method} ${url}: ${await res.clone().text()}`);
    const b = (await res.json()) as any;
    assert.type(b.error, 'string');
    assert.type(b.message, 'string');
  }
  const huge = await s.call('operator', 'POST', '/api/runs', { workflow: 'quick', input: { blob: 'x'.repeat(1_100_000) } });
  assert.is(huge.status, 413);
  const unknown = await s.call('operator', 'POST', '/api/runs', { workflow: 'nope' });
  assert.is(unknown.status, 404);
  assert.match((await unknown.json() as any).message, 'unknown workflow "nope"');
  assert.is((await s.call('viewer', 'GET', '/api/runs/no-such-run')).status, 404);
  assert.is((await s.call('operator', 'POST', '/api/runs/no-such-run/cancel', {})).status, 404);
});

test('the app reported no unexpected errors (500s)', () => {
  assert.equal(s.errors, []);
});

test.after(async () => {
  // The runs POST /api/runs started above: let them end before the process does.
  await until(() => s.launcher.queued === 0, 5_000, 'the queue to drain');
  await s.close();
});

test.run();
