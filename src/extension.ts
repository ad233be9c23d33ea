// First: every zod schema built after this is created without the JIT (see the file).
import './host/common/zod-jitless';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from './agent/errors';
import { ChatHistory } from './agent/history/chat-history';
import { redactSecrets } from './agent/safety/redact';
import { ApiKeyStore } from './host/providers/api-key';
import { ChatViewProvider } from './host/chat/chat-view';
import { CheckpointRestorer } from './host/checkpoints/checkpoint-restore';
import { questionWithSelection } from './host/chat/chat-session';
import { toDisposable } from './host/common/disposable';
import { currentSelection } from './host/chat/editor-selection';
import { createHostSearcher } from './host/workspace/host-searcher';
import { LogChannel } from './host/common/log-channel';
import { McpHost } from './host/mcp/mcp-host';
import { McpView } from './host/mcp/mcp-view';
import { MemoryAccess } from './host/memory/memory-access';
import { registerMemoryView } from './host/memory/memory-view';
import { ProposedContentProvider } from './host/approvals/proposed-content';
import { RunController } from './host/run/run-controller';
import { selectModel } from './host/providers/select-model';
import { selectProvider } from './host/providers/select-provider';
import { Settings } from './host/settings/settings';
import { TracePanel } from './host/trace/trace-panel';

let controller: RunController | undefined;

