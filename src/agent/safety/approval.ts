import type { ApprovalDecision, ApprovalRequest, Risk } from '../tool';
import type { CommandRules } from './command-rules';

/** Injected by the host: a modal in VS Code, a y/n prompt in the CLI. */
export type ApprovalHandler = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalDecision>;

export interface ApprovalSettings {
  /** Auto-approve calls of these risks (off by default for write, execute, network). */
  readonly autoApprove: Readonly<Record<Risk, boolean>>;
  /** Globs never written without asking, on top of the built-in ones (.vscode/**, .git/**, …). */
  readonly protectedPaths: readonly string[];
  /** Globs never read without asking, on top of the built-in ones (.env*, *.pem, …). */
  readonly sensitivePaths: readonly string[];
  /** When true (the default), taint-flagged risky calls always ask a person. */
  readonly taintNeedsApproval: boolean;
  /**
   * Tools auto-approved by name whatever their risk (e.g. `remember`, which writes only
   * Glassbox's own memory). Protected paths, sensitive paths and taint still ask.
   */
  readonly autoApproveTools?: readonly string[];
  /**
   * Commands that run unasked (allow) and commands that never do (deny), judged on every part
   * of a command line. Allow comes from the person only (user settings, CLI flags).
   */
  readonly commandRules?: CommandRules;
}

export const defaultApprovalSettings: ApprovalSettings = {
  autoApprove: { read: true, write: false, execute: false, network: false },
  protectedPaths: [],
  sensitivePaths: [],
  taintNeedsApproval: true,
};

/** An "Allow for this chat" grant: this tool, on paths matching this glob. */
export interface ChatAllowance {
  readonly tool: string;
  readonly pattern: string;
  readonly grantedAt: number;
}
