import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { defineWorker, defineWorkflow, run } from '../../src/index.ts';
import { createRedactor, secretEnvValues, secretPaths } from '../../src/history/redact.ts';
import { createScrubber, keyedEndpoint, scrubText } from '../../transformers/secrets.ts';
import { tempStore } from '../support/workers.ts';

const secret = () => z.string().meta({ secret: true });
const R = '[redacted]';

/** Input and output schemas with secrets at several depths, behind optional/nullable wrappers, in arrays, records and tuples. */
const deploy = defineWorker({
  name: 'deploy',
  description: 'Deploys a site with credentials.',
  input: z.object({
    site: z.string(),
    token: secret(),
    auth: z.object({ user: z.string(), password: secret().min(3).optional() }),
    servers: z.array(z.object({ host: z.string(), sshKey: secret().nullable() })),
    headers: z.record(z.string(), secret()).optional(),
    pair: z.tuple([z.string(), secret()]).optional(),
  }),
  output: z.object({ url: z.string(), session: z.object({ id: z.string(), cookie: secret() }), rotated: z.array(secret()) }),
  run: () => ({ url: 'https://example.org', session: { id: 's1', cookie: 'c00kie' }, rotated: ['r1', 'r2'] }),
});

const input = {
  site: 'example.org',
  token: 'tok-1',
  auth: { user: 'ana', password: 'pw-1' },
  servers: [{ host: 'a', sshKey: 'key-a' }, { host: 'b', sshKey: null }],
  headers: { 'x-one': 'h1', 'x-two': 'h2' },
  pair: ['left', 'right-secret'],
};

const workflow = defineWorkflow({ id: 'deploy-site', onFailure: 'failed', steps: [{ id: 'ship', worker: deploy, onSuccess: 'succeeded' }] });
const noEnv = {};

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

test('secretPaths: nested objects, arrays, records, tuples, wrappers, refinements', () => {
  assert.equal(secretPaths(deploy.input), ['token', 'auth.password', 'servers[].sshKey', 'headers.*', 'pair[1]']);
  assert.equal(secretPaths(deploy.output), ['session.cookie', 'rotated[]']);
  assert.equal(secretPaths(z.object({ a: z.string(), b: z.number() })), []);
  assert.equal(secretPaths(secret().optional()), ['']);
  assert.equal(secretPaths(z.string().optional().meta({ secret: true })), ['']);
  assert.equal(secretPaths(z.object({ k: secret().transform((s) => s.length) })), ['k']);
  assert.equal(secretPaths(z.union([z.object({ kind: z.literal('a'), key: secret() }), z.object({ kind: z.literal('b') })])), ['key']);
});

test('secret schema fields are replaced in step.started input and step.succeeded output, at every depth', () => {
  const r = createRedactor({ workflow, env: noEnv });
  const started = deepFreeze({ seq: 2, t: 0, type: 'step.started' as const, step: 'ship', worker: 'deploy', attempt: 1, input });
  assert.equal(r.redactEvent(started).input, {
    site: 'example.org',
    token: R,
    auth: { user: 'ana', password: R },
    servers: [{ host: 'a', sshKey: R }, { host: 'b', sshKey: null }],
    headers: { 'x-one': R, 'x-two': R },
    pair: ['left', R],
  });
  const succeeded = deepFreeze({ seq: 3, t: 0, type: 'step.succeeded' as const, step: 'ship', attempt: 1, durationMs: 1, output: { url: 'https://example.org', session: { id: 's1', cookie: 'c00kie' }, rotated: ['r1', 'r2'] } });
  const out = r.redactEvent(succeeded);
  assert.equal(out.output, { url: 'https://example.org', session: { id: 's1', cookie: R }, rotated: [R, R] });
  assert.equal(out.seq, 3);
  // Absent optional secrets stay absent.
  const bare = r.redactEvent({ ...started, input: { site: 'x', token: 't', auth: { user: 'u' }, servers: [] } });
  assert.equal(bare.input, { site: 'x', token: R, auth: { user: 'u' }, servers: [] });
});

test('without a workflow, workers are found by name and a step learns its worker from step.started', () => {
  const r = createRedactor({ workers: [deploy], env: noEnv });
  assert.equal((r.redactEvent({ type: 'step.started', step: 'x', worker: 'deploy', attempt: 1, input: { token: 't' } }) as any).input, { token: R });
  assert.equal((r.redactEvent({ type: 'step.succeeded', step: 'x', attempt: 1, durationMs: 0, output: { rotated: ['a'] } }) as any).output, { rotated: [R] });
  const other = { type: 'step.succeeded', step: 'unknown', attempt: 1, durationMs: 0, output: { rotated: ['a'] } };
  assert.is(r.redactEvent(other), other);
});

