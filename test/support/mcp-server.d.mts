import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** A fresh instance of the suite's MCP server (its tools, no transport yet). */
export function buildServer(): McpServer;
