import type { AgentEvent } from '../agent/events';
import type { RunSummary, ToTracePanelMessage, TracePanelMessage } from '../shared/protocol';
import { h, icon } from './dom';
import { RUN_END_LABELS, clip, formatCost, formatDuration, formatTime, formatTokens } from './format';
import { FrameBatcher } from './frame-batcher';
import { connectToHost } from './host-bridge';
import { TraceModel } from './trace-model';
import { layoutBars, renderTraceRow, type RowViewContext } from './trace-row-view';
import { WaterfallOverview } from './trace-waterfall';
import { VirtualList } from './virtual-list';

interface SavedTracePanel {
  readonly selectedRunId?: string;
  readonly expanded: readonly string[];
}

const host = connectToHost<TracePanelMessage, ToTracePanelMessage, SavedTracePanel>();
const saved = host.saved();

let model = new TraceModel();
let runs: RunSummary[] = [];
/** Row keys are unique within a run, so expansion is kept per run. */
let expanded = new Set<string>(saved?.expanded ?? []);
const showingAll = new Set<string>();
let activeIndex = -1;
/** The run on screen; expansion state belongs to it. */
let currentSelection: string | undefined = saved?.selectedRunId;

// ---- layout ----------------------------------------------------------------------------------

const picker = h('select', { class: 'run-picker', 'aria-label': 'Run' });
const exportButton = h('button', { type: 'button', class: 'secondary', title: 'Save this run as JSON Lines (one event per line)' }, icon('export'), ' Export JSONL');
const summary = h('div', { class: 'run-summary', role: 'status' });
const overview = new WaterfallOverview((time) => scrollToTime(time));
const rowContext: RowViewContext = {
  get startTime() {
    return model.startTime;
  },
  isExpanded: (key) => expanded.has(key),
  isShowingAll: (key) => showingAll.has(key),
  toggle(key, redraw = key) {
    if (expanded.has(key)) expanded.delete(key);
    else expanded.add(key);
    refreshRow(redraw);
    save();
  },
  showAll(key, redraw = key) {
    showingAll.add(key);
    refreshRow(redraw);
  },
  restore(checkpointId) {
    host.post({ type: 'restoreCheckpoint', checkpointId });
  },
};
const list = new VirtualList({
  label: 'Run events',
  roles: { list: 'tree', row: 'treeitem' },
  estimateRowHeight: 26,
  overscanPx: 400,
  renderRow: (index) => {
    const element = renderTraceRow(model.rows[index]!, rowContext);
    element.id = `row-${index}`;
    if (index === activeIndex) element.classList.add('active');
    return element;
  },
  rowVersion: (index) => model.rows[index]!.version,
});
const emptyMessage = h('div', { class: 'empty-state' }, icon('list-tree', 'empty-icon'), h('p', {}, 'No run yet. Ask the agent something: each step of the run will appear here as it happens.'));

const root = document.getElementById('app') ?? document.body;
root.classList.add('trace-app');
root.append(
  h('header', { class: 'trace-toolbar' }, h('label', { class: 'picker-label' }, icon('history'), picker), summary, h('span', { class: 'spacer' }), exportButton),
  overview.element,
  h('div', { class: 'list-header', 'aria-hidden': 'true' }, h('span', { class: 'offset' }, 'time'), h('span', { class: 'grow' }, 'step'), h('span', { class: 'bar-track-label' }, 'waterfall')),
  list.element,
  emptyMessage,
);

picker.addEventListener('change', () => {
  const runId = picker.value;
  if (runId && runId !== model.runId) host.post({ type: 'selectRun', runId });
});
exportButton.addEventListener('click', () => {
  if (model.runId) host.post({ type: 'exportRun', runId: model.runId });
});

// Keyboard: arrows move through rows, Enter/Space expands, Home/End jump.
list.element.addEventListener('keydown', (event) => {
  const count = model.rows.length;
  if (count === 0) return;
  let next = activeIndex;
  if (event.key === 'ArrowDown') next = Math.min(count - 1, activeIndex + 1);
  else if (event.key === 'ArrowUp') next = Math.max(0, activeIndex - 1);
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = count - 1;
  else if ((event.key === 'Enter' || event.key === ' ') && activeIndex >= 0) {
    event.preventDefault();
    rowContext.toggle(model.rows[activeIndex]!.key);
    return;
  } else return;
  event.preventDefault();
  setActive(next);
});
list.element.addEventListener('click', (event) => {
  const row = (event.target as Element).closest<HTMLElement>('.trow');
  if (row?.parentElement) setActive(Number(row.dataset.index));
});

