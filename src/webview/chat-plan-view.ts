import type { PlanStepView, PlanView } from '../agent/events';
import type { ChatViewMessage } from '../shared/protocol';
import type { PlanItem, PlanStepState, PlanStepStatus, TurnItem } from './chat-model';
import { h, icon, iconButton } from './dom';
import { formatCost, formatDuration, formatTokens } from './format';

export interface PlanViewContext {
  post(message: ChatViewMessage): void;
  readonly runId: string;
  /** Whether the run is still going (a plan can only be decided while it is). */
  readonly running: boolean;
  /** Renders a step's own run items (tools, thoughts) the way the chat renders any. */
  renderItem(item: TurnItem): HTMLElement;
  /** <details> whose open state survives re-renders. */
  details(key: string, attributes: Record<string, string>, summary: HTMLElement, body: HTMLElement): HTMLDetailsElement;
}

/** A step as the person edits it. */
interface DraftStep {
  readonly id: string;
  title: string;
  readonly detail?: string;
  readonly files?: readonly string[];
  dependsOn?: string[];
  readonly readOnly?: boolean;
}

interface Draft {
  readonly plan: { readonly goal: string; readonly steps: DraftStep[] };
  reason: string;
}

/** Edits in progress, by run and plan: kept outside the model so re-renders keep what was typed. */
const drafts = new Map<string, Draft>();

const STATUS_ICONS: Record<PlanStepStatus, [string, string]> = {
  pending: ['circle-large-outline', 'not started'],
  running: ['loading', 'running'],
  done: ['pass', 'done'],
  failed: ['error', 'failed'],
  skipped: ['circle-slash', 'skipped'],
  interrupted: ['debug-disconnect', 'interrupted'],
};

/**
 * A plan in the chat: while it waits for the person, an editable checklist (reword, remove,
 * reorder, add) with Approve and Reject; once decided, its steps' progress, each step's own
 * work folded under it.
 */
export function renderPlan(item: PlanItem, context: PlanViewContext): HTMLElement {
  const waiting = item.decision === undefined && context.running;
  const box = h('div', { class: `step-item plan${waiting ? ' plan-pending' : ''}`, 'data-revision': String(item.revision) });
  box.append(
    h(
      'div',
      { class: 'plan-head' },
      icon('checklist'),
      h('strong', {}, item.revision === 0 ? ' Plan' : ` Revised plan (${item.revision})`),
      h('span', { class: 'plan-goal' }, ` ${item.plan.goal}`),
      decisionBadge(item, context.running),
    ),
  );
  if (item.why) box.append(h('div', { class: 'muted plan-why' }, `Why revised: ${item.why}`));
  if (item.replaces) box.append(renderDiff(item.replaces, item.plan));
  box.append(waiting ? renderEditor(item, context) : renderProgress(item, context));
  return box;
}

function decisionBadge(item: PlanItem, running: boolean): HTMLElement | null {
  if (item.decision === 'approved') return h('span', { class: 'badge decision allow-once' }, item.edited ? 'approved with edits' : 'approved');
  if (item.decision === 'rejected') return h('span', { class: 'badge decision deny', title: item.reason ?? '' }, 'rejected');
  return running ? h('span', { class: 'badge warn' }, 'waiting for you') : h('span', { class: 'badge' }, 'not decided');
}

/** A revision against the plan it replaces: steps added, removed and changed. */
function renderDiff(before: PlanView, after: PlanView): HTMLElement {
  const old = new Map(before.steps.map((s) => [s.id, s]));
  const rows: HTMLElement[] = [];
  for (const step of after.steps) {
    const was = old.get(step.id);
    if (!was) rows.push(h('li', { class: 'diff-added' }, '+ ', step.title));
    else if (was.title !== step.title || JSON.stringify(was) !== JSON.stringify(step)) rows.push(h('li', { class: 'diff-changed' }, '~ ', step.title, h('span', { class: 'muted' }, ` (was: ${was.title})`)));
    old.delete(step.id);
  }
  for (const step of old.values()) rows.push(h('li', { class: 'diff-removed' }, '− ', step.title));
  return h('div', { class: 'plan-diff' }, h('div', { class: 'field-label' }, 'Changes from the plan before'), rows.length > 0 ? h('ul', {}, ...rows) : h('div', { class: 'muted' }, 'No step changed.'));
}

function renderProgress(item: PlanItem, context: PlanViewContext): HTMLElement {
  const list = h('ol', { class: 'plan-steps' });
  for (const step of item.plan.steps) {
    const state = item.steps.get(step.id) ?? { step, status: 'pending' as const };
    list.append(renderStepProgress(state, context));
  }
  if (item.decision === 'rejected' && item.reason) list.append(h('li', { class: 'muted plan-reason' }, `Rejected: ${item.reason}`));
  return list;
}

