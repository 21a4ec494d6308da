import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { testServer, until } from './support.ts';

/**
 * The OpenAPI document at /api/openapi.json: it parses, has the structure OpenAPI 3.1 requires
 * (checked against a JSON Schema of the parts we rely on), lists every route with its security,
 * every $ref resolves, and real responses of the server validate against the schemas it declares.
 */

const s = testServer();
let doc: any;

test.before(async () => {
  const res = await s.call(undefined, 'GET', '/api/openapi.json');
  assert.is(res.status, 200);
  doc = JSON.parse(await res.text()); // it parses
});

const ROUTES: [string, string][] = [
  ['get', '/api/runs'], ['post', '/api/runs'], ['get', '/api/runs/{runId}'], ['get', '/api/runs/{runId}/events'],
  ['post', '/api/runs/{runId}/approve'], ['post', '/api/runs/{runId}/reject'], ['post', '/api/runs/{runId}/cancel'],
  ['post', '/api/plan'], ['get', '/api/tokens'], ['post', '/api/tokens'], ['delete', '/api/tokens/{id}'], ['post', '/api/prune'], ['get', '/metrics'],
];

/** The parts of OpenAPI 3.1 (spec sections 4.8.1-4.8.17) this document uses, as a JSON Schema. */
const OPENAPI_31_SUBSET = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' } } },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'], properties: { type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] } } } },
      },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'summary', 'description', 'parameters', 'servers'] },
        additionalProperties: { $ref: '#/$defs/operation' },
      },
    },
  },
  $defs: {
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        summary: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array' } } },
        parameters: {
          type: 'array',
          items: {
            type: 'object', required: ['name', 'in'],
            properties: { name: { type: 'string' }, in: { enum: ['query', 'header', 'path', 'cookie'] }, required: { type: 'boolean' }, schema: { type: 'object' } },
            if: { properties: { in: { const: 'path' } } }, then: { required: ['required'], properties: { required: { const: true } } },
          },
        },
        requestBody: { type: 'object', required: ['content'], properties: { content: { $ref: '#/$defs/content' } } },
        responses: {
          type: 'object', minProperties: 1,
          propertyNames: { pattern: '^([1-5][0-9][0-9]|[1-5]XX|default)$' },
          additionalProperties: { type: 'object', required: ['description'], properties: { description: { type: 'string' }, content: { $ref: '#/$defs/content' } } },
        },
      },
    },
    content: { type: 'object', additionalProperties: { type: 'object', properties: { schema: { type: 'object' } } } },
  },
};

test('the document is OpenAPI 3.1 in structure (JSON Schema check)', () => {
  const ajv = new Ajv2020({ allErrors: true });
  const validate = ajv.compile(OPENAPI_31_SUBSET);
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));
});

test('it lists every route, each with bearer security, a 401 and a 403, and its path parameters', () => {
  const listed = Object.entries(doc.paths).flatMap(([p, item]: [string, any]) => Object.keys(item).map((m) => [m, p]));
  assert.equal(listed.sort(), [...ROUTES].sort());
  for (const [method, p] of ROUTES) {
    const op = doc.paths[p][method];
    assert.equal(op.security, [{ bearer: [] }], `${method} ${p}`);
    assert.ok(op.responses['401'] && op.responses['403'], `${method} ${p}`);
    const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const inPath = (op.parameters ?? []).filter((x: any) => x.in === 'path').map((x: any) => x.name);
    assert.equal(inPath.sort(), templated.sort(), `${method} ${p}: path parameters`);
  }
  assert.equal(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.bearer.description });
});

test('every $ref resolves and every schema in it compiles as JSON Schema 2020-12', () => {
  const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
  assert.ok(refs.length > 5);
  for (const raw of refs) {
    const ref = raw.slice(8, -1);
    assert.match(ref, /^#\//);
    const target = ref.slice(2).split('/').map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((o: any, k) => o?.[k], doc);
    assert.ok(target, `${ref} resolves`);
  }
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(doc, 'openapi.json');
  for (const name of Object.keys(doc.components.schemas)) ajv.getSchema(`openapi.json#/components/schemas/${name}`) ?? assert.unreachable(name);
});

/** The schema the document declares for a response. */
function responseSchema(method: string, p: string, status: number, type = 'application/json') {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(doc, 'openapi.json');
  const pointer = `/paths/${p.replace(/\//g, '~1')}/${method}/responses/${status}/content/${type.replace(/\//g, '~1')}/schema`;
  return ajv.compile({ $ref: `openapi.json#${pointer}` });
}

test("the server's real responses validate against the document", async () => {
  const check = async (method: string, p: string, url: string, role: any, body: unknown, status: number): Promise<any> => {
    const res = await s.call(role, method.toUpperCase(), url, body);
    assert.is(res.status, status, `${method} ${url}: ${await res.clone().text()}`);
    const validate = responseSchema(method, p, status);
    const json = (await res.json()) as any;
    assert.ok(validate(json), `${method} ${url}: ${JSON.stringify(validate.errors)}`);
    return json;
  };
  const { runId } = await check('post', '/api/runs', '/api/runs', 'operator', { workflow: 'quick', input: { ms: 1 } }, 202);
  await until(() => s.store.exists(runId) && s.store.read(runId).some((e) => e.type === 'run.finished'), 5_000, 'the run to finish');
  await check('get', '/api/runs', '/api/runs', 'viewer', undefined, 200);
  await check('get', '/api/runs', '/api/runs', undefined, undefined, 401);
  await check('post', '/api/runs', '/api/runs', 'viewer', { workflow: 'quick' }, 403);
  await check('get', '/api/tokens', '/api/tokens', 'admin', undefined, 200);
  const created = await check('post', '/api/tokens', '/api/tokens', 'admin', { role: 'operator', name: 'doc' }, 201);
  await check('delete', '/api/tokens/{id}', `/api/tokens/${created.id}`, 'admin', undefined, 200);
  await check('post', '/api/prune', '/api/prune', 'admin', { olderThanMs: 0, dryRun: true }, 200);
  await check('post', '/api/runs/{runId}/cancel', `/api/runs/${runId}/cancel`, 'operator', {}, 409);
  await check('get', '/api/runs/{runId}', `/api/runs/${runId}`, 'viewer', undefined, 200);
});

test('the app reported no unexpected errors (500s)', () => {
  assert.equal(s.errors, []);
});

test.after(async () => {
  await s.close();
});

test.run();
