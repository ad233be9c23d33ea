import { defaultApprovalSettings, type ApprovalSettings } from '../safety/approval';
import { compactHistory, type Compaction } from './compact-history';
import { Conversation } from './conversation';
import { CostTracker } from '../model/cost-tracker';
import { CancelledError, ConfigurationError, ModelRequestError } from '../errors';
import { messageOf } from '../../shared/format';
import { newRunId } from '../ids';
import { beforeModelCall, betweenSteps, endingForAbort, firstEnding, type Ending } from './stop-rules';
import { EventChannel, streamEvents } from './event-channel';
import type { AgentEvent, AgentEventBody, RecalledFact, RunEndReason, RunLimits } from '../events';
import { silentLogger, type Logger } from '../logger';
import { describeEvent } from '../describe-event';
import { LoopDetector } from './loop-detector';
import type { ChatMessage, ToolCallRequest, ToolSpec } from '../model/model';
import { priceOf } from '../model/pricing';
import { defaultLimits, type RunOptions } from './run-options';
import { buildSystemPrompt } from './system-prompt';
import { ToolStep } from './tool-step';
import { ChildRunner, defaultDelegation } from './child-run';
import { untilAborted } from './until-aborted';
import { toolSpecOf } from './tool-specs';
import type { AnyTool } from '../tool';
import { redactSecrets } from '../safety/redact';
import { hooksPathGlobs } from '../workspace/git-hooks-path';
import { TextCallReader } from './text-call-reader';
import { keptMessageOf, takeModelTurn, type ModelTurn } from './model-turn';
import { TurnCost } from './turn-cost';
import { isSmallModelMode, smallModelSpec, smallModelTools } from './small-model';

/**
 * The agent loop: think → act → observe, until the model answers without tool calls or an
 * edge stops it (steps, loop, budget, time, cancel, a failing endpoint). Its only output is the
 * event stream; it never throws for run-time problems, and the stream always ends with exactly
 * one `run-end`.
 *
 * Breaking out of the iteration cancels the run.
 */
export async function* runAgent(options: RunOptions): AsyncGenerator<AgentEvent> {
  return yield* streamEvents(new AgentRun(options));
}

/** Output tokens kept free in the context window for the model's reply. */
const REPLY_RESERVE_TOKENS = 4_096;

class AgentRun {
  readonly runId: string;
  readonly events: EventChannel;
  readonly #options: RunOptions;
  readonly #limits: RunLimits;
  readonly #conversation: Conversation;
  #tools: ReadonlyMap<string, AnyTool>;
  #specs: readonly ToolSpec[];
  readonly #cost: TurnCost;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  readonly #startedAt = Date.now();
  #step = 0;
  #timedOut = false;
  readonly #textCalls: TextCallReader;
  readonly #small: boolean;
  readonly #toolNames: ReadonlySet<string>;
  /** Set by the first stop rule that fires (see stop-rules.ts), or by an abort or a throw. */
  #ending: Ending | undefined;
  #lastText = '';
  readonly #actions: string[] = [];
  /** Runs this run's `research` children; absent inside a child (depth 1). */
  readonly #children: ChildRunner | undefined;

  constructor(options: RunOptions) {
    this.#options = options;
    this.runId = options.runId ?? newRunId();
    this.events = new EventChannel(this.runId);
    this.#limits = { ...defaultLimits, ...options.limits };
    this.#conversation = options.conversation ?? new Conversation();
    this.#small = isSmallModelMode(options.smallModel, this.#limits.contextTokens);
    const offered = this.#small ? smallModelTools(options.tools) : options.tools;
    this.#tools = new Map(offered.map((t) => [t.name, t]));
    this.#specs = offered.map(this.#small ? smallModelSpec : toolSpecOf);
    this.#cost = new TurnCost(new CostTracker(options.price ?? priceOf(options.model.name), this.#limits.maxCostUsd), this.#limits.contextTokens, (body) => this.#emit(body));
    this.#log = options.logger ?? silentLogger;
    this.#textCalls = new TextCallReader(options.textToolCalls ?? 'auto', options.task);
    this.#toolNames = new Set(this.#tools.keys());
    this.#children =
      options.delegation === false
        ? undefined
        : new ChildRunner({
            parent: options,
            limits: this.#limits,
            cost: this.#cost.tracker,
            deadline: this.#startedAt + this.#limits.runTimeoutMs,
            settings: { ...defaultDelegation, ...options.delegation },
            emit: (body) => this.#emit(body),
            run: runAgent,
          });
  }

