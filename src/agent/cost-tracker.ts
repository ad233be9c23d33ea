import type { Totals } from './events';
import { costOf, type ModelPrice } from './pricing';

/**
 * Adds up tokens and dollars, and answers the budget question before each model call:
 * would this call, as estimated, take the run over its cap?
 */
export class CostTracker {
  #inputTokens = 0;
  #outputTokens = 0;
  #costUsd = 0;
  #modelCalls = 0;
  #toolCalls = 0;
  /** Reported ÷ estimated prompt tokens of the last call: corrects for what a tokenizer cannot see. */
  #inputCalibration = 1;

  constructor(readonly price: ModelPrice, readonly maxCostUsd: number) {}

  record(inputTokens: number, outputTokens: number): number {
    const cost = costOf(this.price, inputTokens, outputTokens);
    this.#inputTokens += inputTokens;
    this.#outputTokens += outputTokens;
    this.#costUsd += cost;
    this.#modelCalls++;
    return cost;
  }

  countToolCall(): void {
    this.#toolCalls++;
  }

  /**
   * Learns from a call whose usage the endpoint reported: the endpoint counts what our local
   * tokenizer misses (its own chat template, tool schema encoding, a different vocabulary), so
   * later estimates are scaled by what it actually charged.
   */
  calibrate(estimatedInputTokens: number, reportedInputTokens: number): void {
    if (estimatedInputTokens > 0 && reportedInputTokens > 0) {
      this.#inputCalibration = reportedInputTokens / estimatedInputTokens;
    }
  }

  /** A prompt-token estimate corrected by the last reported usage. */
  calibratedInput(estimatedInputTokens: number): number {
    return Math.ceil(estimatedInputTokens * this.#inputCalibration);
  }

  /**
   * The next call's expected output is the mean of the calls so far (at least 256 tokens), so
   * a run that writes long answers is stopped earlier than one that writes short ones.
   */
  estimateNextCall(estimatedInputTokens: number): number {
    const meanOutput = this.#modelCalls === 0 ? 0 : this.#outputTokens / this.#modelCalls;
    return costOf(this.price, this.calibratedInput(estimatedInputTokens), Math.max(256, Math.ceil(meanOutput)));
  }

  wouldExceed(estimatedCostUsd: number): boolean {
    return this.#costUsd + estimatedCostUsd > this.maxCostUsd;
  }

  get totals(): Totals {
    return {
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
      costUsd: this.#costUsd,
      modelCalls: this.#modelCalls,
      toolCalls: this.#toolCalls,
    };
  }
}
