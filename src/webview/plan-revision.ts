import type { PlanView } from '../agent/events';

/** One proposed plan (a revision) and what the person decided, as both views keep it. */
export interface PlanRevision {
  readonly revision: number;
  plan: PlanView;
  /** The plan this revision replaces, to show it as a difference. */
  readonly replaces?: PlanView;
  readonly why?: string;
  decision?: 'approved' | 'rejected';
  reason?: string;
  edited?: boolean;
}
