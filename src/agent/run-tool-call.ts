import { AgentError, CancelledError, messageOf } from './errors';
import type { AnyTool, ToolContext, ToolResult } from './tool';

export interface ToolOutcome {
  readonly ok: boolean;
  readonly output: string;
  readonly taintSource?: string;
  readonly failure?: 'timeout' | 'error';
}

/**
 * Runs one validated call under its timeout. A throw becomes text the model reads; a timeout
 * becomes a result saying so. If the run is cancelled the promise rejects with CancelledError
 * at once, even when the tool ignores its signal, so Stop never waits on a stuck tool.
 */
export async function runToolCall(
  tool: AnyTool,
  args: unknown,
  context: Omit<ToolContext, 'signal'>,
  runSignal: AbortSignal,
  timeoutMs: number,
): Promise<ToolOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = AbortSignal.any([runSignal, timeout.signal]);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(runSignal.aborted ? new CancelledError() : new ToolTimeout());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const result = await Promise.race([tool.execute(args, { ...context, signal }), aborted]);
    const { output, taintSource } = asResult(result);
    return { ok: true, output, taintSource };
  } catch (error) {
    if (runSignal.aborted) throw new CancelledError();
    if (error instanceof ToolTimeout || timeout.signal.aborted) {
      return {
        ok: false,
        failure: 'timeout',
        output: `Error: ${tool.name} timed out after ${formatSeconds(timeoutMs)} and was stopped. ` +
          'Try a narrower request, or another approach.',
      };
    }
    if (error instanceof AgentError && !error.recoverable) throw error;
    return { ok: false, failure: 'error', output: `Error: ${messageOf(error)}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The race's loser must not surface as an unhandled rejection.
    aborted.catch(() => undefined);
    timeout.abort();
  }
}

class ToolTimeout extends Error {}

function asResult(result: string | ToolResult): ToolResult {
  return typeof result === 'string' ? { output: result } : result;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
