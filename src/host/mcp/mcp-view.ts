import * as vscode from 'vscode';
import type { McpServerStatus, McpToolStatus } from '../../agent/mcp/mcp-servers';
import { Disposable } from '../common/disposable';
import type { HostCommands } from '../common/host-commands';
import type { LogChannel } from '../common/log-channel';
import type { McpHost } from './mcp-host';
import { addMcpServer } from './mcp-add-server';

type Node = { readonly kind: 'server'; readonly server: McpServerStatus } | { readonly kind: 'tool'; readonly server: McpServerStatus; readonly tool: McpToolStatus };

const STATE_ICONS: Record<McpServerStatus['state'], string> = {
  idle: 'circle-outline',
  starting: 'loading~spin',
  running: 'pass-filled',
  failed: 'error',
  crashed: 'warning',
  stopped: 'debug-stop',
  untrusted: 'shield',
};

/** MCP servers: the "MCP Servers" tree (each server's state, its tools with risk and token cost) and its commands. */
export class McpView extends Disposable implements vscode.TreeDataProvider<Node> {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.#changed.event;

  constructor(
    private readonly host: McpHost,
    commands: HostCommands,
    log: LogChannel,
  ) {
    super();
    this.register(vscode.window.createTreeView('glassbox.mcpServers', { treeDataProvider: this, showCollapseAll: true }));
    this.register(host.onDidChange(() => this.#changed.fire()));
    const serverCommand = (id: string, run: (server: McpServerStatus) => Promise<unknown>) =>
      this.register(
        commands.register(id, async (node?: Node) => {
          const server = node?.server ?? (await this.#pick());
          if (!server) return;
          try {
            await run(server);
          } finally {
            this.#changed.fire();
          }
        }),
      );
    const never = new AbortController().signal;
    serverCommand('glassbox.mcp.restart', async (s) => (await host.servers()).restart(s.name, never));
    serverCommand('glassbox.mcp.stop', async (s) => (await host.servers()).stop(s.name));
    serverCommand('glassbox.mcp.trust', async (s) => {
      await host.setTrusted(s.hash, s.name, true);
      await (await host.servers()).restart(s.name, never);
    });
    serverCommand('glassbox.mcp.untrust', async (s) => {
      await host.setTrusted(s.hash, s.name, false);
      await (await host.servers()).stop(s.name);
    });
    this.register(commands.register('glassbox.mcp.showLog', () => log.show()));
    this.register(commands.register('glassbox.mcp.refresh', () => host.reload()));
    this.register(
      commands.register('glassbox.mcp.startAll', async () => {
        await vscode.commands.executeCommand('glassbox.mcpServers.focus');
        try {
          await (await host.servers()).startAll(never);
        } finally {
          this.#changed.fire();
        }
      }),
    );
    this.register(commands.register('glassbox.addMcpServer', () => addMcpServer()));
  }

  async #pick(): Promise<McpServerStatus | undefined> {
    const statuses = (await this.host.servers()).statuses();
    const picked = await vscode.window.showQuickPick(statuses.map((s) => ({ label: s.name, description: s.state, server: s })), { title: 'MCP server' });
    return picked?.server;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'tool') return [];
    if (node?.kind === 'server') return node.server.tools.map((tool) => ({ kind: 'tool', server: node.server, tool }));
    const statuses = (await this.host.servers()).statuses();
    return statuses.map((server) => ({ kind: 'server', server }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'tool') {
      const { tool } = node;
      const item = new vscode.TreeItem(tool.name, vscode.TreeItemCollapsibleState.None);
      item.description = `${tool.risk} · ~${tool.tokens} tokens${tool.enabled ? '' : ' · off'}`;
      item.tooltip = new vscode.MarkdownString().appendText(`${tool.remoteName} (${tool.risk}, ~${tool.tokens} tokens per call)\n\n${tool.description}`);
      item.iconPath = new vscode.ThemeIcon(tool.risk === 'read' ? 'eye' : tool.risk === 'network' ? 'globe' : 'zap');
      item.contextValue = 'mcpTool';
      return item;
    }
    const { server } = node;
    const item = new vscode.TreeItem(server.name, server.tools.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const cost = server.tools.length > 0 ? ` · ${server.tools.length} tools · ~${server.tokens} tokens` : '';
    item.description = `${server.state}${server.enabled ? '' : ' (off)'}${cost}`;
    item.tooltip = new vscode.MarkdownString().appendText(
      `${server.commandLine}\nDefined in: ${server.origin === 'workspace' ? '.vscode/mcp.json' : 'glassbox.mcp.servers'}\nState: ${server.state}${server.reason ? ` — ${server.reason}` : ''}`,
    );
    item.iconPath = new vscode.ThemeIcon(STATE_ICONS[server.state]);
    const trusted = server.origin !== 'workspace' || this.host.isTrusted(server.hash);
    item.contextValue = `mcpServer${server.origin === 'workspace' ? (trusted ? '.trusted' : '.untrusted') : ''}`;
    return item;
  }
}
