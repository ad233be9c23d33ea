import type { ModelCallRow, PlanRow, PlanStepRow, ProblemsRow, RunEndRow, RunStartRow, TextRow, ToolRow, TraceRow } from './trace-model';
import { timeSpanOf } from './trace-model';
import { h, icon } from './dom';
import { DECISION_LABELS, RUN_END_LABELS, clip, formatCost, formatDuration, formatOffset, formatShare, formatTokens, prettyArgs, summarizeArgs } from './format';

/** Longest output shown in an expanded row before "Show all". */
const OUTPUT_PREVIEW_CHARS = 4_000;

export interface RowViewContext {
  /** Epoch ms of the run's start: offsets and the waterfall are relative to it. */
  readonly startTime: number;
  isExpanded(key: string): boolean;
  isShowingAll(key: string): boolean;
  /** `redraw`: the top-level row to render again (a nested row's owner); the key itself by default. */
  toggle(key: string, redraw?: string): void;
  showAll(key: string, redraw?: string): void;
  /** "Restore to before this step" on a tool row that has a checkpoint. */
  restore(checkpointId: string): void;
}

/**
 * The context for a nested run's rows (a research helper's, a plan step's) inside the row `owner`:
 * their keys are kept apart by `prefix`, and a change to one re-renders the owner's row.
 */
function nestedContext(context: RowViewContext, prefix: string, owner: string): RowViewContext {
  return {
    startTime: context.startTime,
    isExpanded: (key) => context.isExpanded(prefix + key),
    isShowingAll: (key) => context.isShowingAll(prefix + key),
    toggle: (key) => context.toggle(prefix + key, owner),
    showAll: (key) => context.showAll(prefix + key, owner),
    restore: (checkpointId) => context.restore(checkpointId),
  };
}

/** Builds one trace row: a one-line summary (with its waterfall bar) and, when expanded, the detail. */
export function renderTraceRow(row: TraceRow, context: RowViewContext): HTMLElement {
  const expanded = context.isExpanded(row.key);
  const expandable = row.kind !== 'warning' && row.kind !== 'error';
  const line = h(
    'div',
    { class: 'trow-line' },
    h('span', { class: 'offset' }, formatOffset(row.time - context.startTime)),
    expandable ? icon(expanded ? 'chevron-down' : 'chevron-right', 'twisty') : h('span', { class: 'twisty' }),
    rowIcon(row),
    h('div', { class: 'trow-main' }, ...summaryOf(row)),
    h('span', { class: 'trow-meta' }, metaOf(row)),
    barTrack(row),
  );
  const element = h('div', { class: `trow kind-${row.kind}${rowTone(row)}`, 'data-key': row.key }, line);
  if (expandable) {
    element.setAttribute('aria-expanded', String(expanded));
    line.addEventListener('click', (event) => {
      // Clicks on controls inside the detail (Show all) must not collapse the row.
      if ((event.target as Element).closest('button')) return;
      context.toggle(row.key);
    });
  }
  if (expanded) element.append(h('div', { class: 'trow-detail' }, ...detailOf(row, context)));
  return element;
}

function rowTone(row: TraceRow): string {
  if (row.kind === 'tool') {
    if (row.approvalRequest?.taintSources?.length) return ' tainted';
    if (row.result && !row.result.ok) return ' failed';
  }
  if (row.kind === 'run-end' && row.reason !== 'answered') return ' failed';
  return '';
}

function rowIcon(row: TraceRow): HTMLElement {
  switch (row.kind) {
    case 'run-start':
      return icon('play-circle');
    case 'memory':
      return icon('book');
    case 'model-call':
      return row.end === undefined ? icon('loading', 'codicon-modifier-spin') : icon('sparkle');
    case 'thinking':
      return icon('lightbulb');
    case 'text':
      return icon('comment');
    case 'tool':
      if (!row.result) return icon('loading', 'codicon-modifier-spin');
      if (row.result.failure === 'denied') return icon('circle-slash');
      return row.result.ok ? icon('tools') : icon('error');
    case 'problems':
      return row.report.added.some((p) => p.severity === 'error') ? icon('error') : row.report.added.length > 0 ? icon('warning') : icon('pass');
    case 'warning':
      return icon('warning');
    case 'error':
      return icon('error');
    case 'run-end':
      return row.reason === 'answered' ? icon('pass-filled') : icon('stop-circle');
    case 'plan':
      return icon('checklist');
    case 'plan-step':
      if (row.outcome === undefined) return icon('loading', 'codicon-modifier-spin');
      return row.outcome === 'done' ? icon('pass') : row.outcome === 'failed' ? icon('error') : icon('circle-slash');
  }
}

