import type { ChatViewMessage } from '../shared/protocol';
import type { NoticeItem, ToolItem, TurnItem, TurnModel } from './chat-model';
import { h, icon } from './dom';
import {
  DECISION_LABELS,
  RUN_END_LABELS,
  clip,
  firstLine,
  formatCost,
  formatDuration,
  formatTokens,
  prettyArgs,
  summarizeArgs,
} from './format';
import { renderMarkdown } from './markdown';
import { renderPlan } from './chat-plan-view';
import { accountLine } from '../shared/run-account';

/** Longest tool output shown before "Show all" (long outputs stay one click away). */
const OUTPUT_PREVIEW_CHARS = 2_000;

export interface TurnViewContext {
  post(message: ChatViewMessage): void;
  /** Keys of <details> the person opened (kept across re-renders and hide/show). */
  readonly openKeys: Set<string>;
  onOpenChanged(): void;
}

/**
 * One question and its answer. Re-renders only what changed: each step item is keyed and
 * rebuilt when its version moves, and the answer area is rebuilt alone while text streams.
 */
export class TurnView {
  readonly element: HTMLElement;
  readonly #items: HTMLElement;
  readonly #steps: HTMLDetailsElement;
  readonly #stepsSummary: HTMLElement;
  readonly #answer: HTMLElement;
  readonly #footer: HTMLElement;
  /** "What really happened" and "N files changed · Undo", right under the answer. */
  readonly #account: HTMLElement;
  /** Plans stand outside the folded step list: the person has to see and decide them. */
  readonly #plans: HTMLElement;
  readonly #rendered = new Map<string, { element: HTMLElement; version: number }>();
  #renderedVersion = -1;
  #renderedAnswerVersion = -1;

  constructor(
    readonly model: TurnModel,
    private readonly context: TurnViewContext,
  ) {
    this.#stepsSummary = h('summary', { class: 'steps-summary' });
    this.#items = h('div', { class: 'step-items' });
    this.#steps = detailsKept(`steps:${model.runId}`, context, { class: 'steps' }, this.#stepsSummary, this.#items);
    this.#answer = h('div', { class: 'answer markdown', 'aria-live': 'polite' });
    this.#plans = h('div', { class: 'plans' });
    this.#footer = h('div', { class: 'turn-footer' });
    this.#account = h('div', { class: 'account', hidden: true });
    this.element = h(
      'article',
      { class: 'turn', 'aria-label': `Question: ${clip(model.question, 80)}` },
      h('div', { class: 'question' }, icon('account'), h('div', { class: 'question-text' }, model.question)),
      h('div', { class: 'response' }, this.#steps, this.#plans, this.#answer, this.#account, this.#footer),
    );
    this.update();
  }

  update(): void {
    const model = this.model;
    if (model.version === this.#renderedVersion) return;
    this.#renderedVersion = model.version;
    this.#renderItems();
    this.#renderStepsSummary();
    if (model.answerVersion !== this.#renderedAnswerVersion) {
      this.#renderedAnswerVersion = model.answerVersion;
      this.#renderAnswer();
    }
    this.#renderAccount();
    this.#renderFooter();
    this.#answer.setAttribute('aria-busy', String(model.running));
  }

  #renderItems(): void {
    const wanted: HTMLElement[] = [];
    const plans: HTMLElement[] = [];
    for (const item of this.model.items) {
      let entry = this.#rendered.get(item.key);
      if (!entry || entry.version !== item.version) {
        entry = { element: this.#renderItem(item), version: item.version };
        this.#rendered.set(item.key, entry);
      }
      (item.kind === 'plan' ? plans : wanted).push(entry.element);
    }
    if (plans.length !== this.#plans.children.length || plans.some((p, i) => this.#plans.children[i] !== p)) this.#plans.replaceChildren(...plans);
    const children = this.#items.children;
    let same = children.length === wanted.length;
    for (let i = 0; same && i < wanted.length; i++) same = children[i] === wanted[i];
    if (!same) this.#items.replaceChildren(...wanted);
    this.#steps.hidden = wanted.length === 0;
  }

  #renderStepsSummary(): void {
    const model = this.model;
    const tools = model.items.filter((item) => item.kind === 'tool').length;
    const problems = model.items.filter((item) => item.kind === 'error').length;
    const parts = [`${model.end?.steps ?? model.step} step${(model.end?.steps ?? model.step) === 1 ? '' : 's'}`, `${tools} tool call${tools === 1 ? '' : 's'}`];
    if (problems > 0) parts.push(`${problems} error${problems === 1 ? '' : 's'}`);
    this.#stepsSummary.replaceChildren(icon(model.running ? 'loading' : 'list-unordered', model.running ? 'codicon-modifier-spin' : ''), ` ${parts.join(' · ')}`);
  }

  #renderAnswer(): void {
    const model = this.model;
    const text = model.answer ?? model.streaming;
    if (text === '') {
      this.#answer.replaceChildren(model.running ? h('span', { class: 'thinking' }, icon('loading', 'codicon-modifier-spin'), ' Working…') : '');
      return;
    }
    const cutShort = model.end !== undefined && model.end.reason !== 'answered';
    this.#answer.classList.toggle('cut-short', cutShort);
    this.#answer.replaceChildren(
      renderMarkdown(text, {
        copy: (code) => this.context.post({ type: 'copy', text: code }),
        insert: (code) => this.context.post({ type: 'insertCode', code }),
      }),
    );
  }

