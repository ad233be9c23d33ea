import { clipLine, formatDuration, messageOf } from '../format';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Resource, Tool as RemoteTool } from '@modelcontextprotocol/sdk/types.js';
import { CancelledError, ToolError } from '../errors';
import type { Logger } from '../logger';
import { ProcessGroupTransport } from './process-group-transport';
import type { McpCallResult } from './result-text';
import type { McpServerDefinition } from './server-config';

export type McpServerState = 'idle' | 'starting' | 'running' | 'failed' | 'crashed' | 'stopped' | 'untrusted';

/** Delay before the next start after consecutive failures: 1 s, 2 s, 4 s … 30 s. */
export function restartDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 1_000 * 2 ** (failures - 1));
}

export interface ConnectionOptions {
  readonly logger: Logger;
  /** Resolves `${input:…}`, envFile and friends just before each start. */
  readonly resolve: (definition: McpServerDefinition) => Promise<McpServerDefinition>;
  /** Told when the state, the tool list or the resources change (the view redraws). */
  readonly onChange: () => void;
  readonly clientVersion: string;
}

/**
 * One MCP server: started on first use, its tools and resources listed, calls made through the
 * SDK's Client. A server that exits is marked crashed with its exit status and last stderr
 * lines; the next use starts it again after a backoff that grows with each failure in a row.
 */
export class ServerConnection {
  #state: McpServerState = 'idle';
  #reason: string | undefined;
  #client: Client | undefined;
  #transport: Transport | undefined;
  #starting: Promise<void> | undefined;
  #failures = 0;
  #lastFailureAt = 0;
  #tools: readonly RemoteTool[] = [];
  #resources: readonly Resource[] = [];
  #stopping = false;
  readonly #stderrTail: string[] = [];

  constructor(
    readonly definition: McpServerDefinition,
    private readonly options: ConnectionOptions,
  ) {}

  get state(): McpServerState {
    return this.#state;
  }
  /** Why it failed or crashed, for the view and `glassbox mcp list`. */
  get reason(): string | undefined {
    return this.#reason;
  }
  get tools(): readonly RemoteTool[] {
    return this.#tools;
  }
  get resources(): readonly Resource[] {
    return this.#resources;
  }
  get pid(): number | undefined {
    return this.#transport instanceof ProcessGroupTransport ? this.#transport.pid : undefined;
  }

  /** Running when it resolves. Waits out the backoff after a crash; rejects with the reason. */
  async ensureRunning(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#state === 'running') return;
    this.#starting ??= this.#start(timeoutMs, signal).finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #start(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const wait = this.#lastFailureAt + restartDelayMs(this.#failures) - Date.now();
    if (wait > 0) {
      if (wait > timeoutMs) throw new ToolError(`MCP server "${this.definition.name}" failed ${this.#failures} time(s) in a row; next start in ${Math.ceil(wait / 1000)} s. ${this.#reason ?? ''}`.trim());
      await sleep(wait, signal);
    }
    this.#setState('starting');
    this.#stderrTail.length = 0;
    const deadline = AbortSignal.timeout(timeoutMs);
    const both = AbortSignal.any([signal, deadline]);
    try {
      const definition = await this.options.resolve(this.definition);
      const { client, transport } = await this.#connect(definition, both);
      this.#client = client;
      this.#transport = transport;
      this.#tools = await listAll(client, both);
      if (client.getServerCapabilities()?.resources) this.#resources = await listResources(client, both);
      this.#setState('running');
    } catch (error) {
      await this.#closeQuietly();
      if (signal.aborted) {
        this.#setState('idle');
        throw new CancelledError();
      }
      this.#failures++;
      this.#lastFailureAt = Date.now();
      const why = deadline.aborted ? `did not answer within ${formatDuration(timeoutMs)}` : messageOf(error);
      this.#setState('failed', `${why}${this.#stderrHint()}`);
      throw new ToolError(`MCP server "${this.definition.name}" could not be started: ${this.#reason}`);
    }
  }

