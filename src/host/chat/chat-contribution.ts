import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import type { HostCommands } from '../common/host-commands';
import { Disposable } from '../common/disposable';
import type { RunController } from '../run/run-controller';
import type { TracePanel } from '../trace/trace-panel';
import type { Settings } from '../settings/settings';
import { ChatViewProvider } from './chat-view';
import { linesOf, questionWithSelection } from './question-with-selection';
import { selectionToAttach } from './editor-selection';

/** The chat: its sidebar view, and the commands that ask, start over, stop and clear. */
export class ChatContribution extends Disposable {
  readonly #chat: ChatViewProvider;

  constructor(
    commands: HostCommands,
    extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly trace: TracePanel,
    logger: Logger,
    private readonly settings: Pick<Settings, 'current'>,
  ) {
    super();
    this.#chat = this.register(new ChatViewProvider(extensionUri, runs, logger, (runId) => void vscode.commands.executeCommand('glassbox.showTrace', runId)));
    this.register(commands.register('glassbox.askAgent', () => this.#askAgent()));
    this.register(commands.register('glassbox.askAboutSelection', () => this.#askAboutSelection()));
    this.register(
      commands.register('glassbox.newChat', async () => {
        runs.newChat();
        await this.#chat.reveal();
      }),
    );
    this.register(commands.register('glassbox.stop', () => runs.stop()));
    this.register(commands.register('glassbox.clearHistory', () => this.#clearHistory()));
  }

  async #askAgent(): Promise<void> {
    const question = await vscode.window.showInputBox({
      title: 'Glassbox: Ask Agent',
      prompt: this.runs.current ? `Continues the chat "${this.runs.current.title}" (New Chat starts over)` : 'Starts a new chat',
      placeHolder: 'e.g. Where is the retry logic, and how long does it wait?',
      ignoreFocusOut: true,
    });
    if (question?.trim()) await this.#askAndShow(question.trim(), question.trim());
  }

  async #askAboutSelection(): Promise<void> {
    const selection = selectionToAttach();
    if (!selection) return;
    const question = await vscode.window.showInputBox({
      title: `Glassbox: Ask about ${selection.path} (${linesOf(selection)})`,
      placeHolder: 'e.g. What does this do, and is it safe to call twice?',
      ignoreFocusOut: true,
    });
    if (question?.trim()) await this.#askAndShow(question.trim(), questionWithSelection(question.trim(), selection));
  }

  /**
   * Starts a run and shows the chat. The trace panel opens only when the person asked for it
   * (glassbox.trace.openOnRun): unasked it would cover the file they are editing. A question
   * that could not start because no model is chosen shows the chat too: its set-up is there.
   */
  async #askAndShow(question: string, task: string): Promise<void> {
    const runId = await this.runs.ask(question, task);
    if (!runId) {
      if (this.runs.setup.asked) await this.#chat.reveal();
      return;
    }
    await this.#chat.reveal();
    if (this.settings.current.traceOpenOnRun) await this.trace.show(runId, { preserveFocus: true });
  }

  async #clearHistory(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Delete every saved Glassbox chat of this workspace?',
      { modal: true, detail: 'Questions, answers and traces are removed from disk. Long-term memory (facts) is kept.' },
      'Delete All',
    );
    if (choice === 'Delete All') await this.runs.clearHistory();
  }
}