test('recursive schemas (z.lazy) redact at any depth', () => {
  type Node = { name: string; token?: string; children: Node[] };
  const NodeSchema: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), token: secret().optional(), children: z.array(NodeSchema) }));
  const tree = defineWorker({ name: 'tree', description: 'A tree.', input: z.object({}), output: NodeSchema, run: () => ({ name: 'r', children: [] }) });
  const r = createRedactor({ workflow: { steps: [{ id: 't', worker: tree }] }, env: noEnv });
  const output = { name: 'r', token: 'a', children: [{ name: 'c', children: [{ name: 'g', token: 'b', children: [] }] }] };
  assert.equal((r.redactEvent({ type: 'step.succeeded', step: 't', attempt: 1, durationMs: 0, output }) as any).output, {
    name: 'r',
    token: R,
    children: [{ name: 'c', children: [{ name: 'g', token: R, children: [] }] }],
  });
});

test('the run input is redacted by a workflow-level input schema', () => {
  const r = createRedactor({ workflow, input: z.object({ apiKey: secret(), topic: z.string() }), env: noEnv });
  const e = { seq: 1, t: 0, type: 'run.started', runId: 'r', workflowId: 'w', workflowHash: 'h', input: { apiKey: 'k', topic: 'tides' } };
  assert.equal((r.redactEvent(e) as any).input, { apiKey: R, topic: 'tides' });
});

test('env: default name rule with 8+ characters, ORCHESTAI_SECRET_ENV and secretEnv names', () => {
  const env = {
    OPENAI_API_KEY: 'env-value-0001',
    GH_TOKEN: 'short',
    HOME: '/home/ana-long-path',
    MY_PASSWD: 'pw-value-0002',
    DB_CREDENTIALS: 'cred-value-0003',
    ORCHESTAI_SECRET_ENV: 'DATABASE_URL, PLAIN',
    DATABASE_URL: 'postgres://u:pw@db/app',
    PLAIN: 'abc',
    OTHER: 'other-value-0004',
  };
  assert.equal(secretEnvValues(env).sort(), ['cred-value-0003', 'env-value-0001', 'postgres://u:pw@db/app', 'pw-value-0002']);
  assert.equal(secretEnvValues(env, { secretEnv: ['OTHER'] }).includes('other-value-0004'), true);
  assert.equal(secretEnvValues(env, { envName: false }), ['postgres://u:pw@db/app']);
});

test("an env key's value is replaced inside an error message, an output string, a comment and a reason", () => {
  const env = { OPENAI_API_KEY: 'my-env-key-123456', ORCHESTAI_SECRET_ENV: 'SERVICE_URL', SERVICE_URL: 'https://svc.internal/x' };
  const r = createRedactor({ workflow, env });
  const failed = deepFreeze({ seq: 4, t: 0, type: 'step.failed' as const, step: 'ship', attempt: 1, durationMs: 3, error: { name: 'LlmRejectedError', message: 'answered 401: {"error":"Incorrect API key provided: my-env-key-123456"}', retryable: false } });
  const f = r.redactEvent(failed);
  assert.is(f.error.message, `answered 401: {"error":"Incorrect API key provided: ${R}"}`);
  assert.equal([f.error.name, f.error.retryable, f.durationMs], ['LlmRejectedError', false, 3]);
  const ok = r.redactEvent({ type: 'step.succeeded', step: 'other', attempt: 1, durationMs: 0, output: { log: ['called https://svc.internal/x with my-env-key-123456', 'done'], n: 1 } }) as any;
  assert.equal(ok.output, { log: [`called ${R} with ${R}`, 'done'], n: 1 });
  // URL-encoded forms are found too.
  assert.is(r.redactText(`GET /?u=${encodeURIComponent('https://svc.internal/x')}`), `GET /?u=${R}`);
  assert.is((r.redactEvent({ type: 'approval.received', step: 'p', approved: true, comment: 'key my-env-key-123456 ok' }) as any).comment, `key ${R} ok`);
  assert.is((r.redactEvent({ type: 'run.cancelled', reason: 'leaked my-env-key-123456' }) as any).reason, `leaked ${R}`);
  const fin = r.redactEvent({ type: 'run.finished', status: 'failed', error: { name: 'E', message: 'my-env-key-123456', retryable: false }, cost: 0, durationMs: 1 }) as any;
  assert.is(fin.error.message, R);
  assert.is(r.redactText('run.started instruction with my-env-key-123456'), `run.started instruction with ${R}`);
});

