import type { AgentEvent, ChildLimits, EventOf, FinishReason, InstructionFileUse, PlanStepOutcome, RecalledFact, RunEndReason, RunLimits, Totals } from '../agent/events';
import type { Risk } from '../agent/tool';
import { assertNever, undoneText } from '../agent/format';
import { restoreLine } from '../shared/restore-line';
import { callStateOf, RunFold, type ChildState, type PlanRevision, type ToolCallState } from '../shared/run-fold';

// The trace panel's rows, reduced from one run's events. Events of one step are folded into the
// row they belong to (text deltas into the step's text, usage into its model call, approval and
// result into their tool call), so a run of thousands of events is a list of hundreds of rows.
// Every change bumps the row's `version`, which tells the virtual list to re-render that row only.

interface RowBase {
  /** Stable identity across updates (also the key of the row's expanded state). */
  readonly key: string;
  version: number;
  /** Epoch ms of the event that created the row. */
  readonly time: number;
  readonly step: number;
}

export interface RunStartRow extends RowBase {
  readonly kind: 'run-start';
  readonly task: string;
  readonly model: string;
  readonly tools: readonly { readonly name: string; readonly risk: Risk }[];
  readonly limits: RunLimits;
}

export interface MemoryRow extends RowBase {
  readonly kind: 'memory';
  readonly facts: readonly RecalledFact[];
}

/** Instructions files that went into the prompt at one point of the run (with their text). */
export interface InstructionsRow extends RowBase {
  readonly kind: 'instructions';
  readonly files: readonly InstructionFileUse[];
  readonly budgetTokens: number;
  readonly ignored?: string;
  readonly notes: readonly string[];
}

export interface ModelCallRow extends RowBase {
  readonly kind: 'model-call';
  /** 1-based count of model calls in the run. */
  readonly ordinal: number;
  readonly messageCount: number;
  readonly estimatedInputTokens: number;
  /** The part of the prompt expected from the endpoint's cache (0 before it reported caching). */
  readonly estimatedCachedInputTokens: number;
  readonly estimatedCostUsd: number;
  /** Epoch ms when the call ended (usage or assistant message); absent while it streams. */
  end?: number;
  inputTokens?: number;
  /** The part of `inputTokens` the endpoint's prompt cache served; absent when it reported none. */
  cachedInputTokens?: number;
  outputTokens?: number;
  usageEstimated?: boolean;
  costUsd?: number;
  durationMs?: number;
  finishReason?: FinishReason;
  requestedTools?: readonly string[];
}

export interface TextRow extends RowBase {
  readonly kind: 'text';
  text: string;
  /** Attempts whose streamed text was discarded (retries), with why. */
  discarded: { readonly reason: string; readonly chars: number }[];
}

/** The model's reasoning in a step: a collapsed "Thinking" row, never part of the answer. */
export interface ThinkingRow extends RowBase {
  readonly kind: 'thinking';
  text: string;
}

/** A tool call (shared/run-fold.ts keeps its approval, result and checkpoint) as a trace row. */
export interface ToolRow extends RowBase, ToolCallState {
  readonly kind: 'tool';
  /** The research helper this call started: its own rows, totals and waterfall. */
  child?: ChildState & { readonly trace: TraceModel };
}

/** What a change did to the Problems panel: a row of its own under the call that changed files. */
export interface ProblemsRow extends RowBase {
  readonly kind: 'problems';
  readonly callId: string;
  readonly report: EventOf<'diagnostics'>;
}

export interface NoticeRow extends RowBase {
  readonly kind: 'warning' | 'error';
  readonly code?: string;
  readonly message: string;
}

export interface RunEndRow extends RowBase {
  readonly kind: 'run-end';
  readonly reason: RunEndReason;
  readonly answer: string;
  readonly durationMs: number;
  readonly steps: number;
  readonly totals: Totals;
}

/** A proposed plan (one revision) and what the person decided. */
export interface PlanRow extends RowBase, PlanRevision {
  readonly kind: 'plan';
}

/** One plan step: its own run's rows, totals and bar. */
export interface PlanStepRow extends RowBase {
  readonly kind: 'plan-step';
  readonly stepId: string;
  readonly title: string;
  readonly limits: ChildLimits;
  readonly trace: TraceModel;
  outcome?: PlanStepOutcome;
  findings?: string;
  totals?: Totals;
  end?: number;
}

export type TraceRow = RunStartRow | MemoryRow | InstructionsRow | ModelCallRow | ThinkingRow | TextRow | ToolRow | ProblemsRow | NoticeRow | RunEndRow | PlanRow | PlanStepRow;

export class TraceModel {
  readonly rows: TraceRow[] = [];
  runId: string | undefined;
  /** Epoch ms of the first and latest event: the waterfall's time axis. */
  startTime = 0;
  latestTime = 0;
  ended = false;
  /** Bumped on every change; lets a view skip work when nothing happened. */
  version = 0;

