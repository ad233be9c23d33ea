import type { ApprovalHandler, ApprovalSettings } from '../safety/approval';
import type { ApprovalDecision, ApprovalRequest } from '../tool';
import { decideApproval } from '../safety/approval-policy';
import type { Conversation } from './conversation';
import { CancelledError, FileNotFoundError, PathOutsideWorkspaceError } from '../errors';
import { messageOf } from '../format';
import type { AgentEvent, AgentEventBody, RunLimits, ToolFailure } from '../events';
import type { Logger } from '../logger';
import type { LoopDetector } from './loop-detector';
import type { ToolCallRequest } from '../model/model';
import { parseToolCall, type ParsedToolCall } from './parse-tool-call';
import { sensitivePathsOf } from './sensitive-paths';
import { redactSecrets } from '../safety/redact';
import { redactApprovalRequest } from '../safety/redact-request';
import { redactValue } from '../safety/redact-value';
import { runToolCall } from './run-tool-call';
import type { AnyTool, ApprovalPreview, DelegateRequest, ToolContext, ToolResult } from '../tool';
import { truncateToTokens } from './truncate-output';
import { untilAborted } from './until-aborted';
import type { WorkspaceFs } from '../workspace-fs';
import { checkpointLabel, needsCheckpoint, type Checkpointer } from '../checkpoints/checkpointer';
import type { ProblemReport } from '../editor/problem-report';

interface CallResult {
  readonly ok: boolean;
  /** What the model is sent: redacted, unless a person approved reading the secrets. */
  readonly output: string;
  readonly failure?: ToolFailure;
  /** Set for every result that came out of a tool (see Tool.outsideContent). */
  readonly taintSource?: string;
  readonly durationMs?: number;
  /** Characters cut from the middle to fit the result budget. */
  readonly truncatedChars?: number;
  /** True when `output` still holds secrets a person approved; the trace redacts it again. */
  readonly holdsApprovedSecrets?: boolean;
  /** True when `output` has been redacted already (so it is not done twice). */
  readonly redacted?: boolean;
  /** What the call's change did to the Problems panel; emitted as a `diagnostics` event. */
  readonly diagnostics?: ProblemReport;
}

/** Calls of one reply that are run; the rest are answered "not run". */
export const MAX_CALLS_PER_REPLY = 32;

export interface ToolStepDeps {
  readonly conversation: Conversation;
  readonly tools: ReadonlyMap<string, AnyTool>;
  readonly fs: WorkspaceFs;
  readonly log: Logger;
  readonly runId: string;
  readonly signal: AbortSignal;
  readonly limits: RunLimits;
  readonly approvalSettings: ApprovalSettings;
  readonly approve?: ApprovalHandler;
  readonly detector: LoopDetector;
  readonly emit: (body: AgentEventBody) => AgentEvent;
  readonly countToolCall: () => void;
  /** Starts a child agent for a call (see child-run.ts); absent when this run may not delegate. */
  readonly delegate?: (callId: string, request: DelegateRequest, signal: AbortSignal) => Promise<ToolResult>;
  /** Records the workspace before each risky call, so "restore to before this step" works. */
  readonly checkpoints?: Checkpointer;
  readonly step?: () => number;
}

/**
 * The "act and observe" half of a step: validates the model's calls, asks for approval, runs
 * them and hands every result back in call order with its `tool_call_id`. Consecutive read-only
 * calls run side by side; risky ones run one at a time, in order, each after its approval.
 */
export class ToolStep {
  constructor(private readonly deps: ToolStepDeps) {}