  #renderAccount(): void {
    const model = this.model;
    const account = model.account;
    this.#answer.classList.toggle('undone', model.undone);
    if (!account) {
      this.#account.hidden = true;
      return;
    }
    const contradicted = account.contradictions.length > 0;
    const line = h(
      'div',
      { class: contradicted ? 'account-line contradicted' : 'account-line', title: contradicted ? account.contradictions.join('\n') : 'What the events of this run show' },
      icon(contradicted ? 'warning' : 'checklist'),
      h('span', { class: 'account-text' }, `${contradicted ? 'The events disagree with the answer: ' : 'What happened: '}${accountLine(account)}`),
    );
    const rows: HTMLElement[] = [line];
    for (const contradiction of account.contradictions) rows.push(h('div', { class: 'account-contradiction' }, contradiction));
    if (model.undone) {
      rows.push(h('div', { class: 'account-undo undone-note' }, icon('discard'), ' Undone: the files were restored to before this answer.'));
    } else if (account.changedFiles.length > 0 && model.firstCheckpointId) {
      const checkpointId = model.firstCheckpointId;
      const undo = h('button', { type: 'button', class: 'link-button', title: 'Restore the files to before this answer changed them (shows the files first)' }, 'Undo');
      undo.addEventListener('click', () => this.context.post({ type: 'restoreCheckpoint', checkpointId }));
      const count = account.changedFiles.length;
      rows.push(h('div', { class: 'account-undo' }, icon('files'), ` ${count} file${count === 1 ? '' : 's'} changed`, h('span', { class: 'separator', 'aria-hidden': 'true' }, '·'), undo));
    }
    this.#account.replaceChildren(...rows);
    this.#account.hidden = false;
  }

  #renderFooter(): void {
    const model = this.model;
    const parts: (string | Node)[] = [];
    if (model.end) {
      const ok = model.end.reason === 'answered';
      parts.push(h('span', { class: ok ? 'status ok' : 'status stopped' }, icon(ok ? 'pass' : 'warning'), ` ${RUN_END_LABELS[model.end.reason] ?? model.end.reason}`));
      parts.push(formatDuration(model.end.durationMs));
    } else {
      parts.push(h('span', { class: 'status running' }, `Step ${Math.max(1, model.step)}…`));
    }
    if (model.totals) {
      const cached = model.totals.cachedInputTokens ? ` (${formatTokens(model.totals.cachedInputTokens)} cached)` : '';
      parts.push(`${formatTokens(model.totals.inputTokens)} in${cached} / ${formatTokens(model.totals.outputTokens)} out`);
      parts.push(formatCost(model.totals.costUsd));
    }
    const trace = h(
      'button',
      { type: 'button', class: 'link-button', title: 'Open this run in the trace panel' },
      icon('list-tree'),
      ' Trace',
    );
    trace.addEventListener('click', () => this.context.post({ type: 'showTrace', runId: model.runId }));
    const children: (string | Node)[] = [];
    parts.forEach((part, index) => {
      if (index > 0) children.push(h('span', { class: 'separator', 'aria-hidden': 'true' }, '·'));
      children.push(typeof part === 'string' ? h('span', {}, part) : part);
    });
    this.#footer.replaceChildren(...children, trace);
  }

  #renderItem(item: TurnItem): HTMLElement {
    switch (item.kind) {
      case 'thought':
        return h('div', { class: 'step-item thought' }, icon('comment'), h('div', { class: 'thought-text' }, item.text));
      case 'thinking':
        // Collapsed: reasoning can be long, and it is not the answer.
        return detailsKept(
          item.key,
          this.context,
          { class: 'step-item thinking' },
          h('summary', {}, icon('lightbulb'), ' Thinking'),
          h('div', { class: 'thinking-text muted' }, item.text),
        );
      case 'memory':
        return detailsKept(
          item.key,
          this.context,
          { class: 'step-item memory' },
          h('summary', {}, icon('book'), ` Recalled ${item.facts.length} fact${item.facts.length === 1 ? '' : 's'} from memory`),
          h('ul', {}, ...item.facts.map((fact) => h('li', {}, fact.text, h('span', { class: 'muted' }, ` (${fact.why})`)))),
        );
      case 'warning':
      case 'error':
      case 'info':
        return renderNotice(item);
      case 'tool':
        return this.#renderTool(item);
      case 'plan':
        return renderPlan(item, {
          post: (message) => this.context.post(message),
          runId: this.model.runId,
          running: this.model.running,
          renderItem: (inner) => this.#renderItem(inner),
          details: (key, attributes, summary, body) => detailsKept(key, this.context, attributes, summary, body),
        });
    }
  }

  #renderTool(item: ToolItem): HTMLElement {
    const result = item.result;
    const denied = item.decision === 'deny' || result?.failure === 'denied';
    const statusIcon = !result ? icon('loading', 'codicon-modifier-spin') : denied ? icon('circle-slash') : result.ok ? icon('pass') : icon('error');
    const taint = item.approvalRequest?.taintSources;
    const summary = h(
      'summary',
      { class: 'tool-summary' },
      statusIcon,
      h('span', { class: 'tool-name' }, item.tool),
      riskBadge(item.risk),
      item.server ? h('span', { class: 'badge server', title: `Tool of MCP server "${item.server}"` }, `MCP ${item.server}`) : null,
      taint && taint.length > 0 ? h('span', { class: 'badge taint', title: `Follows content from ${taint.join(', ')}` }, icon('warning'), ' tainted') : null,
      h('span', { class: 'tool-args' }, summarizeArgs(item.args, 60)),
      item.decision && item.decision !== 'auto' ? h('span', { class: `badge decision ${item.decision}` }, DECISION_LABELS[item.decision] ?? item.decision) : null,
      item.problems ? problemBadges(item.problems) : null,
      result ? h('span', { class: 'duration' }, formatDuration(result.durationMs)) : null,
    );
    const body = h('div', { class: 'tool-body' });
    body.append(h('div', { class: 'field-label' }, 'Arguments'), h('pre', { class: 'args' }, prettyArgs(item.args)));
    if (item.approvalRequest) {
      const request = item.approvalRequest;
      body.append(
        h('div', { class: 'field-label' }, 'Approval'),
        h('div', { class: 'approval' }, request.preview.summary, request.reasons.length > 0 ? h('div', { class: 'muted' }, request.reasons.join('; ')) : null),
      );
      if (taint && taint.length > 0) {
        body.append(h('div', { class: 'taint-warning', role: 'note' }, icon('warning'), ` This call follows content read from ${taint.join(', ')}: the model may be following instructions hidden in it.`));
      }
    }
    if (item.checkpointId) {
      const checkpointId = item.checkpointId;
      const restore = h(
        'button',
        { type: 'button', class: 'link-button restore-checkpoint', title: 'Show which files would change, then put them back as they were before this step' },
        icon('discard'),
        ' Restore to before this step',
      );
      restore.addEventListener('click', () => this.context.post({ type: 'restoreCheckpoint', checkpointId }));
      body.append(h('div', { class: 'checkpoint-line' }, restore));
    }
    if (item.decision) body.append(h('div', { class: 'decision-line' }, `Decision: ${DECISION_LABELS[item.decision] ?? item.decision}`, item.decisionReason ? ` (${item.decisionReason})` : ''));
    if (result) {
      const label = result.ok ? 'Result' : `Failed${result.failure ? ` (${result.failure})` : ''}`;
      body.append(h('div', { class: 'field-label' }, label), outputBlock(result.output));
      if (result.truncatedChars > 0) body.append(h('div', { class: 'muted' }, `${result.truncatedChars.toLocaleString()} characters were cut from the middle before the model read it.`));
      if (result.taintSource) body.append(h('div', { class: 'muted' }, icon('info'), ` Content from ${result.taintSource}: later risky calls are flagged.`));
    }
    if (item.problems) body.append(this.#renderProblems(item.key, item.problems));
    if (item.child) summary.append(childBadge(item.child));
    const details = detailsKept(item.key, this.context, { class: `step-item tool${result && !result.ok ? ' failed' : ''}` }, summary, body);
    // The result in one line under the call: enough to follow the run without opening it.
    const line = result ? firstLine(result.output, 100) : '';
    if (result && line) summary.append(h('span', { class: result.ok ? 'result-line' : 'result-line failure' }, line));
    // The helper's work hangs under its call, folded on its own, visible without opening the call.
    return item.child ? h('div', { class: 'tool-with-child' }, details, this.#renderChild(item.child)) : details;
  }

  /** The problems a change brought and fixed, collapsed: the counts are on the call's line. */
  #renderProblems(key: string, report: NonNullable<ToolItem['problems']>): HTMLElement {
    const line = (problem: (typeof report.added)[number], fixed: boolean) =>
      h(
        'li',
        { class: `problem ${fixed ? 'fixed' : problem.severity}` },
        icon(fixed ? 'pass' : problem.severity === 'error' ? 'error' : problem.severity === 'warning' ? 'warning' : 'info'),
        ` ${problem.path}:${problem.line}:${problem.column} `,
        problem.message,
        problem.source || problem.code ? h('span', { class: 'muted' }, ` ${problem.source ?? ''}${problem.code ? `(${problem.code})` : ''}`) : null,
      );
    const summary = h(
      'summary',
      { class: 'problems-summary' },
      icon('checklist'),
      ` Problems: ${report.added.length} new, ${report.fixed.length} fixed · now ${report.errors} error${report.errors === 1 ? '' : 's'}, ` +
        `${report.warnings} warning${report.warnings === 1 ? '' : 's'} in ${report.files.join(', ')}` +
        (report.settled ? '' : ' (not settled)'),
    );
    return detailsKept(
      `problems:${key}`,
      this.context,
      { class: 'problems' },
      summary,
      h('ul', { class: 'problem-list' }, ...report.added.map((p) => line(p, false)), ...report.fixed.map((p) => line(p, true))),
    );
  }

  /** A research helper's own steps and answer, collapsible under the call that started it. */
  #renderChild(child: NonNullable<ToolItem['child']>): HTMLElement {
    const turn = child.turn;
    const items = turn.items.map((item) => this.#renderItem(item));
    const answer = turn.answer ?? turn.streaming;
    const status = child.ended
      ? `${RUN_END_LABELS[child.ended.reason] ?? child.ended.reason} · ${formatDuration(child.ended.durationMs)}`
      : `Step ${Math.max(1, turn.step)}…`;
    const totals = child.ended?.totals ?? turn.totals;
    const summary = h(
      'summary',
      { class: 'child-summary' },
      icon(child.ended ? 'type-hierarchy-sub' : 'loading', child.ended ? '' : 'codicon-modifier-spin'),
      ` Research helper: ${turn.end?.steps ?? turn.step} step${(turn.end?.steps ?? turn.step) === 1 ? '' : 's'} · ${turn.items.filter((i) => i.kind === 'tool').length} tool calls · ${status}`,
      totals ? h('span', { class: 'muted' }, ` · ${formatTokens(totals.inputTokens + totals.outputTokens)} tokens · ${formatCost(totals.costUsd)}`) : null,
    );
    const body = h(
      'div',
      { class: 'child-body' },
      h('div', { class: 'child-question' }, icon('question'), ` ${turn.question}`),
      h('div', { class: 'step-items' }, ...items),
      answer ? h('div', { class: 'child-answer markdown' }, renderMarkdown(answer, { copy: (code) => this.context.post({ type: 'copy', text: code }), insert: (code) => this.context.post({ type: 'insertCode', code }) })) : null,
    );
    return detailsKept(`child:${turn.runId}`, this.context, { class: 'child-run' }, summary, body);
  }
}

