import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * One MCP client session over stdio (a child process) or streamable HTTP, with a close that is
 * safe to call twice. Error messages name the command or URL, never the environment or headers
 * (they may hold keys).
 */

/** A server started as a child process speaking MCP on its stdin/stdout. */
export interface McpStdioSpec {
  command: string;
  args?: string[];
  /** Added to the SDK's safe default environment (HOME, PATH, ...); the rest of process.env is not passed. */
  env?: Record<string, string>;
  cwd?: string;
}

/** A server at a streamable HTTP endpoint. */
export interface McpHttpSpec {
  url: string;
  headers?: Record<string, string>;
}

export type McpTransportSpec = McpStdioSpec | McpHttpSpec;

export interface McpSession {
  client: Client;
  /** What the error messages call this server: the command line or the URL. */
  label: string;
  /** The child's process id (stdio only). */
  pid?: number;
  close(): Promise<void>;
}

/** The last few KB a stdio server wrote to stderr: the likely reason when it fails to start. */
const STDERR_KEPT = 2000;

/**
 * Connects and initialises a session. A server that cannot be started or does not answer the
 * MCP handshake is an error naming it (with the end of its stderr, for a child process).
 *
 * @example
 * const s = await openSession({ command: 'node', args: ['server.mjs'] });
 * await s.client.listTools(); await s.close();
 */
export async function openSession(spec: McpTransportSpec): Promise<McpSession> {
  const client = new Client({ name: 'orchestai', version: '0.1.0' });
  if ('url' in spec) return openHttp(client, spec);
  return openStdio(client, spec);
}

async function openStdio(client: Client, spec: McpStdioSpec): Promise<McpSession> {
  const label = [spec.command, ...(spec.args ?? [])].join(' ');
  const transport = new StdioClientTransport({ command: spec.command, args: spec.args ?? [], env: spec.env, cwd: spec.cwd, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  try {
    await client.connect(transport);
  } catch (e) {
    await client.close().catch(() => {});
    const said = stderrReason(stderr);
    throw new Error(`MCP server "${label}" did not start: ${(e as Error).message}${said ? ` (stderr: ${said})` : ''}`);
  }
  return { client, label, pid: transport.pid ?? undefined, close: once(() => client.close()) };
}

async function openHttp(client: Client, spec: McpHttpSpec): Promise<McpSession> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new Error(`MCP server URL ${JSON.stringify(spec.url)} is not a URL`);
  }
  const label = `${url.origin}${url.pathname}`;
  const transport = new StreamableHTTPClientTransport(url, { requestInit: spec.headers ? { headers: spec.headers } : undefined });
  try {
    await client.connect(transport);
  } catch (e) {
    await client.close().catch(() => {});
    throw new Error(`MCP server ${label} did not answer: ${(e as Error).message}`);
  }
  // Ends the server-side session too (HTTP DELETE); a server without sessions refuses, which is fine.
  const close = async () => {
    await transport.terminateSession().catch(() => {});
    await client.close();
  };
  return { client, label, close: once(close) };
}

/**
 * The line of a server's stderr most likely to say why it failed: the last one naming an error,
 * else the last line; cut to 300 characters.
 */
function stderrReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.findLast((l) => /\b(error|exception|fatal|cannot|failed)\b/i.test(l)) ?? lines.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
