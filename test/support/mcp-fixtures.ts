/**
 * The real MCP servers the tests start, from node_modules by path (never npx: no network at
 * test time), and a free loopback port for the HTTP one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { McpServers, type McpServersOptions } from '../../src/agent/mcp/mcp-servers';
import { mcpConfigFrom, type McpConfigOrigin } from '../../src/agent/mcp/server-config';
import type { Logger } from '../../src/agent/logger';

const root = join(__dirname, '..', '..', '..');
const serverPath = (name: string) => join(root, 'node_modules', '@modelcontextprotocol', name, 'dist', 'index.js');

export const EVERYTHING = serverPath('server-everything');
export const FILESYSTEM = serverPath('server-filesystem');
export const MEMORY = serverPath('server-memory');

export const stdio = (path: string, ...args: string[]) => ({ type: 'stdio', command: process.execPath, args: [path, ...args] });

/** Lines logged, so a test can assert stderr went to the log. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export function mcpServers(
  servers: Record<string, unknown>,
  options: Partial<McpServersOptions> & { origin?: McpConfigOrigin } = {},
): McpServers & { log: Logger & { lines: string[] } } {
  const log = collectingLogger();
  const hub = new McpServers(mcpConfigFrom({ servers }, options.origin ?? 'cli', 'test config'), {
    logger: log,
    variables: { env: process.env, resolveInput: async () => undefined },
    ...options,
  });
  return Object.assign(hub, { log });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** server-everything over streamable HTTP (or the older SSE transport) on a loopback port; resolves once it listens. */
export async function startEverythingHttp(transport: 'streamableHttp' | 'sse' = 'streamableHttp'): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, transport], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything (HTTP) did not start in 15 s')), 15_000);
    const onData = (chunk: Buffer) => {
      if (/(listening|running) on port/u.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything (HTTP) exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const closed = new Promise((done) => child.once('close', done));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      await closed;
    },
  };
}
