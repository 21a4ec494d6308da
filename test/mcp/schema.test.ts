import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputSchemaOf, outputSchemaOf, toolArguments, typeTagsOf, type ToolSchemas } from '../../workflows/mcp/schema.ts';

/** JSON Schema -> zod for the shapes tool listings use, without a server. */

const closed: ToolSchemas = {
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', minLength: 1 },
      limit: { type: 'integer', minimum: 1 },
      filter: { type: 'object', properties: { lang: { enum: ['en', 'fr'] } }, required: ['lang'], additionalProperties: false },
    },
    required: ['query'],
    additionalProperties: false,
  },
};

test('a closed input schema validates its fields but lets a planned step carry extra ones, which are not sent', () => {
  const schema = inputSchemaOf(closed);
  assert.ok(schema.safeParse({ query: 'ducks', instruction: 'find ducks', path: 'a.md' }).success);
  const nested = schema.safeParse({ query: 'ducks', filter: { lang: 'de' } });
  assert.equal(nested.success ? [] : nested.error.issues[0].path, ['filter', 'lang']);
  const missing = schema.safeParse({ limit: 3 });
  assert.equal(missing.success ? [] : missing.error.issues[0].path, ['query']);
  assert.not.ok(schema.safeParse({ query: 'x', limit: 0 }).success);
  assert.equal(toolArguments(closed, { query: 'ducks', limit: 2, instruction: 'x', path: 'a.md' }), { query: 'ducks', limit: 2 });
});

test('an open schema passes every field; a schema zod cannot convert becomes "any object"', () => {
  const open: ToolSchemas = { inputSchema: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: true } };
  assert.equal(toolArguments(open, { q: 'a', extra: 1 }), { q: 'a', extra: 1 });
  assert.equal(toolArguments({ inputSchema: { type: 'object' } }, { a: 1 }), { a: 1 });
  const remote: ToolSchemas = { inputSchema: { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } } };
  const schema = inputSchemaOf(remote);
  assert.ok(schema.safeParse({ a: 'anything' }).success);
  assert.not.ok(schema.safeParse('not an object').success);
});

test('outputs and type tags: structured with an outputSchema, { text } without', () => {
  const structured: ToolSchemas = { inputSchema: { type: 'object', properties: { text: {} } }, outputSchema: { type: 'object', properties: { words: { type: 'integer' } }, required: ['words'], additionalProperties: false } };
  assert.ok(outputSchemaOf(structured).safeParse({ words: 3 }).success);
  assert.not.ok(outputSchemaOf(structured).safeParse({ words: 3, extra: 1 }).success);
  assert.ok(outputSchemaOf(closed).safeParse({ text: 'hi' }).success);
  assert.not.ok(outputSchemaOf(closed).safeParse({ words: 3 }).success);
  assert.equal(typeTagsOf(structured), { inputType: ['text'], outputType: ['words'] });
  assert.equal(typeTagsOf(closed), { inputType: ['query', 'limit', 'filter'], outputType: ['text'] });
});

test.run();
