import { formatDuration, messageOf } from '../format';
import { CancelledError } from '../errors';
import type { Logger } from '../logger';
import { toolSpecOf } from '../loop/tool-specs';
import { countToolSpecTokens } from '../model/token-estimate';
import type { Tool as RemoteTool } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool, PreparedTools, Risk, ToolSource } from '../tool';
import { mcpTool, readResourceTool, riskOf } from './mcp-tool';
import { resolveVariables, type VariableContext } from './resolve-variables';
import { definitionHash, describeDefinition, type McpConfig, type McpServerDefinition } from './server-config';
import { ServerConnection, type McpServerState } from './server-connection';
import { describeChanges, diffTools, digestTools, hasChanges, type ToolChanges, type ToolDigest } from './tool-changes';
import { assignToolNames } from './tool-names';

/**
 * The person's say over servers they did not configure themselves (a workspace's mcp.json):
 * such a server never starts until `approveDefinition` says yes for its exact definition, and
 * its tools are offered only while they are the ones the person accepted.
 */
export interface McpTrust {
  /** Before the first start of this exact definition (hash): true to start it. May ask. */
  approveDefinition(request: { readonly definition: McpServerDefinition; readonly hash: string; readonly commandLine: string }, signal: AbortSignal): Promise<boolean>;
  /** The tools last accepted for this definition; undefined when none were recorded. */
  acceptedTools(hash: string): ToolDigest | undefined;
  /**
   * The tools differ from those accepted (a "rug pull", or the first listing): true to offer
   * them (they are then recorded as accepted), false to leave the server out.
   */
  approveTools(
    request: { readonly definition: McpServerDefinition; readonly hash: string; readonly changes: ToolChanges; readonly tools: ToolDigest; readonly descriptions: Readonly<Record<string, string>> },
    signal: AbortSignal,
  ): Promise<boolean>;
}

export interface McpServersOptions {
  readonly logger: Logger;
  /** `${workspaceFolder}`, `${env:…}` and `${input:…}` answers. */
  readonly variables: Omit<VariableContext, 'inputs'>;
  /** How long a run waits for a server to start and list its tools (default 10 s). */
  readonly startTimeoutMs?: number;
  /** Per-call timeout of every tool of a server (default 60 s). */
  readonly callTimeoutMs?: number;
  /** Server names, and tool names as offered (`server__tool`), that are turned off. */
  readonly disabled?: { readonly servers?: readonly string[]; readonly tools?: readonly string[] };
  /** Without it, servers that need trust (a workspace's) are never started. */
  readonly trust?: McpTrust;
  readonly clientVersion?: string;
}

export interface McpToolStatus {
  /** As offered to the model: `server__tool`. */
  readonly name: string;
  readonly remoteName: string;
  readonly description: string;
  readonly risk: Risk;
  /** Tokens its definition adds to every model call. */
  readonly tokens: number;
  readonly enabled: boolean;
}

export interface McpServerStatus {
  readonly name: string;
  readonly origin: McpServerDefinition['origin'];
  readonly state: McpServerState;
  readonly reason?: string;
  readonly commandLine: string;
  readonly hash: string;
  readonly enabled: boolean;
  readonly pid?: number;
  readonly tools: readonly McpToolStatus[];
  /** Tokens all its enabled tools add to every model call. */
  readonly tokens: number;
}

const DEFAULT_START_MS = 10_000;
const DEFAULT_CALL_MS = 60_000;

/**
 * Every configured MCP server, started lazily and in parallel the first time a run asks for
 * tools, each within the start bound: one that does not answer is left out of that run with a
 * warning, never a hang. It is the run's ToolSource.
 */
export class McpServers implements ToolSource {
  readonly #connections: ServerConnection[];
  readonly #options: McpServersOptions;
  readonly #listeners = new Set<() => void>();
  /** The last tools offered, for statuses (names depend on the reserved names of that run). */
  #offered = new Map<string, readonly AnyTool[]>();