/** On the call's own line: the new errors (red) and warnings (yellow) its change brought, and what it fixed. */
function problemBadges(report: NonNullable<ToolItem['problems']>): HTMLElement {
  const errors = report.added.filter((p) => p.severity === 'error').length;
  const warnings = report.added.filter((p) => p.severity === 'warning').length;
  const title = `Problems after this change: ${errors} new error(s), ${warnings} new warning(s), ${report.fixed.length} fixed`;
  return h(
    'span',
    { class: 'problem-badges', title },
    errors > 0 ? h('span', { class: 'badge problems-errors' }, icon('error'), ` ${errors}`) : null,
    warnings > 0 ? h('span', { class: 'badge problems-warnings' }, icon('warning'), ` ${warnings}`) : null,
    report.fixed.length > 0 ? h('span', { class: 'badge problems-fixed' }, icon('pass'), ` ${report.fixed.length} fixed`) : null,
    errors === 0 && warnings === 0 && report.fixed.length === 0 ? h('span', { class: 'badge problems-none' }, icon('check'), ' no new problems') : null,
  );
}

/** On the call's own line: that a helper works under it, and what it has cost. */
function childBadge(child: NonNullable<ToolItem['child']>): HTMLElement {
  const totals = child.ended?.totals ?? child.turn.totals;
  const running = child.ended === undefined;
  return h('span', { class: `badge child${running ? ' running' : ''}`, title: 'A research helper (a child agent) answered this call' }, icon('type-hierarchy-sub'), running ? ' helper working' : ` helper · ${formatCost(totals?.costUsd ?? 0)}`);
}

