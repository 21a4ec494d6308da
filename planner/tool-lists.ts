import { typeTagsOfSchemas, type JsonObjectSchema } from '../machines/type-tags.ts';
import { workerNames } from '../machines/tool-names.ts';
import type { CatalogTool } from './types.ts';

/**
 * Tool lists as other systems publish them, read as planner catalogs, so a user plans over the
 * tools they already describe for an LLM without rewriting them:
 * - an MCP server's `tools/list` result: `{ "tools": [{ "name", "description" (or "title"), "inputSchema", "outputSchema"? }] }`;
 * - OpenAI function tools, Chat Completions (`{ "type": "function", "function": { "name", "description", "parameters" } }`)
 *   or Responses (`{ "type": "function", "name", "description", "parameters" }`);
 * - Anthropic tools: `{ "name", "description", "input_schema" }`.
 *
 * The file is that array, or an object whose `tools` is it (`links` may be added there). An MCP
 * tool is named as `--mcp` names its worker (`getWeather` -> `get-weather`). A tool's
 * type tags are its parameter names and its output properties, `text` without an output schema
 * (machines/type-tags.ts), and the hand-offs are derived from them unless `links` are given.
 */

/** One listed tool as the catalog reads it, with where its fields are in the file. */
interface ListedTool { format: 'mcp' | 'openai' | 'anthropic'; name: unknown; description: unknown; input?: JsonObjectSchema; output?: JsonObjectSchema; at: string; nameAt: string; descriptionAt: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const schemaAt = (v: unknown): JsonObjectSchema | undefined => (isObject(v) ? (v as JsonObjectSchema) : undefined);

/** The entry in one of the formats above, or undefined when it is a catalog tool of our own (or none). */
function listedTool(entry: unknown, at: string): ListedTool | undefined {
  if (!isObject(entry)) return undefined;
  if (isObject(entry.function)) {
    const f = entry.function;
    return { format: 'openai', name: f.name, description: f.description, input: schemaAt(f.parameters), at, nameAt: `${at}.function.name`, descriptionAt: `${at}.function.description` };
  }
  const own = { name: entry.name, description: entry.description, at, nameAt: `${at}.name`, descriptionAt: `${at}.description` };
  // An MCP tool's description is optional; as for a server's workers (workflows/mcp/tool-worker.ts), its title stands in.
  if ('inputSchema' in entry) return { ...own, format: 'mcp', description: [entry.description, entry.title, isObject(entry.annotations) ? entry.annotations.title : undefined].find(isText), input: schemaAt(entry.inputSchema), output: schemaAt(entry.outputSchema) };
  if ('input_schema' in entry) return { ...own, format: 'anthropic', input: schemaAt(entry.input_schema) };
  if (entry.type === 'function') return { ...own, format: 'openai', input: schemaAt(entry.parameters) };
  return undefined;
}

/**
 * By tool name, the worker names `--mcp` gives an MCP server's tools (machines/tool-names.ts: `getWeather` ->
 * `get-weather`), for the MCP tools of a list, so a plan or model over the saved list names the
 * workers that run them. OpenAI and Anthropic names are kept: they already are what their API calls.
 */
function mcpWorkerNames(listed: readonly (ListedTool | undefined)[]): Map<string, string> {
  const names = listed.flatMap((t) => (t?.format === 'mcp' && typeof t.name === 'string' ? [t.name] : []));
  return new Map([...workerNames(names)].map(([worker, tool]) => [tool, worker]));
}

/** `links` as given, with the ends that name an MCP tool by its own name renamed to its worker's (the catalog schema checks the rest). */
function renamedLinks(links: unknown, worker: ReadonlyMap<string, string>): unknown {
  if (!Array.isArray(links)) return links;
  const rename = (end: unknown) => (typeof end === 'string' ? worker.get(end) ?? end : end);
  return links.map((l) => (isObject(l) ? { ...l, source: rename(l.source), target: rename(l.target) } : l));
}

/** The tool list of a file value: the array itself, or `tools` of an object; with where it is. */
function toolArray(value: unknown): { entries: unknown[]; prefix: string } | undefined {
  if (Array.isArray(value)) return { entries: value, prefix: '' };
  if (isObject(value) && Array.isArray(value.tools)) return { entries: value.tools, prefix: 'tools' };
  return undefined;
}

/**
 * The catalog value (`{ tools, links? }`, for `parseCatalog`) of a published tool list, and what
 * it was read as; undefined when `value` is not one (a catalog of our own). A listed tool without a
 * name or description is a problem naming its field: the planner matches requests to descriptions.
 *
 * @example
 * const listed = readToolList([{ type: 'function', function: { name: 'get_weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: {} } } } }]);
 * listed?.value.tools[0] // { name: 'get_weather', description: 'Current weather of a city', inputType: ['city'], outputType: ['text'] }
 */
export function readToolList(value: unknown): { value: { tools: CatalogTool[]; links?: unknown }; problems: string[]; fieldAt(tool: number, rest: readonly PropertyKey[]): string } | undefined {
  const list = toolArray(value);
  if (!list || list.entries.length === 0) return undefined;
  const listed = list.entries.map((e, i) => listedTool(e, `${list.prefix}[${i}]`));
  if (listed.every((t) => t === undefined)) return undefined;
  const problems: string[] = [];
  const tools: CatalogTool[] = [];
  const from: ListedTool[] = [];
  const mcpNames = mcpWorkerNames(listed);
  listed.forEach((t, i) => {
    if (!t) return void problems.push(`${list.prefix}[${i}]: not a tool of the same list (expected "function", "inputSchema" or "input_schema" as its neighbours have)`);
    if (typeof t.name !== 'string' || t.name === '') return void problems.push(`${t.nameAt}: a tool needs a name`);
    if (!isText(t.description)) return void problems.push(`${t.descriptionAt}: tool "${t.name}" needs a description (the planner matches requests to it)`);
    tools.push({ name: (t.format === 'mcp' && mcpNames.get(t.name)) || t.name, description: t.description, ...typeTagsOfSchemas(t.input, t.output) });
    from.push(t);
  });
  const fieldAt = (tool: number, rest: readonly PropertyKey[]) => {
    const t = from[tool];
    if (rest[0] === 'name') return t.nameAt;
    if (rest[0] === 'description') return t.descriptionAt;
    return `${t.at}${rest.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}`;
  };
  const links = isObject(value) ? renamedLinks(value.links, mcpNames) : undefined;
  return { value: { tools, ...(links !== undefined ? { links } : {}) }, problems, fieldAt };
}
