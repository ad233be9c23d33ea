// A contract: it imports only the other contracts (errors.ts, tool.ts), never a room.
import type { ModelErrorCode } from './errors';
import type { ApprovalDecision, ApprovalRequest, Risk } from './tool';
import type { ProblemReport } from './problems';

/** Why a model turn ended, as the endpoint said (normalised across providers). */
export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter';

/** The formats of tool calls a model may write as text (the table: model/text-calls/call-formats.ts). */
export type TextCallFormat =
  | 'hermes'
  | 'qwen3-coder-xml'
  | 'glm'
  | 'seed-oss'
  | 'longcat'
  | 'function-tag'
  | 'tool-calls-tag'
  | 'nemotron'
  | 'granite'
  | 'granite-20b-fc'
  | 'internlm2'
  | 'minimax-m2'
  | 'python-tag'
  | 'llama4-pythonic'
  | 'lfm2'
  | 'olmo3'
  | 'mistral'
  | 'functools'
  | 'gigachat'
  | 'command-r7b'
  | 'apertus'
  | 'functionary-v3.2'
  | 'deepseek'
  | 'deepseek-dsml'
  | 'kimi-k2'
  | 'harmony'
  | 'gemma'
  | 'function-gemma'
  | 'gemma-tool-code'
  | 'pythonic'
  | 'bare-json'
  | 'fenced-json'
  | 'react'
  | 'command-r-plus';

export type RunEndReason =
  | 'answered'
  | 'max-steps'
  | 'loop'
  | 'budget'
  | 'timeout'
  | 'cancelled'
  | 'error';

/** What ended a run in an `error` event: a model endpoint's failure, bad settings, or a bug. */
export type RunErrorCode =
  | ModelErrorCode
  | 'configuration'
  | 'internal'
  /** The model wrote a tool call that could not be read, again after one correction (loop/unread-call-correction.ts). */
  | 'unread-tool-call';

export type WarningCode =
  | 'loop'
  | 'retry'
  | 'compaction'
  | 'estimated-usage'
  | 'length'
  /** The endpoint needed a different request (no streaming, no stream_options, tools in the prompt). */
  | 'endpoint'
  /** The endpoint reported far fewer prompt tokens than were sent: it cut the prompt. */
  | 'truncated-prompt'
  | 'mcp'
  /** The model wrote a tool call that could not be read; it was asked once to write it again. */
  | 'unread-tool-call'
  | 'other';

/** Why a tool call gave no normal result; the trace shows it as a badge. */
export type ToolFailure =
  | 'unknown-tool'
  | 'bad-json'
  | 'bad-arguments'
  | 'timeout'
  | 'denied'
  | 'error'
  | 'cancelled';

export interface RunLimits {
  readonly maxSteps: number;
  /** Hard cost cap for the run in US dollars; Infinity for none. */
  readonly maxCostUsd: number;
  readonly toolTimeoutMs: number;
  readonly runTimeoutMs: number;
  /** Tokens a single tool result may take before head and tail are kept and the middle cut. */
  readonly toolResultTokens: number;
  /** The model's context window in tokens. */
  readonly contextTokens: number;
  /**
   * Tool results are sent whole, unchanged from call to call (so a prompt cache serves them),
   * until those sent whole add up to this many tokens; then the older ones are aged at once.
   */
  readonly wholeResultsTokens: number;
  /** When results are aged, those of the latest N steps stay whole. */
  readonly keepFullResultSteps: number;
  /** Tokens an aged tool result keeps (its head). */
  readonly agedResultTokens: number;
  /** Warn on the Nth identical call in a row (or Nth turn of a short cycle); stop at the Mth. */
  readonly loopWarnAt: number;
  readonly loopStopAt: number;
}

/** A plan as events carry it (see plan/plan.ts for the schema that checks one). */
export interface PlanStepView {
  readonly id: string;
  readonly title: string;
  readonly detail?: string;
  readonly files?: readonly string[];
  readonly dependsOn?: readonly string[];
  /** Only reads: runs with read tools only, and beside other such steps. */
  readonly readOnly?: boolean;
}

export interface PlanView {
  readonly goal: string;
  readonly steps: readonly PlanStepView[];
}

/** How a plan step ended: done, failed (the model could not, or its run was cut short), or never run. */
export type PlanStepOutcome = 'done' | 'failed' | 'skipped';

/** A child run's share of its parent's budget. */
export interface ChildLimits {
  readonly maxSteps: number;
  /** US dollars; Infinity when the parent has no cost cap. */
  readonly maxCostUsd: number;
  readonly runTimeoutMs: number;
}

export interface Totals {
  /** Prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /**
   * The part of `inputTokens` the endpoint's prompt cache served (billed at the cached price).
   * Absent in runs recorded before Glassbox counted it.
   */
  readonly cachedInputTokens?: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly modelCalls: number;
  readonly toolCalls: number;
}

