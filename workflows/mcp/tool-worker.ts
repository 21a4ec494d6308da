import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { defineWorker, type AnyWorker } from '../../machines/worker.ts';
import type { RetryPolicyInput } from '../../machines/retry.ts';
import { inputSchemaOf, outputSchemaOf, toolArguments, type ToolSchemas } from './schema.ts';

/** A tool answered with `isError: true`; the message is the tool's own text. Not retried: the tool said no. */
export class McpToolError extends Error {
  override name = 'McpToolError';
  readonly retryable = false;
}

/** The part of an MCP tool listing a worker is built from. */
export interface McpTool extends ToolSchemas {
  name: string;
  title?: string;
  description?: string;
  annotations?: { title?: string };
}

export interface ToolWorkerOptions {
  /** The worker's name (see names.ts); the tool is still called by its own. */
  name: string;
  retry?: RetryPolicyInput;
  timeoutMs?: number;
}

/** What a tool result looks like to this module (the SDK's CallToolResult, loosely). */
interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * A worker that calls one MCP tool. Its input schema is the tool's inputSchema; its output is the
 * result's `structuredContent` when the tool declares an outputSchema, else `{ text }`, the
 * result's text parts joined by newlines (images and other parts are left out). A result with
 * `isError: true` fails the step with `McpToolError` and the tool's text, at once; transport
 * errors are retried by the step's policy.
 *
 * @example
 * const w = toolWorker(client, tool, { name: 'count-words' });
 * await run(defineWorkflow({ id: 'wc', steps: [{ id: 'count', worker: w }] }), { text: 'a b' });
 */
export function toolWorker(client: Client, tool: McpTool, options: ToolWorkerOptions): AnyWorker {
  const structured = tool.outputSchema !== undefined;
  return defineWorker({
    name: options.name,
    description: describe(tool),
    input: inputSchemaOf(tool),
    output: outputSchemaOf(tool),
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    run: async (input, ctx) => {
      const request = { name: tool.name, arguments: toolArguments(tool, input) };
      const result = (await client.callTool(request, undefined, { signal: ctx.signal, ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) })) as ToolResult;
      const text = textOf(result);
      if (result.isError) throw new McpToolError(text || `tool ${JSON.stringify(tool.name)} reported an error without a message`);
      return structured ? (result.structuredContent ?? {}) : { text };
    },
  });
}

/** The planner reads this: the description, else the title, else the name. */
function describe(tool: McpTool): string {
  for (const s of [tool.description, tool.title, tool.annotations?.title]) if (typeof s === 'string' && s.trim()) return s.trim();
  return `MCP tool ${tool.name}`;
}

function textOf(result: ToolResult): string {
  return (result.content ?? [])
    .filter((c) => c.type === 'text' && typeof c.text === 'string')
    .map((c) => c.text)
    .join('\n');
}
