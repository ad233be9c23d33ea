import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { Logger } from '../../agent/logger';

/**
 * The host's one error path for what a person started (a command, a click in a webview): the
 * stack goes to the log, where a bug report can find it; the message goes to the person.
 */
export function reportFailure(logger: Logger, what: string, error: unknown): void {
  logger.error(`${what} failed: ${error instanceof Error && error.stack ? error.stack : messageOf(error)}`);
  void vscode.window.showErrorMessage(`Glassbox: ${messageOf(error)}`);
}
