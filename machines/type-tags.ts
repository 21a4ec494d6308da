/**
 * Type tags of a tool described by JSON Schemas (an MCP tool, an OpenAI or Anthropic function):
 * it consumes its input properties and produces its output properties, or `text` when it declares
 * no output schema (such tools answer in text). Field names are how a planned step's input is fed
 * (upstream outputs merged by name), so tool A may hand off to tool B when A outputs a field B takes.
 * One rule for MCP servers' workers and for tool lists read as planner catalogs.
 */

/** A JSON Schema object as tool listings give one: only its property names are read. */
export interface JsonObjectSchema { properties?: Record<string, unknown>; [k: string]: unknown }

/**
 * The input and output type tags of a tool from its schemas.
 *
 * @example
 * typeTagsOfSchemas({ properties: { path: {} } }) // { inputType: ['path'], outputType: ['text'] }
 */
export function typeTagsOfSchemas(input: JsonObjectSchema | undefined, output?: JsonObjectSchema): { inputType: string[]; outputType: string[] } {
  const inputType = Object.keys(input?.properties ?? {});
  const outputType = output ? Object.keys(output.properties ?? {}) : ['text'];
  return { inputType, outputType };
}

/** A tool's type tags, as a catalog entry holds them (either may be missing). */
export interface TypedTool { name: string; inputType?: readonly string[]; outputType?: readonly string[] }

/**
 * The hand-offs type tags allow: `a -> b` when an output type of `a` is an input type of `b`, in
 * the tools' order, without self-loops (a plan never feeds a worker into itself). One rule for the
 * built-in and MCP workers' catalogs and for planner catalogs that list no links.
 *
 * @example
 * linksByType([{ name: 'a', outputType: ['text'] }, { name: 'b', inputType: ['text'] }])
 * // [{ source: 'a', target: 'b' }]
 */
export function linksByType(tools: readonly TypedTool[]): { source: string; target: string }[] {
  const links: { source: string; target: string }[] = [];
  for (const a of tools) {
    const outs = new Set(a.outputType ?? []);
    if (outs.size === 0) continue;
    for (const b of tools) {
      if (a.name !== b.name && (b.inputType ?? []).some((t) => outs.has(t))) links.push({ source: a.name, target: b.name });
    }
  }
  return links;
}