function summaryOf(row: TraceRow): (Node | string)[] {
  switch (row.kind) {
    case 'run-start':
      return [h('strong', {}, 'Run started'), h('span', { class: 'summary-text' }, ` ${clip(row.task.replace(/\s+/g, ' '), 200)}`)];
    case 'memory':
      return [h('strong', {}, `Recalled ${row.facts.length} fact${row.facts.length === 1 ? '' : 's'}`)];
    case 'model-call': {
      const tools = row.requestedTools ?? [];
      const outcome = row.finishReason === undefined ? 'streaming…' : tools.length > 0 ? `→ ${tools.length} tool call${tools.length === 1 ? '' : 's'}: ${tools.join(', ')}` : `→ ${row.finishReason}`;
      return [h('strong', {}, `Model call ${row.ordinal}`), h('span', { class: 'summary-text' }, ` ${row.messageCount} messages ${outcome}`)];
    }
    case 'thinking':
      return [h('strong', {}, 'Thinking'), h('span', { class: 'summary-text muted' }, ` ${row.text.length} chars`)];
    case 'text':
      return [
        h('span', { class: 'summary-text text-preview' }, row.text === '' ? '(no text yet)' : clip(row.text.replace(/\s+/g, ' '), 300)),
        row.discarded.length > 0 ? h('span', { class: 'badge warn' }, `${row.discarded.length} retried`) : '',
      ];
    case 'tool':
      return toolSummary(row);
    case 'problems':
      return problemsSummary(row);
    case 'warning':
    case 'error':
      return [h('strong', {}, row.kind === 'error' ? 'Error' : `Warning${row.code ? ` (${row.code})` : ''}`), h('span', { class: 'summary-text' }, ` ${row.message}`)];
    case 'run-end':
      return [h('strong', {}, RUN_END_LABELS[row.reason] ?? row.reason), h('span', { class: 'summary-text' }, ` ${clip(row.answer.replace(/\s+/g, ' '), 200)}`)];
    case 'plan':
      return [
        h('strong', {}, row.revision === 0 ? 'Plan' : `Revised plan ${row.revision}`),
        h('span', { class: `badge ${row.decision === 'approved' ? 'decision allow-once' : row.decision === 'rejected' ? 'decision deny' : 'warn'}` }, row.decision ? `${row.decision}${row.edited ? ' with edits' : ''}` : 'waiting'),
        h('span', { class: 'summary-text' }, ` ${row.plan.steps.length} steps: ${clip(row.plan.goal.replace(/\s+/g, ' '), 160)}`),
      ];
    case 'plan-step': {
      const calls = row.trace.rows.filter((r) => r.kind === 'model-call').length;
      return [
        h('strong', {}, `Step ${row.stepId}`),
        h('span', { class: `badge plan-status status-${row.outcome ?? 'running'}` }, row.outcome ?? 'running'),
        h('span', { class: 'summary-text' }, ` ${clip(row.title, 120)} · ${calls} model call${calls === 1 ? '' : 's'}`),
      ];
    }
  }
}

function toolSummary(row: ToolRow): (Node | string)[] {
  const parts: (Node | string)[] = [h('strong', { class: 'tool-name' }, row.tool), h('span', { class: `badge risk risk-${row.risk}` }, row.risk)];
  if (row.server) parts.push(h('span', { class: 'badge server', title: `Tool of MCP server "${row.server}"` }, `MCP ${row.server}`));
  const taint = row.approvalRequest?.taintSources;
  if (taint && taint.length > 0) {
    parts.push(h('span', { class: 'badge taint', title: `Follows content read from ${taint.join(', ')}` }, icon('warning'), ` follows ${clip(taint.join(', '), 40)}`));
  }
  if (row.approval) parts.push(h('span', { class: `badge decision ${row.approval.decision}` }, DECISION_LABELS[row.approval.decision] ?? row.approval.decision));
  else if (row.approvalRequest) parts.push(h('span', { class: 'badge warn' }, 'awaiting approval'));
  if (row.result && !row.result.ok) parts.push(h('span', { class: 'badge failed' }, row.result.failure ?? 'failed'));
  if (row.child) parts.push(childBadge(row.child));
  parts.push(h('span', { class: 'summary-text' }, ` ${summarizeArgs(row.args, 120)}`));
  return parts;
}

