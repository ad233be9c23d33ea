import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import type { HostCommands } from '../common/host-commands';
import { Disposable } from '../common/disposable';
import type { RunController } from '../run/run-controller';
import { TracePanel } from './trace-panel';

/** The trace: its panel (restored after a reload), Show Trace and Export Run. */
export class TraceContribution extends Disposable {
  /** The chat follows each run it starts here. */
  readonly panel: TracePanel;

  constructor(commands: HostCommands, extensionUri: vscode.Uri, runs: RunController, logger: Logger) {
    super();
    this.panel = this.register(new TracePanel(extensionUri, runs, logger));
    // The chat's Trace link runs this command too (with its run). A command run from the extension
    // host is not seen by the walkthrough's onCommand, so opening also sets the step's context key.
    this.register(
      commands.register('glassbox.showTrace', async (runId?: unknown) => {
        await this.panel.show(typeof runId === 'string' ? runId : undefined);
        await vscode.commands.executeCommand('setContext', 'glassbox.walkthrough.traceOpened', true);
      }),
    );
    this.register(commands.register('glassbox.exportRun', () => this.panel.exportRun()));
  }
}
