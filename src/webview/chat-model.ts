import type { AgentEvent, ChildLimits, EventOf, InstructionFileUse, PlanView, PlanStepView, RecalledFact, RunEndReason, Totals } from '../agent/events';
import { assertNever, undoneText } from '../agent/format';
import { restoreLine } from '../shared/restore-line';
import { accountOf, type RunAccount } from '../shared/run-account';
import { callStateOf, RunFold, type ChildState, type PlanRevision, type ToolCallState } from '../shared/run-fold';

// One turn of the chat view (a question and the run answering it), reduced from the run's events.
//
// Text streams into `streaming` as the model writes. When the step turns out to call tools,
// that text was the model thinking aloud: it moves into the step list as a `thought`, and the
// answer area starts empty again. A `text-reset` (the attempt is being retried) throws away
// what streamed since the step began. The answer is the final answer, or for a run cut short,
// the run's own message saying why.

interface ItemBase {
  readonly key: string;
  version: number;
  readonly step: number;
}

export interface ThoughtItem extends ItemBase {
  readonly kind: 'thought';
  readonly text: string;
}

/** The model's reasoning in a step: shown collapsed as "Thinking", never as the answer. */
export interface ThinkingItem extends ItemBase {
  readonly kind: 'thinking';
  text: string;
}

/** A tool call (shared/run-fold.ts keeps its approval, result and checkpoint) in the turn's step list. */
export interface ToolItem extends ItemBase, ToolCallState {
  readonly kind: 'tool';
  readonly startTime: number;
  /** What the call's change did to the Problems panel (a `diagnostics` event). */
  problems?: EventOf<'diagnostics'>;
  /** The research helper this call started: its own turn, nested under the call. */
  child?: ChildState & { readonly turn: TurnModel };
}

export interface NoticeItem extends ItemBase {
  readonly kind: 'warning' | 'error' | 'info';
  readonly message: string;
}

export interface MemoryItem extends ItemBase {
  readonly kind: 'memory';
  readonly facts: readonly RecalledFact[];
}

/**
 * Every instructions file the run used, in the order they joined: one "Using AGENTS.md +2" on
 * the turn, opening to the list.
 */
export interface InstructionsItem extends ItemBase {
  readonly kind: 'instructions';
  readonly files: InstructionFileUse[];
  ignored?: string;
}

/** Where a plan step is: not reached, running, ended, or cut off when the run died under it. */
export type PlanStepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'interrupted';

export interface PlanStepState {
  readonly step: PlanStepView;
  status: PlanStepStatus;
  findings?: string;
  /** The step's own run, nested under it. */
  turn?: TurnModel;
  limits?: ChildLimits;
  totals?: Totals;
}

/** One proposed plan (a revision): the checklist, the person's decision, and its steps' progress. */
export interface PlanItem extends ItemBase, PlanRevision {
  readonly kind: 'plan';
  readonly steps: Map<string, PlanStepState>;
}

export type TurnItem = ThoughtItem | ThinkingItem | ToolItem | NoticeItem | MemoryItem | InstructionsItem | PlanItem;

export interface TurnEnd {
  readonly reason: RunEndReason;
  readonly durationMs: number;
  readonly steps: number;
  readonly totals: Totals;
}