/**
 * Registers commands, views, the trace panel's serializer and the approval dialog's content
 * provider, and nothing else: no network, no disk scan, no history loaded. Those happen on
 * first use (a question, a view opening).
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const settings = new Settings();
  const log = new LogChannel(settings.current.logLevel, (text) => redactSecrets(text).text);
  context.subscriptions.push(settings, log, settings.onDidChange((current) => (log.level = current.logLevel)));

  const apiKeys = new ApiKeyStore(context.secrets, () => settings.current);
  const proposed = new ProposedContentProvider();
  const memory = new MemoryAccess(context, settings, apiKeys, log);
  context.subscriptions.push(proposed, memory);

  let history: ChatHistory | undefined;
  const openHistory = (): ChatHistory => {
    const storage = context.storageUri ?? context.globalStorageUri;
    history ??= new ChatHistory({
      dir: join(storage.fsPath, 'chats'),
      index: context.workspaceState,
      maxChatBytes: settings.current.history.maxChatBytes,
      maxTotalBytes: settings.current.history.maxTotalBytes,
      logger: log,
    });
    return history;
  };
  context.subscriptions.push(toDisposable(() => void history?.flush()));

  // Nothing is read or started here: the servers are built on the first run or view opening.
  const mcp = new McpHost(context, log);
  context.subscriptions.push(mcp, new McpView(mcp, log));

  // Checkpoints live in this workspace's storage, never in the workspace or its .git.
  const checkpoints = new CheckpointRestorer(context.storageUri?.fsPath, proposed, log);
  const runs = new RunController({
    checkpoints: () => checkpoints.store(),
    settings,
    apiKeys,
    logger: log,
    proposed,
    history: openHistory,
    state: context.workspaceState,
    buildTools: async (fs, current, restricted) => {
      // Loaded on the first run: the tools pull in large libraries (math.js) that
      // activation should not pay for.
      const { createTools, readOnly } = await import('./tools');
      const tools = createTools({
        searcher: await createHostSearcher(fs, log),
        web: current.webTools ? { searchEndpoint: current.webSearchEndpoint, allowHosts: current.webAllowHosts } : undefined,
        memory: await memory.get(),
        sensitivePaths: current.sensitivePaths,
      });
      return restricted ? readOnly(tools) : tools;
    },
    recall: (current) => memory.recallFor(current),
    toolSources: (restricted) => [mcp.toolSource(restricted)],
  });
  // A restore joins the chat of the run it restored (its history, its trace, the next request).
  checkpoints.onRestored = (event, runId) => {
    if (runId) runs.recordRestore(event, runId);
  };
  controller = runs;
  const trace = new TracePanel(context.extensionUri, runs, log);
  const chat = new ChatViewProvider(context.extensionUri, runs, log, (runId) => void trace.show(runId));
  context.subscriptions.push(runs, trace, chat);

  const command = (id: string, run: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(...args);
        } catch (error) {
          log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : messageOf(error)}`);
          void vscode.window.showErrorMessage(`Glassbox: ${messageOf(error)}`);
        }
      }),
    );

  /** Starts a run, then shows the chat and follows the run in the trace panel. */
  const askAndShow = async (question: string, task: string) => {
    const runId = await runs.ask(question, task);
    if (!runId) return;
    await chat.reveal();
    await trace.show(runId, { preserveFocus: true });
  };

  command('glassbox.askAgent', async () => {
    const question = await vscode.window.showInputBox({
      title: 'Glassbox: Ask Agent',
      prompt: runs.current ? `Continues the chat "${runs.current.title}" (New Chat starts over)` : 'Starts a new chat',
      placeHolder: 'e.g. Where is the retry logic, and how long does it wait?',
      ignoreFocusOut: true,
    });
    if (question?.trim()) await askAndShow(question.trim(), question.trim());
  });

  command('glassbox.askAboutSelection', async () => {
    const selection = currentSelection();
    if (!selection) {
      void vscode.window.showInformationMessage('Glassbox: select some code first, then ask about it.');
      return;
    }
    const lines = selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}–${selection.endLine}`;
    const question = await vscode.window.showInputBox({
      title: `Glassbox: Ask about ${selection.path} (${lines})`,
      placeHolder: 'e.g. What does this do, and is it safe to call twice?',
      ignoreFocusOut: true,
    });
    if (question?.trim()) await askAndShow(question.trim(), questionWithSelection(question.trim(), selection));
  });

  command('glassbox.showTrace', () => trace.show());
  command('glassbox.restoreCheckpoint', async (id) => {
    if (typeof id === 'string') return checkpoints.restore(id);
    const store = checkpoints.store();
    const list = store?.list().reverse() ?? [];
    if (list.length === 0) return void vscode.window.showInformationMessage('Glassbox: no checkpoints yet — one is made before each write or command.');
    const picked = await vscode.window.showQuickPick(
      list.map((checkpoint) => ({ label: checkpoint.label, description: new Date(checkpoint.createdAt).toLocaleString(), id: checkpoint.id })),
      { title: 'Glassbox: Restore to a Checkpoint', placeHolder: 'The workspace as it was before…' },
    );
    if (picked) await checkpoints.restore(picked.id);
  });
  command('glassbox.newChat', async () => {
    runs.newChat();
    await chat.reveal();
  });
  command('glassbox.stop', () => runs.stop());
  command('glassbox.setApiKey', () => apiKeys.promptAndStore(settings.current));
  const pickModel = () => selectModel({ settings, apiKeys });
  command('glassbox.selectModel', pickModel);
  command('glassbox.selectProvider', () => selectProvider({ settings, apiKeys, selectModel: pickModel }));
  command('glassbox.clearApiKey', () => apiKeys.clearWithNotice());
  command('glassbox.exportRun', () => trace.exportRun());
  command('glassbox.clearHistory', async () => {
    const choice = await vscode.window.showWarningMessage(
      'Delete every saved Glassbox chat of this workspace?',
      { modal: true, detail: 'Questions, answers and traces are removed from disk. Long-term memory (facts) is kept.' },
      'Delete All',
    );
    if (choice === 'Delete All') await runs.clearHistory();
  });

  // Memory's commands (Show Memory, Forget All Memory, the tree's actions) live with its view.
  // Opening the store reads workspaceState (and, with embeddings on, the vectors file); it is
  // awaited so that an activation caused by one of those commands finds it registered.
  let memoryView: vscode.Disposable | undefined;
  const showMemoryView = async () => {
    memoryView?.dispose();
    memoryView = undefined;
    try {
      memoryView = registerMemoryView(context, await memory.get());
    } catch (error) {
      log.error(`Long-term memory is unavailable: ${messageOf(error)}`);
    }
  };
  context.subscriptions.push(memory.onDidReopen(() => void showMemoryView()), toDisposable(() => memoryView?.dispose()));
  await showMemoryView();
}

/** Stops runs and waits (briefly) for their records to reach the disk. */
export async function deactivate(): Promise<void> {
  await controller?.stopAll();
  controller = undefined;
}
