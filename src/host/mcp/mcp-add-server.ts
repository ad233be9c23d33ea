import * as vscode from 'vscode';
import { definitionFromLine, suggestServerName } from '../../agent/mcp/command-line';
import { mcpConfigFrom } from '../../agent/mcp/server-config';

/**
 * "Glassbox: Add MCP Server": a command line (`npx -y @modelcontextprotocol/server-everything`)
 * or a URL, and a name; written to the user's `glassbox.mcp.servers` (never to a workspace).
 */
export async function addMcpServer(): Promise<void> {
  const line = await vscode.window.showInputBox({
    title: 'Glassbox: Add MCP Server (1/2)',
    prompt: 'A command line that starts the server over stdio, or its http(s) URL',
    placeHolder: 'npx -y @modelcontextprotocol/server-everything   or   http://127.0.0.1:3001/mcp',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter a command line or a URL'),
  });
  if (!line?.trim()) return;
  const definition = definitionFromLine(line.trim());
  const name = await vscode.window.showInputBox({
    title: 'Glassbox: Add MCP Server (2/2)',
    prompt: 'A name: its tools are offered as <name>__<tool>',
    value: suggestServerName(line.trim()),
    ignoreFocusOut: true,
    validateInput: (value) => (/^[\w.-]{1,64}$/u.test(value) ? undefined : 'Letters, digits, "_", "-" or "." (at most 64)'),
  });
  if (!name) return;
  const config = vscode.workspace.getConfiguration('glassbox');
  const current = config.inspect<Record<string, unknown>>('mcp.servers')?.globalValue ?? {};
  const servers = { ...current, [name]: definition };
  mcpConfigFrom({ servers }, 'user', 'glassbox.mcp.servers'); // refuses a bad definition before it is saved
  await config.update('mcp.servers', servers, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Glassbox: MCP server "${name}" added; it starts on the next question.`);
}