test('each built-in pattern', () => {
  const r = createRedactor({ env: noEnv });
  const cases: Array<[string, string]> = [
    ['Incorrect API key provided: sk-abcdefghijklmnopqrstuvwxyz012345.', `Incorrect API key provided: ${R}.`],
    ['key sk-proj-AbC_dEf-0123456789abcdefghij', `key ${R}`],
    ['x-api-key sk-ant-api03-AbCdEf0123456789-xyzXYZ_abc', `x-api-key ${R}`],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_', `Authorization: Bearer ${R}`],
    ['authorization: bearer abcdefgh12345678', `authorization: bearer ${R}`],
    ['aws AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A', `aws ${R} and ${R}`],
    ['token ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 here', `token ${R} here`],
    ['fine-grained github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', `fine-grained ${R}`],
    ['GET https://h/v1/chat/completions?api-key=abc123&api-version=2024', `GET https://h/v1/chat/completions?api-key=${R}&api-version=2024`],
    ['GET https://h/x?a=1&api_key=zzz#frag', `GET https://h/x?a=1&api_key=${R}#frag`],
    ['GET https://h/x?apikey=zzz https://g/y?key=AIzaSyA-123 ui?token=t0k3n', `GET https://h/x?apikey=${R} https://g/y?key=${R} ui?token=${R}`],
    ['api-key: 0123456789abcdef', `api-key: ${R}`],
    ['X-API-KEY: 0123456789abcdef; x-api-key:abcdefgh12', `X-API-KEY: ${R}; x-api-key:${R}`],
  ];
  for (const [text, want] of cases) assert.is(r.redactText(text), want, text);
  // Texts of 256+ characters are first searched for each shape's needles: the same results.
  const pad = 'plain prose without anything secret in it. '.repeat(8);
  for (const [text, want] of cases) assert.is(r.redactText(`${pad}${text} ${pad}`), `${pad}${want} ${pad}`, text);
  // Ordinary text is left alone, including near misses.
  for (const text of ['a task-scheduler for the risk-free rate', 'Bearer token required', 'AKIA is a prefix', 'key=value pairs', 'the ghp_ prefix']) assert.is(r.redactText(text), text);
  // Redacting twice changes nothing more.
  for (const [, want] of cases) assert.is(r.redactText(want), want);
});

test('extra patterns from options (strings and RegExps, flags kept); defaultPatterns: false', () => {
  const r = createRedactor({ env: noEnv, patterns: ['xoxb-[0-9A-Za-z-]{10,}', /^internal:.*$/im] });
  assert.is(r.redactText('slack xoxb-1234567890-abcdef'), `slack ${R}`);
  assert.is(r.redactText('first\nINTERNAL: do not log\nlast'), `first\n${R}\nlast`);
  assert.is(r.redactText('sk-abcdefghijklmnopqrstuvwxyz'), R);
  // A SecretPattern with needles keeps a prefix and the fast path for long texts.
  const slack = createRedactor({ env: noEnv, patterns: [{ name: 'slack', prefix: 'slack:', body: 'xox[bp]-[0-9A-Za-z-]{10,}', needles: ['xox'] }] });
  const long = 'x'.repeat(300);
  assert.is(slack.redactText(`${long} slack:xoxp-1234567890-abc ${long}`), `${long} slack:${R} ${long}`);
  const bare = createRedactor({ env: noEnv, defaultPatterns: false, secrets: ['lit-secret'] });
  assert.is(bare.redactText('sk-abcdefghijklmnopqrstuvwxyz lit-secret'), `sk-abcdefghijklmnopqrstuvwxyz ${R}`);
});

