/**
 * Runs a program as a user would, in a child process with stdin closed (not a terminal, as in
 * CI), and hands back its exit code and output. `runCli` runs the built `dist/cli.js`.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const CLI_PATH = resolve(__dirname, '../../../dist/cli.js');

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ProcessOptions {
  readonly cwd: string;
  /** The child's whole environment: nothing of the test runner's leaks in unless named. */
  readonly env: NodeJS.ProcessEnv;
  readonly onSpawn?: (pid: number) => void;
  /** Each piece of stdout as it arrives, with the child's PID. */
  readonly onStdout?: (text: string, pid: number) => void;
}

export function runProcess(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      options.onStdout?.(text, child.pid ?? 0);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    if (options.onSpawn && child.pid) options.onSpawn(child.pid);
  });
}

export interface CliOptions extends Omit<ProcessOptions, 'env'> {
  /** Added to a bare PATH and HOME. */
  readonly env?: NodeJS.ProcessEnv;
}

/** `glassbox ARGS…` from the built bundle, in `cwd`. */
export function runCli(args: readonly string[], options: CliOptions): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI_PATH, ...args], {
    ...options,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
}