  async #connect(definition: McpServerDefinition, signal: AbortSignal): Promise<{ client: Client; transport: Transport }> {
    if (definition.transport === 'stdio') {
      const transport = new ProcessGroupTransport({
        command: definition.command,
        args: definition.args,
        env: definition.env,
        cwd: definition.cwd,
        onStderr: (line) => this.#onStderr(line),
      });
      return { client: await this.#initialize(transport, signal), transport };
    }
    const url = new URL(definition.url);
    const requestInit: RequestInit = { headers: { ...definition.headers } };
    if (definition.transport === 'http') {
      const transport = new StreamableHTTPClientTransport(url, { requestInit });
      try {
        return { client: await this.#initialize(transport, signal), transport };
      } catch (error) {
        if (signal.aborted) throw error;
        // Servers written before streamable HTTP (protocol 2024-11-05) only speak SSE.
        this.options.logger.info(`MCP ${this.definition.name}: streamable HTTP failed (${clipLine(messageOf(error), 200)}); trying SSE.`);
        await transport.close().catch(() => undefined);
      }
    }
    const transport = new SSEClientTransport(url, { requestInit, eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...definition.headers, ...(init?.headers as Record<string, string>) } }) } });
    return { client: await this.#initialize(transport, signal), transport };
  }

  async #initialize(transport: Transport, signal: AbortSignal): Promise<Client> {
    const client = new Client(
      { name: 'glassbox', version: this.options.clientVersion },
      {
        capabilities: {},
        listChanged: {
          tools: {
            onChanged: (error, tools) => {
              if (error) this.options.logger.warn(`MCP ${this.definition.name}: could not refresh its tools: ${messageOf(error)}`);
              else if (tools) {
                this.#tools = tools;
                this.options.onChange();
              }
            },
          },
        },
      },
    );
    // Set before connect: the SDK's Protocol keeps it and calls it first when the transport
    // closes, before it fails the pending requests, so a call in flight sees "crashed".
    transport.onclose = () => this.#onClosed(transport);
    transport.onerror = (error) => this.options.logger.debug(`MCP ${this.definition.name}: ${messageOf(error)}`);
    await client.connect(transport, { signal });
    return client;
  }

  #onClosed(transport: Transport): void {
    if (this.#transport !== transport || this.#stopping) return;
    const exit = transport instanceof ProcessGroupTransport ? transport.exit : undefined;
    const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'closed the connection';
    this.#client = undefined;
    this.#transport = undefined;
    this.#failures++;
    this.#lastFailureAt = Date.now();
    this.#setState('crashed', `${how}${this.#stderrHint()}`);
    this.options.logger.warn(`MCP server "${this.definition.name}" ${how}; it restarts on its next use.`);
  }

  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number): Promise<McpCallResult> {
    const client = this.#requireClient();
    try {
      const result = (await client.callTool({ name, arguments: args }, undefined, { signal, timeout: timeoutMs })) as McpCallResult;
      this.#failures = 0;
      return result;
    } catch (error) {
      throw this.#callError(error, signal);
    }
  }

  async readResource(uri: string, signal: AbortSignal, timeoutMs: number): Promise<McpCallResult> {
    const client = this.#requireClient();
    try {
      const result = await client.readResource({ uri }, { signal, timeout: timeoutMs });
      return { content: result.contents.map((resource) => ({ type: 'resource', resource: resource as { uri: string } })) };
    } catch (error) {
      throw this.#callError(error, signal);
    }
  }

  #requireClient(): Client {
    if (!this.#client || this.#state !== 'running') throw new ToolError(`MCP server "${this.definition.name}" is not running (${this.#state}).`);
    return this.#client;
  }

  #callError(error: unknown, signal: AbortSignal): Error {
    if (signal.aborted) return error instanceof Error ? error : new Error(String(error));
    if (this.#state === 'crashed') {
      return new ToolError(`MCP server "${this.definition.name}" stopped during the call: it ${this.#reason}. It is restarted the next time one of its tools is used.`);
    }
    return new ToolError(`MCP server "${this.definition.name}": ${messageOf(error)}`);
  }

  /** Stops the server (the whole process group for stdio). It starts again on next use. */
  async stop(state: 'stopped' | 'idle' = 'stopped'): Promise<void> {
    this.#stopping = true;
    try {
      await this.#closeQuietly();
    } finally {
      this.#stopping = false;
    }
    this.#failures = 0;
    this.#setState(state);
  }

  /** A workspace server the person has not trusted: never started. */
  markUntrusted(reason: string): void {
    this.#setState('untrusted', reason);
  }

  async #closeQuietly(): Promise<void> {
    const client = this.#client;
    const transport = this.#transport;
    this.#client = undefined;
    this.#transport = undefined;
    if (client) await client.close().catch(() => undefined);
    else if (transport) await transport.close().catch(() => undefined);
  }

  #setState(state: McpServerState, reason?: string): void {
    this.#state = state;
    this.#reason = reason;
    this.options.onChange();
  }

  #onStderr(line: string): void {
    this.options.logger.info(`MCP ${this.definition.name} stderr: ${line}`);
    this.#stderrTail.push(line);
    if (this.#stderrTail.length > 5) this.#stderrTail.shift();
  }

  #stderrHint(): string {
    return this.#stderrTail.length > 0 ? ` (last stderr: ${this.#stderrTail.slice(-2).join(' | ').slice(0, 300)})` : '';
  }
}

async function listAll(client: Client, signal: AbortSignal): Promise<RemoteTool[]> {
  const tools: RemoteTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { signal });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < 1_000);
  return tools;
}

async function listResources(client: Client, signal: AbortSignal): Promise<Resource[]> {
  const resources: Resource[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await client.listResources(cursor ? { cursor } : undefined, { signal });
      resources.push(...page.resources);
      cursor = page.nextCursor;
    } while (cursor && resources.length < 200);
  } catch {
    // A server that advertises resources yet fails to list them still has its tools.
  }
  return resources;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new CancelledError());
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
