import type { ApprovalPreview, Risk } from '../tool';

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
