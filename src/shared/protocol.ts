import { z } from 'zod';
import type { ChatAllowance } from '../agent/safety/approval';
import type { AgentEvent, RunEndReason, Totals } from '../agent/events';
import type { ChatSummary } from '../agent/history/chat-history';

// The one message protocol between the host and the two webviews (chat view, trace panel).
//
// Messages FROM a webview are untrusted: the host parses every one with the zod schemas below
// and drops what does not parse. Messages TO a webview come from the host and are typed only.
//
// Webview bundles must `import type` from this file: the schemas pull in zod, which the
// browser side does not need (the host is the only place that validates).
//
// Approvals never travel this way: they are modal dialogs the host owns.

/** Size limits on what a webview may send; generous for people, small for a misbehaving page. */
export const PROTOCOL_LIMITS = {
  questionChars: 100_000,
  idChars: 200,
  titleChars: 200,
  hrefChars: 4_096,
  clipboardChars: 2_000_000,
  codeChars: 2_000_000,
  toolNameChars: 200,
  patternChars: 1_000,
} as const;

const id = z.string().min(1).max(PROTOCOL_LIMITS.idChars);
const href = z.string().min(1).max(PROTOCOL_LIMITS.hrefChars);

// ---------------------------------------------------------------------------------------------
// From the chat view

/** What a notice's button does: open the person's own settings, or ask about the workspace's endpoint. */
export const CHAT_NOTICE_ACTIONS = ['openUserSettings', 'allowWorkspaceEndpoint'] as const;
export type ChatNoticeAction = (typeof CHAT_NOTICE_ACTIONS)[number];

export const ChatViewMessage = z.discriminatedUnion('type', [
  /** The page has loaded its script and wants a `state` snapshot. */
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('ask'),
    text: z.string().trim().min(1).max(PROTOCOL_LIMITS.questionChars),
    /** Attach the active editor's selection (with its path and line range) to the question. */
    attachSelection: z.boolean().optional(),
  }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('newChat') }),
  /** The model badge in the header was clicked: run Select Model. */
  z.object({ type: z.literal('selectModel') }),
  z.object({ type: z.literal('openChat'), chatId: id }),
  z.object({ type: z.literal('renameChat'), chatId: id, title: z.string().trim().min(1).max(PROTOCOL_LIMITS.titleChars) }),
  z.object({ type: z.literal('deleteChat'), chatId: id }),
  /** Open the trace panel on a run (the latest one of the chat when absent). */
  z.object({ type: z.literal('showTrace'), runId: id.optional() }),
  /** "Restore to before this step": the host previews, asks, then restores. */
  z.object({ type: z.literal('restoreCheckpoint'), checkpointId: id }),
  /** A person clicked a link; the host decides whether to open it (http(s) only). */
  z.object({ type: z.literal('openLink'), href }),
  z.object({ type: z.literal('copy'), text: z.string().max(PROTOCOL_LIMITS.clipboardChars) }),
  z.object({ type: z.literal('insertCode'), code: z.string().max(PROTOCOL_LIMITS.codeChars) }),
  /** The person's answer to a proposed plan: approved as edited, or rejected with a reason. */
  z.object({
    type: z.literal('decidePlan'),
    runId: id,
    revision: z.number().int().min(0).max(1_000),
    decision: z.discriminatedUnion('kind', [
      // The plan itself is checked again at the host with the plan schema (ids, dependencies, cycles).
      z.object({ kind: z.literal('approve'), plan: z.unknown() }),
      z.object({ kind: z.literal('reject'), reason: z.string().trim().min(1).max(PROTOCOL_LIMITS.questionChars) }),
    ]),
  }),
  /** "Plan first" in the composer: the next question is planned, and the plan shown for approval. */
  z.object({ type: z.literal('setPlanFirst'), on: z.boolean() }),
  /** A notice's button, or its close (×): the host opens settings, asks about an endpoint, or drops the notice. */
  z.object({ type: z.literal('noticeAction'), noticeId: id, action: z.enum([...CHAT_NOTICE_ACTIONS, 'dismiss']) }),
  /** "Use Ollama at 127.0.0.1:11434 — qwen2.5-coder:7b" in the set-up: one of the host's own offers, by id. */
  z.object({ type: z.literal('useLocalServer'), offerId: id }),
  /** Set-up buttons shown before any model is ready. */
  z.object({ type: z.literal('setup'), action: z.enum(['selectProvider', 'setApiKey']) }),
  /** A button of the run problem the chat shows (by its index in `ChatState.problem.actions`), or its close button. */
  z.object({ type: z.literal('problemAction'), index: z.number().int().min(0).max(10) }),
  z.object({ type: z.literal('dismissProblem') }),
  z.object({
    type: z.literal('revokeAllowance'),
    tool: z.string().min(1).max(PROTOCOL_LIMITS.toolNameChars),
    pattern: z.string().min(1).max(PROTOCOL_LIMITS.patternChars),
  }),
]);
export type ChatViewMessage = z.infer<typeof ChatViewMessage>;