type ChildOfRow = NonNullable<ToolRow['child']>;

function childTotals(child: ChildOfRow) {
  return child.ended?.totals ?? child.trace.totals;
}

function childBadge(child: ChildOfRow): HTMLElement {
  const totals = childTotals(child);
  const calls = child.trace.rows.filter((r) => r.kind === 'model-call').length;
  const text = child.ended ? ` helper: ${calls} model call${calls === 1 ? '' : 's'} · ${formatCost(totals?.costUsd ?? 0)}` : ' helper working…';
  return h('span', { class: `badge child${child.ended ? '' : ' running'}`, title: 'This call ran a research helper (a child agent); expand to see its trace' }, icon('type-hierarchy-sub'), text);
}

/**
 * A research helper's own trace inside its call's detail: its totals and its rows, each with a
 * bar on the parent's time axis, so parallel helpers show their overlap in the waterfall.
 */
function childDetail(child: ChildOfRow, context: RowViewContext, owner: string): (Node | string)[] {
  const totals = childTotals(child);
  const prefix = `${child.trace.runId ?? 'child'}/`;
  const nested = nestedContext(context, prefix, owner);
  const limits = child.limits;
  return [
    h('div', { class: 'field-label' }, 'Research helper'),
    field('Question', child.question),
    field('Budget', `${limits.maxSteps} steps · ${Number.isFinite(limits.maxCostUsd) ? formatCost(limits.maxCostUsd) : 'no cost cap'} · ${formatDuration(limits.runTimeoutMs)}`),
    field(
      'Spent',
      totals
        ? `${totals.modelCalls} model calls · ${totals.toolCalls} tool calls · ${totals.inputTokens.toLocaleString()} in · ${totals.outputTokens.toLocaleString()} out · ${formatCost(totals.costUsd)}`
        : 'nothing yet',
    ),
    child.ended ? field('Ended', `${RUN_END_LABELS[child.ended.reason] ?? child.ended.reason} after ${child.ended.steps} steps, ${formatDuration(child.ended.durationMs)}`) : field('Ended', 'running…'),
    h('div', { class: 'child-trace' }, ...child.trace.rows.filter((r) => r.kind !== 'run-start').map((r) => renderTraceRow(r, nested))),
  ];
}

function metaOf(row: TraceRow): string {
  if (row.kind === 'model-call') {
    if (row.inputTokens === undefined) return `~${formatTokens(row.estimatedInputTokens)} in`;
    const estimated = row.usageEstimated ? '~' : '';
    const cached = row.cachedInputTokens ? ` (${formatTokens(row.cachedInputTokens)} cached)` : '';
    return `${estimated}${formatTokens(row.inputTokens)} in${cached} · ${estimated}${formatTokens(row.outputTokens ?? 0)} out · ${formatDuration(row.durationMs ?? 0)} · ${formatCost(row.costUsd ?? 0)}`;
  }
  if (row.kind === 'tool' && row.result) return formatDuration(row.result.durationMs);
  if (row.kind === 'plan-step') {
    const totals = row.totals ?? row.trace.totals;
    return totals ? `${formatTokens(totals.inputTokens)} in · ${formatTokens(totals.outputTokens)} out · ${formatCost(totals.costUsd)}` : '';
  }
  if (row.kind === 'run-end') return `${row.steps} steps · ${formatDuration(row.durationMs)} · ${formatCost(row.totals.costUsd)}`;
  return '';
}

/** The row's slot in the waterfall; bars are positioned by layoutBars once the run's span is known. */
function barTrack(row: TraceRow): HTMLElement {
  const track = h('div', { class: 'bar-track', 'aria-hidden': 'true' });
  const span = timeSpanOf(row, row.time);
  if (!span) return track;
  const bar = h('div', { class: `bar bar-${row.kind}${row.kind === 'tool' && row.result && !row.result.ok ? ' bar-failed' : ''}` });
  bar.dataset.start = String(span.start);
  if (row.kind === 'model-call' && row.end !== undefined) bar.dataset.end = String(row.end);
  if ((row.kind === 'tool' || row.kind === 'plan-step') && row.end !== undefined) bar.dataset.end = String(row.end);
  if (row.kind === 'tool' && row.approval && row.approval.durationMs > 0) bar.dataset.wait = String(row.approval.durationMs);
  track.append(bar);
  return track;
}