function setActive(index: number): void {
  list.elementAt(activeIndex)?.classList.remove('active');
  activeIndex = index;
  list.scrollToIndex(index);
  const element = list.elementAt(index);
  element?.classList.add('active');
  if (element) list.element.setAttribute('aria-activedescendant', element.id);
}

function refreshRow(key: string): void {
  const index = model.rows.findIndex((row) => row.key === key);
  if (index < 0) return;
  list.refresh(index);
  afterRender();
}

function scrollToTime(time: number): void {
  // Rows are in time order: the first row at or after `time`.
  let low = 0;
  let high = model.rows.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (model.rows[middle]!.time < time) low = middle + 1;
    else high = middle;
  }
  list.element.focus();
  setActive(low);
}

// ---- rendering -------------------------------------------------------------------------------

function showRun(runId: string | undefined, events: readonly AgentEvent[]): void {
  // The same run shown again (the panel was hidden, or the host re-sent it) keeps the reader's place.
  const sameRun = runId !== undefined && runId === currentSelection;
  model = new TraceModel();
  if (runId !== undefined) model.runId = runId;
  for (const event of events) model.apply(event);
  if (!sameRun) {
    expanded = new Set();
    showingAll.clear();
    activeIndex = -1;
  }
  currentSelection = runId;
  list.reset(model.rows.length, sameRun ? 'keep' : model.ended ? 'top' : 'end');
  list.render();
  afterRender();
  renderPicker();
  save();
}

function afterRender(): void {
  const now = model.ended ? model.latestTime : Math.max(model.latestTime, model.startTime);
  layoutBars(list.element, model.startTime, now);
  overview.update(model.rows, model.startTime, now);
  emptyMessage.hidden = model.rows.length > 0;
  list.element.hidden = model.rows.length === 0;
  renderSummary();
}

function renderSummary(): void {
  const totals = model.totals;
  const parts = [model.ended ? 'finished' : model.rows.length > 0 ? 'running' : ''];
  if (totals) parts.push(`${totals.modelCalls} model calls`, `${totals.toolCalls} tool calls`, `${formatTokens(totals.inputTokens)} in${totals.cachedInputTokens ? ` (${formatTokens(totals.cachedInputTokens)} cached)` : ''} / ${formatTokens(totals.outputTokens)} out`, formatCost(totals.costUsd));
  if (model.rows.length > 0) parts.push(formatDuration(model.latestTime - model.startTime));
  summary.textContent = parts.filter(Boolean).join(' · ');
  exportButton.disabled = model.runId === undefined;
}

function renderPicker(): void {
  const options = runs.map((run, index) => {
    const status = run.reason ? RUN_END_LABELS[run.reason] ?? run.reason : 'running';
    const cost = run.totals ? ` · ${formatCost(run.totals.costUsd)}` : '';
    return h('option', { value: run.runId, selected: run.runId === model.runId }, `#${index + 1} ${formatTime(run.startedAt)} · ${clip(run.task.replace(/\s+/g, ' '), 60)} · ${status}${cost}`);
  });
  if (options.length === 0) options.push(h('option', { value: '' }, 'No runs yet'));
  picker.replaceChildren(...options);
  picker.disabled = runs.length === 0;
}

/** Live events: the selected run's are folded in; a new run is followed when the last one was. */
function applyEvents(events: AgentEvent[]): void {
  let changed = false;
  let runsChanged = false;
  for (const event of events) {
    if (event.type === 'run-start' && !runs.some((run) => run.runId === event.runId)) {
      const followingLatest = model.runId === undefined || model.runId === runs.at(-1)?.runId;
      runs.push({ runId: event.runId, task: event.task, startedAt: event.time });
      runsChanged = true;
      if (followingLatest) {
        showRun(event.runId, []);
        changed = true;
      }
    }
    if (event.type === 'run-end') {
      runs = runs.map((run) => (run.runId === event.runId ? { ...run, endedAt: event.time, reason: event.reason, totals: event.totals } : run));
      runsChanged = true;
    }
    if (model.apply(event)) changed = true;
  }
  if (changed) {
    list.setCount(model.rows.length);
    list.render();
    afterRender();
  }
  if (runsChanged) renderPicker();
}

const batcher = new FrameBatcher<AgentEvent>(applyEvents);

function save(): void {
  host.save({ selectedRunId: model.runId, expanded: [...expanded] });
}

host.onMessage((message) => {
  switch (message.type) {
    case 'traceState':
      batcher.clear();
      runs = [...message.runs];
      showRun(message.selectedRunId, message.events);
      return;
    case 'traceEvent':
      batcher.push(message.event);
      return;
  }
});

renderPicker();
afterRender();
host.post({ type: 'ready' });
