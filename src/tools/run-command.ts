import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CancelledError, ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { withoutCredentials } from '../agent/safety/known-credentials';
import { COMMAND_MARKER_VARIABLE, findEscapedProcesses, stopProcesses, type EscapedProcess } from './escaped-processes';
import type { WorkspaceFs } from '../agent/workspace-fs';
import { clip, formatDuration } from '../agent/format';
import { analyzeCommandLine } from '../agent/safety/command-line';

export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
export const MAX_COMMAND_TIMEOUT_MS = 10 * 60_000;
/** Output kept from the start and from the end of a command's output; the middle is cut. */
const HEAD_BYTES = 16 * 1024;
const TAIL_BYTES = 16 * 1024;
/** How long a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 1_000;

/**
 * Runs a command somewhere the person can watch (VS Code's terminal), with the same contract as
 * runShell: the whole command stopped on timeout or abort, escaped processes found by `marker`.
 * Resolves undefined when it cannot (no shell integration): the command then runs as a child
 * process, and the result says so.
 */
export type VisibleCommandRunner = (
  request: { readonly command: string; readonly cwd: string; readonly timeoutMs: number; readonly env: Readonly<Record<string, string | null>> },
  signal: AbortSignal,
) => Promise<ShellResult | undefined>;

export const runCommand = createRunCommand();

/** run_command; with `visible`, commands run in VS Code's terminal (glassbox.commands.runIn). */
export function createRunCommand(visible?: VisibleCommandRunner) {
  return defineTool({
    name: 'run_command',
    description:
      'Run a shell command (/bin/sh) in a workspace folder and get its exit code and combined output. Use it ' +
      'to build, run tests, run linters or inspect git state. Do not use it to read, search or edit files: ' +
      'read_file, search_text, write_file and edit_file do that better. Commands cannot read input; ' +
      'long output is cut in the middle.',
    risk: 'execute',
    truncationHint: 'Re-run with output filtered (e.g. grep, head, tail) to see the cut part.',
    // The call's own timeout (timeout_ms) governs, so the run's shorter default must not cut it first.
    timeoutMs: MAX_COMMAND_TIMEOUT_MS + 5_000,
    input: z.object({
      command: z.string().min(1).max(10_000).describe('The command line, as you would type it in a terminal.'),
      cwd: z.string().min(1).optional().describe('Workspace-relative folder to run in; the workspace folder when omitted.'),
      timeout_ms: z
        .number()
        .int()
        .min(1_000)
        .max(MAX_COMMAND_TIMEOUT_MS)
        .default(DEFAULT_COMMAND_TIMEOUT_MS)
        .describe('Stop the command after this many milliseconds (default 60000, at most 600000).'),
    }),
    async preview({ command, cwd, timeout_ms }, ctx) {
      const folder = await resolveFolder(ctx.fs, cwd);
      const analysis = await analyzeCommandLine(command);
      // Files its redirections write, as workspace paths, so the protected and sensitive path rules see them.
      const writes = analysis.readable
        ? analysis.writes.map((target) => (posix.isAbsolute(target) ? target : posix.normalize(posix.join(folder.display, target))))
        : [];
      return {
        summary: `Run \`${clip(oneLine(command), 80)}\``,
        detail:
          `Command: ${command}\nFolder: ${folder.display} (${folder.local})\nTimeout: ${formatDuration(timeout_ms)}\n` +
          `It runs with ${shellName()} as your user: it can read and change anything you can, also outside the workspace.`,
        command: { line: command, cwd: folder.display, analysis },
        ...(writes.length > 0 ? { paths: writes } : {}),
      };
    },
    async execute({ command, cwd, timeout_ms }, ctx) {
      const folder = await resolveFolder(ctx.fs, cwd);
      ctx.signal.throwIfAborted();
      const inTerminal = visible ? await visible({ command, cwd: folder.local, timeoutMs: timeout_ms, env: commandEnvironment(randomUUID()) }, ctx.signal) : undefined;
      const fellBack = visible !== undefined && inTerminal === undefined;
      const result = inTerminal ?? (await runShell(command, folder.local, timeout_ms, ctx.signal));
      if (result.cancelled) throw new CancelledError(`Cancelled; \`${clip(oneLine(command), 80)}\` and everything it started were stopped.`);

      const where = folder.display === '.' ? '' : ` · in ${folder.display}`;
      const status = result.timedOut
        ? `timed out after ${formatDuration(timeout_ms)}; it and everything it started were stopped`
        : result.signal
          ? `killed by ${result.signal}`
          : `exit code ${result.exitCode}`;
      const strays =
        (result.strayProcessesStopped ? '\n(processes it left running in the background were stopped)' : '') +
        (result.escapedProcesses.length > 0
          ? `\n(processes that had left its process group were stopped: ${result.escapedProcesses
              .map(({ pid, command: line }) => `${pid} ${clip(line, 60)}`)
              .join('; ')})`
          : '');
      const place = inTerminal ? ' · in the Glassbox terminal' : fellBack ? ' · as a child process (the terminal has no shell integration)' : '';
      const output = `${status} · ${formatDuration(result.durationMs)}${where}${place}${strays}\n${result.output || '(no output)'}`;
      if (result.timedOut) throw new ToolError(`\`${clip(oneLine(command), 80)}\` ${output}`);
      return { output, taintSource: `output of \`${clip(oneLine(command), 80)}\`` };
    },
  });
}

