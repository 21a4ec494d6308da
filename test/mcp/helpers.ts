import fs from 'node:fs';
import * as assert from 'uvu/assert';
import path from 'node:path';
import type { McpStdioSpec } from '../../workflows/mcp/index.ts';

/** Shared by the MCP tests: where the suite's server is and how to start and watch it. */

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SERVER = path.join(ROOT, 'test/support/mcp-server.mjs');
/** The server as a command line, relative to the repository root (the CLI tests' cwd). */
export const SERVER_COMMAND = 'node test/support/mcp-server.mjs';
export const FIXTURE = 'test/mcp/fixtures/pond.md';
/** The worker names the suite's server's tools get. */
export const MCP_WORKERS = ['read-text', 'count_words', 'format-report', 'upper-case'];

/** The suite's server over stdio, started in the repository root; with `callLog`, it appends each tool it runs there. */
export function serverSpec(callLog?: string): McpStdioSpec {
  return { command: process.execPath, args: [SERVER], cwd: ROOT, ...(callLog ? { env: { MCP_CALL_LOG: callLog } } : {}) };
}

/** The tool names the server logged, in call order. */
export function calls(callLog: string): string[] {
  return fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8').split('\n').filter(Boolean) : [];
}

/** Whether a process is running (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Child processes of this test process running the suite's MCP server (from /proc). */
export function serverChildren(): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('mcp-server.mjs')) found.push(Number(entry));
    } catch {
      // The process ended while we looked: not a child any more.
    }
  }
  return found;
}

/** The error a call rejects with; an assertion failure if it resolves. */
export async function failure(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  assert.unreachable('expected a rejection');
  throw new Error('unreachable');
}
