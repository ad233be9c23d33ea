import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * Children still running. A server in its own group outlives us unless told: when this
 * process exits (a second Ctrl+C, the extension host shutting down) each group gets SIGTERM.
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('close', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) signalGroup(c, 'SIGTERM');
  });
}

export interface StdioLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the SDK's safe default environment (PATH, HOME, …), not to all of ours: an API key in our environment is not the server's business. A null value removes a variable. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly cwd?: string;
  /** Each line the server writes to stderr. */
  readonly onStderr: (line: string) => void;
}

/**
 * The SDK's stdio transport, but the child is the leader of its own process group, so
 * stopping it stops what it started too (npx → node → the server), by PID, not by name.
 * The SDK's StdioClientTransport spawns in our group and signals only the direct child.
 */
export class ProcessGroupTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #child: ChildProcess | undefined;
  readonly #buffer = new ReadBuffer();
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly launch: StdioLaunch) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** How the process ended, once it has. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.#exit;
  }

  start(): Promise<void> {
    if (this.#child) throw new Error('already started');
    const env: Record<string, string> = { ...getDefaultEnvironment() };
    for (const [key, value] of Object.entries(this.launch.env)) {
      if (value === null) delete env[key];
      else env[key] = value;
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.launch.command, [...this.launch.args], {
        env,
        cwd: this.launch.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group (POSIX); on Windows `detached` would open a console instead.
        detached: process.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
      this.#child = child;
      track(child);
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
      });
      child.once('close', (code, signal) => {
        this.#exit ??= { code, signal };
        this.#child = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('data', (chunk: Buffer) => {
        this.#buffer.append(chunk);
        this.#drain();
      });
      let partial = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        const lines = (partial + chunk).split(/\r?\n/u);
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.launch.onStderr(line);
        if (partial.length > 10_000) {
          this.launch.onStderr(partial);
          partial = '';
        }
      });
    });
  }

  #drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#buffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC (a server printing to stdout) is reported, not fatal.
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.#child?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error('the server process is not running'));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes stdin, then signals the whole group: SIGTERM, and SIGKILL if it lingers. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    child.stdin?.end();
    signalGroup(child, 'SIGTERM');
    const lingering = await Promise.race([closed.then(() => false), delay(2_000).then(() => true)]);
    if (lingering) {
      signalGroup(child, 'SIGKILL');
      await Promise.race([closed, delay(1_000)]);
    }
    this.#buffer.clear();
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
