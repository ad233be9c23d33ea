import * as vscode from 'vscode';
import type { AgentEvent } from '../../agent/events';
import type { Logger } from '../../agent/logger';
import { parseTracePanelMessage, type TracePanelMessage, type ToTracePanelMessage } from '../../shared/protocol';
import { Disposable, disposeAll } from '../common/disposable';
import { openLinkSafely } from '../webview/open-link';
import { runAsJsonl } from './run-export';
import type { RunController } from '../run/run-controller';
import { hostWebview } from '../webview/host-webview';
import { webviewOptions } from '../webview/webview-html';

export const TRACE_VIEW_TYPE = 'glassbox.trace';

/**
 * The "Glassbox Trace" panel: one run of the open chat, step by step. It follows the live
 * run (a new run is selected as it starts) until the person picks another; it is restored
 * after a window reload by the serializer. Export writes a run as JSONL, secrets redacted.
 */
export class TracePanel extends Disposable {
  #panel: vscode.WebviewPanel | undefined;
  #panelDisposables: vscode.Disposable[] = [];
  #selectedRunId: string | undefined;
  /** True while the panel should jump to each new run. */
  #following = true;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly logger: Logger,
  ) {
    super();
    this.register(
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runId = selectedRunOf(state);
          if (runId) {
            this.#selectedRunId = runId;
            this.#following = false;
          }
          this.#adopt(panel);
        },
      }),
    );
    this.register(controller.onDidEvent(({ chatId, runId, event }) => this.#onEvent(chatId, runId, event)));
    this.register(
      controller.onDidChangeChat(() => {
        // Another chat opened: its runs replace the list, and the panel follows its newest.
        const session = controller.current;
        if (this.#selectedRunId && !session?.hasRun(this.#selectedRunId)) {
          this.#selectedRunId = undefined;
          this.#following = true;
        }
        void this.#sendState();
      }),
    );
  }

  /** Opens the panel (or brings it forward) on `runId`, or the open chat's latest run. */
  async show(runId?: string, options: { preserveFocus?: boolean } = {}): Promise<void> {
    if (runId) {
      this.#selectedRunId = runId;
      this.#following = runId === this.controller.current?.latestRunId;
    } else {
      this.#following = true;
      this.#selectedRunId = undefined;
    }
    if (this.#panel) {
      this.#panel.reveal(undefined, options.preserveFocus);
    } else {
      const panel = vscode.window.createWebviewPanel(TRACE_VIEW_TYPE, 'Glassbox Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus }, {
        ...webviewOptions(this.extensionUri, vscode.Uri.joinPath),
        // The trace can be long; keeping the page alive when hidden avoids re-rendering thousands of rows.
        retainContextWhenHidden: true,
      });
      this.#adopt(panel);
    }
    await this.#sendState();
  }

  /** Saves a run's events as JSONL (the selected one, or the open chat's latest). */
  async exportRun(runId: string | undefined = this.#selectedRunId ?? this.controller.current?.latestRunId): Promise<void> {
    const session = await this.controller.restore();
    if (!runId || !session?.hasRun(runId)) {
      void vscode.window.showInformationMessage('Glassbox: there is no run to export in this chat yet.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Glassbox run as JSONL',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `glassbox-${runId}.jsonl`) : undefined,
      filters: { 'JSON Lines': ['jsonl'] },
    });
    if (!target) return;
    const text = runAsJsonl(session.eventsOf(runId));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const choice = await vscode.window.showInformationMessage(`Glassbox: exported the run to ${target.fsPath || target.toString()}.`, 'Open');
    if (choice === 'Open') await vscode.window.showTextDocument(target);
  }

  override dispose(): void {
    this.#panel?.dispose();
    this.#disposePanel();
    super.dispose();
  }

  #adopt(panel: vscode.WebviewPanel): void {
    this.#disposePanel();
    this.#panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'glassbox.svg');
    this.#panelDisposables.push(
      hostWebview(panel.webview, this.extensionUri, { title: 'Glassbox Trace', script: 'trace.js', styles: ['codicon.css', 'trace.css'] }, {
        name: 'Trace panel',
        parse: parseTracePanelMessage,
        handle: (message) => this.#handle(message),
        logger: this.logger,
      }),
      panel.onDidChangeViewState(() => {
        if (panel.visible) void this.#sendState();
      }),
      panel.onDidDispose(() => {
        if (this.#panel === panel) this.#disposePanel();
      }),
    );
  }

  async #handle(message: TracePanelMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.#sendState();
        return;
      case 'selectRun':
        this.#selectedRunId = message.runId;
        this.#following = message.runId === this.controller.current?.latestRunId;
        await this.#sendState();
        return;
      case 'exportRun':
        await this.exportRun(message.runId);
        return;
      case 'openLink':
        await openLinkSafely(message.href, this.logger);
        return;
      case 'restoreCheckpoint':
        await vscode.commands.executeCommand('glassbox.restoreCheckpoint', message.checkpointId);
        return;
      default: {
        const unexpected: never = message;
        this.logger.warn(`Trace panel: unhandled message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  #onEvent(chatId: string, runId: string, event: AgentEvent): void {
    if (!this.#panel || chatId !== this.controller.current?.chatId) return;
    if (event.type === 'run-start' && (this.#following || !this.#selectedRunId)) {
      this.#selectedRunId = runId;
      void this.#sendState();
      return;
    }
    if (runId === this.#selectedRunId) this.#post({ type: 'traceEvent', runId, event });
    // The picker shows each run's outcome: refresh the list when one ends.
    if (event.type === 'run-end') void this.#sendState();
  }

  async #sendState(): Promise<void> {
    if (!this.#panel) return;
    const session = await this.controller.restore();
    const runs = session?.runSummaries() ?? [];
    if (!this.#selectedRunId || !session?.hasRun(this.#selectedRunId)) this.#selectedRunId = session?.latestRunId;
    const events = this.#selectedRunId && session ? session.eventsOf(this.#selectedRunId) : [];
    this.#post({ type: 'traceState', runs, selectedRunId: this.#selectedRunId, events });
  }

  #post(message: ToTracePanelMessage): void {
    if (!this.#panel) return;
    void this.#panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  #disposePanel(): void {
    disposeAll(this.#panelDisposables);
    this.#panel = undefined;
  }
}

/** The run a restored panel showed, from the state its page saved (untrusted: checked). */
function selectedRunOf(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const value = (state as Record<string, unknown>).selectedRunId;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}