  constructor(
    readonly config: McpConfig,
    options: McpServersOptions,
  ) {
    this.#options = options;
    this.#connections = config.servers.map(
      (definition) =>
        new ServerConnection(definition, {
          logger: options.logger,
          clientVersion: options.clientVersion ?? 'dev',
          resolve: (d) => resolveVariables(d, { ...options.variables, inputs: config.inputs }),
          onChange: () => this.#changed(),
        }),
    );
  }

  get #startMs(): number {
    return this.#options.startTimeoutMs ?? DEFAULT_START_MS;
  }
  get #callMs(): number {
    return this.#options.callTimeoutMs ?? DEFAULT_CALL_MS;
  }

  onDidChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  async prepare({ reservedNames, signal }: { reservedNames: readonly string[]; signal: AbortSignal }): Promise<PreparedTools> {
    const warnings: string[] = [];
    const enabled = this.#connections.filter((c) => this.#isServerEnabled(c.definition.name));
    const started = await Promise.all(
      enabled.map(async (connection) => {
        try {
          await withBound(this.#startTrusted(connection, signal), this.#startMs + 500, signal);
          return connection;
        } catch (error) {
          if (signal.aborted) throw new CancelledError();
          warnings.push(`MCP server "${connection.definition.name}" is left out of this run: ${messageOf(error)}`);
          return undefined;
        }
      }),
    );
    const offered = this.#toolsOf(started.filter((c): c is ServerConnection => c !== undefined), reservedNames);
    this.#offered = new Map();
    for (const { tool } of offered) this.#offered.set(tool.server ?? '', [...(this.#offered.get(tool.server ?? '') ?? []), tool]);
    return { tools: offered.map((o) => o.tool).filter((t) => this.#isToolEnabled(t.name)), warnings };
  }

  async #startTrusted(connection: ServerConnection, signal: AbortSignal): Promise<void> {
    const { definition } = connection;
    const needsTrust = definition.origin === 'workspace';
    const hash = definitionHash(definition);
    if (needsTrust) {
      const trust = this.#options.trust;
      const trusted = trust ? await trust.approveDefinition({ definition, hash, commandLine: describeDefinition(definition) }, signal) : false;
      if (!trusted) {
        connection.markUntrusted('defined by the workspace and not trusted');
        throw new Error('it is defined by the workspace and has not been trusted');
      }
    }
    await connection.ensureRunning(this.#startMs, signal);
    if (!needsTrust || !this.#options.trust) return;
    // A trusted server whose tools changed since the person accepted them is asked about again.
    const now = digestTools(connection.tools);
    const accepted = this.#options.trust.acceptedTools(hash) ?? {};
    const changes = diffTools(accepted, now);
    if (!hasChanges(changes)) return;
    const descriptions = Object.fromEntries(connection.tools.map((t) => [t.name, t.description ?? '']));
    const ok = await this.#options.trust.approveTools({ definition, hash, changes, tools: now, descriptions }, signal);
    if (!ok) {
      await connection.stop();
      connection.markUntrusted(`its tools changed since they were trusted (${describeChanges(changes)})`);
      throw new Error(`its tools changed since they were trusted (${describeChanges(changes)}) and the change was not accepted`);
    }
  }

  #toolsOf(connections: readonly ServerConnection[], reservedNames: readonly string[]): { tool: AnyTool; remote?: RemoteTool }[] {
    const pairs: { server: string; tool: string; connection: ServerConnection; kind: 'tool' | 'resources'; index: number }[] = [];
    for (const connection of connections) {
      const server = connection.definition.name;
      connection.tools.forEach((tool, index) => pairs.push({ server, tool: tool.name, connection, kind: 'tool', index }));
      if (connection.resources.length > 0) pairs.push({ server, tool: 'read_resource', connection, kind: 'resources', index: -1 });
    }
    const names = assignToolNames(pairs, reservedNames);
    return pairs.map((pair, i) => {
      const common = { name: names[i], connection: pair.connection, callTimeoutMs: this.#callMs, startTimeoutMs: this.#startMs };
      if (pair.kind === 'resources') return { tool: readResourceTool(common) };
      const remote = pair.connection.tools[pair.index];
      return { tool: mcpTool({ ...common, remote }), remote };
    });
  }

  #isServerEnabled(name: string): boolean {
    return !(this.#options.disabled?.servers ?? []).includes(name);
  }
  #isToolEnabled(name: string): boolean {
    return !(this.#options.disabled?.tools ?? []).includes(name);
  }

  /** Every server with its state and tools (those of its last listing) and their token cost. */
  statuses(reservedNames: readonly string[] = []): McpServerStatus[] {
    const running = this.#connections.filter((c) => c.tools.length > 0 || c.resources.length > 0);
    const fresh = this.#toolsOf(running, reservedNames);
    return this.#connections.map((connection) => {
      const { definition } = connection;
      const tools = fresh
        .filter(({ tool }) => tool.server === definition.name)
        .map(({ tool, remote }): McpToolStatus => {
          return {
            name: tool.name,
            remoteName: remote?.name ?? 'read_resource',
            description: remote?.description ?? tool.description,
            risk: remote ? riskOf(remote.annotations) : tool.risk,
            tokens: countToolSpecTokens([toolSpecOf(tool)]),
            enabled: this.#isToolEnabled(tool.name),
          };
        });
      return {
        name: definition.name,
        origin: definition.origin,
        state: connection.state,
        ...(connection.reason ? { reason: connection.reason } : {}),
        commandLine: describeDefinition(definition),
        hash: definitionHash(definition),
        enabled: this.#isServerEnabled(definition.name),
        ...(connection.pid !== undefined ? { pid: connection.pid } : {}),
        tools,
        tokens: tools.filter((t) => t.enabled).reduce((sum, t) => sum + t.tokens, 0),
      };
    });
  }

  /** Starts every enabled server now (for `glassbox mcp list` and the view), each within the bound. */
  async startAll(signal: AbortSignal): Promise<void> {
    await this.prepare({ reservedNames: [], signal });
  }

  async restart(name: string, signal: AbortSignal): Promise<void> {
    const connection = this.#find(name);
    await connection.stop('idle');
    await this.#startTrusted(connection, signal);
  }

  async stop(name: string): Promise<void> {
    await this.#find(name).stop();
  }

  /** Stops every server (each stdio server's whole process group). */
  async dispose(): Promise<void> {
    await Promise.all(this.#connections.map((c) => c.stop().catch(() => undefined)));
    this.#listeners.clear();
  }

  #find(name: string): ServerConnection {
    const connection = this.#connections.find((c) => c.definition.name === name);
    if (!connection) throw new Error(`No MCP server is named "${name}".`);
    return connection;
  }

  /** The offered tools of one server in the last run (for tests and the view). */
  offeredTools(server: string): readonly AnyTool[] {
    return this.#offered.get(server) ?? [];
  }
}

/** Rejects when `promise` has not settled within `ms` (the start bound), or on abort. */
function withBound<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it did not answer within ${formatDuration(ms)}`)), ms);
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
