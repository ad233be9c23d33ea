/**
 * A stdio MCP server built on the SDK's own McpServer whose one tool's description is read
 * from a file at start: the "rug pull" fixture (a server whose tools change after trust).
 *   node dist-test/test/support/mcp-changing-server.js DESCRIPTION_FILE
 */
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const description = readFileSync(process.argv[2], 'utf8').trim();
const server = new McpServer({ name: 'changing', version: '1.0.0' });
server.registerTool('lookup', { description, inputSchema: { key: z.string() }, annotations: { readOnlyHint: true } }, async ({ key }) => ({
  content: [{ type: 'text', text: `value of ${key}` }],
}));
void server.connect(new StdioServerTransport());
