import * as vscode from 'vscode';
import { Conversation } from '../../agent/loop/conversation';
import { messageOf } from '../../agent/format';
import type { AgentEvent, EventOf } from '../../agent/events';
import { restoreNote } from '../../agent/checkpoints/restore-note';
import type { ChatHistory, KeyValueStore } from '../../agent/history/chat-history';
import { ChatRecorder, recordRun } from '../../agent/history/chat-recorder';
import { newRunId } from '../../agent/ids';
import { discoverLocalServers, type LocalServer } from '../../agent/model/local-discovery';
import { buildRun } from '../../agent/run/build-run';
import { startRun } from '../../agent/run/start-run';
import type { ChatNotice, ChatState } from '../../shared/protocol';
import { Disposable } from '../common/disposable';
import type { Settings } from '../settings/settings';
import { budgetNotice, noticeForFailure, showNotice, type Notice } from '../providers/endpoint-problem-notice';
import { endpointOrigin, keyMisdirection, needsKey, shortProviderLabel } from '../providers/provider-connection';
import { effectiveProvider } from '../settings/settings-endpoint';
import type { GlassboxSettings } from '../settings/settings-values';
import { ChatAgents } from './chat-agents';
import { ChatSession, titleFromQuestion } from './chat-session';
import { ChatSetupOffers } from './chat-setup';
import { hostRunSettings } from './host-run-settings';
import { PlanDecisions } from './plan-decisions';
import { RunPreparation, type RunPreparationDeps } from './prepare-run';

export interface RunControllerDeps extends RunPreparationDeps {
  readonly settings: Settings;
  /** Opened on first use: constructing it reads the index, which activation must not do. */
  readonly history: () => ChatHistory;
  /** Where the id of the open chat is kept across reloads (workspaceState). */
  readonly state: KeyValueStore;
  /** Local model servers, for the "could not reach" notice (default: probe settings.discoveryPorts on 127.0.0.1). */
  readonly discover?: (settings: GlassboxSettings) => Promise<readonly LocalServer[]>;
  /** Shows a notice with its buttons (default: an error message; tests record it). */
  readonly notify?: (notice: Notice) => Promise<void>;
  /** Issue 19: asks about an endpoint the workspace names before a run sends anything anywhere. */
  readonly endpointConsent?: { beforeRun(): Promise<void> };
  /** Issue 19: what the chat says about workspace settings that were not used. */
  readonly settingsNotices?: () => readonly ChatNotice[];
}

export interface RunEventNotice {
  readonly chatId: string;
  readonly runId: string;
  readonly event: AgentEvent;
}

interface ActiveRun {
  readonly runId: string;
  readonly abort: AbortController;
  /** Resolves once the run has ended and its record has reached the disk. */
  readonly done: Promise<void>;
  /**
   * Set at the run's `run-end`: the run is over for the person (Stop goes away, the chat takes
   * a new question) while its record may still be on its way to the disk.
   */
  ended: boolean;
}

const CURRENT_CHAT_KEY = 'glassbox.currentChat';
/** Stop must end a run within a second; past this the view is told it ended anyway. */
const STOP_GRACE_MS = 1000;

export const RESTRICTED_REASON =
  'This workspace is in Restricted Mode: Glassbox can only read files, and ignores the repository\'s instructions files (AGENTS.md and the like). ' +
  'Trust the workspace to let it change files, run commands, use the network and follow those instructions.';

/**
 * The chats (the open one, and those with a run going) and each run's lifecycle: start, events,
 * stop, end. What a run is made of comes from RunPreparation and the settings, put together by
 * buildRun, the CLI's builder too. One run at a time per chat (a second
 * question waits for Stop or the answer); a run keeps going, and is recorded, if the person
 * switches to another chat meanwhile. Every event goes to the chat history (redacted there),
 * the log channel (through the loop's logger, redacted there) and whoever listens: the chat
 * view and the trace panel.
 */
export class RunController extends Disposable {
  #current: ChatSession | undefined;
  #restoring: Promise<ChatSession | undefined> | undefined;
  readonly #sessions = new Map<string, ChatSession>();
  readonly #runs = new Map<string, ActiveRun>();
  /** Chats (by id; '' for one not created yet) whose run is being set up. */
  readonly #starting = new Set<string>();
  /** Plans waiting for the person's Approve / Reject in the chat. */
  readonly plans = new PlanDecisions();
  /** The chat's "Plan first" toggle; starts from the setting. */
  #planFirst: boolean | undefined;
  /** Notices the person closed in this session (by id: the same text stays closed). */
  readonly #dismissedNotices = new Set<string>();

