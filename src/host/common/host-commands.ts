import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import { reportFailure } from './report-failure';

/**
 * How every feature registers its commands: a command that throws or rejects is reported
 * through the one error path (stack to the log, message to the person) instead of ending as an
 * unhandled rejection VS Code shows without context.
 */
export class HostCommands {
  constructor(private readonly logger: Logger) {}

  register<Args extends unknown[]>(id: string, run: (...args: Args) => unknown): vscode.Disposable {
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...(args as Args));
      } catch (error) {
        reportFailure(this.logger, id, error);
      }
    });
  }
}
