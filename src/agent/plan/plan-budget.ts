import type { AgentEvent, ChildLimits, RunEndReason, RunLimits, Totals } from '../events';

const ZERO: Totals = { inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 };

/**
 * The run's limits over a whole plan: every inner run (planning, each step) reports its spend
 * here, and each new one gets a share of what is left — its part of the remaining steps and
 * dollars, never more than `maxSteps` — so one step cannot eat the rest. Steps running side by
 * side hold their shares until they end.
 */
export class PlanBudget {
  readonly #spent = new Map<string, Totals>();
  readonly #held = new Map<string, { readonly steps: number; readonly usd: number }>();

  constructor(
    private readonly limits: RunLimits,
    private readonly deadline: number,
  ) {}

  /** The whole run's spend so far, every inner run summed (their research children included). */
  get totals(): Totals {
    const sum = { ...ZERO, cachedInputTokens: 0 };
    for (const t of this.#spent.values()) {
      sum.inputTokens += t.inputTokens;
      sum.cachedInputTokens += t.cachedInputTokens ?? 0;
      sum.outputTokens += t.outputTokens;
      sum.costUsd += t.costUsd;
      sum.modelCalls += t.modelCalls;
      sum.toolCalls += t.toolCalls;
    }
    return sum;
  }

  /** Keeps an inner run's latest totals (its usage events carry them, and so does its end). */
  observe(runId: string, event: AgentEvent): void {
    if (event.type === 'usage' || event.type === 'run-end') this.#spent.set(runId, event.totals);
  }

  /**
   * A share for the next inner run, one of `ways` still to run: its part of what is left, held
   * until `release`. A `stop` when nothing is left, with the run's reason for it.
   */
  share(ways: number, maxSteps: number): { limits: ChildLimits } | { stop: { reason: RunEndReason; answer: string } } {
    const spent = this.totals;
    let heldSteps = 0;
    let heldUsd = 0;
    for (const [runId, held] of this.#held) {
      const used = this.#spent.get(runId) ?? ZERO;
      heldSteps += Math.max(0, held.steps - used.modelCalls);
      heldUsd += Math.max(0, held.usd - used.costUsd);
    }
    const stepsLeft = this.limits.maxSteps - spent.modelCalls - heldSteps;
    if (stepsLeft < 1) {
      return { stop: { reason: 'max-steps', answer: `Stopped: the plan used the run's limit of ${this.limits.maxSteps} model calls.` } };
    }
    const usdLeft = this.limits.maxCostUsd - spent.costUsd - heldUsd;
    if (usdLeft <= 0) {
      return { stop: { reason: 'budget', answer: `Stopped before overspending: the plan used the run's $${this.limits.maxCostUsd} budget.` } };
    }
    const runTimeoutMs = Math.max(0, this.deadline - Date.now());
    const steps = Math.max(1, Math.min(maxSteps, Math.floor(stepsLeft / Math.max(1, ways))));
    const usd = Number.isFinite(usdLeft) ? usdLeft / Math.max(1, ways) : Infinity;
    return { limits: { maxSteps: steps, maxCostUsd: usd, runTimeoutMs } };
  }

  /** Marks the share of the inner run that takes it next; call before it starts. */
  hold(runId: string, limits: ChildLimits): void {
    this.#held.set(runId, { steps: limits.maxSteps, usd: Number.isFinite(limits.maxCostUsd) ? limits.maxCostUsd : 0 });
  }

  release(runId: string): void {
    this.#held.delete(runId);
  }
}