  /** Returns a reason when loop detection says the run must stop. */
  async run(calls: readonly ToolCallRequest[]): Promise<string | undefined> {
    const { conversation, tools, emit } = this.deps;
    // Only content the model had already seen can be steering these calls.
    const taintSources = conversation.taintSources;
    const results = new Map<string, CallResult>();
    let stopReason: string | undefined;

    const runnable: Extract<ParsedToolCall, { kind: 'valid' }>[] = [];
    for (const [index, call] of calls.entries()) {
      if (index >= MAX_CALLS_PER_REPLY) {
        // Each call needs a result in the next prompt; hundreds of them would not fit any window.
        emit({ type: 'tool-call', callId: call.id, tool: call.name, args: '(not parsed)', risk: tools.get(call.name)?.risk ?? 'unknown' });
        this.#settle(results, call, {
          ok: false,
          failure: 'cancelled',
          output: `Not run: the reply made ${calls.length} tool calls; at most ${MAX_CALLS_PER_REPLY} run per reply. Make fewer calls at a time.`,
        });
        continue;
      }
      const parsed = parseToolCall(call, tools);
      emit({
        type: 'tool-call',
        callId: call.id,
        tool: call.name,
        args: typeof parsed.args === 'string' ? parsed.args : redactValue(parsed.args).value,
        risk: parsed.tool?.risk ?? 'unknown',
        ...(parsed.tool?.server ? { server: parsed.tool.server } : {}),
      });
      if (stopReason !== undefined) {
        this.#settle(results, call, { ok: false, failure: 'cancelled', output: `Not run: ${stopReason}.` });
        continue;
      }
      const verdict = this.deps.detector.record(call.name, parsed.args);
      if (verdict.kind === 'stop') {
        stopReason = verdict.message;
        emit({ type: 'warning', code: 'loop', message: `Stopping the run: ${verdict.message}.` });
        this.#settle(results, call, { ok: false, failure: 'cancelled', output: `Not run: the run was stopped because ${verdict.message}.` });
        continue;
      }
      if (verdict.kind === 'warn') {
        emit({ type: 'warning', code: 'loop', message: `Possible loop: ${verdict.message}.` });
        this.#settle(results, call, {
          ok: false,
          failure: 'error',
          output:
            `Not run: ${verdict.message}. Repeating it will not give a different result. ` +
            'Change your approach or answer with what you have; the run stops if this goes on.',
        });
        continue;
      }
      if (parsed.kind === 'invalid') {
        this.#settle(results, call, { ok: false, failure: parsed.failure, output: `Error: ${parsed.message}` });
        continue;
      }
      runnable.push(parsed);
    }

    try {
      await this.#runBatches(runnable, taintSources, results);
    } finally {
      // Also when the step is cut short (Stop, a timeout, a fatal tool error): a call that did
      // run is reported as it ran, so the next turn does not take a finished write for
      // "not run"; the loop fills in the calls that got no result.
      for (const call of calls) {
        const result = results.get(call.id);
        if (result) conversation.append({ role: 'tool', toolCallId: call.id, content: result.output });
        if (result?.taintSource) conversation.addTaintSource(result.taintSource);
      }
    }
    return stopReason;
  }

  /** Batches in call order: a run of read calls together, each risky call alone. */
  async #runBatches(
    runnable: readonly Extract<ParsedToolCall, { kind: 'valid' }>[],
    taintSources: readonly string[],
    results: Map<string, CallResult>,
  ): Promise<void> {
    let index = 0;
    while (index < runnable.length && !this.deps.signal.aborted) {
      if (runnable[index].tool.risk === 'read') {
        const batch: Extract<ParsedToolCall, { kind: 'valid' }>[] = [];
        while (index < runnable.length && runnable[index].tool.risk === 'read') batch.push(runnable[index++]);
        const approved: { parsed: (typeof runnable)[number]; secretsApproved: boolean }[] = [];
        for (const parsed of batch) {
          const gate = await this.#approve(parsed, taintSources);
          if (gate.allowed) approved.push({ parsed, secretsApproved: gate.secretsApproved });
          else this.#settle(results, parsed.call, gate.result);
        }
        await Promise.all(
          approved.map(async ({ parsed, secretsApproved }) =>
            this.#settle(results, parsed.call, await this.#execute(parsed, secretsApproved)),
          ),
        );
      } else {
        const parsed = runnable[index++];
        const gate = await this.#approve(parsed, taintSources);
        this.#settle(results, parsed.call, gate.allowed ? await this.#execute(parsed, gate.secretsApproved) : gate.result);
      }
    }
    if (this.deps.signal.aborted) throw new CancelledError();
  }

  #settle(results: Map<string, CallResult>, call: ToolCallRequest, result: CallResult): void {
    // Everything the model is sent is redacted, errors and refusals included (they may quote a
    // file or echo arguments): only a sensitive file a person approved reading keeps its secrets.
    const forModel: CallResult =
      result.holdsApprovedSecrets || result.redacted ? result : { ...result, output: redactSecrets(result.output).text };
    results.set(call.id, forModel);
    this.deps.emit({
      type: 'tool-result',
      callId: call.id,
      tool: call.name,
      ok: forModel.ok,
      output: forModel.holdsApprovedSecrets ? redactSecrets(forModel.output).text : forModel.output,
      durationMs: forModel.durationMs ?? 0,
      truncatedChars: forModel.truncatedChars ?? 0,
      ...(forModel.taintSource ? { taintSource: forModel.taintSource } : {}),
      ...(forModel.failure ? { failure: forModel.failure } : {}),
    });
    if (forModel.diagnostics) this.deps.emit({ type: 'diagnostics', callId: call.id, tool: call.name, ...forModel.diagnostics });
  }

  async #approve(
    parsed: Extract<ParsedToolCall, { kind: 'valid' }>,
    taintSources: readonly string[],
  ): Promise<{ allowed: true; secretsApproved: boolean } | { allowed: false; result: CallResult }> {
    const { tool, args, call } = parsed;
    const { emit, conversation } = this.deps;
    let preview: ApprovalPreview | undefined;
    if (tool.preview) {
      const made = await this.#preview(parsed);
      if (!made.ok) return { allowed: false, result: made.result };
      preview = made.preview;
    }
    const decision = decideApproval({
      tool,
      args,
      preview,
      settings: this.deps.approvalSettings,
      taintSources,
      allowances: conversation.allowances,
      personText: conversation.messages.flatMap((message) => (message.role === 'user' ? [message.content] : [])).join('\n'),
    });
    if (decision.kind === 'auto') {
      if (tool.risk !== 'read') {
        emit({ type: 'approval-decided', callId: call.id, tool: tool.name, decision: 'auto', reason: decision.reason, durationMs: 0 });
      }
      return { allowed: true, secretsApproved: false };
    }

    // Arguments as shown in events and approval dialogs: secrets redacted in every string.
    const shownArgs = redactValue(args).value;
    const request: ApprovalRequest = {
      runId: this.deps.runId,
      callId: call.id,
      tool: tool.name,
      risk: tool.risk,
      args: shownArgs,
      preview: preview ?? { summary: `Run ${tool.name}`, detail: JSON.stringify(shownArgs, null, 2) },
      reasons: decision.reasons,
      needsPerson: decision.needsPerson,
      ...(decision.taintSources.length > 0 ? { taintSources: decision.taintSources } : {}),
      ...(decision.protectedPaths.length > 0 ? { protectedPaths: decision.protectedPaths } : {}),
      ...(decision.sensitivePaths.length > 0 ? { sensitivePaths: decision.sensitivePaths } : {}),
      ...(decision.commandParts ? { commandParts: decision.commandParts } : {}),
    };
    // Events end up in traces, logs and history: they carry the request with secrets redacted.
    // The person's own dialog gets it whole, so a changed secret shows as changed.
    emit({ type: 'approval-requested', callId: call.id, request: redactApprovalRequest(request) });
    const asked = performance.now();
    const answer = await this.#ask(request);
    emit({
      type: 'approval-decided',
      callId: call.id,
      tool: tool.name,
      decision: answer.kind,
      reason: answer.reason ?? (answer.kind === 'deny' ? 'declined' : 'approved'),
      durationMs: performance.now() - asked,
    });
    if (answer.kind === 'deny') {
      const why = answer.reason ? ` (${answer.reason})` : '';
      return {
        allowed: false,
        result: {
          ok: false,
          failure: 'denied',
          output: `The user declined this ${tool.name} call${why}. Do not repeat it; choose another approach or ask the user.`,
        },
      };
    }
    if (answer.kind === 'allow-for-chat') {
      conversation.allow({ tool: tool.name, pattern: answer.pattern, grantedAt: Date.now() });
    }
    return { allowed: true, secretsApproved: decision.sensitivePaths.length > 0 };
  }

  async #ask(request: ApprovalRequest): Promise<ApprovalDecision> {
    const { approve, signal } = this.deps;
    if (!approve) return { kind: 'deny', reason: 'no one is available to approve it' };
    return untilAborted(approve(request, signal), signal);
  }

  /**
   * The call's preview, under the tool timeout. A preview that cannot be made (path outside,
   * missing file, old_text not found) is the call's answer; for a call on a sensitive path
   * its message may quote the file, so then the model gets only what kind of failure it was.
   */
  async #preview(
    parsed: Extract<ParsedToolCall, { kind: 'valid' }>,
  ): Promise<{ ok: true; preview: ApprovalPreview } | { ok: false; result: CallResult }> {
    const { tool, args, call } = parsed;
    const timeoutMs = tool.timeoutMs ?? this.deps.limits.toolTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([this.deps.signal, timeout]);
    const taintSource = this.#taintSourceOf(tool);
    try {
      return { ok: true, preview: await untilAborted(tool.preview!(args, this.#context(call.id, signal)), signal) };
    } catch (error) {
      if (this.deps.signal.aborted) throw new CancelledError();
      if (timeout.aborted) {
        return {
          ok: false,
          result: {
            ok: false,
            failure: 'timeout',
            output: `Error: ${tool.name} could not be prepared within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
            ...(taintSource ? { taintSource } : {}),
          },
        };
      }
      const sensitive = await sensitivePathsOf(args, this.deps.approvalSettings, this.deps.fs);
      const output =
        sensitive.length > 0 && !(error instanceof FileNotFoundError || error instanceof PathOutsideWorkspaceError)
          ? `Error: ${tool.name} on ${sensitive.join(', ')} failed (${error instanceof Error ? error.name : 'error'}). ` +
            'The details are not shown because the file may hold secrets; read it with read_file, which asks the user first.'
          : `Error: ${messageOf(error)}`;
      return { ok: false, result: { ok: false, failure: 'error', output, ...(taintSource ? { taintSource } : {}) } };
    }
  }

  /** Where a result of `tool` counts as coming from, or undefined for a tool that computes its own. */
  #taintSourceOf(tool: AnyTool, named?: string): string | undefined {
    if (tool.outsideContent === false) return undefined;
    return named ?? `${tool.name} result`;
  }

  async #execute(parsed: Extract<ParsedToolCall, { kind: 'valid' }>, secretsApproved: boolean): Promise<CallResult> {
    const { tool, args, call } = parsed;
    if (this.deps.checkpoints && needsCheckpoint(tool)) await this.#checkpoint(this.deps.checkpoints, parsed);
    this.deps.countToolCall();
    const started = performance.now();
    const outcome = await runToolCall({
      tool,
      args,
      context: this.#baseContext(call.id),
      runSignal: this.deps.signal,
      timeoutMs: tool.timeoutMs ?? this.deps.limits.toolTimeoutMs,
    });
    // The model sees secrets only from a sensitive file a person approved reading.
    const visible = secretsApproved ? outcome.output : redactSecrets(outcome.output).text;
    const fitted = truncateToTokens(visible, this.deps.limits.toolResultTokens, tool.truncationHint ?? DEFAULT_TRUNCATION_HINT);
    // Failures too: an error can quote a file, a page's body or a command's output.
    const taintSource = this.#taintSourceOf(tool, outcome.taintSource);
    return {
      ok: outcome.ok,
      output: parsed.repairNote ? `${parsed.repairNote}\n\n${fitted.text}` : fitted.text,
      durationMs: performance.now() - started,
      truncatedChars: fitted.cutChars,
      holdsApprovedSecrets: secretsApproved,
      redacted: !secretsApproved,
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(taintSource ? { taintSource } : {}),
      ...(outcome.diagnostics ? { diagnostics: outcome.diagnostics } : {}),
    };
  }

  /** After approval, before the call runs. A failure is a warning: the person already said yes. */
  async #checkpoint(checkpoints: Checkpointer, { tool, args, call }: Extract<ParsedToolCall, { kind: 'valid' }>): Promise<void> {
    try {
      const made = await checkpoints.create({
        runId: this.deps.runId,
        step: this.deps.step?.() ?? 0,
        callId: call.id,
        tool: tool.name,
        label: checkpointLabel(tool.name, args),
      });
      this.deps.emit({ type: 'checkpoint-created', callId: call.id, tool: tool.name, ...made });
    } catch (error) {
      this.deps.emit({
        type: 'warning',
        code: 'other',
        message: `No checkpoint could be made before ${tool.name} (${messageOf(error)}): restoring to before this step will not be possible.`,
      });
    }
  }

  #context(callId: string, signal: AbortSignal): ToolContext {
    return { ...this.#baseContext(callId), signal };
  }

  #baseContext(callId: string): Omit<ToolContext, 'signal'> {
    const { delegate } = this.deps;
    return {
      fs: this.deps.fs,
      log: this.deps.log,
      runId: this.deps.runId,
      callId,
      ...(delegate ? { delegate: (request: DelegateRequest, callSignal: AbortSignal) => delegate(callId, request, callSignal) } : {}),
    };
  }
}

/** For tools that do not say how to see what was cut from their result. */
const DEFAULT_TRUNCATION_HINT = 'Ask for a smaller part to see the rest.';
