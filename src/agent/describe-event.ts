import type { AgentEvent } from './events';
import { formatProblem } from './problems';
import { assertNever, clipLine, formatBytes, formatDuration, plural } from './format';

/**
 * One readable line per event, for logs (the extension's output channel, the CLI's stderr).
 * Undefined for events too fine-grained to log one by one (streamed text).
 */
export function describeEvent(event: AgentEvent): string | undefined {
  const step = event.step > 0 ? `[step ${event.step}] ` : '';
  switch (event.type) {
    case 'run-start':
      return `Run ${event.runId} started with ${event.model}: ${clipLine(event.task, 200)} ` +
        `(tools: ${event.tools.map((t) => t.name).join(', ') || 'none'}; max ${event.limits.maxSteps} steps` +
        `${event.notices?.length ? `; ${event.notices.join('; ')}` : ''})`;
    case 'memory-recalled':
      return `Recalled ${event.facts.length} fact(s): ${event.facts.map((f) => `"${clipLine(f.text, 60)}" (${f.why})`).join('; ')}`;
    case 'model-request':
      return `${step}Model call: ${event.messageCount} messages, ~${event.estimatedInputTokens} prompt tokens` +
        (event.estimatedCachedInputTokens ? ` (~${event.estimatedCachedInputTokens} expected from cache)` : '');
    case 'text-delta':
    case 'reasoning-delta':
      return undefined;
    case 'text-reset':
      return `${step}Discarding partial answer: ${event.reason}`;
    case 'assistant-message': {
      const calls = event.toolCalls.map((c) => c.name).join(', ');
      const said = event.text ? `"${clipLine(event.text, 160)}"` : '(no text)';
      const fromText = event.toolCallsFromText ? ` (written as text, ${event.toolCallsFromText} format)` : '';
      const thought = event.reasoning ? ` after thinking ${event.reasoning.length} chars` : '';
      return `${step}Model answered in ${formatDuration(event.durationMs)}${thought}: ${said}${calls ? `; calls ${calls}${fromText}` : ''}`;
    }
    case 'tool-call':
      return `${step}→ ${event.tool} ${clipLine(typeof event.args === 'string' ? event.args : JSON.stringify(event.args), 200)} [${event.risk}${event.server ? `, MCP server ${event.server}` : ''}]`;
    case 'approval-requested':
      return `${step}Approval needed for ${event.request.tool}: ${event.request.preview.summary}` +
        (event.request.taintSources ? ` (follows content read from ${event.request.taintSources.join(', ')})` : '');
    case 'approval-decided':
      return `${step}Approval for ${event.tool}: ${event.decision} — ${event.reason}`;
    case 'tool-result':
      return `${step}← ${event.tool} ${event.ok ? 'ok' : `failed${event.failure ? ` (${event.failure})` : ''}`} in ${formatDuration(event.durationMs)}: ` +
        `${clipLine(event.output, 200)}${event.truncatedChars > 0 ? ` [${event.truncatedChars} chars cut]` : ''}`;
    case 'checkpoint-created':
      return `${step}Checkpoint ${event.checkpointId} before ${event.tool}: ${event.files} files, ` +
        `${formatBytes(event.addedBytes)} new${event.skippedFiles > 0 ? `, ${event.skippedFiles} too large to keep` : ''} (${formatDuration(event.durationMs)})`;
    case 'diagnostics':
      return `${step}Problems after ${event.tool} in ${event.files.join(', ')}: ` +
        `${event.added.length} new, ${event.fixed.length} fixed; now ${plural(event.errors, 'error')}, ${plural(event.warnings, 'warning')}` +
        `${event.added.length > 0 ? ` — ${event.added.slice(0, 3).map(formatProblem).join('; ')}${event.added.length > 3 ? '; …' : ''}` : ''}` +
        `${event.settled ? '' : ` (not settled after ${formatDuration(event.waitedMs)})`}`;
    case 'checkpoint-restored':
      return `Restored checkpoint ${event.checkpointId}: ${plural(event.changedFiles, 'file')} changed` +
        `${event.failedFiles > 0 ? `, ${event.failedFiles} failed` : ''}; undo with checkpoint ${event.undoCheckpointId}`;
    case 'warning':
      return `${step}Warning (${event.code}): ${event.message}`;
    case 'error':
      return `${step}Error: ${event.message}`;
    case 'usage':
      return `${step}Usage: ${event.inputTokens} in${event.cachedInputTokens !== undefined ? ` (${event.cachedInputTokens} cached)` : ''} / ` +
        `${event.outputTokens} out${event.estimated ? ' (estimated)' : ''}, ` +
        `$${event.costUsd.toFixed(4)}; run total $${event.totals.costUsd.toFixed(4)}`;
    case 'final-answer':
      return `${step}Final answer (${event.text.length} chars)`;
    case 'child-started':
      return `${step}Research helper ${event.childRunId} for ${event.callId}: ${clipLine(event.question, 160)} ` +
        `(max ${event.limits.maxSteps} steps${Number.isFinite(event.limits.maxCostUsd) ? `, $${event.limits.maxCostUsd.toFixed(4)}` : ''})`;
    case 'child-event': {
      const inner = describeEvent(event.event);
      // Indented under the call that started it; the step shown is the child's own.
      return inner === undefined ? undefined : `  │ ${inner}`;
    }
    case 'child-ended':
      return `${step}Research helper ${event.childRunId} ended: ${event.reason} after ${event.steps} step(s), ${formatDuration(event.durationMs)}, ` +
        `${event.totals.inputTokens + event.totals.outputTokens} tokens, $${event.totals.costUsd.toFixed(4)}`;
    case 'plan-proposed':
      return `${event.revision === 0 ? 'Plan proposed' : `Revised plan (revision ${event.revision})`}: ${clipLine(event.plan.goal, 120)} — ` +
        event.plan.steps.map((s, i) => `${i + 1}. ${s.title}`).join('; ');
    case 'plan-decided':
      return `Plan ${event.decision}${event.edited ? ' with edits' : ''}${event.reason ? `: ${clipLine(event.reason, 160)}` : ''}`;
    case 'plan-step-started':
      return `Plan step ${event.stepId} started: ${clipLine(event.title, 120)} (max ${event.limits.maxSteps} steps)`;
    case 'plan-step-event': {
      const inner = describeEvent(event.event);
      return inner === undefined ? undefined : `  ${event.stepId} │ ${inner}`;
    }
    case 'plan-step-ended':
      return `Plan step ${event.stepId} ${event.outcome} in ${formatDuration(event.durationMs)}: ${clipLine(event.findings, 160)}`;
    case 'run-end':
      return `Run ended: ${event.reason} after ${event.steps} step(s), ${formatDuration(event.durationMs)}, ` +
        `${event.totals.inputTokens + event.totals.outputTokens} tokens` +
        (event.totals.cachedInputTokens ? ` (${event.totals.cachedInputTokens} input cached)` : '') +
        `, $${event.totals.costUsd.toFixed(4)}`;
    default:
      return assertNever(event);
  }
}