export interface RecalledFact {
  readonly id: string;
  readonly text: string;
  readonly score: number;
  /** Why it was recalled: the matching terms or "vector similarity 0.82". */
  readonly why: string;
}

interface EventBase {
  readonly runId: string;
  /** Position in the run's stream, from 0. */
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly time: number;
  /** The loop step (one model call and its tool calls); 0 before the first. */
  readonly step: number;
}

export type AgentEventBody =
  | {
      readonly type: 'run-start';
      readonly task: string;
      readonly model: string;
      /** Every tool offered; `server` names the MCP server of those that are not built in. */
      readonly tools: readonly { readonly name: string; readonly risk: Risk; readonly server?: string }[];
      readonly limits: RunLimits;
      /**
       * What the person should know about this run's tools from the start, said once (e.g. the
       * CLI has no editor, so no editor tools and no problems after edits).
       */
      readonly notices?: readonly string[];
    }
  | { readonly type: 'memory-recalled'; readonly facts: readonly RecalledFact[] }
  | {
      readonly type: 'model-request';
      readonly messageCount: number;
      /**
       * Prompt tokens, estimated: from the prompt's length scaled by the endpoint's last
       * reported usage; before any usage, by the tokenizer when a cost cap needs it.
       */
      readonly estimatedInputTokens: number;
      /**
       * The part of the prompt expected from the endpoint's prompt cache: the prefix this prompt
       * repeats from the previous call, once the endpoint has reported caching this run; else 0.
       */
      readonly estimatedCachedInputTokens?: number;
      /** Cost this call is estimated to add, checked against the budget before sending. */
      readonly estimatedCostUsd: number;
    }
  | { readonly type: 'text-delta'; readonly text: string }
  /**
   * The model's reasoning as it streams (`reasoning_content`, `reasoning`, a leading
   * `<think>` block). Never part of the answer: views show it as a collapsed "Thinking" block.
   */
  | { readonly type: 'reasoning-delta'; readonly text: string }
  /** Discard the text streamed so far in this step (the attempt is being retried). */
  | { readonly type: 'text-reset'; readonly reason: string }
  | {
      readonly type: 'assistant-message';
      readonly text: string;
      readonly toolCalls: readonly { readonly callId: string; readonly name: string; readonly argsJson: string }[];
      readonly finishReason: FinishReason;
      readonly durationMs: number;
      /** The model's reasoning for this turn, whole (absent when it gave none). */
      readonly reasoning?: string;
      /**
       * Set when the calls were read from the model's text (it wrote them in its reply rather
       * than as API tool calls): which format they were in.
       */
      readonly toolCallsFromText?: TextCallFormat;
    }
  | {
      readonly type: 'tool-call';
      readonly callId: string;
      readonly tool: string;
      /** Parsed arguments, or the raw text when they were not valid JSON. */
      readonly args: unknown;
      readonly risk: Risk | 'unknown';
      /** The MCP server the tool belongs to; absent for built-ins. */
      readonly server?: string;
    }
  | { readonly type: 'approval-requested'; readonly callId: string; readonly request: ApprovalRequest }
  | {
      readonly type: 'approval-decided';
      readonly callId: string;
      readonly tool: string;
      /** `auto`: a setting or an allowance answered; the rest come from a person (or a host without one). */
      readonly decision: 'auto' | ApprovalDecision['kind'];
      readonly reason: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'tool-result';
      readonly callId: string;
      readonly tool: string;
      readonly ok: boolean;
      /** What the model was sent (already truncated). */
      readonly output: string;
      readonly durationMs: number;
      /** Characters cut from the middle to fit the result budget; 0 when nothing was cut. */
      readonly truncatedChars: number;
      readonly taintSource?: string;
      /** Why it failed, for badges: unknown tool, bad JSON, bad arguments, timeout, denied… */
      readonly failure?: ToolFailure;
    }
  /**
   * What a change (write, edit, delete, a command) did to the editor's Problems panel for the
   * files it touched: new and fixed problems, errors first. Follows the call's `tool-result`,
   * whose output carries the same, bounded, for the model.
   */
  | ({ readonly type: 'diagnostics'; readonly callId: string; readonly tool: string } & ProblemReport)
  | {
      readonly type: 'checkpoint-created';
      /** The risky call the workspace was recorded before. */
      readonly callId: string;
      readonly tool: string;
      readonly checkpointId: string;
      readonly files: number;
      /** Bytes this checkpoint added to the store (the rest is shared with earlier ones). */
      readonly addedBytes: number;
      /** Files above the per-file size limit, listed but not stored (a restore leaves them). */
      readonly skippedFiles: number;
      readonly durationMs: number;
    }
  | {
      /** The workspace was put back to a checkpoint (from the chat, the trace or the CLI). */
      readonly type: 'checkpoint-restored';
      readonly checkpointId: string;
      /** The state just before the restore: restoring it undoes the restore. */
      readonly undoCheckpointId: string;
      readonly changedFiles: number;
      readonly failedFiles: number;
      /** Files larger than the size limit, which a restore leaves as they are. */
      readonly leftAloneFiles: number;
      readonly durationMs: number;
      /** The files put back (workspace-relative), so the chat and the next model request can name them. */
      readonly paths?: readonly string[];
      /** True when this restore undid an earlier restore (it put back what that one replaced). */
      readonly undoOfRestore?: boolean;
    }
  | {
      readonly type: 'warning';
      readonly code: WarningCode;
      readonly message: string;
    }
  | {
      readonly type: 'error';
      readonly message: string;
      readonly code: RunErrorCode;
      /** The endpoint's HTTP status, when an HTTP answer caused the error. */
      readonly status?: number;
    }
  | {
      readonly type: 'usage';
      /** Prompt tokens, cached ones included. */
      readonly inputTokens: number;
      /**
       * The part of `inputTokens` the endpoint's prompt cache served; absent when the endpoint
       * reported nothing about caching (then all of the prompt is billed as uncached).
       */
      readonly cachedInputTokens?: number;
      readonly outputTokens: number;
      /** True when the endpoint reported no usage and a tokenizer estimated it. */
      readonly estimated: boolean;
      readonly costUsd: number;
      readonly durationMs: number;
      readonly totals: Totals;
    }
  | { readonly type: 'final-answer'; readonly text: string }
  /**
   * A tool call (`research`) handed a question to a child agent. The child's own events follow
   * as `child-event`s carrying the same `callId` and `childRunId`, then one `child-ended`:
   * with the parent's `runId` on every one, a consumer of the stream can rebuild the tree.
   */
  | {
      readonly type: 'child-started';
      readonly callId: string;
      readonly childRunId: string;
      readonly question: string;
      /** The child's own budget, taken from what the parent had left. */
      readonly limits: ChildLimits;
    }
  /** One event of a child run, as the child emitted it (its own run id, seq, time and step). */
  | { readonly type: 'child-event'; readonly callId: string; readonly childRunId: string; readonly event: AgentEvent }
  | {
      readonly type: 'child-ended';
      readonly callId: string;
      readonly childRunId: string;
      readonly reason: RunEndReason;
      readonly durationMs: number;
      readonly steps: number;
      /** The child's spend; it is also counted in the parent's totals from here on. */
      readonly totals: Totals;
    }
  /**
   * Plan-and-Execute. The planning phase's own calls are the run's steps; a valid `submit_plan`
   * proposes a plan (revision 0) or, after a rejection or a failed step, a revised one that
   * `replaces` the plan before it. The person's answer (with their edits) is `plan-decided`.
   */
  | {
      readonly type: 'plan-proposed';
      readonly revision: number;
      readonly plan: PlanView;
      readonly replaces?: PlanView;
      /** Why a revision was asked for (the person's reason, or the failed step). */
      readonly why?: string;
    }
  | {
      readonly type: 'plan-decided';
      readonly revision: number;
      readonly decision: 'approved' | 'rejected';
      /** The plan as approved, with the person's edits; the proposal when rejected. */
      readonly plan: PlanView;
      readonly edited: boolean;
      readonly reason?: string;
    }
  /** A plan step runs as a run of its own; its events follow as `plan-step-event`s. */
  | {
      readonly type: 'plan-step-started';
      readonly stepId: string;
      readonly title: string;
      readonly stepRunId: string;
      /** The step's share of the run's budget. */
      readonly limits: ChildLimits;
    }
  | { readonly type: 'plan-step-event'; readonly stepId: string; readonly stepRunId: string; readonly event: AgentEvent }
  | {
      readonly type: 'plan-step-ended';
      readonly stepId: string;
      readonly stepRunId?: string;
      readonly outcome: PlanStepOutcome;
      /** What the step found or did (its answer), or why it failed or was skipped. */
      readonly findings: string;
      readonly durationMs: number;
      readonly totals?: Totals;
    }
  | {
      readonly type: 'run-end';
      readonly reason: RunEndReason;
      /** The answer, or for a run cut short, a message saying why and what was done. */
      readonly answer: string;
      readonly durationMs: number;
      readonly steps: number;
      readonly totals: Totals;
    };

/**
 * The loop's only output. The chat view, the trace panel, the CLI and the log all consume
 * this one stream; everything a person can see about a run is in it.
 */
export type AgentEvent = AgentEventBody & EventBase;
export type AgentEventType = AgentEvent['type'];
export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
