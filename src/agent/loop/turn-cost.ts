import type { AgentEventBody, Totals } from '../events';
import type { CostTracker } from '../model/cost-tracker';
import type { ChatMessage, ToolSpec } from '../model/model';
import { countTextTokens } from '../model/token-estimate';
import type { Compaction } from './compact-history';
import type { ModelTurn } from './model-turn';
import { sharedPrefix } from './prompt-prefix';
import type { CallState } from './stop-rules';

/**
 * What each model call costs: the price of the next one before it is sent (for the budget rule
 * and the trace), and the tokens of each one after (reported by the endpoint, or estimated),
 * with the two warnings that go with them: usage estimated, prompt cut by the endpoint.
 */
export class TurnCost {
  readonly tracker: CostTracker;
  readonly #contextTokens: number;
  readonly #emit: (body: AgentEventBody) => void;
  /** The messages of the previous model call, to tell how much of the next one repeats them. */
  #previousPrompt: readonly ChatMessage[] | undefined;
  #warnedEstimatedUsage = false;
  #warnedTruncation = false;

  /** `contextTokens`: the context window the run was told of, named in the truncation warning. */
  constructor(tracker: CostTracker, contextTokens: number, emit: (body: AgentEventBody) => void) {
    this.tracker = tracker;
    this.#contextTokens = contextTokens;
    this.#emit = emit;
  }

  get totals(): Totals {
    return this.tracker.totals;
  }

  /**
   * Prompt tokens for the budget and the trace: once the endpoint has reported usage, the
   * prompt's length scaled by it; before that, a cost cap on a priced model asks the tokenizer.
   */
  priceNext(prompt: Compaction, tools: readonly ToolSpec[]): CallState['next'] {
    const cost = this.tracker;
    const promptTokens = cost.isCalibrated
      ? cost.calibratedInput(prompt.approximateTokens)
      : cost.hasBudget
        ? prompt.exactTokens()
        : (prompt.estimatedTokens ?? prompt.approximateTokens);
    const cachedTokens = this.#expectedCachedTokens(prompt.messages, tools, promptTokens);
    const costUsd = cost.hasBudget ? cost.estimateNextCall(promptTokens, cachedTokens) : 0;
    return { promptTokens, cachedTokens, costUsd };
  }

  /** Counts the turn's tokens and cost and shows them in a `usage` event. */
  record(turn: ModelTurn, prompt: Compaction): void {
    const { text, calls, usage, durationMs } = turn;
    this.#previousPrompt = prompt.messages;
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
    if (usage && !this.#checkTruncation(usage.inputTokens, prompt)) this.tracker.calibrate(prompt.approximateTokens, usage.inputTokens);
    const cachedInputTokens = usage?.cachedInputTokens;
    const costUsd = this.tracker.record({ inputTokens, outputTokens, cachedInputTokens });
    this.#emit({
      type: 'usage',
      inputTokens,
      ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
      outputTokens,
      estimated,
      costUsd,
      durationMs,
      totals: this.tracker.totals,
    });
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
          `or set the context window setting (glassbox.contextWindow, --context-tokens) to what the server really has (${this.#contextTokens} now).`,
      });
    }
    return true;
  }

  /**
   * The part of the next prompt its endpoint should serve from cache: the prefix it repeats
   * from the previous call, once the endpoint has shown (by reporting cached tokens) that it
   * caches. An endpoint that never says so is assumed to cache nothing, so the budget check
   * errs on the side of stopping early.
   */
  #expectedCachedTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[], promptTokens: number): number {
    if (!this.tracker.reportsCache) return 0;
    const shared = sharedPrefix(this.#previousPrompt, messages, tools);
    if (shared.messages === 0) return 0;
    // The same length-based measure as Compaction.approximateTokens, so calibration applies.
    const approximate = Math.ceil(shared.chars / 4) + 3 + 4 * shared.messages;
    return Math.min(promptTokens, this.tracker.calibratedInput(approximate));
  }
}