// ---------------------------------------------------------------------------------------------
// From the trace panel

export const TracePanelMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('selectRun'), runId: id }),
  z.object({ type: z.literal('exportRun'), runId: id }),
  z.object({ type: z.literal('restoreCheckpoint'), checkpointId: id }),
  z.object({ type: z.literal('openLink'), href }),
]);
export type TracePanelMessage = z.infer<typeof TracePanelMessage>;

// ---------------------------------------------------------------------------------------------
// To the webviews (host-built, typed only)

/** One past chat in the list: the history's own summary (a type only: the protocol stays free of storage code). */
export type ChatSummaryView = ChatSummary;

/** One question and the run that answered it (events in stream order; empty before it starts). */
export interface ChatTurn {
  readonly runId: string;
  readonly question: string;
  readonly events: readonly AgentEvent[];
}

export interface ChatState {
  readonly chatId: string;
  readonly title: string;
  /** The model runs use, as configured. */
  readonly model: string;
  /** Who serves it ("Ollama", "Azure OpenAI", "VS Code"), for the chat header. */
  readonly provider: string;
  readonly turns: readonly ChatTurn[];
  /** The run in progress in this chat, if any (Stop is enabled while set). */
  readonly runningRunId?: string;
  /** Tokens and cost of the whole chat; `cachedInputTokens` is the part of the input a prompt cache served. */
  readonly totals: {
    readonly inputTokens: number;
    readonly cachedInputTokens?: number;
    readonly outputTokens: number;
    readonly costUsd: number;
  };
  readonly pastChats: readonly ChatSummaryView[];
  readonly allowances: readonly ChatAllowance[];
  /** Restricted Mode (untrusted workspace): only read tools are offered. */
  readonly restricted: boolean;
  readonly restrictedReason?: string;
  /** False until an endpoint/key is usable; the view then says how to set one up. */
  readonly configured: boolean;
  /** "Plan first": questions are planned and the plan approved before any step runs. */
  readonly planFirst?: boolean;
  /** Said once each until dismissed: workspace settings Glassbox did not use, and why (issue 19). */
  readonly notices?: readonly ChatNotice[];
  /** While not `configured`: the model servers running here right now, offered in one click. */
  readonly setup?: ChatSetup;
  /** The latest problem a run met, with its buttons; gone once a later action resolved it. */
  readonly problem?: { readonly message: string; readonly actions: readonly { readonly label: string }[] };
}

/** What the chat offers before any model is ready. */
export interface ChatSetup {
  readonly offers: readonly { readonly id: string; readonly label: string; readonly detail: string }[];
  /** The loopback probe is still going. */
  readonly probing: boolean;
  /** A question was asked before a model was ready: the view says to choose one first. */
  readonly asked: boolean;
}

export interface ChatNotice {
  /** Stable for the same content, so a dismissed notice stays dismissed. */
  readonly id: string;
  readonly text: string;
  /** One line each, folded under the text ("Values and reasons"). */
  readonly details?: readonly string[];
  readonly button?: { readonly label: string; readonly action: ChatNoticeAction };
}

export type ToChatViewMessage =
  | { readonly type: 'state'; readonly state: ChatState }
  | { readonly type: 'event'; readonly runId: string; readonly event: AgentEvent };

/** One run in the trace panel's picker. */
export interface RunSummary {
  readonly runId: string;
  readonly task: string;
  readonly startedAt: number;
  /** Absent while the run is going. */
  readonly endedAt?: number;
  readonly reason?: RunEndReason;
  readonly totals?: Totals;
}

export type ToTracePanelMessage =
  | {
      readonly type: 'traceState';
      readonly runs: readonly RunSummary[];
      readonly selectedRunId?: string;
      /** Every event of the selected run so far. */
      readonly events: readonly AgentEvent[];
    }
  /** One more event of a run (the panel shows it when that run is selected). */
  | { readonly type: 'traceEvent'; readonly runId: string; readonly event: AgentEvent };

// ---------------------------------------------------------------------------------------------

export type ParseResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

/** Parses an untrusted chat-view message; the error names the offending fields. */
export function parseChatViewMessage(raw: unknown): ParseResult<ChatViewMessage> {
  return toResult(ChatViewMessage.safeParse(raw));
}

/** Parses an untrusted trace-panel message; the error names the offending fields. */
export function parseTracePanelMessage(raw: unknown): ParseResult<TracePanelMessage> {
  return toResult(TracePanelMessage.safeParse(raw));
}

function toResult<T>(parsed: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (parsed.success) return { ok: true, message: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`);
  return { ok: false, error: issues.join('; ') };
}
