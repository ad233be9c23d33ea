import type { AgentEvent, ChildLimits, EventOf, PlanView, Totals } from '../agent/events';
import type { ApprovalRequest, Risk } from '../agent/tool';

// What every reader of a run's events keeps the same way, folded once: each tool call by its
// id with its approval, result, checkpoint and research child; the plan being decided; the
// run's totals. The chat (webview/chat-model.ts) and the trace (webview/trace-model.ts) build
// their own items around these; browser-safe, so the webviews bundle it.

/** One tool call as its events tell it. The chat's item and the trace's row are both one of these. */
/** What a call's state takes from its `tool-call` event, the same for the chat's item and the trace's row. */
export function callStateOf(event: EventOf<'tool-call'>): Pick<ToolCallState, 'callId' | 'tool' | 'risk' | 'server' | 'args'> {
  return { callId: event.callId, tool: event.tool, risk: event.risk, ...(event.server ? { server: event.server } : {}), args: event.args };
}

export interface ToolCallState {
  readonly callId: string;
  readonly tool: string;
  readonly risk: Risk | 'unknown';
  /** The MCP server of the tool; absent for built-ins. */
  readonly server?: string;
  readonly args: unknown;
  approvalRequest?: ApprovalRequest;
  approval?: { readonly decision: EventOf<'approval-decided'>['decision']; readonly reason: string; readonly durationMs: number };
  result?: {
    readonly ok: boolean;
    readonly output: string;
    readonly durationMs: number;
    readonly truncatedChars: number;
    readonly taintSource?: string;
    readonly failure?: EventOf<'tool-result'>['failure'];
  };
  /** Epoch ms of the result. */
  end?: number;
  /** The checkpoint made just before the call ran: "Restore to before this step". */
  checkpointId?: string;
}

/** A research helper a call started: its question and share; each view nests its own model of the child's run. */
export interface ChildState {
  readonly question: string;
  readonly limits: ChildLimits;
  ended?: EventOf<'child-ended'>;
}

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

/** How a view makes its own item for a call or a plan, and keeps a call's child run. */
export interface FoldViews<C extends ToolCallState, P extends PlanRevision> {
  newCall(event: EventOf<'tool-call'>): C;
  newPlan(event: EventOf<'plan-proposed'>): P;
  /** Called once the plan's decision is set (the chat carries its steps' progress over). */
  planDecided?(plan: P, event: EventOf<'plan-decided'>): void;
  childStarted(call: C, event: EventOf<'child-started'>): void;
  /** Folds a child's event into the call's child; false when it changed nothing. */
  childEvent(call: C, event: AgentEvent): boolean;
  /** False when the call had no child to end. */
  childEnded(call: C, event: EventOf<'child-ended'>): boolean;
}

/**
 * What one event did to the fold: made a call or a plan (`created`), changed one (its view
 * bumps its version), touched a call or plan never seen (`missed`: nothing to do), or was
 * none of the fold's kinds (`other`: the view's own to fold).
 */
export type FoldStep<C, P> =
  | { readonly kind: 'call'; readonly call: C; readonly created: boolean }
  | { readonly kind: 'plan'; readonly plan: P; readonly created: boolean }
  | { readonly kind: 'missed' }
  | { readonly kind: 'other' };

export class RunFold<C extends ToolCallState, P extends PlanRevision> {
  readonly #calls = new Map<string, C>();
  #plan: P | undefined;
  #totals: Totals | undefined;

  constructor(private readonly views: FoldViews<C, P>) {}

  /** The latest plan proposed (the one being decided or carried out). */
  get plan(): P | undefined {
    return this.#plan;
  }

  /** Run totals so far: from the latest usage event, then from run-end. */
  get totals(): Totals | undefined {
    return this.#totals;
  }

  call(callId: string): C | undefined {
    return this.#calls.get(callId);
  }

  apply(event: AgentEvent): FoldStep<C, P> {
    switch (event.type) {
      case 'usage':
      case 'run-end':
        this.#totals = event.totals;
        return { kind: 'other' };
      case 'tool-call': {
        const call = this.views.newCall(event);
        this.#calls.set(event.callId, call);
        return { kind: 'call', call, created: true };
      }
      case 'approval-requested':
        return this.#update(event.callId, (call) => {
          call.approvalRequest = event.request;
          return true;
        });
      case 'approval-decided':
        return this.#update(event.callId, (call) => {
          call.approval = { decision: event.decision, reason: event.reason, durationMs: event.durationMs };
          return true;
        });
      case 'tool-result':
        return this.#update(event.callId, (call) => {
          call.result = {
            ok: event.ok,
            output: event.output,
            durationMs: event.durationMs,
            truncatedChars: event.truncatedChars,
            taintSource: event.taintSource,
            failure: event.failure,
          };
          call.end = event.time;
          return true;
        });
      case 'checkpoint-created':
        return this.#update(event.callId, (call) => {
          call.checkpointId = event.checkpointId;
          return true;
        });
      case 'child-started':
        return this.#update(event.callId, (call) => {
          this.views.childStarted(call, event);
          return true;
        });
      case 'child-event':
        return this.#update(event.callId, (call) => this.views.childEvent(call, event.event));
      case 'child-ended':
        return this.#update(event.callId, (call) => this.views.childEnded(call, event));
      case 'plan-proposed': {
        const plan = this.views.newPlan(event);
        this.#plan = plan;
        return { kind: 'plan', plan, created: true };
      }
      case 'plan-decided': {
        const plan = this.#plan;
        if (!plan) return { kind: 'missed' };
        plan.decision = event.decision;
        plan.reason = event.reason;
        plan.edited = event.edited;
        plan.plan = event.plan;
        this.views.planDecided?.(plan, event);
        return { kind: 'plan', plan, created: false };
      }
      default:
        return { kind: 'other' };
    }
  }

  /** `change` returns false when it changed nothing (the view then keeps its version). */
  #update(callId: string, change: (call: C) => boolean): FoldStep<C, P> {
    const call = this.#calls.get(callId);
    if (!call || !change(call)) return { kind: 'missed' };
    return { kind: 'call', call, created: false };
  }
}