/**
 * What a command's environment changes from the parent's: the agent's credentials removed (null
 * deletes a variable in a terminal), no pagers or prompts, and the marker its processes inherit.
 */
export function commandEnvironment(marker: string): Record<string, string | null> {
  const kept = withoutCredentials(process.env);
  const removed = Object.keys(process.env).filter((name) => !(name in kept));
  return {
    ...Object.fromEntries(removed.map((name) => [name, null])),
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    [COMMAND_MARKER_VARIABLE]: marker,
  };
}

async function resolveFolder(fs: WorkspaceFs, cwd: string | undefined): Promise<{ display: string; local: string }> {
  const display = await fs.normalize(cwd ?? '.');
  const stat = await fs.stat(display);
  if (stat.kind !== 'directory') throw new ToolError(`cwd "${display}" is not a folder.`);
  const local = await fs.localPath(display);
  if (local === undefined) {
    throw new ToolError(
      'run_command needs the workspace on a local disk; this workspace is on a remote or virtual file system, so commands cannot run here.',
    );
  }
  return { display, local };
}

export interface ShellResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived; head and tail kept when long. */
  readonly output: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** True when processes the command left behind had to be stopped after it ended. */
  readonly strayProcessesStopped: boolean;
  /** Processes that had left the command's process group (setsid) and were stopped after it. */
  readonly escapedProcesses: readonly EscapedProcess[];
}

/**
 * Runs `command` in its own process group and returns once that whole group is gone: on
 * timeout or abort the group gets SIGTERM, then SIGKILL after a second, so no child or
 * grandchild outlives the call (short of one that left the group on purpose with setsid).
 */
