import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import { parseChatViewMessage, type ChatViewMessage, type ToChatViewMessage } from '../../shared/protocol';
import { questionWithSelection } from './question-with-selection';
import { Disposable, disposeAll } from '../common/disposable';
import { currentSelection } from './editor-selection';
import { activeEditorContext, questionWithActiveEditor } from '../editor/active-editor';
import { openLinkSafely } from '../webview/open-link';
import type { RunController } from '../run/run-controller';
import { ALLOW_WORKSPACE_ENDPOINT_COMMAND } from '../providers/endpoint-consent';
import { hostWebview } from '../webview/host-webview';
import { useServerModel } from '../providers/select-provider';
import { SET_API_KEY_COMMAND } from '../providers/api-key';
import { SELECT_PROVIDER_COMMAND } from '../providers/endpoint-problem-notice';
import { openInstructionFile } from './open-instruction-file';

export const CHAT_VIEW_ID = 'glassbox.chat';

/**
 * The sidebar chat (`glassbox.chat`). The page only draws; everything it asks for arrives as
 * a message that is parsed against the protocol first (anything else is dropped and logged),
 * and every action is the host's: runs, links (opened only after a click, http(s) only),
 * clipboard, inserting code. The full state is re-sent whenever the view is (re)shown, so it
 * survives being hidden and a window reload.
 */
export class ChatViewProvider extends Disposable implements vscode.WebviewViewProvider {
  #view: vscode.WebviewView | undefined;
  #viewDisposables: vscode.Disposable[] = [];
  #stateQueued = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly logger: Logger,
    private readonly showTrace: (runId?: string) => void,
  ) {
    super();
    this.register(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, this));
    this.register(controller.onDidChangeChat(() => this.#queueState()));
    this.register(
      controller.onDidEvent(({ chatId, runId, event }) => {
        if (chatId === this.controller.current?.chatId) this.#post({ type: 'event', runId, event });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.#disposeView();
    this.#view = view;
    this.#viewDisposables.push(
      hostWebview(view.webview, this.extensionUri, { title: 'Glassbox Chat', script: 'chat.js', styles: ['codicon.css', 'chat.css'] }, {
        name: 'Chat view',
        parse: parseChatViewMessage,
        handle: (message) => this.#handle(message),
        logger: this.logger,
      }),
      view.onDidChangeVisibility(() => {
        this.controller.chatVisible = view.visible;
        if (view.visible) this.#queueState();
      }),
      view.onDidDispose(() => {
        if (this.#view === view) this.#disposeView();
      }),
    );
    this.controller.chatVisible = view.visible;
  }

  /** Shows the chat view (opening the Glassbox sidebar). */
  async reveal(): Promise<void> {
    if (this.#view) this.#view.show(true);
    else await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  override dispose(): void {
    this.#disposeView();
    super.dispose();
  }

  async #handle(message: ChatViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.#sendState();
        return;
      case 'ask': {
        const selection = message.attachSelection ? currentSelection() : undefined;
        // Nothing selected: where the person is looking (file, language, lines on screen).
        const active = message.attachSelection && !selection ? activeEditorContext() : undefined;
        if (message.attachSelection && !selection && !active) {
          void vscode.window.showInformationMessage('Glassbox: open a file or select some code in an editor first, then ask about it.');
          return;
        }
        const task = selection ? questionWithSelection(message.text, selection) : active ? questionWithActiveEditor(message.text, active) : message.text;
        await this.controller.ask(message.text, task);
        return;
      }
      case 'stop':
        await this.controller.stop();
        return;
      case 'selectModel':
        await vscode.commands.executeCommand('glassbox.selectModel');
        return;
      case 'newChat':
        this.controller.newChat();
        return;
      case 'openChat':
        await this.controller.openChat(message.chatId);
        return;
      case 'renameChat':
        await this.controller.renameChat(message.chatId, message.title);
        return;
      case 'deleteChat': {
        const choice = await vscode.window.showWarningMessage('Delete this chat?', { modal: true, detail: 'Its questions, answers and traces are removed from disk.' }, 'Delete');
        if (choice === 'Delete') await this.controller.deleteChat(message.chatId);
        return;
      }
      case 'showTrace':
        this.showTrace(message.runId);
        return;
      case 'openLink':
        await openLinkSafely(message.href, this.logger);
        return;
      case 'openInstructionFile':
        await openInstructionFile(message.path, this.logger);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        await insertAtCursor(message.code);
        return;
      case 'restoreCheckpoint':
        await vscode.commands.executeCommand('glassbox.restoreCheckpoint', message.checkpointId);
        return;
      case 'showChanges':
        await vscode.commands.executeCommand('glassbox.showChanges');
        return;
      case 'useLocalServer': {
        // The page names an offer; what it points at is the host's own probe result.
        const offer = this.controller.setup.find(message.offerId);
        if (!offer) {
          void vscode.window.showWarningMessage('Glassbox: that model server no longer answers. Run "Glassbox: Select Provider" to look again.');
          return;
        }
        await useServerModel(offer.server, offer.model);
        return;
      }
      case 'setup':
        await vscode.commands.executeCommand(message.action === 'setApiKey' ? SET_API_KEY_COMMAND : SELECT_PROVIDER_COMMAND);
        return;
      case 'problemAction': {
        const action = this.controller.problem?.actions[message.index];
        if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
        return;
      }
      case 'dismissProblem':
        this.controller.dismissProblem();
        return;
      case 'revokeAllowance':
        this.controller.revokeAllowance(message.tool, message.pattern);
        return;
      case 'decidePlan': {
        const problem = this.controller.plans.decide(message.runId, message.revision, message.decision);
        if (problem) void vscode.window.showWarningMessage(`Glassbox: ${problem}`);
        return;
      }
      case 'setPlanFirst':
        this.controller.setPlanFirst(message.on);
        return;
      case 'setAgent':
        this.controller.setAgent(message.name);
        return;
      case 'noticeAction':
        // Issue 19: the notice about ignored workspace settings or the workspace's endpoint.
        if (message.action === 'dismiss') this.controller.dismissNotice(message.noticeId);
        else if (message.action === 'openUserSettings') await vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: 'glassbox' });
        else await vscode.commands.executeCommand(ALLOW_WORKSPACE_ENDPOINT_COMMAND);
        return;
      default: {
        const unexpected: never = message;
        this.logger.warn(`Chat view: unhandled message ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /** Many changes in one tick (a run ending, the list updating) send one snapshot. */
  #queueState(): void {
    if (this.#stateQueued || !this.#view) return;
    this.#stateQueued = true;
    queueMicrotask(() => {
      this.#stateQueued = false;
      void this.#sendState();
    });
  }

  async #sendState(): Promise<void> {
    if (!this.#view) return;
    this.#post({ type: 'state', state: await this.controller.chatState() });
  }

  #post(message: ToChatViewMessage): void {
    // A hidden view drops messages; it gets the whole state when shown again.
    if (!this.#view?.visible) return;
    void this.#view.webview.postMessage(message).then(undefined, () => undefined);
  }

  #disposeView(): void {
    disposeAll(this.#viewDisposables);
    this.#view = undefined;
    this.controller.chatVisible = false;
  }
}

async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage('Glassbox: open an editor to insert the code into.');
    return;
  }
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}
