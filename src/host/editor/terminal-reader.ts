import * as vscode from 'vscode';
import type { TerminalCommand } from '../../agent/editor/editor-port';
import { Disposable } from '../common/disposable';

/** Output kept per command: the last part, where results and errors are. */
export const TERMINAL_OUTPUT_CHARS = 16_000;

/**
 * Remembers the last finished command of each terminal, read through shell integration. A
 * command's output can only be read from its start (`execution.read()` yields what is written
 * after the first call), so every execution is read as it starts, keeping its tail. A command
 * that finishes before VS Code has told the extension host it started (a very short one) is
 * remembered with its exit code but without output.
 */
export class TerminalReader extends Disposable {
  readonly #last = new WeakMap<vscode.Terminal, TerminalCommand>();
  /** The running command's output being read, per terminal (one command at a time runs in each). */
  readonly #reading = new Map<vscode.Terminal, Promise<string>>();

  constructor() {
    super();
    this.register(
      vscode.window.onDidStartTerminalShellExecution((event) => {
        this.#reading.set(event.terminal, readTail(event.execution));
      }),
    );
    this.register(
      vscode.window.onDidEndTerminalShellExecution(async (event) => {
        const reading = this.#reading.get(event.terminal);
        this.#reading.delete(event.terminal);
        const output = (await reading) ?? '';
        this.#last.set(event.terminal, {
          terminal: event.terminal.name,
          command: event.execution.commandLine.value,
          ...(event.execution.cwd ? { cwd: event.execution.cwd.fsPath } : {}),
          ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
          output: cleanTerminalText(output),
        });
      }),
    );
  }

  /** The active terminal's last finished command; undefined when there is none or it has no shell integration. */
  async lastCommand(signal: AbortSignal): Promise<TerminalCommand | undefined> {
    signal.throwIfAborted();
    const terminal = vscode.window.activeTerminal ?? vscode.window.terminals.at(-1);
    return terminal ? this.#last.get(terminal) : undefined;
  }
}

async function readTail(execution: vscode.TerminalShellExecution): Promise<string> {
  let text = '';
  try {
    for await (const chunk of execution.read()) {
      text += chunk;
      if (text.length > TERMINAL_OUTPUT_CHARS * 2) text = text.slice(-TERMINAL_OUTPUT_CHARS);
    }
  } catch {
    // The terminal went away mid-command: what was read is what there is.
  }
  return text.length > TERMINAL_OUTPUT_CHARS ? `[… earlier output cut …]\n${text.slice(-TERMINAL_OUTPUT_CHARS)}` : text;
}

/**
 * Terminal data is raw: colours, cursor moves, shell-integration sequences (OSC 633) and CRs.
 * The model and the chat get plain lines.
 */
export function cleanTerminalText(raw: string): string {
  return raw
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '') // OSC (titles, 633 shell integration)
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '') // CSI (colours, cursor)
    .replace(/\x1b[@-Z\\-_]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/[^\n]*\r(?!\n)/g, '') // a line overwritten with \r keeps its last version
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