/**
 * Positions the waterfall bars of rendered rows over [start, now]: done in place (no re-render)
 * because a live run's time axis stretches with every batch of events.
 */
export function layoutBars(container: ParentNode, start: number, now: number): void {
  const span = Math.max(1, now - start);
  for (const bar of Array.from(container.querySelectorAll<HTMLElement>('.bar'))) {
    const from = Number(bar.dataset.start);
    const to = bar.dataset.end === undefined ? now : Number(bar.dataset.end);
    bar.style.left = `${((from - start) / span) * 100}%`;
    bar.style.width = `${Math.max(0.4, ((to - from) / span) * 100)}%`;
    bar.classList.toggle('running', bar.dataset.end === undefined);
    const wait = Number(bar.dataset.wait ?? 0);
    if (wait > 0 && to > from) bar.style.setProperty('--wait', `${Math.min(100, (wait / (to - from)) * 100)}%`);
  }
}

function detailOf(row: TraceRow, context: RowViewContext): (Node | string)[] {
  switch (row.kind) {
    case 'run-start':
      return runStartDetail(row);
    case 'memory':
      return [h('ul', {}, ...row.facts.map((fact) => h('li', {}, fact.text, h('span', { class: 'muted' }, ` (${fact.why}, score ${fact.score.toFixed(2)})`))))];
    case 'model-call':
      return modelCallDetail(row);
    case 'thinking':
      return [h('pre', { class: 'block thinking-text' }, row.text)];
    case 'text':
      return textDetail(row);
    case 'tool':
      return toolDetail(row, context);
    case 'run-end':
      return runEndDetail(row);
    case 'plan':
      return planDetail(row);
    case 'plan-step':
      return planStepDetail(row, context);
    case 'problems':
      return problemsDetail(row);
    case 'warning':
    case 'error':
      return [];
  }
}

function problemsSummary(row: ProblemsRow): (Node | string)[] {
  const { report } = row;
  const errors = report.added.filter((p) => p.severity === 'error').length;
  const warnings = report.added.filter((p) => p.severity === 'warning').length;
  return [
    h('strong', {}, `Problems after ${report.tool}`),
    errors > 0 ? h('span', { class: 'badge problems-errors' }, `${errors} new error${errors === 1 ? '' : 's'}`) : '',
    warnings > 0 ? h('span', { class: 'badge warn' }, `${warnings} new warning${warnings === 1 ? '' : 's'}`) : '',
    report.fixed.length > 0 ? h('span', { class: 'badge decision allow-once' }, `${report.fixed.length} fixed`) : '',
    h(
      'span',
      { class: 'summary-text' },
      ` ${report.files.join(', ')}: now ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}` +
        ` · ${formatDuration(report.waitedMs)}${report.settled ? '' : ' (not settled)'}`,
    ),
  ];
}

function problemsDetail(row: ProblemsRow): (Node | string)[] {
  const line = (p: ProblemsRow['report']['added'][number]) =>
    `${p.path}:${p.line}:${p.column} ${p.severity}: ${p.message}${p.source || p.code ? ` ${p.source ?? ''}${p.code ? `(${p.code})` : ''}` : ''}`;
  const { report } = row;
  return [
    field('New', report.added.length === 0 ? 'none' : h('pre', { class: 'block' }, report.added.map(line).join('\n'))),
    field('Fixed', report.fixed.length === 0 ? 'none' : h('pre', { class: 'block' }, report.fixed.map(line).join('\n'))),
    report.unknownBefore.length > 0 ? field('Not checked before', report.unknownBefore.join(', ')) : '',
  ];
}

function field(label: string, ...value: (Node | string)[]): HTMLElement {
  return h('div', { class: 'field' }, h('span', { class: 'field-label' }, label), h('span', { class: 'field-value' }, ...value));
}

