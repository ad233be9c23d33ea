import type { z } from 'zod';
import type { Logger } from './logger';
import type { WorkspaceFs } from './workspace-fs';
import type { CommandLineAnalysis, JudgedPart } from './command-analysis';
import type { ProblemReport } from './problems';

/** What a tool may do; sets its default approval and its badge in the trace. */
export type Risk = 'read' | 'write' | 'execute' | 'network';
export const RISKS: readonly Risk[] = ['read', 'write', 'execute', 'network'];

export interface ToolContext {
  /** Aborts on cancel, on the tool's timeout, or when the run ends. Honour it. */
  readonly signal: AbortSignal;
  readonly fs: WorkspaceFs;
  readonly log: Logger;
  readonly runId: string;
  readonly callId: string;
  /**
   * Hands a question to a child agent with read tools only and its own share of the run's
   * budget; its events nest under this call in the trace. Absent inside a child (depth 1).
   */
  readonly delegate?: (request: DelegateRequest, signal: AbortSignal) => Promise<ToolResult>;
}

/** What a parent hands a child agent: a fresh context holds only this. */
export interface DelegateRequest {
  readonly question: string;
  /** Files or folders the child should start from. */
  readonly paths?: readonly string[];
}

/** A tool's answer. A plain string is shorthand for `{ output }`. */
export interface ToolResult {
  /** What the model reads (the loop truncates it to the result budget). */
  readonly output: string;
  /**
   * Names where the output's outside content came from ("src/app.ts", a URL), for the
   * flag on later risky calls; the tool's name is used when absent. Ignored for tools that
   * declare `outsideContent: false`.
   */
  readonly taintSource?: string;
  /**
   * What a change did to the editor's Problems panel (see editor/problems-after-change.ts);
   * the loop emits it as a `diagnostics` event after the result.
   */
  readonly diagnostics?: ProblemReport;
}

/** What the person is shown before a risky call runs. */
export interface ApprovalPreview {
  /** One line: "Write 12 lines to src/app.ts (new file)". */
  readonly summary: string;
  /** Exactly what will happen: the file and change size, or the command line and folder. */
  readonly detail: string;
  /** The workspace-relative paths the call writes or reads (for protected/sensitive rules). */
  readonly paths?: readonly string[];
  /** For writes: the file before and after, so the host can show a diff. */
  readonly diff?: { readonly path: string; readonly before: string; readonly after: string };
  /**
   * For commands: the exact command line and working folder, and what a shell parser found it
   * would run (absent when the tool did not parse it: then no command rule answers for it).
   */
  readonly command?: { readonly line: string; readonly cwd: string; readonly analysis?: CommandLineAnalysis };
}

/** Everything the person needs to decide on one risky call. */
export interface ApprovalRequest {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly risk: Risk;
  readonly args: unknown;
  readonly preview: ApprovalPreview;
  /** Why a person is asked, in plain words ("write tools need approval", …). */
  readonly reasons: readonly string[];
  /**
   * Set when the call follows content read from outside the user's prompt: the model may be
   * following instructions hidden there. Lists where that content came from.
   */
  readonly taintSources?: readonly string[];
  /** Protected paths this call writes (never auto-approved). */
  readonly protectedPaths?: readonly string[];
  /** Sensitive paths this call reads (never read without approval). */
  readonly sensitivePaths?: readonly string[];
  /** For commands: each command the line would run, and the rule that matched it (or why none could). */
  readonly commandParts?: readonly JudgedPart[];
  /**
   * True when no auto-approval may answer for the person (protected path, taint flag):
   * a host without a person to ask must deny.
   */
  readonly needsPerson: boolean;
}

export type ApprovalDecision =
  | { readonly kind: 'allow-once'; readonly reason?: string }
  /** Allow this tool on paths matching `pattern` for the rest of the chat (revocable). */
  | { readonly kind: 'allow-for-chat'; readonly pattern: string; readonly reason?: string }
  | { readonly kind: 'deny'; readonly reason?: string };

export interface Tool<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** Says *when* to use the tool, not only what it does: the model chooses by it. */
  readonly description: string;
  readonly risk: Risk;
  readonly input: S;
  /**
   * Every result (and error) of a tool is outside content — it may carry text an attacker
   * wrote (a file, a name, a command's output, a page, an error body) — unless the tool says
   * `false` here, which only a tool whose output it computes itself may do (a calculator's
   * number, the clock). Risky calls after outside content are flagged.
   */
  readonly outsideContent?: false;
  /**
   * The JSON Schema the model is shown, when it is not made from `input`: an MCP server's
   * tool comes with its own (`input` then only checks that the arguments are an object).
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The MCP server that provides the tool; absent for built-ins. Shown in the trace and dialogs. */
  readonly server?: string;
  /** Overrides the run's default per-tool timeout. */
  readonly timeoutMs?: number;
  /**
   * Told to the model when its result was cut to the result budget: how to see the cut part
   * with this tool ("Read the cut part with start_line/end_line."). A generic hint otherwise.
   */
  readonly truncationHint?: string;
  /**
   * False for a write or execute tool that cannot change workspace files (it writes only
   * Glassbox's own memory, say): no checkpoint is taken before it. Default true.
   */
  readonly changesWorkspace?: boolean;
  /**
   * False: small-model mode leaves the tool out (its prompt cost is not worth it for a small
   * model; the editor's navigation tools, unless the person turns them on). Default true.
   */
  readonly offeredToSmallModels?: boolean;
  /**
   * Describes the call for the approval dialog. Called before approval for risky tools, and
   * for read tools that touch sensitive paths. May read the workspace (e.g. to diff).
   */
  preview?(args: z.infer<S>, ctx: ToolContext): Promise<ApprovalPreview>;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<string | ToolResult>;
}

/**
 * Tools that come from outside the build (MCP servers), offered beside the built-ins. The run
 * asks for them once at its start; `prepare` must settle within its own bound (a server that
 * does not answer is left out with a warning), never hang the run.
 */
export interface ToolSource {
  prepare(request: { readonly reservedNames: readonly string[]; readonly signal: AbortSignal }): Promise<PreparedTools>;
}

export interface PreparedTools {
  readonly tools: readonly AnyTool[];
  /** What the person should know: servers left out, and why. Become `warning` events. */
  readonly warnings: readonly string[];
}

/** Exists only so TypeScript infers `execute`'s argument type from the schema. */
export const defineTool = <S extends z.ZodType>(tool: Tool<S>): Tool<S> => tool;

// Tools of different schemas live in one list; the loop validates input with `input`
// before `execute` sees it, so the widened type is safe there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
