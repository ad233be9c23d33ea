import { z } from 'zod';
import type { Tool as RemoteTool } from '@modelcontextprotocol/sdk/types.js';
import { clip } from '../format';
import { ToolError } from '../errors';
import type { AnyTool, Risk } from '../tool';
import { resultText } from './result-text';
import { describeDefinition } from './server-config';
import type { ServerConnection } from './server-connection';

/**
 * Annotations are the server's claims, so they only ever lower the risk a person already
 * accepted by configuring it: `readOnlyHint` → read, `openWorldHint: true` → network (also when
 * read-only: it reaches beyond this machine, like fetch_url), anything else → execute (asks).
 */
export function riskOf(annotations: RemoteTool['annotations']): Risk {
  if (annotations?.openWorldHint === true) return 'network';
  if (annotations?.readOnlyHint === true) return 'read';
  return 'execute';
}

/** Descriptions go into every prompt; a server may not spend the context on one tool. */
const MAX_DESCRIPTION = 2_000;

export interface McpToolOptions {
  readonly name: string;
  readonly connection: ServerConnection;
  readonly remote: RemoteTool;
  readonly callTimeoutMs: number;
  readonly startTimeoutMs: number;
}

/** Where an MCP result came from, for the taint flag: the person reads which server it follows. */
export function taintSourceOf(server: string, tool: string): string {
  return `MCP server "${server}" (${tool})`;
}

/** A server's tool as a Glassbox tool: same approvals, taint, limits and trace as a built-in. */
export function mcpTool({ name, connection, remote, callTimeoutMs, startTimeoutMs }: McpToolOptions): AnyTool {
  const server = connection.definition.name;
  const description = clip(remote.description?.trim() || remote.title || `Tool "${remote.name}"`, MAX_DESCRIPTION);
  return {
    name,
    server,
    description: `${description} (MCP server "${server}", tool "${remote.name}")`,
    risk: riskOf(remote.annotations),
    input: z.looseObject({}),
    parameters: { ...remote.inputSchema, type: 'object' },
    timeoutMs: callTimeoutMs,
    truncationHint: `Call ${name} again asking for less (a narrower query, a page, a limit) to see the rest.`,
    async preview(args: Record<string, unknown>) {
      return {
        summary: `Call "${remote.name}" on MCP server "${server}"`,
        detail: [
          `MCP server "${server}": ${describeDefinition(connection.definition)}`,
          `Tool "${remote.name}": ${clip(description, 400)}`,
          `Arguments: ${JSON.stringify(args, null, 2)}`,
        ].join('\n'),
      };
    },
    async execute(args: Record<string, unknown>, ctx) {
      await connection.ensureRunning(startTimeoutMs, ctx.signal);
      const result = await connection.callTool(remote.name, args, ctx.signal, callTimeoutMs);
      const text = resultText(result);
      // A tool's own error is still the server's text: the model reads it and adjusts.
      if (result.isError) throw new ToolError(`${remote.name} on MCP server "${server}" failed: ${text}`);
      return { output: text, taintSource: taintSourceOf(server, remote.name) };
    },
  };
}

/** `resources/read` for one server, with what it lists in the description. */
export function readResourceTool({ name, connection, callTimeoutMs, startTimeoutMs }: Omit<McpToolOptions, 'remote'>): AnyTool {
  const server = connection.definition.name;
  const listed = connection.resources.slice(0, 40).map((r) => `- ${r.uri}${r.name ? ` (${r.name})` : ''}${r.description ? `: ${clip(r.description, 100)}` : ''}`);
  const more = connection.resources.length - listed.length;
  return {
    name,
    server,
    description:
      `Read a resource of MCP server "${server}" by its URI. Use it when a listed resource holds what you need. Resources:\n` +
      `${listed.join('\n')}${more > 0 ? `\n- … and ${more} more` : ''}`,
    risk: 'read',
    input: z.object({ uri: z.string().min(1).describe('The resource URI, e.g. one of those listed') }),
    timeoutMs: callTimeoutMs,
    async execute({ uri }: { uri: string }, ctx) {
      await connection.ensureRunning(startTimeoutMs, ctx.signal);
      const result = await connection.readResource(uri, ctx.signal, callTimeoutMs);
      return { output: resultText(result), taintSource: taintSourceOf(server, `resource ${uri}`) };
    },
  };
}