  #currentModelCall: ModelCallRow | undefined;
  #currentText: TextRow | undefined;
  #currentThinking: ThinkingRow | undefined;
  readonly #stepRows = new Map<string, PlanStepRow>();
  /** Calls by id, the plan, the totals: folded as the chat folds them. */
  readonly #run = new RunFold<ToolRow, PlanRow>({
    newCall: (event) => ({
      kind: 'tool',
      key: `tool:${event.callId}`,
      version: 0,
      time: event.time,
      step: event.step,
      ...callStateOf(event),
    }),
    newPlan: (event) => ({
      kind: 'plan',
      key: `plan:${event.revision}`,
      version: 0,
      time: event.time,
      step: event.step,
      revision: event.revision,
      plan: event.plan,
      ...(event.replaces ? { replaces: event.replaces } : {}),
      ...(event.why ? { why: event.why } : {}),
    }),
    childStarted: (row, event) => {
      const trace = new TraceModel();
      trace.runId = event.childRunId;
      row.child = { trace, question: event.question, limits: event.limits };
    },
    childEvent: (row, event) => row.child?.trace.apply(event) ?? false,
    childEnded: (row, event) => {
      if (!row.child) return false;
      row.child.ended = event;
      return true;
    },
  });
  #modelCalls = 0;
  #lastSeq = -1;

  /** Folds one event in; returns false for an event of another run or one already applied. */
  apply(event: AgentEvent): boolean {
    if (this.runId === undefined) this.runId = event.runId;
    else if (event.runId !== this.runId) return false;
    // Events come in stream order; a repeat (a state snapshot overlapping live events) is dropped.
    if (event.seq <= this.#lastSeq) return false;
    this.#lastSeq = event.seq;
    if (this.rows.length === 0 && this.startTime === 0) this.startTime = event.time;
    this.latestTime = Math.max(this.latestTime, event.time);
    this.version++;
    const folded = this.#run.apply(event);
    if (folded.kind === 'other') this.#fold(event);
    else if (folded.kind === 'call') this.#placed(folded.call, folded.created);
    else if (folded.kind === 'plan') this.#placed(folded.plan, folded.created);
    return true;
  }

  /** Run totals so far (from the latest usage event, then from run-end). */
  get totals(): Totals | undefined {
    return this.#run.totals;
  }

  /** A new call or plan is a new row; a changed one re-renders. */
  #placed(row: ToolRow | PlanRow, created: boolean): void {
    if (created) this.rows.push(row);
    else row.version++;
  }

  /** The events the run fold leaves to the trace: model calls, text, thinking, notices, plan steps, the end. */
  #fold(event: AgentEvent): void {
    const base = { version: 0, time: event.time, step: event.step };
    switch (event.type) {
      case 'run-start':
        this.startTime = event.time;
        this.rows.push({ ...base, kind: 'run-start', key: 'start', task: event.task, model: event.model, tools: event.tools, limits: event.limits });
        return;
      case 'memory-recalled':
        this.rows.push({ ...base, kind: 'memory', key: `memory:${event.seq}`, facts: event.facts });
        return;
      case 'instructions':
        this.rows.push({
          ...base,
          kind: 'instructions',
          key: `instructions:${event.seq}`,
          files: event.files,
          budgetTokens: event.budgetTokens,
          notes: event.notes ?? [],
          ...(event.ignored ? { ignored: event.ignored } : {}),
        });
        return;
      case 'model-request': {
        this.#modelCalls++;
        const row: ModelCallRow = {
          ...base,
          kind: 'model-call',
          key: `model:${event.seq}`,
          ordinal: this.#modelCalls,
          messageCount: event.messageCount,
          estimatedInputTokens: event.estimatedInputTokens,
          estimatedCachedInputTokens: event.estimatedCachedInputTokens ?? 0,
          estimatedCostUsd: event.estimatedCostUsd,
        };
        this.rows.push(row);
        this.#currentModelCall = row;
        this.#currentText = undefined;
        this.#currentThinking = undefined;
        return;
      }
      case 'reasoning-delta': {
        if (!this.#currentThinking) {
          this.#currentThinking = { kind: 'thinking', key: `thinking:${event.seq}`, version: 0, time: event.time, step: event.step, text: '' };
          this.rows.push(this.#currentThinking);
        }
        this.#currentThinking.text += event.text;
        this.#currentThinking.version++;
        return;
      }
      case 'text-delta': {
        const row = this.#textRow(event);
        row.text += event.text;
        row.version++;
        return;
      }
      case 'text-reset': {
        if (this.#currentThinking) {
          this.#currentThinking.text = '';
          this.#currentThinking.version++;
        }
        const row = this.#currentText;
        if (!row) return;
        row.discarded.push({ reason: event.reason, chars: row.text.length });
        row.text = '';
        row.version++;
        return;
      }
      case 'assistant-message': {
        const call = this.#currentModelCall;
        if (call) {
          call.finishReason = event.finishReason;
          call.requestedTools = event.toolCalls.map((c) => c.name);
          call.durationMs ??= event.durationMs;
          call.end ??= event.time;
          call.version++;
        }
        if (event.reasoning !== undefined && this.#currentThinking && this.#currentThinking.text !== event.reasoning) {
          this.#currentThinking.text = event.reasoning;
          this.#currentThinking.version++;
        }
        // The message is the authoritative text of the step (streamed deltas may have been partial).
        if (event.text !== '' || this.#currentText) {
          const row = this.#textRow(event);
          if (row.text !== event.text) {
            row.text = event.text;
            row.version++;
          }
        }
        return;
      }
      case 'usage': {
        const call = this.#currentModelCall;
        if (!call) return;
        call.inputTokens = event.inputTokens;
        call.cachedInputTokens = event.cachedInputTokens;
        call.outputTokens = event.outputTokens;
        call.usageEstimated = event.estimated;
        call.costUsd = event.costUsd;
        call.durationMs = event.durationMs;
        call.end = event.time;
        call.version++;
        return;
      }
      case 'diagnostics':
        this.rows.push({ ...base, kind: 'problems', key: `problems:${event.seq}`, callId: event.callId, report: event });
        return;
      case 'checkpoint-restored':
        this.rows.push({ ...base, kind: 'warning', key: `restored:${event.seq}`, code: 'other', message: restoreLine(event) });
        return;
      case 'changes-undone':
        this.rows.push({ ...base, kind: 'warning', key: `undone:${event.seq}`, code: 'other', message: `You undid ${undoneText(event)} (Changes review).` });
        return;
      case 'warning':
        this.rows.push({ ...base, kind: 'warning', key: `warning:${event.seq}`, code: event.code, message: event.message });
        return;
      case 'error':
        this.rows.push({ ...base, kind: 'error', key: `error:${event.seq}`, code: event.code, message: event.message });
        return;
      case 'final-answer':
        // The run-end row carries the same answer; a second copy would only add noise.
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
      case 'plan-step-started': {
        const trace = new TraceModel();
        trace.runId = event.stepRunId;
        const row: PlanStepRow = { ...base, kind: 'plan-step', key: `step:${event.stepRunId}`, stepId: event.stepId, title: event.title, limits: event.limits, trace };
        this.rows.push(row);
        this.#stepRows.set(event.stepId, row);
        this.#currentModelCall = undefined;
        this.#currentText = undefined;
        return;
      }
      case 'plan-step-event': {
        const row = this.#stepRows.get(event.stepId);
        if (row?.trace.apply(event.event)) row.version++;
        return;
      }
      case 'plan-step-ended': {
        const row = this.#stepRows.get(event.stepId);
        if (!row) return;
        row.outcome = event.outcome;
        row.findings = event.findings;
        row.totals = event.totals;
        row.end = event.time;
        row.version++;
        return;
      }
      case 'run-end':
        this.ended = true;
        this.rows.push({ ...base, kind: 'run-end', key: 'end', reason: event.reason, answer: event.answer, durationMs: event.durationMs, steps: event.steps, totals: event.totals });
        return;
      default:
        assertNever(event);
    }
  }

  /** The current step's text row, created (after its model call) on first use. */
  #textRow(event: AgentEvent): TextRow {
    if (this.#currentText) return this.#currentText;
    const row: TextRow = { kind: 'text', key: `text:${event.seq}`, version: 0, time: event.time, step: event.step, text: '', discarded: [] };
    this.rows.push(row);
    this.#currentText = row;
    return row;
  }
}

/** The rows and, after each call that ran a research helper, the helper's rows (for the timeline). */
export function* withChildRows(rows: readonly TraceRow[]): Generator<TraceRow> {
  for (const row of rows) {
    yield row;
    if (row.kind === 'tool' && row.child) yield* withChildRows(row.child.trace.rows);
    if (row.kind === 'plan-step') yield* withChildRows(row.trace.rows);
  }
}

/** Start and end (epoch ms) of a row's bar in the waterfall; undefined for rows without duration. */
export function timeSpanOf(row: TraceRow, now: number): { start: number; end: number; running: boolean } | undefined {
  if (row.kind === 'model-call') return { start: row.time, end: row.end ?? now, running: row.end === undefined };
  if (row.kind === 'tool') return { start: row.time, end: row.end ?? now, running: row.end === undefined };
  if (row.kind === 'plan-step') return { start: row.time, end: row.end ?? now, running: row.end === undefined };
  return undefined;
}