export class TurnModel {
  readonly items: TurnItem[] = [];
  /** Text of the step in progress, shown as the answer while it streams. */
  streaming = '';
  answer: string | undefined;
  end: TurnEnd | undefined;
  /** The step in progress (for "Step 3…" while running). */
  step = 0;
  /** Bumped on every change, so the view re-renders only turns that changed. */
  version = 0;
  /** Bumped when `streaming` or `answer` changes (the answer area re-renders alone). */
  answerVersion = 0;
  #lastSeq = -1;
  /** Calls by id, the plan, the totals: folded as the trace folds them. */
  readonly #run = new RunFold<ToolItem, PlanItem>({
    newCall: (event) => ({
      kind: 'tool',
      key: `tool:${event.callId}`,
      version: 0,
      step: event.step,
      ...callStateOf(event),
      startTime: event.time,
    }),
    newPlan: (event) => ({
      kind: 'plan',
      key: `plan:${event.revision}`,
      version: 0,
      step: event.step,
      revision: event.revision,
      plan: event.plan,
      ...(event.replaces ? { replaces: event.replaces } : {}),
      ...(event.why ? { why: event.why } : {}),
      steps: stepStates(event.plan),
    }),
    planDecided: (plan, event) => {
      if (event.decision !== 'approved') return;
      // The approved plan (with the person's edits) is the one carried out; done steps of an
      // earlier revision that it keeps stay done.
      const before = new Map(plan.steps);
      plan.steps.clear();
      for (const [id, state] of stepStates(event.plan)) {
        const kept = before.get(id);
        // As the person worded it, with the progress it already had.
        plan.steps.set(id, kept && kept.status !== 'pending' ? { ...kept, step: state.step } : state);
      }
    },
    childStarted: (item, event) => (item.child = { turn: new TurnModel(event.childRunId, event.question), question: event.question, limits: event.limits }),
    childEvent: (item, event) => {
      item.child?.turn.apply(event);
      return true;
    },
    childEnded: (item, event) => {
      if (item.child) item.child.ended = event;
      return true;
    },
  });
  /** The thinking of the step in progress, while it streams. */
  #thinking: ThinkingItem | undefined;
  /** The events the account under the answer is made from (streamed text left out: it adds nothing to it). */
  readonly #accountEvents: AgentEvent[] = [];
  #account: RunAccount | undefined;
  /** The checkpoint before this run's first risky call: "Undo" restores it. */
  firstCheckpointId: string | undefined;
  /** A restore put the workspace back to before this answer's changes (and no undo of it since). */
  undone = false;
  #instructions: InstructionsItem | undefined;

  constructor(
    readonly runId: string,
    readonly question: string,
  ) {}

  get running(): boolean {
    return this.end === undefined;
  }

  /** Run totals so far (from the latest usage event, then from run-end). */
  get totals(): Totals | undefined {
    return this.#run.totals;
  }

  /** The latest plan proposed in this turn (the one being decided or carried out). */
  get plan(): PlanItem | undefined {
    return this.#run.plan;
  }

  /** A plan waiting for the person's decision (Approve / Reject). */
  get pendingPlan(): PlanItem | undefined {
    const plan = this.#run.plan;
    return plan && plan.decision === undefined && this.running ? plan : undefined;
  }

  /** Folds one event in; returns false when it belongs to another run or was already applied. */
  apply(event: AgentEvent): boolean {
    if (event.runId !== this.runId || event.seq <= this.#lastSeq) return false;
    this.#lastSeq = event.seq;
    this.step = Math.max(this.step, event.step);
    this.version++;
    if (event.type !== 'text-delta' && event.type !== 'reasoning-delta') {
      this.#accountEvents.push(event);
      this.#account = undefined;
    }
    if (event.type === 'plan-proposed') this.#planProposed(event);
    // The run fold keeps each call's checkpoint; the turn keeps its first, for "Undo".
    if (event.type === 'checkpoint-created') this.firstCheckpointId ??= event.checkpointId;
    const folded = this.#run.apply(event);
    if (folded.kind === 'other') this.#fold(event);
    else if (folded.kind === 'call') this.#placed(folded.call, folded.created);
    else if (folded.kind === 'plan') this.#placed(folded.plan, folded.created);
    return true;
  }

  /** What really happened, from the events: shown under the answer once the run has ended. */
  get account(): RunAccount | undefined {
    if (!this.end) return undefined;
    this.#account ??= accountOf(this.#accountEvents, this.answer);
    return this.#account;
  }

  /** A new call or plan joins the step list; a changed one re-renders. */
  #placed(item: ToolItem | PlanItem, created: boolean): void {
    if (created) this.items.push(item);
    else item.version++;
  }

  /** What the planning turn said last was about the plan, not the answer. */
  #planProposed(event: EventOf<'plan-proposed'>): void {
    if (this.streaming.trim() !== '') this.items.push({ kind: 'thought', key: `thought:${event.seq}`, version: 0, step: event.step, text: this.streaming });
    this.streaming = '';
    this.answerVersion++;
  }

  /** The events the run fold leaves to the chat: text, thinking, notices, the plan's steps, the end. */
  #fold(event: AgentEvent): void {
    switch (event.type) {
      case 'run-start':
      case 'model-request':
        return;
      case 'memory-recalled':
        if (event.facts.length > 0) this.items.push({ kind: 'memory', key: `memory:${event.seq}`, version: 0, step: event.step, facts: event.facts });
        return;
      case 'instructions': {
        if (event.files.length === 0 && !event.ignored) return;
        if (!this.#instructions) {
          this.#instructions = { kind: 'instructions', key: `instructions:${event.seq}`, version: 0, step: event.step, files: [] };
          this.items.push(this.#instructions);
        }
        this.#instructions.files.push(...event.files);
        if (event.ignored) this.#instructions.ignored = event.ignored;
        this.#instructions.version++;
        return;
      }
      case 'text-delta':
        this.streaming += event.text;
        this.answerVersion++;
        return;
      case 'reasoning-delta':
        if (!this.#thinking || this.#thinking.step !== event.step) {
          this.#thinking = { kind: 'thinking', key: `thinking:${event.seq}`, version: 0, step: event.step, text: '' };
          this.items.push(this.#thinking);
        }
        this.#thinking.text += event.text;
        this.#thinking.version++;
        return;
      case 'text-reset':
        this.streaming = '';
        this.answerVersion++;
        // A retried attempt's reasoning is void too.
        if (this.#thinking && this.#thinking.step === event.step) {
          this.items.splice(this.items.indexOf(this.#thinking), 1);
          this.#thinking = undefined;
        }
        return;
      case 'assistant-message':
        // The stored (redacted) reasoning replaces what streamed.
        if (event.reasoning !== undefined && this.#thinking?.step === event.step) {
          this.#thinking.text = event.reasoning;
          this.#thinking.version++;
        }
        this.#thinking = undefined;
        if (event.toolCalls.length > 0) {
          // The step calls tools: what it said was thinking aloud, not the answer.
          if (event.text.trim() !== '') this.items.push({ kind: 'thought', key: `thought:${event.seq}`, version: 0, step: event.step, text: event.text });
          this.streaming = '';
        } else {
          this.streaming = event.text;
        }
        this.answerVersion++;
        return;
      case 'diagnostics': {
        const item = this.#run.call(event.callId);
        if (!item) return;
        item.problems = event;
        item.version++;
        return;
      }
      case 'changes-undone':
        this.items.push({ kind: 'info', key: `undone:${event.seq}`, version: 0, step: event.step, message: `You undid ${undoneText(event)}.` });
        return;
      case 'checkpoint-restored':
        this.items.push({ kind: 'info', key: `restored:${event.seq}`, version: 0, step: event.step, message: restoreLine(event) });
        // Made after the answer, a restore takes its changes back (and undoing the restore brings them again).
        if (this.end) {
          this.undone = !event.undoOfRestore;
          this.answerVersion++;
        }
        return;
      case 'warning':
        // Retries are visible in the trace; in the chat they would only interrupt the answer.
        if (event.code !== 'retry') this.items.push({ kind: 'warning', key: `warning:${event.seq}`, version: 0, step: event.step, message: event.message });
        return;
      case 'error':
        this.items.push({ kind: 'error', key: `error:${event.seq}`, version: 0, step: event.step, message: event.message });
        return;
      case 'final-answer':
        this.answer = event.text;
        this.streaming = '';
        this.answerVersion++;
        return;
      case 'tool-call':
      case 'approval-requested':
      case 'approval-decided':
      case 'tool-result':
      case 'checkpoint-created':
      case 'child-started':
      case 'child-event':
      case 'child-ended':
      case 'plan-proposed':
      case 'plan-decided':
        return; // folded by RunFold
      case 'usage':
        return; // the totals are the fold's
      case 'plan-step-started':
        this.#updateStep(event.stepId, (state) => {
          state.status = 'running';
          state.limits = event.limits;
          state.turn = new TurnModel(event.stepRunId, event.title);
        });
        return;
      case 'plan-step-event':
        this.#updateStep(event.stepId, (state) => state.turn?.apply(event.event));
        return;
      case 'plan-step-ended':
        this.#updateStep(event.stepId, (state) => {
          state.status = event.outcome;
          state.findings = event.findings;
          state.totals = event.totals;
        });
        return;
      case 'run-end':
        // A run that died (or was stopped) under a step leaves it interrupted where it was.
        if (event.reason !== 'answered') {
          for (const item of this.items) {
            if (item.kind !== 'plan') continue;
            for (const state of item.steps.values()) if (state.status === 'running') state.status = 'interrupted';
            item.version++;
          }
        }
        this.end = { reason: event.reason, durationMs: event.durationMs, steps: event.steps, totals: event.totals };
        // A run cut short says why (and what was done) in its answer.
        if (this.answer === undefined || event.reason !== 'answered') this.answer = event.answer;
        this.streaming = '';
        this.answerVersion++;
        return;
      default:
        assertNever(event);
    }
  }

  #updatePlan(update: (item: PlanItem) => void): void {
    const item = this.#run.plan;
    if (!item) return;
    update(item);
    item.version++;
  }

  #updateStep(stepId: string, update: (state: PlanStepState) => void): void {
    const state = this.#run.plan?.steps.get(stepId);
    if (!state) return;
    this.#updatePlan(() => update(state));
  }

}

function stepStates(plan: PlanView): Map<string, PlanStepState> {
  return new Map(plan.steps.map((step) => [step.id, { step, status: 'pending' as PlanStepStatus }]));
}

/** Tokens and cost of a chat: what the host reported, plus usage streamed since. */
export interface Meter {
  inputTokens: number;
  /** The part of `inputTokens` a prompt cache served (billed at the cached price). */
  cachedInputTokens?: number;
  outputTokens: number;
  costUsd: number;
}

export function addUsage(meter: Meter, event: AgentEvent): void {
  // A research helper's spend is the chat's too.
  if (event.type === 'child-event' || event.type === 'plan-step-event') return addUsage(meter, event.event);
  if (event.type !== 'usage') return;
  meter.inputTokens += event.inputTokens;
  meter.cachedInputTokens = (meter.cachedInputTokens ?? 0) + (event.cachedInputTokens ?? 0);
  meter.outputTokens += event.outputTokens;
  meter.costUsd += event.costUsd;
}

