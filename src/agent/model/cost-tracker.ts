import type { Totals } from '../events';
import { costOf, type BilledTokens, type ModelPrice } from './pricing';

/**
 * Adds up tokens and dollars, and answers the budget question before each model call:
 * would this call, as estimated, take the run over its cap?
 */
export class CostTracker {
  #inputTokens = 0;
  #cachedInputTokens = 0;
  #outputTokens = 0;
  #costUsd = 0;
  #modelCalls = 0;
  #toolCalls = 0;
  /** Reported ÷ length-estimated prompt tokens of the last call with usage. */
  #inputCalibration: number | undefined;
  #cacheReported = false;

  constructor(readonly price: ModelPrice, readonly maxCostUsd: number) {}

  /** Adds one call; returns its cost, with the prompt's cached part at the cached price. */
  record(tokens: BilledTokens): number {
    const cost = costOf(this.price, tokens);
    this.#inputTokens += tokens.inputTokens;
    this.#cachedInputTokens += Math.min(tokens.cachedInputTokens ?? 0, tokens.inputTokens);
    this.#outputTokens += tokens.outputTokens;
    if (tokens.cachedInputTokens !== undefined) this.#cacheReported = true;
    this.#costUsd += cost;
    this.#modelCalls++;
    return cost;
  }

  countToolCall(): void {
    this.#toolCalls++;
  }

  /** Tool calls a child run made on this run's behalf. */
  countToolCalls(count: number): void {
    this.#toolCalls += count;
  }

  /**
   * Learns from a call whose usage the endpoint reported. Prompts are measured by length
   * (see Compaction.approximateTokens); the endpoint's count for the last prompt turns that
   * into a ratio that holds for this model, template and vocabulary, so later calls are
   * estimated without running a tokenizer over the whole prompt every step.
   */
  calibrate(approximateInputTokens: number, reportedInputTokens: number): void {
    if (approximateInputTokens > 0 && reportedInputTokens > 0) {
      this.#inputCalibration = reportedInputTokens / approximateInputTokens;
    }
  }

  /** True once the endpoint has reported usage this run. */
  get isCalibrated(): boolean {
    return this.#inputCalibration !== undefined;
  }

  /** A prompt's tokens from its length-based estimate, scaled by the last reported usage. */
  calibratedInput(approximateInputTokens: number): number {
    return Math.ceil(approximateInputTokens * (this.#inputCalibration ?? 1));
  }

  /**
   * True once the endpoint has said how much of a prompt its cache served (even 0): only then
   * is a cache hit expected for the next call's repeated prefix.
   */
  get reportsCache(): boolean {
    return this.#cacheReported;
  }

  /**
   * The next call's expected output is the mean of the calls so far (at least 256 tokens), so
   * a run that writes long answers is stopped earlier than one that writes short ones.
   * `cachedInputTokens` is the part of the prompt expected from the endpoint's cache.
   */
  estimateNextCall(inputTokens: number, cachedInputTokens = 0): number {
    const meanOutput = this.#modelCalls === 0 ? 0 : this.#outputTokens / this.#modelCalls;
    return costOf(this.price, { inputTokens, cachedInputTokens, outputTokens: Math.max(256, Math.ceil(meanOutput)) });
  }

  /** Whether a cap can bind: a finite budget on a model that costs something. */
  get hasBudget(): boolean {
    return Number.isFinite(this.maxCostUsd) && (this.price.inputPerMillion > 0 || this.price.outputPerMillion > 0);
  }

  wouldExceed(estimatedCostUsd: number): boolean {
    return this.#costUsd + estimatedCostUsd > this.maxCostUsd;
  }

  get totals(): Totals {
    return {
      inputTokens: this.#inputTokens,
      cachedInputTokens: this.#cachedInputTokens,
      outputTokens: this.#outputTokens,
      costUsd: this.#costUsd,
      modelCalls: this.#modelCalls,
      toolCalls: this.#toolCalls,
    };
  }
}