function runStartDetail(row: RunStartRow): (Node | string)[] {
  return [
    h('pre', { class: 'block' }, row.task),
    field('Model', row.model),
    field('Tools', row.tools.map((tool) => `${tool.name} (${tool.risk})`).join(', ') || 'none'),
    field(
      'Limits',
      `${row.limits.maxSteps} steps · ${Number.isFinite(row.limits.maxCostUsd) ? formatCost(row.limits.maxCostUsd) : 'no cost cap'} · run ${formatDuration(row.limits.runTimeoutMs)} · tool ${formatDuration(row.limits.toolTimeoutMs)} · context ${formatTokens(row.limits.contextTokens)} tokens`,
    ),
  ];
}

/** Cached vs uncached input: what the prompt cache saved on this call. */
function inputBreakdown(row: ModelCallRow): string {
  if (row.inputTokens === undefined) return '—';
  if (row.cachedInputTokens === undefined) return 'the endpoint reported no prompt caching: all billed as uncached';
  const uncached = row.inputTokens - row.cachedInputTokens;
  return `${row.cachedInputTokens.toLocaleString()} cached (${formatShare(row.cachedInputTokens, row.inputTokens)}) · ${uncached.toLocaleString()} uncached`;
}

function modelCallDetail(row: ModelCallRow): (Node | string)[] {
  return [
    field('Messages sent', String(row.messageCount)),
    field(
      'Estimated before sending',
      `${formatTokens(row.estimatedInputTokens)} input tokens` +
        (row.estimatedCachedInputTokens > 0 ? ` (~${formatTokens(row.estimatedCachedInputTokens)} expected from cache)` : '') +
        ` · ${formatCost(row.estimatedCostUsd)}`,
    ),
    field('Usage', row.inputTokens === undefined ? 'not reported yet' : `${row.inputTokens.toLocaleString()} in · ${(row.outputTokens ?? 0).toLocaleString()} out${row.usageEstimated ? ' (estimated by tokenizer: the endpoint reported none)' : ''}`),
    field('Input', inputBreakdown(row)),
    field('Latency', row.durationMs === undefined ? 'streaming' : formatDuration(row.durationMs)),
    field('Cost', row.costUsd === undefined ? '—' : formatCost(row.costUsd)),
    field('Finished', row.finishReason ?? '—'),
  ];
}

function textDetail(row: TextRow): (Node | string)[] {
  const parts: (Node | string)[] = [h('pre', { class: 'block text' }, row.text)];
  for (const discarded of row.discarded) parts.push(h('div', { class: 'muted' }, icon('debug-restart'), ` Discarded ${discarded.chars} streamed characters: ${discarded.reason}`));
  return parts;
}

function toolDetail(row: ToolRow, context: RowViewContext): (Node | string)[] {
  const parts: (Node | string)[] = [field('Call', row.callId), h('div', { class: 'field-label' }, 'Arguments'), h('pre', { class: 'block' }, prettyArgs(row.args))];
  if (row.child) parts.push(...childDetail(row.child, context, row.key));
  if (row.checkpointId) {
    const checkpointId = row.checkpointId;
    const restore = h('button', { type: 'button', class: 'link-button restore-checkpoint' }, icon('discard'), ' Restore to before this step');
    restore.addEventListener('click', (event) => {
      event.stopPropagation(); // not a click on the row (which would fold it)
      context.restore(checkpointId);
    });
    parts.push(field('Checkpoint', `${checkpointId} `, restore));
  }
  const request = row.approvalRequest;
  if (request) {
    if (request.taintSources && request.taintSources.length > 0) {
      parts.push(
        h('div', { class: 'taint-warning', role: 'note' }, icon('warning'), ` This call follows content read from ${request.taintSources.join(', ')}: the model may be following instructions hidden in it.`),
      );
    }
    parts.push(field('Approval asked', request.preview.summary), h('pre', { class: 'block' }, request.preview.detail));
    if (request.reasons.length > 0) parts.push(field('Why', request.reasons.join('; ')));
    if (request.protectedPaths?.length) parts.push(field('Protected paths', request.protectedPaths.join(', ')));
    if (request.sensitivePaths?.length) parts.push(field('Sensitive paths', request.sensitivePaths.join(', ')));
  }
  if (row.approval) {
    parts.push(field('Decision', `${DECISION_LABELS[row.approval.decision] ?? row.approval.decision}${row.approval.reason ? `: ${row.approval.reason}` : ''} (after ${formatDuration(row.approval.durationMs)})`));
  }
  const result = row.result;
  if (result) {
    parts.push(h('div', { class: 'field-label' }, result.ok ? 'Result' : `Failed${result.failure ? ` (${result.failure})` : ''}`));
    const all = context.isShowingAll(row.key) || result.output.length <= OUTPUT_PREVIEW_CHARS;
    parts.push(h('pre', { class: 'block output' }, all ? result.output : `${result.output.slice(0, OUTPUT_PREVIEW_CHARS)}…`));
    if (!all) {
      const more = h('button', { type: 'button', class: 'link-button' }, `Show all ${result.output.length.toLocaleString()} characters`);
      more.addEventListener('click', () => context.showAll(row.key));
      parts.push(more);
    }
    if (result.truncatedChars > 0) parts.push(h('div', { class: 'muted' }, `${result.truncatedChars.toLocaleString()} characters were cut from the middle before the model read it.`));
    if (result.taintSource) parts.push(h('div', { class: 'muted' }, icon('info'), ` Output carries content from ${result.taintSource}: later risky calls are flagged.`));
  } else {
    parts.push(h('div', { class: 'muted' }, row.approvalRequest && !row.approval ? 'Waiting for your approval…' : 'Running…'));
  }
  return parts;
}

