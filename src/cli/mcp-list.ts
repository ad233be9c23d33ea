import type { McpServers, McpServerStatus } from '../agent/mcp/mcp-servers';
import { clipLine, plural } from '../agent/format';

/** Starts every server (each within the start bound) and prints its state and tools. */
export async function listMcpServers(servers: McpServers, out: NodeJS.WritableStream, json: boolean, reservedNames: readonly string[]): Promise<McpServerStatus[]> {
  await servers.startAll(new AbortController().signal);
  const statuses = servers.statuses(reservedNames);
  if (json) {
    out.write(`${JSON.stringify(statuses, null, 2)}\n`);
    return statuses;
  }
  for (const server of statuses) {
    const why = server.reason ? ` — ${server.reason}` : '';
    out.write(`${server.name} [${server.state}${server.enabled ? '' : ', off'}]${why}\n`);
    out.write(`  ${server.commandLine}\n`);
    if (server.tools.length === 0) continue;
    out.write(`  ${plural(server.tools.length, 'tool')}, ~${server.tokens} tokens added to every model call:\n`);
    const width = Math.max(...server.tools.map((t) => t.name.length));
    for (const tool of server.tools) {
      out.write(`    ${tool.name.padEnd(width)}  ${tool.risk.padEnd(7)}  ~${String(tool.tokens).padStart(4)} tokens  ${clipLine(tool.description, 80)}\n`);
    }
  }
  return statuses;
}
