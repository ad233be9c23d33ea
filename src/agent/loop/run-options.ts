import type { ApprovalHandler, ApprovalSettings } from '../safety/approval';
import type { Compaction, CompactionInput } from './compact-history';
import type { Conversation } from './conversation';
import type { DelegationSettings } from './child-run';
import type { RecalledFact, RunLimits } from '../events';
import type { Logger } from '../logger';
import type { Model } from '../model/model';
import type { ModelPrice } from '../model/pricing';
import type { AnyTool, ToolSource } from '../tool';
import type { Checkpointer } from '../checkpoints/checkpointer';
import type { WorkspaceFs } from '../workspace-fs';
import type { TextToolCallsSetting } from './text-call-reader';
import type { SmallModelSetting } from './small-model';

export const defaultLimits: RunLimits = {
  maxSteps: 25,
  maxCostUsd: Infinity,
  toolTimeoutMs: 30_000,
  runTimeoutMs: 15 * 60_000,
  toolResultTokens: 4_000,
  contextTokens: 128_000,
  wholeResultsTokens: 56_000,
  keepFullResultSteps: 1,
  agedResultTokens: 400,
  loopWarnAt: 3,
  loopStopAt: 5,
};

export interface RunOptions {
  readonly model: Model;
  readonly tools: readonly AnyTool[];
  /**
   * More tools (MCP servers), asked for once at the start of the run within their own start
   * bound; what they leave out becomes a `warning`. Their names never shadow `tools`.
   */
  readonly toolSources?: readonly ToolSource[];
  readonly fs: WorkspaceFs;
  /** The user's message for this turn. */
  readonly task: string;
  /** Carries earlier turns; the run appends its messages to it. A new one when absent. */
  readonly conversation?: Conversation;
  /** Replaces the built-in system prompt. */
  readonly systemPrompt?: string;
  readonly limits?: Partial<RunLimits>;
  /** Price of the model; looked up in the price table by model name when absent. */
  readonly price?: ModelPrice;
  /** Asked for every call the policy does not auto-approve. Absent: such calls are denied. */
  readonly approve?: ApprovalHandler;
  readonly approvalSettings?: Partial<ApprovalSettings>;
  /** Long-term memory: facts relevant to the task, put into the system prompt visibly. */
  readonly recall?: (task: string, signal: AbortSignal) => Promise<readonly RecalledFact[]>;
  readonly logger?: Logger;
  /** Aborting it cancels the run: the model stream and the running tool stop within a second. */
  readonly signal?: AbortSignal;
  readonly runId?: string;
  /** Records the workspace before each write or command (see src/agent/checkpoints). */
  readonly checkpoints?: Checkpointer;
  /**
   * How much of this run a `research` child may take; `false` inside a child, which cannot
   * delegate again (depth 1). Defaults to defaultDelegation.
   */
  readonly delegation?: Partial<DelegationSettings> | false;
  /**
   * How the prompt is built from the conversation; `compactHistory` (epochs) when absent.
   * The token bench passes the ageing Glassbox used before, to compare what each costs.
   */
  readonly compactHistory?: (input: CompactionInput) => Compaction;
  /**
   * Tool calls written in the reply's text: `auto` (default) reads the models' own call tokens,
   * and JSON or ReAct calls once the endpoint has shown it writes calls as text; `on` reads every
   * format from the start; `off` reads none (unless the endpoint's tools are in the prompt).
   */
  readonly textToolCalls?: TextToolCallsSetting;
  /**
   * Small-model mode (fewer tools, brief descriptions with examples, a short system prompt):
   * `auto` (default) when the context window is 16k tokens or less.
   */
  readonly smallModel?: SmallModelSetting;
  /** Said once in the run's `run-start` (e.g. which tools this host cannot offer, and why). */
  readonly notices?: readonly string[];
}
