import { buildCatalog, type Catalog } from '../catalog.ts';
import type { AnyWorker } from '../../machines/worker.ts';
import type { RetryPolicyInput } from '../../machines/retry.ts';
import { openSession, type McpTransportSpec } from './connect.ts';
import { workerNames } from '../../machines/tool-names.ts';
import { typeTagsOf } from './schema.ts';
import { toolWorker, type McpTool } from './tool-worker.ts';

export { parseMcpCommand, type McpCommand } from './command-line.ts';
export { McpToolError, type McpTool } from './tool-worker.ts';
export { workerNameOf } from '../../machines/tool-names.ts';
export { replayOnlyWorker, replayOnlyWorkers, ReplayOnlyWorkerError } from './replay-only.ts';
export type { McpStdioSpec, McpHttpSpec, McpTransportSpec } from './connect.ts';

/** Where the server is, plus how its workers are named and retried. */
export type McpSpec = McpTransportSpec & {
  /** Prefix for worker names: `files` makes tool `read` the worker `files.read`. Default: none. */
  name?: string;
  /** Retry policy of every tool worker (default: the worker default). An `McpToolError` is never retried. */
  retry?: RetryPolicyInput;
  /** Per-call timeout in ms (the step's and the MCP request's). Default: the SDK's 60 s request timeout. */
  timeoutMs?: number;
};

/** An open MCP session as orchestai workers. Close it when the runs that use it are done. */
export interface McpConnection {
  /** One worker per tool, in the server's order. */
  workers: AnyWorker[];
  /** The planner catalog of those workers: descriptions, type tags from field names, derived links. */
  catalog: Catalog;
  /** Worker name -> the tool name it calls. */
  toolNames: Map<string, string>;
  /** The server's own name and version, as it announced them. */
  server?: { name: string; version: string };
  /** The child's process id, for a stdio server. */
  pid?: number;
  /** Ends the session (and stops a stdio server). Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Connects to an MCP server (a command run over stdio, or a streamable HTTP URL), lists its tools
 * and turns each into a worker: input and output schemas from the tool's JSON Schemas, description
 * from the tool's, name cleaned to `[a-z0-9][a-z0-9._-]*`. A server without tools is an error.
 *
 * @example
 * const mcp = await mcpWorkers({ command: 'node', args: ['server.mjs'], name: 'docs' });
 * try {
 *   const wf = defineWorkflow({ id: 'wc', steps: [{ id: 'read', worker: mcp.workers[0] }] });
 *   await run(wf, { path: 'a.md' }, { store });
 * } finally {
 *   await mcp.close();
 * }
 */
export async function mcpWorkers(spec: McpSpec): Promise<McpConnection> {
  const session = await openSession(spec);
  try {
    const tools = await listAllTools(session.client);
    if (tools.length === 0) throw new Error(`MCP server "${session.label}" lists no tools`);
    const names = workerNames(tools.map((t) => t.name), spec.name);
    const byTool = new Map([...names].map(([worker, tool]) => [tool, worker]));
    const workers = tools.map((t) => toolWorker(session.client, t, { name: byTool.get(t.name)!, retry: spec.retry, timeoutMs: spec.timeoutMs }));
    const tags = Object.fromEntries(tools.map((t) => [byTool.get(t.name)!, typeTagsOf(t)]));
    const version = session.client.getServerVersion();
    return {
      workers,
      catalog: buildCatalog(workers, tags),
      toolNames: names,
      ...(version ? { server: { name: version.name, version: version.version } } : {}),
      ...(session.pid !== undefined ? { pid: session.pid } : {}),
      close: session.close,
    };
  } catch (e) {
    await session.close();
    throw e;
  }
}

/** A server paging its tool list forever is broken; stop well before that hurts. */
const MAX_PAGES = 100;

/** Every page of `tools/list`. */
async function listAllTools(client: McpConnectionClient): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page === 0 || cursor; page++) {
    if (page === MAX_PAGES) throw new Error(`MCP tools/list: still paging after ${MAX_PAGES} pages`);
    const res = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...(res.tools as McpTool[]));
    cursor = res.nextCursor;
  }
  return tools;
}

type McpConnectionClient = Awaited<ReturnType<typeof openSession>>['client'];
