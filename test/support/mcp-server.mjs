#!/usr/bin/env node
/**
 * A real MCP server for the tests, written with the official SDK: run as a program it speaks
 * MCP over stdio; `buildServer` is imported by the streamable HTTP test. Its tools chain by field name:
 * readText { path } -> { text } -> count_words { text } -> { words, lines, topWords } ->
 * format-report { words, lines, topWords, title? } -> { text }. readText answers `isError`
 * for a file it cannot read; `upper-case` is a plain text tool.
 *
 * Run as a program it also takes `--call-log <file>` (like MCP_CALL_LOG, for servers the CLI starts:
 * those get only a safe default environment) and `--slow <tool>=<ms>` (that tool waits so long
 * after logging its call, so a test can stop a run while the call is in flight).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** The value after `flag` on the command line, if any. */
function argAfter(flag) {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Each call is appended here (one tool name a line) when MCP_CALL_LOG or --call-log is set: tests count calls. */
const CALL_LOG = argAfter('--call-log') ?? process.env.MCP_CALL_LOG;
/** `--slow count_words=800`: that tool answers after so many ms. */
const SLOW = /^([^=]+)=(\d+)$/.exec(argAfter('--slow') ?? '');

async function logCall(name) {
  if (CALL_LOG) await fs.appendFile(CALL_LOG, `${name}\n`);
  if (SLOW && SLOW[1] === name) await new Promise((r) => setTimeout(r, Number(SLOW[2])));
}

export function buildServer() {
  const server = new McpServer({ name: 'orchestai-test-server', version: '1.0.0' });
  server.registerTool(
    'readText',
    {
      description: 'Read a text document from a file path and return its text',
      inputSchema: { path: z.string().min(1).describe('the file to read, relative to the server directory') },
    },
    async ({ path: file }) => {
      await logCall('readText');
      try {
        return { content: [{ type: 'text', text: await fs.readFile(path.resolve(file), 'utf8') }] };
      } catch (e) {
        return { isError: true, content: [{ type: 'text', text: `cannot read ${file}: ${e.code ?? e.message}` }] };
      }
    },
  );
  server.registerTool(
    'count_words',
    {
      description: 'Count the words and lines of a text and find its most frequent words',
      inputSchema: { text: z.string(), top: z.number().int().min(1).max(20).optional() },
      outputSchema: { words: z.number().int(), lines: z.number().int(), topWords: z.array(z.object({ word: z.string(), count: z.number().int() })) },
    },
    async ({ text, top = 3 }) => {
      await logCall('count_words');
      const tokens = text.toLowerCase().match(/[a-z']+/g) ?? [];
      const counts = new Map();
      for (const t of tokens) if (t.length > 3) counts.set(t, (counts.get(t) ?? 0) + 1);
      const topWords = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([word, count]) => ({ word, count }));
      const result = { words: tokens.length, lines: text.split('\n').filter((l) => l.trim()).length, topWords };
      return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
    },
  );
  server.registerTool(
    'format-report',
    {
      title: 'Format report',
      description: 'Format word counts and frequent words as a short Markdown report',
      inputSchema: { words: z.number().int(), lines: z.number().int(), topWords: z.array(z.object({ word: z.string(), count: z.number().int() })), title: z.string().optional() },
    },
    async ({ words, lines, topWords, title = 'Word report' }) => {
      await logCall('format-report');
      const top = topWords.map((w) => `- ${w.word}: ${w.count}`).join('\n');
      return { content: [{ type: 'text', text: `# ${title}\n\n${words} words on ${lines} lines.\n\n${top}` }] };
    },
  );
  server.registerTool(
    'upper-case',
    { description: 'Convert a text to upper case letters', inputSchema: { text: z.string() } },
    async ({ text }) => {
      await logCall('upper-case');
      return { content: [{ type: 'text', text: text.toUpperCase() }] };
    },
  );
  return server;
}

// Run as a program it serves stdio; imported (the HTTP test), it only builds servers.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // No top-level await: the tests load this module through tsx's require hook too.
  buildServer()
    .connect(new StdioServerTransport())
    .catch((e) => {
      process.stderr.write(`mcp-server: ${e.message}\n`);
      process.exit(1);
    });
}
