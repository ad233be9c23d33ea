import type { RunEndReason, RunLimits } from '../events';
import { assertNever, formatDuration } from '../format';

/**
 * Every way a run ends, in one place. The loop asks `betweenSteps` after each step and
 * `beforeModelCall` once the next prompt is built and priced; the first rule that answers
 * ends the run. The other endings cannot wait for a check, so they arrive as an abort or a
 * throw and are named by `endingForAbort` (and, for a throw, RunLifecycle.endingFor):
 *
 *   answered   the model replied without tool calls                 between steps
 *   loop       the loop detector says the model repeats itself      between steps
 *   max-steps  the step limit is reached                            between steps
 *   budget     the next model call would pass the cost cap          before each model call
 *   timeout    the run's time limit passed                          abort, at any moment
 *   cancelled  the person stopped it                                abort, at any moment
 *   error      the endpoint failed for good, or a bug               throw, at any moment
 */
export interface Ending {
  readonly reason: RunEndReason;
  /** What the person is told beyond the reason's own sentence. */
  readonly detail?: string;
}

/** What the rules see after a step. */
export interface StepState {
  readonly limits: RunLimits;
  /** Steps taken so far. */
  readonly steps: number;
  /** The last model turn had no tool calls: its text is the answer. */
  readonly answered: boolean;
  /** Set when the loop detector stopped the last step's calls. */
  readonly repeating?: string;
}

/** What the rules see with the next model call priced, before it is sent. */
export interface CallState {
  readonly limits: RunLimits;
  readonly spentUsd: number;
  /** `cachedTokens`: the part of the prompt expected from the endpoint's prompt cache. */
  readonly next: { readonly promptTokens: number; readonly cachedTokens?: number; readonly costUsd: number };
}

export type StopRule<S> = (state: S) => Ending | undefined;

export const hasAnswered: StopRule<StepState> = (s) => (s.answered ? { reason: 'answered' } : undefined);

export const isRepeating: StopRule<StepState> = (s) => (s.repeating !== undefined ? { reason: 'loop', detail: s.repeating } : undefined);

export const reachedStepLimit: StopRule<StepState> = (s) => (s.steps >= s.limits.maxSteps ? { reason: 'max-steps' } : undefined);

export const wouldOverspend: StopRule<CallState> = ({ limits, spentUsd, next }) => {
  const after = spentUsd + next.costUsd;
  if (after <= limits.maxCostUsd) return undefined;
  return {
    reason: 'budget',
    detail:
      `The next model call (about ${next.promptTokens} prompt tokens, ~$${next.costUsd.toFixed(4)}) would take ` +
      `the run to ~$${after.toFixed(4)}, over its $${limits.maxCostUsd} budget.`,
  };
};

/** In order: an answer given in the last step counts even when it was the last step allowed. */
export const betweenSteps: readonly StopRule<StepState>[] = [hasAnswered, isRepeating, reachedStepLimit];
export const beforeModelCall: readonly StopRule<CallState>[] = [wouldOverspend];

export function firstEnding<S>(rules: readonly StopRule<S>[], state: S): Ending | undefined {
  for (const rule of rules) {
    const ending = rule(state);
    if (ending) return ending;
  }
  return undefined;
}

/** The ending for a run whose work was aborted: the run's timer, or the person's Stop. */
export function endingForAbort(timedOut: boolean, limits: RunLimits): Ending {
  return timedOut
    ? { reason: 'timeout', detail: `The run took longer than its ${formatDuration(limits.runTimeoutMs)} limit.` }
    : { reason: 'cancelled' };
}

/** The sentence that opens a cut-short run's answer: why it stopped, never a bare error. */
export function endingSentence(reason: Exclude<RunEndReason, 'answered'>, detail: string | undefined, limits: RunLimits): string {
  switch (reason) {
    case 'max-steps':
      return `Stopped: reached the limit of ${limits.maxSteps} steps before finishing.`;
    case 'loop':
      return `Stopped: the agent was repeating itself (${detail ?? 'a loop'}).`;
    case 'budget':
      return `Stopped before overspending. ${detail ?? ''}`.trim();
    case 'timeout':
      return `Stopped: ${detail ?? 'the run took too long.'}`;
    case 'cancelled':
      return 'Cancelled.';
    case 'error':
      return `The run failed: ${detail ?? 'unknown error'}`;
    default:
      return assertNever(reason);
  }
}
