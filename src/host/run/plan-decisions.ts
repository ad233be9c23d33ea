import type { PlanDecision, PlanProposal } from '../../agent/plan/run-planned';
import { parsePlan } from '../../agent/plan/plan';

type Answer = { readonly kind: 'approve'; readonly plan: unknown } | { readonly kind: 'reject'; readonly reason: string };

/**
 * Plans waiting for the person, by run: the run awaits `wait`, the chat view's Approve or
 * Reject arrives through `decide`. What the view sends is untrusted: an edited plan is checked
 * with the plan schema here (unique ids, known dependencies, no cycles) before the run sees it,
 * and a bad one is refused with the reason while the plan keeps waiting.
 */
export class PlanDecisions {
  readonly #waiting = new Map<string, { readonly revision: number; readonly resolve: (decision: PlanDecision) => void }>();

  wait(proposal: PlanProposal, signal: AbortSignal): Promise<PlanDecision> {
    return new Promise<PlanDecision>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(proposal.runId);
        reject(signal.reason ?? new Error('stopped'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(proposal.runId, {
        revision: proposal.revision,
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          this.#waiting.delete(proposal.runId);
          resolve(decision);
        },
      });
    });
  }

  isWaiting(runId: string): boolean {
    return this.#waiting.has(runId);
  }

  /** Returns an error to tell the person, or undefined once the run has its answer. */
  decide(runId: string, revision: number, answer: Answer): string | undefined {
    const waiting = this.#waiting.get(runId);
    if (!waiting || waiting.revision !== revision) return 'That plan is no longer waiting for a decision.';
    if (answer.kind === 'reject') {
      waiting.resolve({ kind: 'reject', reason: answer.reason });
      return undefined;
    }
    const parsed = parsePlan(answer.plan);
    if (!parsed.ok) return `The edited plan cannot run: ${parsed.error}`;
    waiting.resolve({ kind: 'approve', plan: parsed.plan });
    return undefined;
  }
}
