import { defaultApprovalSettings, type ApprovalSettings } from '../safety/approval';
import { compactHistory, type Compaction } from './compact-history';
import { Conversation } from './conversation';
import { CostTracker } from '../model/cost-tracker';
import { CancelledError, ConfigurationError, ModelRequestError } from '../errors';
import { assertNever, messageOf } from '../../shared/format';
import { newRunId } from '../ids';
import { beforeModelCall, betweenSteps, endingForAbort, firstEnding, type CallState, type Ending } from './stop-rules';
import { EventChannel, streamEvents } from './event-channel';
import type { AgentEvent, AgentEventBody, RecalledFact, RunEndReason, RunLimits } from '../events';
import { silentLogger, type Logger } from '../logger';
import { describeEvent } from '../describe-event';
import { LoopDetector } from './loop-detector';
import type { ChatMessage, FinishReason, ToolCallRequest, ToolSpec } from '../model/model';
import { priceOf } from '../model/pricing';
import { sharedPrefix } from './prompt-prefix';
import { defaultLimits, type RunOptions } from './run-options';
import { buildSystemPrompt } from './system-prompt';
import { countTextTokens } from '../model/token-estimate';
import { ToolStep } from './tool-step';
import { ChildRunner, defaultDelegation } from './child-run';
import { untilAborted } from './until-aborted';
import { toolSpecOf } from './tool-specs';
import type { AnyTool } from '../tool';
import { redactSecrets } from '../safety/redact';
import { StreamRedactor } from '../safety/stream-redactor';
import { hooksPathGlobs } from '../workspace/git-hooks-path';
import { newCallId } from '../model/call-id';
import type { TextCallFormat } from '../model/text-tool-calls';
import { HeldText, TextCallReader } from './text-call-reader';
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

/** A reply's text beyond this is not read (about 50k tokens; no real answer is that long). */
export const MAX_REPLY_CHARS = 200_000;
/** Longer tool-call arguments are kept in history as a note (the call itself gets them whole). */
export const MAX_KEPT_ARGUMENT_CHARS = 32_000;