  readonly #onDidEvent = this.register(new vscode.EventEmitter<RunEventNotice>());
  /** Every event of every run, as it happens. */
  readonly onDidEvent = this.#onDidEvent.event;
  readonly #onDidChangeChat = this.register(new vscode.EventEmitter<void>());
  /** The open chat, its title, the chat list, running state or trust changed: views re-send state. */
  readonly onDidChangeChat = this.#onDidChangeChat.event;

  readonly #preparation: RunPreparation;
  /** Before any model is ready: the local servers the chat offers in one click. */
  readonly setup: ChatSetupOffers;
  /** The latest problem a run met, shown in the chat until a later action resolves it. */
  #problem: Notice | undefined;
  /**
   * Set by the chat view: while it is visible, problems show in it (where they can be taken
   * back), not as a notification that would stay up after the fix.
   */
  chatVisible = false;
  readonly #agents: ChatAgents;

  constructor(private readonly deps: RunControllerDeps) {
    super();
    this.#preparation = new RunPreparation(deps, (notice) => this.#notify(notice));
    this.setup = new ChatSetupOffers(() => this.#localServers(deps.settings.current), () => this.#onDidChangeChat.fire());
    this.#agents = new ChatAgents(deps.logger);
    // Trust granted mid-session: the next run gets every tool, no reload needed.
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.#onDidChangeChat.fire()));
    // A new provider, model or key is the action that resolves the notice shown before it.
    this.register(deps.settings.onDidChange(() => this.#resolved()));
    this.register(deps.apiKeys.onDidChange(() => this.#resolved()));
  }

  get problem(): Notice | undefined {
    return this.#problem;
  }

  dismissProblem(): void {
    this.#problem = undefined;
    this.#onDidChangeChat.fire();
  }

  #resolved(): void {
    this.#problem = undefined;
    this.setup.asked = false;
    this.#onDidChangeChat.fire();
  }

  /** Whether a run can start as configured: a key where the provider needs one. */
  async #configured(settings: GlassboxSettings): Promise<boolean> {
    return !needsKey(settings) || (await this.deps.apiKeys.get(effectiveProvider(settings), endpointOrigin(settings))) !== undefined;
  }

  get current(): ChatSession | undefined {
    return this.#current;
  }

  /** The chat open before a reload, loaded from history the first time a view needs it. */
  restore(): Promise<ChatSession | undefined> {
    if (this.#current) return Promise.resolve(this.#current);
    this.#restoring ??= (async () => {
      const id = this.deps.state.get<string>(CURRENT_CHAT_KEY);
      if (!id || !this.deps.history().get(id)) return undefined;
      try {
        return await this.#open(id);
      } catch (error) {
        this.deps.logger.warn(`Could not reopen the last chat: ${messageOf(error)}`);
        return undefined;
      }
    })();
    return this.#restoring;
  }

  isRunning(chatId: string | undefined = this.#current?.chatId): boolean {
    return this.runningRunId(chatId) !== undefined;
  }

  runningRunId(chatId: string | undefined = this.#current?.chatId): string | undefined {
    const run = chatId === undefined ? undefined : this.#runs.get(chatId);
    return run && !run.ended ? run.runId : undefined;
  }

  async chatState(): Promise<ChatState> {
    const session = await this.restore();
    const settings = this.deps.settings.current;
    const restricted = !vscode.workspace.isTrusted;
    const configured = await this.#configured(settings);
    return {
      chatId: session?.chatId ?? '',
      title: session?.title ?? 'New chat',
      model: settings.model,
      provider: shortProviderLabel(effectiveProvider(settings)),
      turns: session?.turns ?? [],
      runningRunId: this.runningRunId(session?.chatId),
      totals: session?.totals() ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      pastChats: this.#historyList(),
      allowances: session?.conversation.allowances ?? [],
      restricted,
      restrictedReason: restricted ? RESTRICTED_REASON : undefined,
      configured,
      planFirst: this.planFirst,
      notices: (this.deps.settingsNotices?.() ?? []).filter((notice) => !this.#dismissedNotices.has(notice.id)),
      setup: configured ? undefined : this.setup.state(),
      problem: this.#problem ? { message: this.#problem.message, actions: this.#problem.actions.map(({ label }) => ({ label })) } : undefined,
      ...(await this.#agentsState()),
    };
  }

  /** The current chat's runs, oldest first: the Changes review reads what they changed. */
  async currentRunIds(): Promise<readonly string[]> {
    return (await this.restore())?.turns.map((turn) => turn.runId) ?? [];
  }

  /**
   * The person undid changes from the Changes review: noted in the current chat, after its last
   * run's events, kept in its record and shown like the run's own, so the trace says why a file
   * is no longer as the run left it.
   */
  async noteUndo(undo: Pick<EventOf<'changes-undone'>, 'paths' | 'hunks' | 'scope'>): Promise<void> {
    const session = await this.restore();
    const turn = session?.turns.at(-1);
    if (!session || !turn) return;
    const last = turn.events.at(-1);
    const event: AgentEvent = { type: 'changes-undone', ...undo, runId: turn.runId, seq: (last?.seq ?? 0) + 1, step: last?.step ?? 0, time: Date.now() };
    session.addEvent(event);
    this.deps.history().append(session.chatId, { kind: 'event', event });
    this.#onDidEvent.fire({ chatId: session.chatId, runId: turn.runId, event });
  }

  /** The person closed a notice: it is not shown again in this session. */
  dismissNotice(id: string): void {
    this.#dismissedNotices.add(id);
    this.#onDidChangeChat.fire();
  }

  get planFirst(): boolean {
    return this.#planFirst ?? this.deps.settings.current.planFirst;
  }

  setPlanFirst(on: boolean): void {
    this.#planFirst = on;
    this.#onDidChangeChat.fire();
  }

  /** The agent picker: `plan` is Plan first, `default` Glassbox's own, else a custom agent. */
  setAgent(name: string): void {
    this.#agents.select(name === 'default' || name === 'plan' ? undefined : name);
    this.#planFirst = name === 'plan';
    this.#onDidChangeChat.fire();
  }

  async #agentsState(): Promise<Pick<ChatState, 'agents' | 'agent' | 'prompts'>> {
    const { agents, prompts } = await this.#agents.offered();
    const agent = this.#agents.selected;
    return { agents, prompts, ...(agent !== undefined ? { agent } : {}) };
  }

  /**
   * Starts a run in the open chat (creating the chat on the first question). Returns the
   * run's id, or undefined when it could not start (the person was told why).
   * @param task what the model gets; `question` is what the person typed (shown as the turn).
   */
  async ask(question: string, task: string = question): Promise<string | undefined> {
    const restored = await this.restore();
    const key = restored?.chatId ?? '';
    if ((restored && this.isRunning(restored.chatId)) || this.#starting.has(key)) {
      void vscode.window.showInformationMessage('Glassbox is still answering in this chat. Stop it, or start a New Chat.');
      return undefined;
    }
    // Starting takes a few awaits (key, tools); a second question meanwhile must not start too.
    this.#starting.add(key);
    try {
      return await this.#start(restored, question, task);
    } finally {
      this.#starting.delete(key);
    }
  }

  async #start(restored: ChatSession | undefined, question: string, task: string): Promise<string | undefined> {
    // Issue 19: a workspace's own endpoint gets nothing until the person has answered (endpoint-consent.ts).
    await this.deps.endpointConsent?.beforeRun();
    const current = this.deps.settings.current;
    // Nothing chosen yet: the chat offers the servers running here (and the key), rather than
    // asking for the default provider's key first. A misdirected key is keyForRun's to explain.
    if (!keyMisdirection(current) && !(await this.#configured(current))) {
      this.setup.asked = true;
      // The chat shows the set-up (whoever asked reveals it): no notification to go stale.
      this.#onDidChangeChat.fire();
      return undefined;
    }
    // A `/name` prompt file and the picked custom agent (whose `model` replaces the setting's).
    const choice = await this.#agents.choose(task);
    if (!choice) return undefined;
    const settings = choice.model ? { ...current, model: choice.model } : current;
    const prepared = await this.#preparation.prepare(settings);
    if (!prepared) return undefined;
    // The chat is created only now, so a question that could not start leaves no empty chat.
    const session = restored ?? (await this.#create(question));
    const runId = newRunId();
    const abort = new AbortController();
    // Restores since the last answer: the model must know its changes were put back.
    const note = restoreNote(session.restoresSinceLastRun());
    const request = buildRun(hostRunSettings(settings, prepared.contextTokens, this.planFirst || choice.planFirst), {
      ...prepared.parts,
      task: note ? `${note}\n\n${choice.task}` : choice.task,
      ...(choice.agent ? { agent: choice.agent } : {}),
      conversation: session.conversation,
      logger: this.deps.logger,
      signal: abort.signal,
      runId,
      decidePlan: (proposal, signal) => this.plans.wait(proposal, signal),
    });
    session.startTurn(runId, question);
    const recorder = new ChatRecorder(this.deps.history(), session.chatId, session.conversation);
    const done = this.#consume(session, runId, recordRun(startRun(request), recorder), settings);
    this.#runs.set(session.chatId, { runId, abort, done, ended: false });
    this.#updateRunningContext();
    this.#onDidChangeChat.fire();
    return runId;
  }

  /** Stops the open chat's run; resolves once it has ended (within about a second). */
  async stop(chatId: string | undefined = this.#current?.chatId): Promise<void> {
    const run = chatId === undefined ? undefined : this.#runs.get(chatId);
    if (!run) return;
    run.abort.abort();
    await Promise.race([run.done, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS))]);
  }

  /** Closes the open chat; the next question starts a new one. A running run goes on. */
  newChat(): void {
    this.#current = undefined;
    this.#restoring = Promise.resolve(undefined);
    void this.deps.state.update(CURRENT_CHAT_KEY, undefined);
    this.#updateRunningContext();
    this.#onDidChangeChat.fire();
  }

  async openChat(chatId: string): Promise<void> {
    if (this.#current?.chatId === chatId) return;
    if (!this.deps.history().get(chatId)) {
      void vscode.window.showWarningMessage('Glassbox: that chat no longer exists.');
      this.#onDidChangeChat.fire();
      return;
    }
    await this.#open(chatId);
    this.#onDidChangeChat.fire();
  }

  async renameChat(chatId: string, title: string): Promise<void> {
    await this.deps.history().rename(chatId, title);
    const session = this.#sessions.get(chatId);
    if (session) session.title = this.deps.history().get(chatId)?.title ?? title;
    this.#onDidChangeChat.fire();
  }

  async deleteChat(chatId: string): Promise<void> {
    await this.stop(chatId);
    await this.deps.history().delete(chatId);
    this.#sessions.delete(chatId);
    if (this.#current?.chatId === chatId) this.newChat();
    else this.#onDidChangeChat.fire();
  }

  async clearHistory(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((chatId) => this.stop(chatId)));
    await this.deps.history().clear();
    this.#sessions.clear();
    this.newChat();
  }

  /**
   * A restore made from the chat or the trace: it joins the chat of the run whose checkpoint it
   * restored (`runId`, when the checkpoint names none: an undo of a restore), continuing that
   * run's events, so the chat, the trace, the history and the next model request all know.
   * Returns the event as recorded, or undefined when no open chat holds that run.
   */
  recordRestore(event: EventOf<'checkpoint-restored'>, runId: string = event.runId): EventOf<'checkpoint-restored'> | undefined {
    const session = [...this.#sessions.values()].find((candidate) => candidate.hasRun(runId));
    if (!session) return undefined;
    const recorded: EventOf<'checkpoint-restored'> = { ...event, runId, seq: session.lastSeqOf(runId) + 1 };
    session.addEvent(recorded);
    this.deps.history().append(session.chatId, { kind: 'event', event: recorded });
    void this.deps.history().flush().catch(() => undefined);
    this.#onDidEvent.fire({ chatId: session.chatId, runId, event: recorded });
    this.#onDidChangeChat.fire();
    return recorded;
  }

  revokeAllowance(tool: string, pattern: string): void {
    if (this.#current?.conversation.revoke(tool, pattern)) this.#onDidChangeChat.fire();
  }

  /** Stops every run and waits for their records to reach the disk. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#runs.keys()].map((chatId) => this.stop(chatId)));
    await this.deps.history().flush().catch(() => undefined);
  }

  override dispose(): void {
    for (const run of this.#runs.values()) run.abort.abort();
    super.dispose();
  }

  async #create(question: string): Promise<ChatSession> {
    const summary = await this.deps.history().create(titleFromQuestion(question));
    const session = new ChatSession(summary.id, summary.title, new Conversation(summary.id));
    this.#setCurrent(session);
    return session;
  }

  async #open(chatId: string): Promise<ChatSession> {
    let session = this.#sessions.get(chatId);
    if (!session) {
      const loaded = await this.deps.history().load(chatId);
      session = new ChatSession(chatId, loaded.summary.title, new Conversation(chatId, loaded.messages), loaded.events);
      // Runs of this chat are not running in this process (those stay in #sessions), so a run
      // without an end was cut off by a crash.
      const interrupted = session.endInterruptedRuns();
      if (interrupted > 0) this.deps.logger.info(`Chat "${loaded.summary.title}": ${interrupted} run(s) had been interrupted before they ended.`);
      for (const warning of loaded.warnings) this.deps.logger.warn(`Chat "${loaded.summary.title}": ${warning}`);
      if (loaded.warnings.length > 0) {
        void vscode.window.showWarningMessage(`Glassbox: the chat "${loaded.summary.title}" was restored with problems: ${loaded.warnings.join(' ')}`);
      }
    }
    this.#setCurrent(session);
    return session;
  }

  #setCurrent(session: ChatSession): void {
    this.#current = session;
    this.#restoring = Promise.resolve(session);
    this.#sessions.set(session.chatId, session);
    // Only the open chat and chats still running stay in memory.
    for (const id of this.#sessions.keys()) if (id !== session.chatId && !this.#runs.has(id)) this.#sessions.delete(id);
    void this.deps.state.update(CURRENT_CHAT_KEY, session.chatId);
    this.#updateRunningContext();
  }

  async #consume(session: ChatSession, runId: string, events: AsyncIterable<AgentEvent>, settings: GlassboxSettings): Promise<void> {
    let failure: Extract<AgentEvent, { type: 'error' }> | undefined;
    let overBudget: string | undefined;
    try {
      for await (const event of events) {
        session.addEvent(event);
        if (event.type === 'error') failure = event;
        if (event.type === 'run-end' && event.reason === 'budget') overBudget = event.answer;
        // The run is over at its run-end, not once the history has flushed its record after it
        // (a slow disk would keep Stop showing after "Stopped by you").
        if (event.type === 'run-end') this.#markEnded(session.chatId, runId);
        // An answer means the endpoint works now: an earlier problem's notice is stale.
        if (event.type === 'run-end' && event.reason === 'answered' && this.#problem) this.dismissProblem();
        this.#onDidEvent.fire({ chatId: session.chatId, runId, event });
      }
    } catch (error) {
      // runAgent turns run-time problems into events; reaching here is a bug worth a log line.
      this.deps.logger.error(`Run ${runId} failed unexpectedly: ${error instanceof Error && error.stack ? error.stack : messageOf(error)}`);
    } finally {
      this.#markEnded(session.chatId, runId);
      // A newer run may have started in this chat while this one's record was being written.
      if (this.#runs.get(session.chatId)?.runId === runId) this.#runs.delete(session.chatId);
      if (this.#current?.chatId !== session.chatId && !this.#runs.has(session.chatId)) this.#sessions.delete(session.chatId);
    }
    const notice = failure
      ? await noticeForFailure(failure, settings, () => this.#localServers(settings))
      : overBudget !== undefined
        ? budgetNotice(overBudget, settings)
        : undefined;
    if (notice) void this.#notify(notice);
  }

  /** A newer notice replaces the one shown; a notification only when the chat cannot show it. */
  #notify(notice: Notice): Promise<void> {
    this.#problem = notice;
    this.#onDidChangeChat.fire();
    if (this.chatVisible && !this.deps.notify) return Promise.resolve();
    return (this.deps.notify ?? showNotice)(notice);
  }

  #localServers(settings: GlassboxSettings): Promise<readonly LocalServer[]> {
    if (this.deps.discover) return this.deps.discover(settings);
    return discoverLocalServers({ ports: settings.discoveryPorts }).catch(() => []);
  }

  #markEnded(chatId: string, runId: string): void {
    const run = this.#runs.get(chatId);
    if (!run || run.runId !== runId || run.ended) return;
    run.ended = true;
    this.#updateRunningContext();
    this.#onDidChangeChat.fire();
  }

  #historyList() {
    try {
      return this.deps.history().list();
    } catch (error) {
      this.deps.logger.warn(`Could not list past chats: ${messageOf(error)}`);
      return [];
    }
  }

  #updateRunningContext(): void {
    void vscode.commands.executeCommand('setContext', 'glassbox.running', this.isRunning());
  }
}