function renderNotice(item: NoticeItem): HTMLElement {
  return h('div', { class: `step-item notice ${item.kind}`, role: item.kind === 'error' ? 'alert' : undefined }, icon(item.kind === 'error' ? 'error' : item.kind === 'info' ? 'info' : 'warning'), ` ${item.message}`);
}

export function riskBadge(risk: string): HTMLElement {
  return h('span', { class: `badge risk risk-${risk}`, title: `Risk: ${risk}` }, risk);
}

/** Tool output in a <pre>, cut to a preview with a button that shows the rest. */
function outputBlock(output: string): HTMLElement {
  const pre = h('pre', { class: 'output' }, clip(output, OUTPUT_PREVIEW_CHARS));
  if (output.length <= OUTPUT_PREVIEW_CHARS) return pre;
  const more = h('button', { type: 'button', class: 'link-button' }, `Show all ${output.length.toLocaleString()} characters`);
  more.addEventListener('click', () => {
    pre.textContent = output;
    more.remove();
  });
  return h('div', {}, pre, more);
}

/** A <details> whose open state survives re-renders (kept in the context by key). */
function detailsKept(key: string, context: TurnViewContext, attributes: Record<string, string>, summary: HTMLElement, body: HTMLElement): HTMLDetailsElement {
  const details = h('details', { ...attributes, open: context.openKeys.has(key) }, summary, body);
  details.addEventListener('toggle', () => {
    if (details.open) context.openKeys.add(key);
    else context.openKeys.delete(key);
    context.onOpenChanged();
  });
  return details;
}
