import * as vscode from 'vscode';
import { COMMAND_MARKER_VARIABLE, findEscapedProcesses, stopProcesses } from '../../tools/escaped-processes';
import { HeadTailBuffer, type ShellResult, type VisibleCommandRunner } from '../../tools/run-command';
import { cleanTerminalText } from './terminal-reader';

/** How long a new terminal may take to offer shell integration before the command runs as a process. */
export const SHELL_INTEGRATION_WAIT_MS = 5_000;
/** Between Ctrl+C and closing the terminal (which hangs up on whatever still runs in it). */
const INTERRUPT_GRACE_MS = 1_000;
const OUTPUT_BYTES = 16 * 1024;

/**
 * `glassbox.commands.runIn: terminal`: each command runs in a fresh, visible "Glassbox" terminal
 * through shell integration, so the person watches it as it runs. A fresh terminal per command,
 * because a command's marker (for the escaped-process check) and the removal of the agent's
 * credentials are set in the terminal's environment when it is created. Timeout and Stop send
 * Ctrl+C, then close the terminal, then stop processes that escaped (found by the marker), as
 * the child-process path does.
 */
export function terminalCommandRunner(options: { readonly shellPath?: string } = {}): VisibleCommandRunner {
  let previous: vscode.Terminal | undefined;
  return async ({ command, cwd, timeoutMs, env }, signal) => {
    const started = performance.now();
    previous?.dispose();
    const terminal = vscode.window.createTerminal({ name: 'Glassbox', cwd, env, iconPath: new vscode.ThemeIcon('robot'), ...(options.shellPath ? { shellPath: options.shellPath } : {}) });
    previous = terminal;
    terminal.show(true);
    const integration = terminal.shellIntegration ?? (await shellIntegrationOf(terminal, SHELL_INTEGRATION_WAIT_MS, signal));
    if (!integration) {
      terminal.dispose();
      previous = undefined;
      if (signal.aborted) return cancelledResult(started);
      return undefined;
    }
    const marker = String(env[COMMAND_MARKER_VARIABLE]);
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((event) => {
        if (event.execution !== execution) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    const execution = integration.executeCommand(command);
    // Output can only be read from the start: read at once.
    const output = new HeadTailBuffer(OUTPUT_BYTES, OUTPUT_BYTES);
    const reading = (async () => {
      for await (const chunk of execution.read()) output.push(Buffer.from(chunk));
    })().catch(() => undefined);

    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve('timeout');
      }, timeoutMs);
      onAbort = () => resolve('cancelled');
      if (signal.aborted) resolve('cancelled');
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const outcome = await Promise.race([ended.then((exitCode) => ({ exitCode })), stopped]);
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (typeof outcome !== 'object') {
      terminal.sendText('\x03', false);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, INTERRUPT_GRACE_MS))]);
      terminal.dispose();
      previous = undefined;
    }
    await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 500))]);
    // The terminal's own shell carries the marker too: it is the person's to close, not a stray.
    const shellPid = await Promise.resolve(terminal.processId).catch(() => undefined);
    const escaped = (await findEscapedProcesses(marker)).filter((found) => found.pid !== shellPid);
    if (escaped.length > 0) await stopProcesses(escaped);
    return {
      exitCode: typeof outcome === 'object' ? (outcome.exitCode ?? null) : null,
      signal: null,
      output: cleanTerminalText(output.text()).replace(/^\n+/, ''),
      durationMs: performance.now() - started,
      timedOut,
      cancelled: outcome === 'cancelled',
      strayProcessesStopped: false,
      escapedProcesses: escaped,
    } satisfies ShellResult;
  };
}

function shellIntegrationOf(terminal: vscode.Terminal, ms: number, signal: AbortSignal): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const finish = (value: vscode.TerminalShellIntegration | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), ms);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((event) => {
      if (event.terminal === terminal) finish(event.shellIntegration);
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelledResult(started: number): ShellResult {
  return { exitCode: null, signal: null, output: '', durationMs: performance.now() - started, timedOut: false, cancelled: true, strayProcessesStopped: false, escapedProcesses: [] };
}
