import { defaultApprovalSettings, type ApprovalSettings } from '../safety/approval';
import { compactHistory, type Compaction } from './compact-history';
import { Conversation } from './conversation';
import { CostTracker } from '../model/cost-tracker';
import { messageOf } from '../format';
import { beforeModelCall, betweenSteps, firstEnding, type Ending } from './stop-rules';
import { streamEvents, type EventChannel } from './event-channel';
import type { AgentEvent, AgentEventBody, RecalledFact, RunLimits } from '../events';
import { LoopDetector } from './loop-detector';
import type { ChatMessage, ToolSpec } from '../model/model';
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
import type { UnreadTextCall } from '../model/text-tool-calls';
import { callChecksFor, TextCallReader } from './text-call-reader';
import { correctionNotice, UnreadCallCorrection } from './unread-call-correction';
import { keptMessageOf, takeModelTurn, type ModelTurn } from './model-turn';
import { TurnCost } from './turn-cost';
import { RunLifecycle } from './run-lifecycle';
import { RunProgress } from './run-progress';
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

/** The tools as the loop runs them and as the model is told of them. */
interface Offer {
  readonly tools: ReadonlyMap<string, AnyTool>;
  readonly specs: readonly ToolSpec[];
}

/** Small-model mode offers fewer tools, each described more briefly (small-model.ts). */
function offerOf(tools: readonly AnyTool[], small: boolean): Offer {
  const offered = small ? smallModelTools(tools) : tools;
  return { tools: new Map(offered.map((t) => [t.name, t])), specs: offered.map(small ? smallModelSpec : toolSpecOf) };
}

class AgentRun {
  readonly #options: RunOptions;
  /** Stop and deadline, events and log, the ending of a throw, the `run-end`. */
  readonly #run: RunLifecycle;
  readonly #conversation: Conversation;
  readonly #small: boolean;
  #offer: Offer;
  readonly #textCalls: TextCallReader;
  /** A call the model wrote but we could not read gets one correction turn (unread-call-correction.ts). */
  readonly #unreadCalls = new UnreadCallCorrection();
  readonly #cost: TurnCost;
  readonly #progress = new RunProgress();
  /** Runs this run's `research` children; absent inside a child (depth 1). */
  readonly #children: ChildRunner | undefined;

  constructor(options: RunOptions) {
    this.#options = options;
    const limits: RunLimits = { ...defaultLimits, ...options.limits };
    this.#run = new RunLifecycle(options.runId, limits, options.logger);
    this.#conversation = options.conversation ?? new Conversation();
    this.#small = isSmallModelMode(options.smallModel, limits.contextTokens);
    this.#offer = offerOf(options.tools, this.#small);
    this.#textCalls = new TextCallReader(options.textToolCalls ?? 'auto', options.task);
    const tracker = new CostTracker(options.price ?? priceOf(options.model.name), limits.maxCostUsd);
    this.#cost = new TurnCost(tracker, limits.contextTokens, (body) => this.#emit(body));
    this.#children =
      options.delegation === false
        ? undefined
        : new ChildRunner({
            parent: options,
            limits,
            cost: tracker,
            deadline: this.#run.deadline,
            settings: { ...defaultDelegation, ...options.delegation },
            emit: (body) => this.#emit(body),
            run: runAgent,
          });
  }

  get events(): EventChannel {
    return this.#run.events;
  }

  cancel(): void {
    this.#run.cancel();
  }