export async function runShell(command: string, cwd: string, timeoutMs: number, signal: AbortSignal): Promise<ShellResult> {
  const started = performance.now();
  // The agent's own credentials are not the project's business, whatever variable holds them.
  const marker = randomUUID();
  const env: NodeJS.ProcessEnv = {
    ...withoutCredentials(process.env),
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    [COMMAND_MARKER_VARIABLE]: marker,
  };
  const child = spawnShell(command, cwd, env);
  const output = new HeadTailBuffer(HEAD_BYTES, TAIL_BYTES);
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));

  let timedOut = false;
  let cancelled = false;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopGroup(child));
  const timer = setTimeout(() => {
    timedOut = true;
    void stop();
  }, timeoutMs);
  const onAbort = () => {
    cancelled = true;
    void stop();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    });
    // The shell is gone; anything it left in its group (a `cmd &`) is stopped too.
    let strayProcessesStopped = false;
    if (!stopping && groupIsAlive(child)) {
      strayProcessesStopped = true;
      void stop();
    }
    if (stopping) await stopping;
    await closed(child);
    // Those that left the group (setsid) are found by the marker they inherited, and stopped.
    const escaped = await findEscapedProcesses(marker);
    if (escaped.length > 0) await stopProcesses(escaped);
    return {
      escapedProcesses: escaped,
      exitCode: exit.code,
      signal: exit.signal,
      output: output.text(),
      durationMs: performance.now() - started,
      timedOut,
      cancelled,
      strayProcessesStopped,
    };
  } catch (error) {
    if (stopping) await stopping;
    throw new ToolError(`Could not start ${shellName()}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

const isWindows = process.platform === 'win32';

function shellName(): string {
  return isWindows ? 'cmd.exe' : '/bin/sh';
}

function spawnShell(command: string, cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  if (isWindows) {
    return spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${command}"`], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      windowsVerbatimArguments: true,
    });
  }
  // detached: the shell leads a new process group, so the group can be signalled as a whole.
  return spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

function groupIsAlive(child: ChildProcess): boolean {
  if (isWindows || child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGTERM to the group, SIGKILL a second later if anything is left; resolves when it is gone. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (isWindows) {
    // No process groups: taskkill walks the tree from the shell.
    if (child.pid !== undefined && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' })
          .once('exit', () => resolve())
          .once('error', () => resolve());
      });
    }
    return;
  }
  signalGroup(child, 'SIGTERM');
  const deadline = performance.now() + KILL_GRACE_MS;
  while (groupIsAlive(child) && performance.now() < deadline) await sleep(25);
  if (!groupIsAlive(child)) return;
  signalGroup(child, 'SIGKILL');
  // SIGKILL cannot be refused; wait (briefly) until the kernel has taken them all down.
  const killDeadline = performance.now() + KILL_GRACE_MS;
  while (groupIsAlive(child) && performance.now() < killDeadline) await sleep(10);
}

/** Waits for the pipes to drain, but not for pipes held open by a process outside the group. */
async function closed(child: ChildProcess): Promise<void> {
  if (child.stdout?.closed !== false && child.stderr?.closed !== false) return;
  await Promise.race([new Promise<void>((resolve) => child.once('close', () => resolve())), sleep(500)]);
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/**
 * Keeps the first `headBytes` and the last `tailBytes` of a stream, counting what falls in
 * between, so a command printing gigabytes costs a fixed amount of memory.
 */
export class HeadTailBuffer {
  readonly #head: Buffer[] = [];
  #headLength = 0;
  #tail: Buffer[] = [];
  #tailLength = 0;
  #cutBytes = 0;
  #cutLines = 0;

  constructor(
    private readonly headBytes: number,
    private readonly tailBytes: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.#headLength < this.headBytes) {
      const take = Math.min(chunk.length, this.headBytes - this.#headLength);
      this.#head.push(chunk.subarray(0, take));
      this.#headLength += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.#tail.push(chunk);
    this.#tailLength += chunk.length;
    while (this.#tailLength - this.#tail[0].length >= this.tailBytes) {
      const dropped = this.#tail.shift()!;
      this.#tailLength -= dropped.length;
      this.#countCut(dropped);
    }
    if (this.#tailLength > this.tailBytes) {
      // Trim the oldest chunk so the tail holds exactly tailBytes.
      const excess = this.#tailLength - this.tailBytes;
      this.#countCut(this.#tail[0].subarray(0, excess));
      this.#tail[0] = this.#tail[0].subarray(excess);
      this.#tailLength -= excess;
    }
  }

  #countCut(bytes: Buffer): void {
    this.#cutBytes += bytes.length;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) this.#cutLines++;
  }

  text(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    const tail = Buffer.concat(this.#tail).toString('utf8');
    if (this.#cutBytes === 0) return head + tail;
    return `${head}\n[… ${this.#cutBytes} bytes (${this.#cutLines} lines) of output cut here …]\n${tail}`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}