test('nothing to redact: the very same object comes back, for every event type', () => {
  const r = createRedactor({ workflow, env: { OPENAI_API_KEY: 'my-env-key-123456' } });
  const events: any[] = [
    { seq: 1, t: 0, type: 'run.started', runId: 'r', workflowId: 'w', workflowHash: 'h', input: { topic: 'tides', list: [1, 'two', null, { deep: 'text' }] }, instruction: 'write about tides' },
    { seq: 2, t: 0, type: 'step.started', step: 'other', worker: 'echo', attempt: 1, input: { text: 'x' } },
    { seq: 3, t: 0, type: 'step.succeeded', step: 'other', attempt: 1, durationMs: 1, output: { text: 'x'.repeat(20_000), parts: Array.from({ length: 200 }, (_, i) => `part ${i} of a long output`) } },
    { seq: 4, t: 0, type: 'step.failed', step: 'ship', attempt: 1, durationMs: 1, error: { name: 'Error', message: 'boom', retryable: true } },
    { seq: 5, t: 0, type: 'timer.set', id: 't1', delayMs: 5, fireAt: 5, step: 'ship', purpose: 'backoff' },
    { seq: 6, t: 0, type: 'timer.fired', id: 't1' },
    { seq: 7, t: 0, type: 'timer.cancelled', id: 't1' },
    { seq: 8, t: 0, type: 'approval.received', step: 'p', approved: true, by: 'ana', comment: 'ship it' },
    { seq: 9, t: 0, type: 'transition', event: 'done.ship', from: ['ship.running'], to: ['succeeded'] },
    { seq: 10, t: 0, type: 'run.resumed', inFlight: [], timers: [] },
    { seq: 11, t: 0, type: 'run.cancelled', reason: 'user' },
    { seq: 12, t: 0, type: 'run.finished', status: 'succeeded', output: { ok: true }, cost: 0, durationMs: 1 },
    { seq: 13, t: 0, type: 'step.started', step: 'ship', worker: 'deploy', attempt: 1, input: { site: 'x', servers: [{ host: 'a' }] } },
  ];
  for (const e of events) assert.is(r.redactEvent(e), e, e.type);
});

test('the input event is never mutated', () => {
  const r = createRedactor({ workflow, env: { OPENAI_API_KEY: 'my-env-key-123456' } });
  const events: any[] = [
    { seq: 2, t: 0, type: 'step.started', step: 'ship', worker: 'deploy', attempt: 1, input: { ...input, site: 'has my-env-key-123456' } },
    { seq: 3, t: 0, type: 'step.succeeded', step: 'ship', attempt: 1, durationMs: 1, output: { url: 'u', session: { id: 's', cookie: 'c' }, rotated: ['a'], note: ['x', { y: 'sk-abcdefghijklmnopqrstuvwxyz' }] } },
    { seq: 4, t: 0, type: 'step.failed', step: 'ship', attempt: 1, durationMs: 1, error: { name: 'E', message: 'Bearer abcdefgh12345678', retryable: true } },
  ];
  for (const e of events) {
    const before = structuredClone(e);
    deepFreeze(e); // a write to the input would throw in strict mode
    const out = r.redactEvent(e);
    assert.is.not(out, e);
    assert.equal(e, before);
    assert.ok(!JSON.stringify(out).includes('my-env-key-123456') && !JSON.stringify(out).includes('abcdefgh12345678') && !JSON.stringify(out).includes('sk-abc'));
  }
});

test('long strings and many strings (searched at once) are still redacted exactly where needed', () => {
  const r = createRedactor({ env: { SOME_TOKEN: 'tok-0123456789' } });
  const long = 'lorem ipsum '.repeat(1000) + 'tok-0123456789' + ' dolor'.repeat(100);
  const many = Array.from({ length: 300 }, (_, i) => (i === 217 ? 'Bearer abcdefgh12345678 at 217' : `line ${i} of the log`));
  const e = { type: 'step.succeeded', step: 's', attempt: 1, durationMs: 0, output: { long, many, n: 5, flag: true } };
  const out = (r.redactEvent(e) as any).output;
  assert.is(out.long, 'lorem ipsum '.repeat(1000) + R + ' dolor'.repeat(100));
  assert.is(out.many[217], `Bearer ${R} at 217`);
  assert.is(out.many[216], e.output.many[216]);
  assert.is(out.n, 5);
  // Unchanged branches are shared, not copied.
  const e2 = { type: 'step.succeeded', step: 's', attempt: 1, durationMs: 0, output: { a: { big: ['x'] }, b: 'tok-0123456789' } };
  const out2 = r.redactEvent(e2) as any;
  assert.is(out2.output.a, e2.output.a);
  assert.is(out2.output.b, R);
});