  cancel(): void {
    this.#abort.abort();
  }

  #emit(body: AgentEventBody): AgentEvent {
    const event = this.events.push(this.#step, body);
    if (this.#log === silentLogger) return event;
    const line = describeEvent(event);
    if (line !== undefined) {
      if (event.type === 'error') this.#log.error(line);
      else if (event.type === 'warning') this.#log.warn(line);
      else this.#log.info(line);
    }
    return event;
  }

  async execute(): Promise<void> {
    const external = this.#options.signal;
    const onExternalAbort = () => this.#abort.abort();
    if (external?.aborted) this.#abort.abort();
    external?.addEventListener('abort', onExternalAbort, { once: true });
    const runTimer = setTimeout(() => {
      this.#timedOut = true;
      this.#abort.abort();
    }, this.#limits.runTimeoutMs);

    const extra = await this.#prepareToolSources();
    this.#emit({
      type: 'run-start',
      task: this.#options.task,
      model: this.#options.model.name,
      tools: [...this.#tools.values()].map((t) => ({ name: t.name, risk: t.risk, ...(t.server ? { server: t.server } : {}) })),
      limits: this.#limits,
    });
    for (const message of extra.warnings) this.#emit({ type: 'warning', code: 'mcp', message });
    // A chat restored after VS Code died mid-step may end in calls without results.
    this.#conversation.closeOpenToolCalls('Not run: the earlier run was interrupted before this call finished.');
    const taskIndex = this.#conversation.messages.length;
    this.#conversation.append({ role: 'user', content: this.#options.task });

    try {
      const facts = await this.#recall();
      const system: ChatMessage = {
        role: 'system',
        content: buildSystemPrompt({ custom: this.#options.systemPrompt, roots: this.#options.fs.roots, facts, small: this.#small }),
      };
      const toolStep = this.#toolStep(await hooksPathGlobs(this.#options.fs).catch(() => []));
      let answered = false;
      let repeating: string | undefined;
      for (;;) {
        this.#ending = firstEnding(betweenSteps, { limits: this.#limits, steps: this.#step, answered, repeating });
        if (this.#ending) break;
        this.#step++;
        const prompt = this.#buildPrompt(system, taskIndex);
        const next = this.#cost.priceNext(prompt, this.#specs);
        this.#ending = firstEnding(beforeModelCall, { limits: this.#limits, spentUsd: this.#cost.totals.costUsd, next });
        if (this.#ending) break;
        this.#emit({
          type: 'model-request',
          messageCount: prompt.messages.length,
          estimatedInputTokens: next.promptTokens,
          estimatedCachedInputTokens: next.cachedTokens,
          estimatedCostUsd: next.costUsd,
        });
        const turn = await takeModelTurn({
          model: this.#options.model,
          messages: prompt.messages,
          tools: this.#specs,
          toolNames: this.#toolNames,
          textCalls: this.#textCalls,
          signal: this.#abort.signal,
          emit: (body) => this.#emit(body),
        });
        this.#cost.record(turn, prompt);
        this.#keepTurn(turn);
        answered = turn.calls.length === 0;
        if (answered) continue;
        this.#actions.push(...turn.calls.map(describeCall));
        repeating = await toolStep.run(turn.calls);
      }
    } catch (error) {
      this.#ending = this.#endingFor(error);
    } finally {
      clearTimeout(runTimer);
      external?.removeEventListener('abort', onExternalAbort);
    }
    // Children stop promptly once aborted; their ends belong in the stream before the parent's.
    await this.#children?.settled();
    this.#conversation.closeOpenToolCalls(`Not run: the run ended (${this.#ending?.reason ?? 'stopped'}) before this call finished.`);
    this.#finish();
  }

  /** Adds the tools of `toolSources` (MCP servers); each source bounds its own start. */
  async #prepareToolSources(): Promise<{ warnings: string[] }> {
    const warnings: string[] = [];
    const sources = this.#options.toolSources ?? [];
    if (sources.length === 0) return { warnings };
    const tools = [...this.#options.tools];
    for (const source of sources) {
      try {
        const prepared = await untilAborted(source.prepare({ reservedNames: tools.map((t) => t.name), signal: this.#abort.signal }), this.#abort.signal);
        tools.push(...prepared.tools.filter((t) => !this.#tools.has(t.name)));
        warnings.push(...prepared.warnings);
      } catch (error) {
        // Cancelled before the first step: the run ends as cancelled at its first check.
        if (!this.#abort.signal.aborted) warnings.push(`Extra tools could not be prepared: ${messageOf(error)}`);
      }
    }
    // Small-model mode chooses among all of them, MCP tools included.
    const offered = this.#small ? smallModelTools(tools) : tools;
    this.#tools = new Map(offered.map((t) => [t.name, t]));
    this.#specs = offered.map(this.#small ? smallModelSpec : toolSpecOf);
    return { warnings };
  }

  /** `hookFolders`: the repositories' configured hook folders, protected like `.git/hooks`. */
  #toolStep(hookFolders: readonly string[]): ToolStep {
    return new ToolStep({
      conversation: this.#conversation,
      tools: this.#tools,
      fs: this.#options.fs,
      log: this.#log,
      runId: this.runId,
      signal: this.#abort.signal,
      limits: this.#limits,
      approvalSettings: this.#approvalSettings(hookFolders),
      approve: this.#options.approve,
      detector: new LoopDetector(this.#limits.loopWarnAt, this.#limits.loopStopAt),
      emit: (body) => this.#emit(body),
      checkpoints: this.#options.checkpoints,
      step: () => this.#step,
      countToolCall: () => this.#cost.tracker.countToolCall(),
      ...(this.#children ? { delegate: this.#children.run.bind(this.#children) } : {}),
    });
  }

  async #recall(): Promise<readonly RecalledFact[]> {
    if (!this.#options.recall) return [];
    try {
      const facts = await untilAborted(this.#options.recall(this.#options.task, this.#abort.signal), this.#abort.signal);
      if (facts.length > 0) this.#emit({ type: 'memory-recalled', facts });
      return facts;
    } catch (error) {
      if (this.#abort.signal.aborted) throw error;
      this.#emit({ type: 'warning', code: 'other', message: `Memory recall failed: ${messageOf(error)}` });
      return [];
    }
  }

  /** The next prompt from the conversation, fitted to the context window (which is said when it bites). */
  #buildPrompt(system: ChatMessage, taskIndex: number): Compaction {
    const budgetTokens = this.#limits.contextTokens - REPLY_RESERVE_TOKENS;
    const compact = this.#options.compactHistory ?? compactHistory;
    const prompt = compact({
      system,
      history: this.#conversation.messages,
      tools: this.#specs,
      policy: {
        budgetTokens,
        // A small context window ages sooner: whole results may take half of it at most.
        wholeResultsTokens: Math.min(this.#limits.wholeResultsTokens, Math.floor(budgetTokens / 2)),
        keepFullSteps: this.#limits.keepFullResultSteps,
        agedResultTokens: this.#limits.agedResultTokens,
      },
      taskIndex,
    });
    if (prompt.compactedResults > 0 || prompt.droppedMessages > 0) {
      this.#emit({
        type: 'warning',
        code: 'compaction',
        message:
          `The prompt would exceed the ${this.#limits.contextTokens}-token context window: ` +
          `${prompt.compactedResults} earlier tool result(s) compacted, ${prompt.droppedMessages} earlier message(s) left out.`,
      });
    }
    return prompt;
  }

  /** Keeps the turn in the conversation and shows it; a turn without calls is the answer. */
  #keepTurn(turn: ModelTurn): void {
    const { text, reasoning, calls, finishReason, durationMs, fromText } = turn;
    const shownText = redactSecrets(text).text;
    this.#emit({
      type: 'assistant-message',
      text: shownText,
      toolCalls: calls.map((c) => ({ callId: c.id, name: c.name, argsJson: redactSecrets(c.argumentsJson).text })),
      finishReason,
      durationMs,
      ...(reasoning ? { reasoning: redactSecrets(reasoning).text } : {}),
      ...(fromText ? { toolCallsFromText: fromText } : {}),
    });
    this.#conversation.append(keptMessageOf(turn));
    if (text.trim().length > 0) this.#lastText = shownText;
    if (calls.length > 0) return;
    if (finishReason === 'length') {
      this.#emit({ type: 'warning', code: 'length', message: 'The answer was cut off at the model\'s output limit.' });
    }
    this.#emit({ type: 'final-answer', text: shownText });
  }

  #approvalSettings(hookFolders: readonly string[]): ApprovalSettings {
    const given = this.#options.approvalSettings ?? {};
    return {
      ...defaultApprovalSettings,
      ...given,
      protectedPaths: [...(given.protectedPaths ?? []), ...hookFolders],
      autoApprove: { ...defaultApprovalSettings.autoApprove, ...given.autoApprove },
    };
  }

  #endingFor(error: unknown): Ending {
    if (this.#abort.signal.aborted || error instanceof CancelledError) return endingForAbort(this.#timedOut, this.#limits);
    const message = messageOf(error);
    if (error instanceof ModelRequestError) {
      this.#emit({ type: 'error', message, code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) });
    } else {
      this.#emit({ type: 'error', message, code: error instanceof ConfigurationError ? 'configuration' : 'internal' });
      this.#log.error(error instanceof Error && error.stack ? error.stack : message);
    }
    return { reason: 'error', detail: message };
  }

  #finish(): void {
    const ending = this.#ending ?? { reason: 'error' as const, detail: 'The run ended without a reason.' };
    const totals = this.#cost.totals;
    this.#emit({
      type: 'run-end',
      reason: ending.reason,
      answer: ending.reason === 'answered' ? this.#lastText : this.#stoppedMessage(ending.reason, ending.detail),
      durationMs: Date.now() - this.#startedAt,
      steps: this.#step,
      totals,
    });
    this.events.close();
  }

  /** For a run cut short: why it stopped and what it had done, never a bare error. */
  #stoppedMessage(reason: RunEndReason, detail?: string): string {
    const why: Record<Exclude<RunEndReason, 'answered'>, string> = {
      'max-steps': `Stopped: reached the limit of ${this.#limits.maxSteps} steps before finishing.`,
      loop: `Stopped: the agent was repeating itself (${detail ?? 'a loop'}).`,
      budget: `Stopped before overspending. ${detail ?? ''}`.trim(),
      timeout: `Stopped: ${detail ?? 'the run took too long.'}`,
      cancelled: 'Cancelled.',
      error: `The run failed: ${detail ?? 'unknown error'}`,
    };
    const lines = [why[reason as Exclude<RunEndReason, 'answered'>]];
    if (this.#actions.length > 0) {
      const shown = this.#actions.slice(-10);
      const more = this.#actions.length - shown.length;
      lines.push(`Done so far (${this.#actions.length} tool call${this.#actions.length === 1 ? '' : 's'}):`);
      if (more > 0) lines.push(`- … ${more} earlier call(s)`);
      lines.push(...shown.map((a) => `- ${a}`));
    } else {
      lines.push('No tool calls were made.');
    }
    if (this.#lastText) lines.push('', 'Last message from the model:', this.#lastText);
    return lines.join('\n');
  }
}

function describeCall(call: ToolCallRequest): string {
  const args = redactSecrets(call.argumentsJson).text;
  return `${call.name}(${args.length > 120 ? `${args.slice(0, 117)}…` : args})`;
}