function argumentsNote(call: ToolCallRequest): string {
  return JSON.stringify({
    note: `The ${call.argumentsJson.length}-character arguments of this ${call.name} call are not kept in the conversation; the call got them whole.`,
  });
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
  readonly #cost: CostTracker;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  readonly #startedAt = Date.now();
  #step = 0;
  #timedOut = false;
  #warnedEstimatedUsage = false;
  #warnedTruncation = false;
  readonly #textCalls: TextCallReader;
  readonly #small: boolean;
  readonly #toolNames: ReadonlySet<string>;
  /** Set by the first stop rule that fires (see stop-rules.ts), or by an abort or a throw. */
  #ending: Ending | undefined;
  #lastText = '';
  /** The messages of the previous model call, to tell how much of the next one repeats them. */
  #previousPrompt: readonly ChatMessage[] | undefined;
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
    this.#cost = new CostTracker(options.price ?? priceOf(options.model.name), this.#limits.maxCostUsd);
    this.#log = options.logger ?? silentLogger;
    this.#textCalls = new TextCallReader(options.textToolCalls ?? 'auto', options.task);
    this.#toolNames = new Set(this.#tools.keys());
    this.#children =
      options.delegation === false
        ? undefined
        : new ChildRunner({
            parent: options,
            limits: this.#limits,
            cost: this.#cost,
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
      ...(this.#options.notices?.length ? { notices: this.#options.notices } : {}),
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
        const next = this.#priceNextCall(prompt);
        this.#ending = firstEnding(beforeModelCall, { limits: this.#limits, spentUsd: this.#cost.totals.costUsd, next });
        if (this.#ending) break;
        this.#emit({
          type: 'model-request',
          messageCount: prompt.messages.length,
          estimatedInputTokens: next.promptTokens,
          estimatedCachedInputTokens: next.cachedTokens,
          estimatedCostUsd: next.costUsd,
        });
        this.#previousPrompt = prompt.messages;
        const turn = await this.#callModel(prompt);
        this.#recordTurn(turn, prompt);
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
      countToolCall: () => this.#cost.countToolCall(),
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

  /**
   * Prompt tokens for the budget and the trace: once the endpoint has reported usage, the
   * prompt's length scaled by it; before that, a cost cap on a priced model asks the tokenizer.
   */
  #priceNextCall(prompt: Compaction): CallState['next'] {
    const promptTokens = this.#cost.isCalibrated
      ? this.#cost.calibratedInput(prompt.approximateTokens)
      : this.#cost.hasBudget
        ? prompt.exactTokens()
        : (prompt.estimatedTokens ?? prompt.approximateTokens);
    const cachedTokens = this.#expectedCachedTokens(prompt.messages, promptTokens);
    const costUsd = this.#cost.hasBudget ? this.#cost.estimateNextCall(promptTokens, cachedTokens) : 0;
    return { promptTokens, cachedTokens, costUsd };
  }

  /**
   * Streams one model turn, showing its text and reasoning as they come; a retry starts the turn
   * afresh. Calls the model wrote as text are read here (text-call-reader.ts), their syntax held
   * back from the live view, so they go on exactly like native calls.
   */
  async #callModel(prompt: Compaction): Promise<ModelTurn> {
    const started = performance.now();
    const model = this.#options.model;
    let text = '';
    let reasoning = '';
    // Shown as it streams, but never a secret: text (after the held-back call syntax) and reasoning
    // are each released once a line is complete or plainly holds none.
    const streamed = new StreamRedactor();
    const streamedReasoning = new StreamRedactor();
    let calls: ToolCallRequest[] = [];
    let usage: ModelTurn['usage'];
    let finishReason: FinishReason = 'stop';
    let messageFields: Readonly<Record<string, unknown>> | undefined;
    let replyCut = false;
    let mode = this.#textCalls.modeFor(model.toolsInPrompt === true && this.#specs.length > 0);
    let held = new HeldText(mode);
    for await (const chunk of model.stream({ messages: prompt.messages, tools: this.#specs }, this.#abort.signal)) {
      switch (chunk.type) {
        case 'text': {
          // A reply longer than MAX_REPLY_CHARS is garbage or an attack: the rest is not read.
          const piece = chunk.text.slice(0, MAX_REPLY_CHARS - text.length);
          text += piece;
          const shown = streamed.push(held.push(piece));
          if (shown.length > 0) this.#emit({ type: 'text-delta', text: shown });
          if (piece.length < chunk.text.length) {
            this.#emit({ type: 'warning', code: 'length', message: `The reply was cut at ${MAX_REPLY_CHARS} characters; the rest was not read.` });
            finishReason = 'length';
            replyCut = true;
          }
          break;
        }
        case 'reasoning': {
          const piece = chunk.text.slice(0, Math.max(0, MAX_REPLY_CHARS - reasoning.length));
          reasoning += piece;
          const shown = streamedReasoning.push(piece);
          if (shown.length > 0) this.#emit({ type: 'reasoning-delta', text: shown });
          if (piece.length < chunk.text.length) {
            this.#emit({ type: 'warning', code: 'length', message: `The reasoning was cut at ${MAX_REPLY_CHARS} characters; the rest was not read.` });
            replyCut = true;
          }
          break;
        }
        case 'tool-call':
          calls.push({
            id: chunk.callId,
            name: chunk.name,
            argumentsJson: chunk.argsJson,
            ...(chunk.providerFields ? { providerFields: chunk.providerFields } : {}),
          });
          break;
        case 'usage':
          usage = { inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens, cachedInputTokens: chunk.cachedInputTokens };
          break;
        case 'notice':
          this.#emit({ type: 'warning', code: 'endpoint', message: chunk.message });
          // The endpoint may just have switched to tools in the prompt: read this reply that way.
          mode = this.#textCalls.modeFor(model.toolsInPrompt === true && this.#specs.length > 0);
          held = new HeldText(mode);
          break;
        case 'retry':
          // Whatever this attempt streamed is void: the retry starts the message afresh.
          if (text.length > 0 || reasoning.length > 0) this.#emit({ type: 'text-reset', reason: chunk.reason });
          streamed.reset();
          streamedReasoning.reset();
          text = '';
          reasoning = '';
          calls = [];
          usage = undefined;
          held = new HeldText(mode);
          this.#emit({
            type: 'warning',
            code: 'retry',
            message: `Model call failed (${chunk.reason}); retrying in ${Math.round(chunk.delayMs)} ms (attempt ${chunk.attempt}).`,
          });
          break;
        case 'finish':
          finishReason = chunk.reason;
          messageFields = chunk.messageFields;
          break;
        default:
          assertNever(chunk);
      }
      if (replyCut) break; // stops the stream: the model's request is aborted
    }
    if (this.#abort.signal.aborted) throw new CancelledError();
    let fromText: TextCallFormat | undefined;
    if (calls.length === 0) {
      const parsed = this.#textCalls.parse(text, this.#toolNames, mode);
      if (parsed) {
        fromText = parsed.format;
        calls = parsed.calls.map((call) => ({ id: newCallId(), name: call.name, argumentsJson: call.argumentsJson }));
        text = parsed.prose;
        finishReason = 'tool-calls';
      }
    }
    // Text held back as a possible call is shown only when it was not one; what the redactor
    // still holds (the last, unfinished line) goes out in any case.
    const rest = (fromText ? '' : streamed.push(held.release())) + streamed.flush();
    if (rest.length > 0) this.#emit({ type: 'text-delta', text: rest });
    const restReasoning = streamedReasoning.flush();
    if (restReasoning.length > 0) this.#emit({ type: 'reasoning-delta', text: restReasoning });
    return { text, reasoning, calls, usage, finishReason, messageFields, fromText, durationMs: performance.now() - started };
  }

  /**
   * Ollama's default context (2k–8k tokens) silently cuts the start of a longer prompt, system
   * prompt included: the endpoint then reports far fewer prompt tokens than were sent.
   */
  #checkTruncation(reportedTokens: number, prompt: Compaction): boolean {
    const sent = prompt.approximateTokens;
    if (sent < 1_000 || reportedTokens >= sent * 0.5) return false;
    if (!this.#warnedTruncation) {
      this.#warnedTruncation = true;
      this.#emit({
        type: 'warning',
        code: 'truncated-prompt',
        message:
          `The endpoint counted ${reportedTokens} prompt tokens, but about ${sent} were sent: it is cutting the prompt to fit a ` +
          'smaller context window, so the model loses the start of it (its instructions included). Fix: raise the server\'s ' +
          'context size (Ollama: num_ctx or OLLAMA_CONTEXT_LENGTH; llama-server: -c; LM Studio: the model\'s context length), ' +
          `or set the context window setting (glassbox.contextWindow, --context-tokens) to what the server really has (${this.#limits.contextTokens} now).`,
      });
    }
    return true;
  }

  /** Counts the turn's tokens and cost, shows it, and keeps it in the conversation. */
  #recordTurn(turn: ModelTurn, prompt: Compaction): void {
    const { text, reasoning, calls, usage, finishReason, durationMs, messageFields, fromText } = turn;
    const estimated = usage === undefined;
    const inputTokens = usage?.inputTokens ?? prompt.exactTokens();
    const outputTokens = usage?.outputTokens ?? countTextTokens(text + calls.map((c) => c.name + c.argumentsJson).join(''));
    if (estimated && !this.#warnedEstimatedUsage) {
      this.#warnedEstimatedUsage = true;
      this.#emit({
        type: 'warning',
        code: 'estimated-usage',
        message: 'The endpoint reported no token usage; tokens and cost are estimated with a tokenizer.',
      });
    }
    // A cut prompt's count would make every later estimate too low: calibrate on honest counts only.
    if (usage && !this.#checkTruncation(usage.inputTokens, prompt)) this.#cost.calibrate(prompt.approximateTokens, usage.inputTokens);
    const cachedInputTokens = usage?.cachedInputTokens;
    const costUsd = this.#cost.record({ inputTokens, outputTokens, cachedInputTokens });
    this.#emit({
      type: 'usage',
      inputTokens,
      ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
      outputTokens,
      estimated,
      costUsd,
      durationMs,
      totals: this.#cost.totals,
    });

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
    // The calls run with their arguments; history keeps at most MAX_KEPT_ARGUMENT_CHARS of each,
    // so one huge (or rejected) argument is not resent with every later prompt.
    const kept = calls.map((call) => (call.argumentsJson.length > MAX_KEPT_ARGUMENT_CHARS ? { ...call, argumentsJson: argumentsNote(call) } : call));
    this.#conversation.append({
      role: 'assistant',
      content: text.length > 0 ? text : null,
      ...(kept.length > 0 ? { toolCalls: kept } : {}),
      ...(reasoning ? { reasoning } : {}),
      ...(messageFields ? { providerFields: messageFields } : {}),
    });
    if (text.trim().length > 0) this.#lastText = shownText;
    if (calls.length > 0) return;
    if (finishReason === 'length') {
      this.#emit({ type: 'warning', code: 'length', message: 'The answer was cut off at the model\'s output limit.' });
    }
    this.#emit({ type: 'final-answer', text: shownText });
  }

  /**
   * The part of the next prompt its endpoint should serve from cache: the prefix it repeats
   * from the previous call, once the endpoint has shown (by reporting cached tokens) that it
   * caches. An endpoint that never says so is assumed to cache nothing, so the budget check
   * errs on the side of stopping early.
   */
  #expectedCachedTokens(messages: readonly ChatMessage[], promptTokens: number): number {
    if (!this.#cost.reportsCache) return 0;
    const shared = sharedPrefix(this.#previousPrompt, messages, this.#specs);
    if (shared.messages === 0) return 0;
    // The same length-based measure as Compaction.approximateTokens, so calibration applies.
    const approximate = Math.ceil(shared.chars / 4) + 3 + 4 * shared.messages;
    return Math.min(promptTokens, this.#cost.calibratedInput(approximate));
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

/** One model turn as it came back. */
interface ModelTurn {
  readonly text: string;
  readonly reasoning: string;
  readonly messageFields: Readonly<Record<string, unknown>> | undefined;
  /** The calls were read from the text, in this format. */
  readonly fromText: TextCallFormat | undefined;
  readonly calls: readonly ToolCallRequest[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly cachedInputTokens?: number } | undefined;
  readonly finishReason: FinishReason;
  readonly durationMs: number;
}