test('a validation error that quotes a secret field does not keep the value; other fields keep it', () => {
  const r = createRedactor({ workflow, env: noEnv });
  const msg = (field: string, value: string) => `step "ship": input for worker "deploy" is invalid: field ${field} = ${value}: Invalid input: expected string, received number`;
  const ev = (message: string, name = 'InputValidationError') => ({ type: 'step.failed', step: 'ship', attempt: 1, durationMs: 0, error: { name, message, retryable: false } });
  assert.is((r.redactEvent(ev(msg('servers.0.sshKey', '"plain-ssh-key"'))) as any).error.message, `step "ship": input for worker "deploy" is invalid: field servers.0.sshKey = ${R}`);
  assert.is((r.redactEvent(ev(msg('auth', '{"user":"u","password":"p"}'))) as any).error.message, `step "ship": input for worker "deploy" is invalid: field auth = ${R}`);
  const site = ev(msg('site', '42'));
  assert.is(r.redactEvent(site), site);
  const outMsg = 'worker "deploy" returned an invalid output: field session.cookie = 7: Invalid input';
  assert.is((r.redactEvent(ev(outMsg, 'OutputValidationError')) as any).error.message, `worker "deploy" returned an invalid output: field session.cookie = ${R}`);
});

test("a real run's history: secrets out, everything else as recorded", async () => {
  const store = tempStore();
  const result = await run(workflow, input, { store });
  assert.is(result.status, 'succeeded');
  const env = { DEPLOY_TOKEN: 'https://example.org' }; // the output url, as an env secret
  const r = createRedactor({ workflow, env, input: deploy.input });
  const events = store.read(result.runId);
  const redacted = events.map((e) => r.redactEvent(e));
  const text = JSON.stringify(redacted);
  for (const s of ['tok-1', 'pw-1', 'key-a', 'h1', 'right-secret', 'c00kie', 'https://example.org']) assert.not.ok(text.includes(s), s);
  // Events without secrets are the recorded objects themselves.
  events.forEach((e, i) => {
    if (e.type === 'transition' || e.type.startsWith('timer.')) assert.is(redacted[i], e);
  });
  const fin = redacted.at(-1) as any;
  assert.equal(fin.output, { url: R, session: { id: 's1', cookie: R }, rotated: [R, R] });
});

test('scrubText and createScrubber: values (longest first), empty values ignored', () => {
  assert.is(scrubText('abc abcdef', ['abc', 'abcdef', '']), `${R} ${R}`);
  assert.is(scrubText('nothing here'), 'nothing here');
  const s = createScrubber(['a.b*c']);
  assert.ok(s.test('x a.b*c y'));
  assert.not.ok(s.test('x aXbbc y'));
  assert.ok(s.testAny(['one', 'two', 'x'.repeat(300), 'a.b*c']));
  assert.not.ok(s.testAny(['one', 'two', 'x'.repeat(300)]));
});

test('keyedEndpoint: keys out of the URL and into headers; the path built once', () => {
  assert.equal(keyedEndpoint('https://h/v1', '/chat/completions', 'k'), { url: 'https://h/v1/chat/completions', headers: { authorization: 'Bearer k' }, secrets: ['k'] });
  assert.equal(keyedEndpoint('https://h/v1/', '/chat/completions').url, 'https://h/v1/chat/completions');
  assert.equal(keyedEndpoint('https://h/v1/chat/completions', '/chat/completions').url, 'https://h/v1/chat/completions');
  assert.equal(keyedEndpoint('https://r.openai.azure.com/openai/deployments/d/?api-version=2024-02-01&api-key=az-key', '/chat/completions'), {
    url: 'https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-02-01',
    headers: { 'api-key': 'az-key' },
    secrets: ['az-key'],
  });
  assert.equal(keyedEndpoint('https://g/v1beta/openai?key=g-key', '/chat/completions'), { url: 'https://g/v1beta/openai/chat/completions', headers: { authorization: 'Bearer g-key' }, secrets: ['g-key'] });
  assert.equal(keyedEndpoint('https://h/v1?API_KEY=url-key', '/chat/completions', 'conf-key').headers, { authorization: 'Bearer conf-key' });
  assert.equal(keyedEndpoint('https://user:p%40ss@h/v1', '/chat/completions'), { url: 'https://h/v1/chat/completions', headers: { authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}` }, secrets: ['user', 'p@ss'] });
  assert.throws(() => keyedEndpoint('not a url?api-key=sk-abcdefghijklmnopqrstuvwxyz', '/x'), (e: Error) => e instanceof TypeError && !e.message.includes('sk-abc') && e.message.includes(R));
});

test.run();