function planDetail(row: PlanRow): (Node | string)[] {
  const parts: (Node | string)[] = [field('Goal', row.plan.goal)];
  if (row.why) parts.push(field('Revised because', row.why));
  const before = new Map(row.replaces?.steps.map((s) => [s.id, s]) ?? []);
  parts.push(
    h(
      'ol',
      { class: 'plan-list' },
      ...row.plan.steps.map((s) => {
        const was = before.get(s.id);
        const mark = row.replaces ? (was ? (was.title !== s.title ? ' (changed)' : '') : ' (new)') : '';
        return h('li', {}, `[${s.id}] ${s.title}${mark}`, s.dependsOn?.length ? h('span', { class: 'muted' }, ` after ${s.dependsOn.join(', ')}`) : '', s.readOnly ? h('span', { class: 'muted' }, ' · read-only') : '');
      }),
    ),
  );
  const kept = new Set(row.plan.steps.map((s) => s.id));
  const removed = row.replaces?.steps.filter((s) => !kept.has(s.id)) ?? [];
  if (removed.length > 0) parts.push(field('Removed', removed.map((s) => s.title).join('; ')));
  if (row.reason) parts.push(field('Reason', row.reason));
  return parts;
}

/** A plan step's own trace: its budget, spend, findings and rows on the run's time axis. */
function planStepDetail(row: PlanStepRow, context: RowViewContext): (Node | string)[] {
  const owner = row.key;
  const totals = row.totals ?? row.trace.totals;
  const prefix = `${row.trace.runId ?? row.stepId}/`;
  const nested = nestedContext(context, prefix, owner);
  return [
    field('Budget', `${row.limits.maxSteps} steps · ${Number.isFinite(row.limits.maxCostUsd) ? formatCost(row.limits.maxCostUsd) : 'no cost cap'}`),
    field('Spent', totals ? `${totals.modelCalls} model calls · ${totals.toolCalls} tool calls · ${totals.inputTokens.toLocaleString()} in · ${totals.outputTokens.toLocaleString()} out · ${formatCost(totals.costUsd)}` : 'nothing yet'),
    row.findings ? h('pre', { class: 'block text' }, row.findings) : h('div', { class: 'muted' }, 'Running…'),
    h('div', { class: 'child-trace' }, ...row.trace.rows.filter((r) => r.kind !== 'run-start').map((r) => renderTraceRow(r, nested))),
  ];
}

function runEndDetail(row: RunEndRow): (Node | string)[] {
  return [
    h('pre', { class: 'block text' }, row.answer),
    field('Totals', `${row.totals.modelCalls} model calls · ${row.totals.toolCalls} tool calls · ${row.totals.inputTokens.toLocaleString()} in${row.totals.cachedInputTokens ? ` (${row.totals.cachedInputTokens.toLocaleString()} cached)` : ''} · ${row.totals.outputTokens.toLocaleString()} out · ${formatCost(row.totals.costUsd)}`),
  ];
}
