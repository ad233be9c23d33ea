import { AgentError, CancelledError } from '../errors';
import { formatDuration, messageOf } from '../format';
import type { ToolFailure } from '../events';
import type { AnyTool, ToolContext, ToolResult } from '../tool';
import type { ProblemReport } from '../editor/problem-report';

export interface ToolOutcome {
  readonly ok: boolean;
  readonly output: string;
  readonly taintSource?: string;
  readonly failure?: Extract<ToolFailure, 'timeout' | 'error'>;
  readonly diagnostics?: ProblemReport;
}

/** One call as runToolCall takes it. */
export interface ToolCallInput {
  readonly tool: AnyTool;
  /** Arguments already validated by the tool's schema. */
  readonly args: unknown;
  /** The tool's context but its signal, which is made here from the run's and the timeout. */
  readonly context: Omit<ToolContext, 'signal'>;
  readonly runSignal: AbortSignal;
  readonly timeoutMs: number;
}

/**
 * Runs one validated call under its timeout. A throw becomes text the model reads; a timeout
 * becomes a result saying so. If the run is cancelled the promise rejects with CancelledError
 * at once, even when the tool ignores its signal, so Stop never waits on a stuck tool.
 */
export async function runToolCall({ tool, args, context, runSignal, timeoutMs }: ToolCallInput): Promise<ToolOutcome> {
  // One controller for the call, aborted by the run or by the timer. (AbortSignal.any would
  // do the same, but costs more per call than the rest of the bookkeeping together.)
  const call = new AbortController();
  let timedOut = false;
  const onRunAbort = () => call.abort();
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    call.abort();
  }, timeoutMs);
  const signal = call.signal;
  if (runSignal.aborted) call.abort();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(runSignal.aborted ? new CancelledError() : new ToolTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const result = await Promise.race([tool.execute(args, { ...context, signal }), aborted]);
    const { output, taintSource, diagnostics } = asResult(result);
    return { ok: true, output, taintSource, ...(diagnostics ? { diagnostics } : {}) };
  } catch (error) {
    if (runSignal.aborted) throw new CancelledError();
    if (error instanceof ToolTimeout || timedOut) {
      return {
        ok: false,
        failure: 'timeout',
        output: `Error: ${tool.name} timed out after ${formatDuration(timeoutMs)} and was stopped. ` +
          'Try a narrower request, or another approach.',
      };
    }
    if (error instanceof AgentError && !error.recoverable) throw error;
    return { ok: false, failure: 'error', output: `Error: ${messageOf(error)}` };
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The race's loser must not surface as an unhandled rejection.
    aborted.catch(() => undefined);
  }
}

class ToolTimeout extends Error {}

function asResult(result: string | ToolResult): ToolResult {
  return typeof result === 'string' ? { output: result } : result;
}

