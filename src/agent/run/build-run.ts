import type { Checkpointer } from '../checkpoints/checkpointer';
import type { RecalledFact, RunLimits } from '../events';
import type { Logger } from '../logger';
import type { Conversation } from '../loop/conversation';
import type { RunOptions } from '../loop/run-options';
import type { SmallModelSetting } from '../loop/small-model';
import type { TextToolCallsSetting } from '../loop/text-call-reader';
import type { Model } from '../model/model';
import type { ModelPrice } from '../model/pricing';
import type { PlanDecider, PlannedRunOptions } from '../plan/run-planned';
import type { ApprovalHandler, ApprovalSettings } from '../safety/approval';
import type { AnyTool, ToolSource } from '../tool';
import type { WorkspaceFs } from '../workspace-fs';

/**
 * What a person chose for a run, already resolved from wherever it was said: VS Code's
 * settings (src/host/run/host-run-settings.ts) or the CLI's flags (src/cli/cli-run-settings.ts).
 * Whatever is absent keeps the loop's default (defaultLimits, defaultApprovalSettings).
 */
export interface RunSettings {
  readonly limits: Partial<RunLimits>;
  readonly approval: Partial<ApprovalSettings>;
  readonly textToolCalls?: TextToolCallsSetting;
  readonly smallModel?: SmallModelSetting;
  /** Plan first: a plan is proposed and decided (by `decidePlan`) before any step runs. */
  readonly planFirst: boolean;
}

/** What the host or the CLI made for this run: its model, tools, handlers and signal. */
export interface RunParts {
  readonly model: Model;
  readonly price?: ModelPrice;
  readonly tools: readonly AnyTool[];
  readonly toolSources?: readonly ToolSource[];
  readonly fs: WorkspaceFs;
  readonly task: string;
  readonly conversation?: Conversation;
  readonly approve?: ApprovalHandler;
  readonly recall?: (task: string, signal: AbortSignal) => Promise<readonly RecalledFact[]>;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  readonly runId?: string;
  readonly checkpoints?: Checkpointer;
  /** Said once in the run's start line (e.g. the CLI has no editor tools). */
  readonly notices?: readonly string[];
  /** Who approves a plan; asked only when the settings say plan first. */
  readonly decidePlan: PlanDecider;
}

/** A run ready to start: which kind, and its options. `startRun` starts it. */
export type RunRequest = { readonly planned: false; readonly options: RunOptions } | { readonly planned: true; readonly options: PlannedRunOptions };

/**
 * The one place a run's options are put together, for the extension and the CLI alike. Pure:
 * nothing is started, read or asked here.
 */
export function buildRun(settings: RunSettings, parts: RunParts): RunRequest {
  const { decidePlan, ...given } = parts;
  const options: RunOptions = withoutUndefined({
    ...given,
    limits: withoutUndefined(settings.limits),
    approvalSettings: withoutUndefined(settings.approval),
    textToolCalls: settings.textToolCalls,
    smallModel: settings.smallModel,
  });
  return settings.planFirst ? { planned: true, options: { ...options, decidePlan } } : { planned: false, options };
}

/**
 * Drops keys whose value is undefined: the loop spreads limits and approval settings over its
 * defaults, where an explicit undefined would replace a default with nothing.
 */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
