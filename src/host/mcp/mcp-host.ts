import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { Logger } from '../../agent/logger';
import { McpServers, type McpTrust } from '../../agent/mcp/mcp-servers';
import { mcpConfigFrom, parseMcpConfig, type McpConfig, type McpInput, type McpServerDefinition } from '../../agent/mcp/server-config';
import { describeChanges, type ToolDigest } from '../../agent/mcp/tool-changes';
import type { PreparedTools, ToolSource } from '../../agent/tool';
import { Disposable } from '../common/disposable';

/** Trust decisions, per definition hash: the tools accepted with it (globalState). */
const TRUST_KEY = 'glassbox.mcp.trusted';
type TrustRecord = Record<string, { readonly name: string; readonly tools?: ToolDigest }>;

const SECRET_PREFIX = 'glassbox.mcp.input.';

/**
 * MCP servers in VS Code: the user's `glassbox.mcp.servers` (its user-level value only: a
 * workspace's settings.json is the workspace's, not the person's) and each folder's
 * `.vscode/mcp.json`, read but never written. Workspace servers start only once trusted, for
 * their exact definition, and never in Restricted Mode. Built on first use; rebuilt when a
 * definition changes.
 */
export class McpHost extends Disposable {
  #servers: McpServers | undefined;
  #building: Promise<McpServers> | undefined;
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.#changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('glassbox.mcp')) void this.reload();
      }),
    );
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json'));
    for (const event of [watcher.onDidChange, watcher.onDidCreate, watcher.onDidDelete]) this.register(event(() => void this.reload()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()));
    this.register({ dispose: () => void this.#servers?.dispose() });
  }

  /** The servers, built once (no server starts here: they start on a run's first use). */
  async servers(): Promise<McpServers> {
    if (this.#servers) return this.#servers;
    this.#building ??= this.#build().then((servers) => {
      this.#servers = servers;
      this.#building = undefined;
      servers.onDidChange(() => this.#changed.fire());
      this.#changed.fire();
      return servers;
    });
    return this.#building;
  }

  /** Whether any server is configured at all (a run with none pays nothing). */
  async hasServers(): Promise<boolean> {
    return (await this.servers()).config.servers.length > 0;
  }

  /** The run's source: in Restricted Mode only read tools of the person's own servers. */
  toolSource(restricted: boolean): ToolSource {
    return {
      prepare: async (request): Promise<PreparedTools> => {
        const servers = await this.servers();
        if (servers.config.servers.length === 0) return { tools: [], warnings: [] };
        const prepared = await servers.prepare(request);
        return restricted ? { ...prepared, tools: prepared.tools.filter((t) => t.risk === 'read') } : prepared;
      },
    };
  }

  async reload(): Promise<void> {
    const old = this.#servers;
    this.#servers = undefined;
    this.#building = undefined;
    await old?.dispose();
    this.#changed.fire();
  }

  async #build(): Promise<McpServers> {
    const configs: McpConfig[] = [];
    const user = vscode.workspace.getConfiguration('glassbox').inspect<Record<string, unknown>>('mcp.servers')?.globalValue;
    if (user && Object.keys(user).length > 0) configs.push(this.#safely(() => mcpConfigFrom({ servers: user }, 'user', 'glassbox.mcp.servers')));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue; // no mcp.json in this folder
      }
      configs.push(this.#safely(() => parseMcpConfig(text, 'workspace', `${folder.name}/.vscode/mcp.json`)));
    }
    const seen = new Map<string, string>();
    const servers: McpServerDefinition[] = [];
    for (const config of configs) {
      for (const server of config.servers) {
        // The person's own definition (read first) wins over a workspace's of the same name.
        const first = seen.get(server.name);
        if (first) {
          this.log.warn(`MCP server "${server.name}" is defined twice; the ${first} definition is used.`);
          continue;
        }
        seen.set(server.name, server.origin === 'user' ? 'user setting' : 'workspace');
        servers.push(server);
      }
    }
    const disabled = vscode.workspace.getConfiguration('glassbox').get<string[]>('mcp.disabled', []);
    return new McpServers(
      { servers, inputs: configs.flatMap((c) => c.inputs) },
      {
        logger: this.log,
        clientVersion: String(this.context.extension.packageJSON.version ?? 'dev'),
        variables: {
          workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
          env: process.env,
          resolveInput: (input) => this.#resolveInput(input),
        },
        disabled: { servers: disabled, tools: disabled },
        trust: this.#trust(),
      },
    );
  }

  #safely(parse: () => McpConfig): McpConfig {
    try {
      return parse();
    } catch (error) {
      void vscode.window.showErrorMessage(`Glassbox: ${messageOf(error)}`);
      return { servers: [], inputs: [] };
    }
  }

  /** `${input:ID}`: asked once, kept in SecretStorage (never in settings). */
  async #resolveInput(input: McpInput): Promise<string | undefined> {
    const key = SECRET_PREFIX + input.id;
    const kept = await this.context.secrets.get(key);
    if (kept !== undefined) return kept;
    const value = await vscode.window.showInputBox({
      title: `Glassbox: MCP input "${input.id}"`,
      prompt: input.description || `A value for \${input:${input.id}}`,
      password: input.password,
      value: input.default,
      ignoreFocusOut: true,
    });
    if (value !== undefined) await this.context.secrets.store(key, value);
    return value;
  }

  #records(): TrustRecord {
    return this.context.globalState.get<TrustRecord>(TRUST_KEY, {});
  }

  async setTrusted(hash: string, name: string, trusted: boolean): Promise<void> {
    const records = { ...this.#records() };
    if (trusted) records[hash] = { ...records[hash], name };
    else delete records[hash];
    await this.context.globalState.update(TRUST_KEY, records);
    this.#changed.fire();
  }

  isTrusted(hash: string): boolean {
    return hash in this.#records();
  }

  #trust(): McpTrust {
    return {
      approveDefinition: async ({ definition, hash, commandLine }) => {
        // Restricted Mode: a workspace nobody trusts starts nothing it defines.
        if (!vscode.workspace.isTrusted) return false;
        if (this.isTrusted(hash)) return true;
        const choice = await vscode.window.showWarningMessage(
          `Start the MCP server "${definition.name}" defined by this workspace?`,
          { modal: true, detail: trustDetail(definition, commandLine) },
          'Trust and Start',
        );
        if (choice !== 'Trust and Start') return false;
        await this.setTrusted(hash, definition.name, true);
        return true;
      },
      acceptedTools: (hash) => this.#records()[hash]?.tools,
      approveTools: async ({ definition, hash, changes, tools, descriptions }) => {
        const first = this.#records()[hash]?.tools === undefined;
        const lines = Object.entries(descriptions)
          .filter(([name]) => first || changes.added.includes(name) || changes.changed.includes(name))
          .map(([name, description]) => `• ${name}: ${description.replace(/\s+/gu, ' ').slice(0, 300)}`);
        const choice = await vscode.window.showWarningMessage(
          first
            ? `MCP server "${definition.name}" offers these tools. Their descriptions go into every prompt.`
            : `The tools of MCP server "${definition.name}" changed since you trusted it: ${describeChanges(changes)}.`,
          { modal: true, detail: lines.join('\n') || '(no tools)' },
          'Accept Tools',
        );
        if (choice !== 'Accept Tools') return false;
        await this.context.globalState.update(TRUST_KEY, { ...this.#records(), [hash]: { name: definition.name, tools } });
        return true;
      },
    };
  }
}

function trustDetail(definition: McpServerDefinition, commandLine: string): string {
  const lines = [definition.transport === 'stdio' ? `Command: ${commandLine}` : `URL: ${commandLine}`];
  if (definition.transport === 'stdio') {
    lines.push(`Folder: ${definition.cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '(none)'}`);
    const names = Object.keys(definition.env);
    lines.push(`Environment: ${names.length > 0 ? names.join(', ') : '(none set)'}${definition.envFile ? `, and ${definition.envFile}` : ''}`);
  } else {
    const headers = Object.keys(definition.headers);
    if (headers.length > 0) lines.push(`Headers: ${headers.join(', ')}`);
  }
  lines.push('', 'Defined in .vscode/mcp.json. It runs as you, with your permissions. You are asked again if its definition changes.');
  return lines.join('\n');
}