function renderStepProgress(state: PlanStepState, context: PlanViewContext): HTMLElement {
  const [iconName, label] = STATUS_ICONS[state.status];
  const head = h(
    'span',
    { class: 'plan-step-head' },
    icon(iconName, state.status === 'running' ? 'codicon-modifier-spin' : ''),
    h('span', { class: 'plan-step-title' }, ` ${state.step.title}`),
    h('span', { class: `badge plan-status status-${state.status}` }, label),
    state.step.readOnly ? h('span', { class: 'badge risk risk-read', title: 'Only reads; may run beside other such steps' }, 'read-only') : null,
    state.totals ? h('span', { class: 'muted' }, ` ${formatTokens(state.totals.inputTokens + state.totals.outputTokens)} tokens · ${formatCost(state.totals.costUsd)}`) : null,
  );
  const li = h('li', { class: `plan-step status-${state.status}`, 'data-step': state.step.id });
  const turn = state.turn;
  if (!turn) {
    li.append(head);
    return li;
  }
  const body = h('div', { class: 'child-body' }, h('div', { class: 'step-items' }, ...turn.items.map((i) => context.renderItem(i))));
  if (state.findings) body.append(h('div', { class: 'plan-findings' }, h('div', { class: 'field-label' }, state.status === 'done' ? 'Found' : 'Why'), h('div', { class: 'findings-text' }, state.findings)));
  else if (turn.streaming) body.append(h('div', { class: 'muted' }, turn.streaming));
  if (turn.end) body.append(h('div', { class: 'muted' }, `${turn.end.steps} model calls · ${formatDuration(turn.end.durationMs)}`));
  li.append(context.details(`plan-step:${turn.runId}`, { class: 'plan-step-run' }, h('summary', {}, head), body));
  return li;
}

function draftOf(item: PlanItem, runId: string): Draft {
  const key = `${runId}:${item.key}`;
  let draft = drafts.get(key);
  if (!draft) {
    draft = { plan: { goal: item.plan.goal, steps: item.plan.steps.map((s: PlanStepView) => ({ ...s, dependsOn: s.dependsOn ? [...s.dependsOn] : undefined })) }, reason: '' };
    drafts.set(key, draft);
  }
  return draft;
}

/** The checklist the person edits before deciding. Ids stay stable; dependencies on a removed step go with it. */
function renderEditor(item: PlanItem, context: PlanViewContext): HTMLElement {
  const draft = draftOf(item, context.runId);
  const editor = h('div', { class: 'plan-editor' });
  const rerender = () => editor.replaceWith(renderEditor(item, context));
  const list = h('ol', { class: 'plan-steps editable' });
  draft.plan.steps.forEach((step, index) => {
    const title = h('input', { type: 'text', class: 'plan-step-input', value: step.title, 'aria-label': `Step ${index + 1} title` });
    title.addEventListener('input', () => (step.title = title.value));
    const move = (by: number) => {
      const to = index + by;
      if (to < 0 || to >= draft.plan.steps.length) return;
      const steps = draft.plan.steps;
      [steps[index], steps[to]] = [steps[to], steps[index]];
      rerender();
    };
    const remove = () => {
      draft.plan.steps.splice(index, 1);
      for (const other of draft.plan.steps) if (other.dependsOn) other.dependsOn = other.dependsOn.filter((d) => d !== step.id);
      rerender();
    };
    list.append(
      h(
        'li',
        { class: 'plan-step editable', 'data-step': step.id },
        title,
        step.dependsOn?.length ? h('span', { class: 'muted' }, ` after ${step.dependsOn.join(', ')}`) : null,
        iconButton('arrow-up', `Move step ${index + 1} up`, () => move(-1), { disabled: index === 0 }),
        iconButton('arrow-down', `Move step ${index + 1} down`, () => move(1), { disabled: index === draft.plan.steps.length - 1 }),
        iconButton('trash', `Remove step ${index + 1}`, remove),
      ),
    );
  });
  const add = h('button', { type: 'button', class: 'link-button plan-add' }, icon('add'), ' Add step');
  add.addEventListener('click', () => {
    const ids = new Set(draft.plan.steps.map((s) => s.id));
    let n = draft.plan.steps.length + 1;
    while (ids.has(`step-${n}`)) n++;
    draft.plan.steps.push({ id: `step-${n}`, title: 'New step' });
    rerender();
  });
  const reason = h('input', { type: 'text', class: 'plan-reason-input', placeholder: 'Reason (for Reject): what should change?', value: draft.reason, 'aria-label': 'Reason for rejecting' });
  reason.addEventListener('input', () => (draft.reason = reason.value));
  const approve = h('button', { type: 'button', class: 'primary plan-approve' }, icon('check'), ' Approve');
  approve.disabled = draft.plan.steps.length === 0;
  approve.addEventListener('click', () => {
    const plan = { goal: draft.plan.goal, steps: draft.plan.steps.map((s) => ({ ...s, title: s.title.trim() || 'Untitled step', ...(s.dependsOn?.length ? {} : { dependsOn: undefined }) })) };
    context.post({ type: 'decidePlan', runId: context.runId, revision: item.revision, decision: { kind: 'approve', plan } });
  });
  const reject = h('button', { type: 'button', class: 'secondary plan-reject' }, icon('close'), ' Reject');
  reject.addEventListener('click', () => {
    context.post({ type: 'decidePlan', runId: context.runId, revision: item.revision, decision: { kind: 'reject', reason: draft.reason.trim() || 'The person rejected the plan without a reason.' } });
  });
  editor.append(list, add, h('div', { class: 'plan-actions' }, approve, reject, reason));
  return editor;
}
