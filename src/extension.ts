// First: every zod schema built after this is created without the JIT (see the file).
import './host/common/zod-jitless';
import type * as vscode from 'vscode';
import { redactSecrets } from './agent/safety/redact';
import { ProposedContentProvider } from './host/approvals/proposed-content';
import { ChatContribution } from './host/chat/chat-contribution';
import { WorkspaceChatHistory } from './host/chat/workspace-chat-history';
import { CheckpointRestorer } from './host/checkpoints/checkpoint-restore';
import { CheckpointsContribution } from './host/checkpoints/checkpoints-contribution';
import { ChangesContribution } from './host/changes/changes-contribution';
import { HostCommands } from './host/common/host-commands';
import { LogChannel } from './host/common/log-channel';
import { McpHost } from './host/mcp/mcp-host';
import { McpView } from './host/mcp/mcp-view';
import { MemoryAccess } from './host/memory/memory-access';
import { MemoryContribution } from './host/memory/memory-contribution';
import { ApiKeyStore } from './host/providers/api-key';
import { ProvidersContribution } from './host/providers/providers-contribution';
import { hostTools } from './host/run/host-tools';
import { TerminalReader } from './host/editor/terminal-reader';
import { RunController } from './host/run/run-controller';
import { EndpointConsentPrompt, EndpointConsents } from './host/providers/endpoint-consent';
import { Settings } from './host/settings/settings';
import { WorkspaceSettingsContribution } from './host/settings/workspace-settings-contribution';
import { workspaceSettingsNotices } from './host/settings/workspace-settings-notice';
import { TraceContribution } from './host/trace/trace-contribution';
import { WalkthroughProgress } from './host/walkthrough/walkthrough-progress';

let controller: RunController | undefined;

/**
 * Builds the shared services, then lists the features; each registers its own commands, views
 * and listeners. Nothing else happens here: no network, no disk scan, no history loaded. Those
 * happen on first use (a question, a view opening).
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // Issue 19: a workspace may only tighten guardrails; its own endpoint waits for the person's
  // yes (kept in workspaceState); keys stay bound to the endpoint they were entered for.
  const consents = new EndpointConsents(context.workspaceState);
  const settings = new Settings(undefined, consents);
  const endpointConsent = new EndpointConsentPrompt(settings, consents);
  const log = new LogChannel(settings.current.logLevel, (text) => redactSecrets(text).text);
  const commands = new HostCommands(log);
  const apiKeys = new ApiKeyStore(context.secrets, () => settings.current, () => settings.own);
  const proposed = new ProposedContentProvider();
  const memory = new MemoryAccess(context, settings, apiKeys, log);
  const history = new WorkspaceChatHistory(context, settings, log);
  // Nothing is read or started here: the servers are built on the first run or view opening.
  const mcp = new McpHost(context, log);
  // Checkpoints live in this workspace's storage, never in the workspace or its .git.
  const checkpoints = new CheckpointRestorer(context.storageUri?.fsPath, proposed, log);
  // Terminal commands are read as they start (their output cannot be read afterwards).
  const terminal = new TerminalReader();
  context.subscriptions.push(terminal);
  const runs = (controller = new RunController({
    settings,
    apiKeys,
    logger: log,
    proposed,
    history: () => history.open(),
    state: context.workspaceState,
    checkpoints: () => checkpoints.store(),
    buildTools: hostTools(log, memory, terminal),
    recall: (current) => memory.recallFor(current),
    toolSources: (restricted) => [mcp.toolSource(restricted)],
    endpointConsent,
    settingsNotices: () => workspaceSettingsNotices(settings.ignored, settings.workspaceEndpoint),
  }));
  context.subscriptions.push(consents, settings, log, settings.onDidChange((current) => (log.level = current.logLevel)), proposed, memory, history, mcp, runs);
  context.subscriptions.push(new WalkthroughProgress(runs));
  // A restore joins the chat of the run it restored (its history, its trace, the next request).
  checkpoints.onRestored = (event, runId) => {
    if (runId) runs.recordRestore(event, runId);
  };

  const trace = new TraceContribution(commands, context.extensionUri, runs, log);
  context.subscriptions.push(
    trace,
    new ChatContribution(commands, context.extensionUri, runs, trace.panel, log, settings),
    new CheckpointsContribution(commands, checkpoints),
    new ChangesContribution(commands, runs, checkpoints, proposed, log),
    new ProvidersContribution(commands, settings, apiKeys, endpointConsent),
    new WorkspaceSettingsContribution(settings, log),
    new McpView(mcp, commands, log),
    await MemoryContribution.create(commands, memory, log),
  );
}

/** Stops runs and waits (briefly) for their records to reach the disk. */
export async function deactivate(): Promise<void> {
  await controller?.stopAll();
  controller = undefined;
}
