import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, parseCatalog } from '../../planner/catalog.ts';
import { cli } from '../support/cli.ts';

// Tool lists published for LLMs (MCP tools/list, OpenAI and Anthropic function tools) read as catalogs.
const object = (...names: string[]) => ({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) });
const ORDER = 'Looks up a customer order by its number: items, amount paid and status';
const REFUND = 'Refunds the payment of an order to the customer';

const expected = [
  { name: 'get_order', description: ORDER, inputType: ['order_id'], outputType: ['order_id', 'amount'] },
  { name: 'issue_refund', description: REFUND, inputType: ['order_id', 'amount'], outputType: ['text'] },
];

test('an MCP tools/list result: parameters and output properties are the type tags, and the hand-offs follow them', () => {
  const cat = parseCatalog({ tools: [
    { name: 'get_order', description: ORDER, inputSchema: object('order_id'), outputSchema: object('order_id', 'amount') },
    { name: 'issue_refund', description: REFUND, inputSchema: object('order_id', 'amount'), annotations: { destructiveHint: true } },
  ], nextCursor: 'x' });
  assert.equal(cat.tools, expected);
  // Its description is optional there: the title stands in, as for a server's workers.
  const titled = parseCatalog({ tools: [{ name: 'get_order', title: ORDER, inputSchema: object('order_id') }, { name: 'refund', annotations: { title: REFUND }, inputSchema: {} }] });
  assert.equal(titled.tools.map((t) => t.description), [ORDER, REFUND]);
  assert.equal(cat.links, [{ source: 'get_order', target: 'issue_refund' }]);
});

test("an MCP list's tools are named as --mcp names their workers, in its links too; OpenAI and Anthropic names are kept", () => {
  const cat = parseCatalog({ tools: [
    { name: 'getOrder', description: ORDER, inputSchema: object('order_id') },
    { name: 'Issue Refund', description: REFUND, inputSchema: object('order_id') },
    { name: 'issue-refund', description: REFUND, inputSchema: object('order_id') },
  ], links: [{ source: 'getOrder', target: 'Issue Refund' }] });
  assert.equal(cat.tools.map((t) => t.name), ['get-order', 'issue-refund', 'issue-refund-2']);
  assert.equal(cat.links, [{ source: 'get-order', target: 'issue-refund' }]);
  assert.equal(parseCatalog([{ type: 'function', function: { name: 'getOrder', description: ORDER } }]).tools[0].name, 'getOrder');
});

test('OpenAI (Chat Completions and Responses) and Anthropic tools read as the same tools, with text as the output of a tool that declares none', () => {
  const chat = [{ type: 'function', function: { name: 'get_order', description: ORDER, parameters: object('order_id') } }, { type: 'function', function: { name: 'issue_refund', description: REFUND, parameters: object('order_id', 'amount'), strict: true } }];
  const responses = [{ type: 'function', name: 'get_order', description: ORDER, parameters: object('order_id') }, { type: 'function', name: 'issue_refund', description: REFUND, parameters: object('order_id', 'amount') }];
  const anthropic = [{ name: 'get_order', description: ORDER, input_schema: object('order_id') }, { name: 'issue_refund', description: REFUND, input_schema: object('order_id', 'amount') }];
  const noOutputs = expected.map((t) => ({ ...t, outputType: ['text'] }));
  for (const list of [chat, responses, anthropic, { tools: anthropic }]) assert.equal(parseCatalog(list).tools, noOutputs);
  // Given links win over the derived ones (here none: no tool takes text).
  assert.equal(parseCatalog({ tools: chat }).links, []);
  assert.equal(parseCatalog({ tools: chat, links: [{ source: 'get_order', target: 'issue_refund' }] }).links, [{ source: 'get_order', target: 'issue_refund' }]);
});

test('a listed tool without a description, a name that is not one, or a stray entry: one error naming the file and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-tool-lists-'));
  const file = join(dir, 'tools.json');
  writeFileSync(file, JSON.stringify([{ type: 'function', function: { name: 'get_order', description: ORDER } }, { type: 'function', function: { name: 'issue_refund' } }]));
  assert.throws(() => loadCatalog(file), (e: Error) => e.message === `${file}: invalid catalog: [1].function.description: tool "issue_refund" needs a description (the planner matches requests to it)`);
  assert.throws(() => parseCatalog([{ type: 'function', function: { name: 'a b', description: 'x' } }], 'openai'), /^openai: invalid catalog: \[0\]\.function\.name: "a b" is not a worker name/);
  assert.throws(() => parseCatalog([{ name: 'a', description: 'x', input_schema: {} }, { name: 'b', description: 'y' }], 'mixed'), /mixed: invalid catalog: \[1\]: not a tool of the same list/);
  assert.throws(() => parseCatalog([{ name: 'a', description: 'x', input_schema: {} }, { name: 'a', description: 'y', input_schema: {} }], 'twice'), /twice: invalid catalog: \[1\]\.name: duplicate tool name "a"/);
});

test('orchestai plan --catalog <OpenAI tools file> plans over those tools', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestai-tool-lists-'));
  const file = join(dir, 'tools.json');
  writeFileSync(file, JSON.stringify([
    { type: 'function', function: { name: 'get_order', description: ORDER, parameters: object('order_id') } },
    { type: 'function', function: { name: 'issue_refund', description: REFUND, parameters: object('order_id', 'amount') } },
    { type: 'function', function: { name: 'send_email', description: 'Sends an email to a customer', parameters: object('to', 'text') } },
  ]));
  const r = await cli(['plan', '--catalog', file, 'refund the payment of order 1042', '--json']);
  assert.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out);
  assert.equal(doc.planner, { kind: 'general-model', tools: 3 });
  assert.ok(doc.plan.nodes.some((n: { worker: string }) => n.worker === 'issue_refund'), r.out);
});

test.run();