  #emit(body: AgentEventBody): AgentEvent {
    return this.#run.emit(body);
  }

  async execute(): Promise<void> {
    const run = this.#run;
    const limits = run.limits;
    const stopWatching = run.watch(this.#options.signal);
    const extra = await this.#prepareToolSources();
    this.#emit({
      type: 'run-start',
      task: this.#options.task,
      model: this.#options.model.name,
      tools: [...this.#offer.tools.values()].map((t) => ({ name: t.name, risk: t.risk, ...(t.server ? { server: t.server } : {}) })),
      limits,
      ...(this.#options.notices?.length ? { notices: this.#options.notices } : {}),
    });
    for (const message of extra.warnings) this.#emit({ type: 'warning', code: 'mcp', message });
    // A chat restored after VS Code died mid-step may end in calls without results.
    this.#conversation.closeOpenToolCalls('Not run: the earlier run was interrupted before this call finished.');
    const taskIndex = this.#conversation.messages.length;
    this.#conversation.append({ role: 'user', content: this.#options.task });

    let ending: Ending | undefined;
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
        ending = firstEnding(betweenSteps, { limits, steps: run.step, answered, repeating });
        if (ending) break;
        run.step++;
        // Think: the prompt, fitted and priced, then the model's turn.
        const prompt = this.#buildPrompt(system, taskIndex);
        const next = this.#cost.priceNext(prompt, this.#offer.specs);
        ending = firstEnding(beforeModelCall, { limits, spentUsd: this.#cost.totals.costUsd, next });
        if (ending) break;
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
          tools: this.#offer.specs,
          callChecks: callChecksFor(this.#offer.tools, this.#offer.specs),
          textCalls: this.#textCalls,
          signal: run.signal,
          emit: (body) => this.#emit(body),
        });
        this.#cost.record(turn, prompt);
        this.#keepTurn(turn);
        if (turn.unread) {
          this.#askAgain(turn.unread);
          continue;
        }
        this.#unreadCalls.readable();
        answered = turn.calls.length === 0;
        if (answered) continue;
        // Act, then observe: the calls run, their results join the conversation.
        this.#progress.noteCalls(turn.calls);
        repeating = await toolStep.run(turn.calls);
      }
    } catch (error) {
      ending = run.endingFor(error);
    } finally {
      stopWatching();
    }
    // Children stop promptly once aborted; their ends belong in the stream before the parent's.
    await this.#children?.settled();
    this.#conversation.closeOpenToolCalls(`Not run: the run ended (${ending?.reason ?? 'stopped'}) before this call finished.`);
    const final = ending ?? { reason: 'error' as const, detail: 'The run ended without a reason.' };
    run.end(final, this.#progress.answerFor(final, limits), this.#cost.totals);
  }

  /** Adds the tools of `toolSources` (MCP servers); each source bounds its own start. */
  async #prepareToolSources(): Promise<{ warnings: string[] }> {
    const warnings: string[] = [];
    const sources = this.#options.toolSources ?? [];
    if (sources.length === 0) return { warnings };
    const tools = [...this.#options.tools];
    for (const source of sources) {
      try {
        const prepared = await untilAborted(source.prepare({ reservedNames: tools.map((t) => t.name), signal: this.#run.signal }), this.#run.signal);
        tools.push(...prepared.tools.filter((t) => !this.#offer.tools.has(t.name)));
        warnings.push(...prepared.warnings);
      } catch (error) {
        // Cancelled before the first step: the run ends as cancelled at its first check.
        if (!this.#run.signal.aborted) warnings.push(`Extra tools could not be prepared: ${messageOf(error)}`);
      }
    }
    // Small-model mode chooses among all of them, MCP tools included.
    this.#offer = offerOf(tools, this.#small);
    return { warnings };
  }

  /** `hookFolders`: the repositories' configured hook folders, protected like `.git/hooks`. */
  #toolStep(hookFolders: readonly string[]): ToolStep {
    return new ToolStep({
      conversation: this.#conversation,
      tools: this.#offer.tools,
      fs: this.#options.fs,
      log: this.#run.log,
      runId: this.#run.runId,
      signal: this.#run.signal,
      limits: this.#run.limits,
      approvalSettings: this.#approvalSettings(hookFolders),
      approve: this.#options.approve,
      detector: new LoopDetector(this.#run.limits.loopWarnAt, this.#run.limits.loopStopAt),
      emit: (body) => this.#emit(body),
      checkpoints: this.#options.checkpoints,
      step: () => this.#run.step,
      countToolCall: () => this.#cost.tracker.countToolCall(),
      ...(this.#children ? { delegate: this.#children.run.bind(this.#children) } : {}),
    });
  }

  async #recall(): Promise<readonly RecalledFact[]> {
    if (!this.#options.recall) return [];
    try {
      const facts = await untilAborted(this.#options.recall(this.#options.task, this.#run.signal), this.#run.signal);
      if (facts.length > 0) this.#emit({ type: 'memory-recalled', facts });
      return facts;
    } catch (error) {
      if (this.#run.signal.aborted) throw error;
      this.#emit({ type: 'warning', code: 'other', message: `Memory recall failed: ${messageOf(error)}` });
      return [];
    }
  }

  /** The next prompt from the conversation, fitted to the context window (which is said when it bites). */
  #buildPrompt(system: ChatMessage, taskIndex: number): Compaction {
    const limits = this.#run.limits;
    const budgetTokens = limits.contextTokens - REPLY_RESERVE_TOKENS;
    const compact = this.#options.compactHistory ?? compactHistory;
    const prompt = compact({
      system,
      history: this.#conversation.messages,
      tools: this.#offer.specs,
      policy: {
        budgetTokens,
        // A small context window ages sooner: whole results may take half of it at most.
        wholeResultsTokens: Math.min(limits.wholeResultsTokens, Math.floor(budgetTokens / 2)),
        keepFullSteps: limits.keepFullResultSteps,
        agedResultTokens: limits.agedResultTokens,
      },
      taskIndex,
    });
    if (prompt.compactedResults > 0 || prompt.droppedMessages > 0) {
      this.#emit({
        type: 'warning',
        code: 'compaction',
        message:
          `The prompt would exceed the ${limits.contextTokens}-token context window: ` +
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
    // An unread call is never the answer (see unread-call-correction.ts).
    if (turn.unread) return;
    this.#progress.noteText(shownText);
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

  /** One correction turn for a call the model wrote but we could not read; the second in a row ends the run (it throws). */
  #askAgain(unread: UnreadTextCall): void {
    const correction = this.#unreadCalls.correct(unread, this.#offer.specs, this.#options.model.toolsInPrompt === true);
    this.#emit({ type: 'warning', code: 'unread-tool-call', message: correctionNotice(unread) });
    this.#conversation.append({ role: 'user', content: correction });
  }
}
