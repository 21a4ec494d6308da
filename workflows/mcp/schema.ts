import { z } from 'zod';
import { typeTagsOfSchemas } from '../../machines/type-tags.ts';

/**
 * A tool's JSON Schemas as the zod schemas of its worker, and the type tags the planner links
 * tools by. Tools' schemas are plain JSON Schema objects (`{ type: 'object', properties, required }`).
 */

/** The part of an MCP tool listing this module reads. */
export interface ToolSchemas {
  inputSchema: { type: 'object'; properties?: Record<string, object>; required?: string[]; [k: string]: unknown };
  outputSchema?: { type: 'object'; properties?: Record<string, object>; required?: string[]; [k: string]: unknown };
}

/** Any JSON object: what a schema zod cannot convert falls back to (the server still validates its input). */
const ANY_OBJECT = z.looseObject({});

/**
 * The worker input schema of a tool: its inputSchema converted by `z.fromJSONSchema`, except that
 * unknown fields are dropped rather than refused. A planned step's input is the run input merged
 * with upstream outputs by field name, so it carries fields the tool never asked for; the worker
 * passes only the declared ones (see `toolArguments`). A schema zod cannot convert becomes
 * "any object".
 *
 * @example
 * inputSchemaOf({ inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } })
 *   .safeParse({ text: 1 }).error.issues[0].path // ['text']
 */
export function inputSchemaOf(tool: ToolSchemas): z.ZodType {
  const { additionalProperties, ...rest } = tool.inputSchema;
  // Declared fields only: an open schema (no properties, or additionalProperties allowed) keeps every field.
  const open = !rest.properties || (additionalProperties !== undefined && additionalProperties !== false);
  return convert(open ? tool.inputSchema : rest) ?? ANY_OBJECT;
}

/**
 * The worker output schema: the tool's outputSchema when it has one (the worker returns its
 * `structuredContent`), else `{ text: string }` (the worker returns the joined text content).
 *
 * @example
 * outputSchemaOf({ inputSchema: { type: 'object' } }).parse({ text: 'hi' }) // { text: 'hi' }
 */
export function outputSchemaOf(tool: ToolSchemas): z.ZodType {
  if (!tool.outputSchema) return z.object({ text: z.string() });
  return convert(tool.outputSchema) ?? ANY_OBJECT;
}

function convert(schema: object): z.ZodType | undefined {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return undefined;
  }
}

/**
 * The arguments sent to the tool: the declared properties of the parsed input, or all of it when
 * the schema is open (declares no properties, or allows additional ones).
 *
 * @example
 * toolArguments({ inputSchema: { type: 'object', properties: { path: {} } } }, { path: 'a.md', instruction: 'x' })
 * // { path: 'a.md' }
 */
export function toolArguments(tool: ToolSchemas, input: unknown): Record<string, unknown> {
  const value = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const { properties, additionalProperties } = tool.inputSchema;
  if (!properties || (additionalProperties !== undefined && additionalProperties !== false)) return { ...value };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(properties)) if (value[k] !== undefined) out[k] = value[k];
  return out;
}

/**
 * Type tags for the planner's catalog, from field names: a tool consumes its input properties and
 * produces its output properties (`text` for a tool without an outputSchema); see machines/type-tags.ts.
 *
 * @example
 * typeTagsOf({ inputSchema: { type: 'object', properties: { path: {} } } }) // { inputType: ['path'], outputType: ['text'] }
 */
export function typeTagsOf(tool: ToolSchemas): { inputType: string[]; outputType: string[] } {
  return typeTagsOfSchemas(tool.inputSchema, tool.outputSchema);
}
