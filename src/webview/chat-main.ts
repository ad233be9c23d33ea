import type { AgentEvent } from '../agent/events';
import type { ChatSetup, ChatState, ChatTurn, ChatViewMessage, ToChatViewMessage } from '../shared/protocol';
import { TurnModel, addUsage, type Meter } from './chat-model';
import { renderHistoryList } from './chat-history-list';
import { TurnView } from './chat-turn-view';
import { h, icon, iconButton } from './dom';
import { formatCost, formatShare, formatTokens } from './format';
import { FrameBatcher } from './frame-batcher';
import { connectToHost } from './host-bridge';
import { isAtBottom } from './virtual-range';

/** What survives the view being hidden or the window reloading (the host also re-sends `state`). */
interface SavedChatView {
  readonly state?: ChatState;
  readonly draft: string;
  readonly openKeys: readonly string[];
  readonly attachSelection: boolean;
}

const host = connectToHost<ChatViewMessage, ToChatViewMessage, SavedChatView>();
const saved = host.saved();

let state: ChatState | undefined;
let turns: TurnModel[] = [];
const views = new Map<string, TurnView>();
/** Events received since the last snapshot, per run: kept so a hidden view restores complete turns. */
let liveEvents = new Map<string, AgentEvent[]>();
let meter: Meter = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
let runningRunId: string | undefined;
let pendingQuestion: string | undefined;
let pendingTimer: ReturnType<typeof setTimeout> | undefined;
let historyOpen = false;
const openKeys = new Set<string>(saved?.openKeys ?? []);

// ---- layout ----------------------------------------------------------------------------------

const titleButton = h('button', { type: 'button', class: 'chat-title', 'aria-expanded': 'false', 'aria-controls': 'history', title: 'Past chats' });
const modelBadge = h('button', { type: 'button', class: 'model-badge', title: 'Model in use: click to select another' });
modelBadge.addEventListener('click', () => host.post({ type: 'selectModel' }));
const meterLabel = h('span', { class: 'meter', role: 'status', 'aria-label': 'Tokens and cost of this chat' });
const header = h(
  'header',
  { class: 'chat-header' },
  titleButton,
  h('div', { class: 'header-info' }, modelBadge, meterLabel),
  h(
    'div',
    { class: 'header-actions' },
    iconButton('list-tree', 'Show trace', () => host.post({ type: 'showTrace', runId: turns.at(-1)?.runId })),
    iconButton('history', 'Past chats', () => toggleHistory()),
    iconButton('add', 'New chat', () => host.post({ type: 'newChat' })),
  ),
);
const banners = h('div', { class: 'banners' });
const historyPanel = h('section', { class: 'history-panel', id: 'history', 'aria-label': 'Past chats', hidden: true });
const allowancesPanel = h('section', { class: 'allowances', 'aria-label': 'Allowed for this chat', hidden: true });
const transcript = h('main', { class: 'transcript', role: 'log', 'aria-label': 'Conversation', tabindex: 0 });
const input = h('textarea', {
  class: 'composer-input',
  rows: 3,
  placeholder: 'Ask about your code… (Enter to send, Shift+Enter for a new line)',
  'aria-label': 'Question for Glassbox',
});
const attachBox = h('input', { type: 'checkbox', id: 'attach-selection' });
const planBox = h('input', { type: 'checkbox', id: 'plan-first' });
const sendButton = h('button', { type: 'button', class: 'primary', title: 'Send (Enter)' }, icon('send'), ' Send');
const stopButton = h('button', { type: 'button', class: 'secondary', title: 'Stop the run', disabled: true }, icon('debug-stop'), ' Stop');
const composer = h(
  'footer',
  { class: 'composer' },
  input,
  h(
    'div',
    { class: 'composer-actions' },
    h('label', { class: 'attach', for: 'attach-selection', title: 'Attach the selected code in the editor to the question' }, attachBox, ' Include editor selection'),
    h('label', { class: 'attach plan-first', for: 'plan-first', title: 'Plan first: the agent proposes a plan you can edit and approve before any step runs' }, planBox, ' Plan first'),
    h('span', { class: 'composer-buttons' }, stopButton, sendButton),
  ),
);
const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });

const root = document.getElementById('app') ?? document.body;
root.classList.add('chat-app');
root.append(header, banners, historyPanel, allowancesPanel, transcript, composer, announcer);

input.value = saved?.draft ?? '';
attachBox.checked = saved?.attachSelection ?? false;

// ---- sending ---------------------------------------------------------------------------------

function send(): void {
  const text = input.value.trim();
  if (text === '' || runningRunId !== undefined) return;
  host.post({ type: 'ask', text, attachSelection: attachBox.checked || undefined });
  pendingQuestion = text;
  input.value = '';
  renderPending();
  // The host may decline (no selection to attach, no key): then no run starts, and the
  // question goes back into the box instead of hanging as "Starting…".
  clearTimeout(pendingTimer);
  pendingTimer = setTimeout(() => {
    if (pendingQuestion !== text) return;
    pendingQuestion = undefined;
    if (input.value.trim() === '') input.value = text;
    renderPending();
    updateComposer();
  }, 5_000);
  updateComposer();
  saveSoon();
}

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    send();
  }
});
input.addEventListener('input', () => {
  updateComposer();
  saveSoon(250);
});
attachBox.addEventListener('change', () => saveSoon(250));
planBox.addEventListener('change', () => host.post({ type: 'setPlanFirst', on: planBox.checked }));
sendButton.addEventListener('click', send);
stopButton.addEventListener('click', () => host.post({ type: 'stop' }));
titleButton.addEventListener('click', () => toggleHistory());

// Links in model text are never followed by the page: the host decides (http(s) only).
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute('href');
  if (href && !href.startsWith('#')) host.post({ type: 'openLink', href });
});

// ---- rendering -------------------------------------------------------------------------------

const turnContext = {
  post: (message: ChatViewMessage) => host.post(message),
  openKeys,
  onOpenChanged: () => saveSoon(),
};

function applyState(next: ChatState): void {
  const sameChat = state?.chatId === next.chatId;
  const scrollTop = transcript.scrollTop;
  const wasAtBottom = isAtBottom(transcript.scrollTop, transcript.clientHeight, transcript.scrollHeight);
  batcher.clear();
  state = next;
  liveEvents = new Map();
  meter = { ...next.totals };
  runningRunId = next.runningRunId;
  // Asked before any model was ready: no run starts, so the question goes back into the box now.
  if (next.setup?.asked && pendingQuestion !== undefined && next.runningRunId === undefined) {
    if (input.value.trim() === '') input.value = pendingQuestion;
    pendingQuestion = undefined;
  }
  planBox.checked = next.planFirst ?? false;
  turns = next.turns.map(turnFrom);
  // The host registers the question as a turn (or starts its run): the placeholder is done.
  if (next.runningRunId !== undefined || next.turns.some((turn) => turn.question === pendingQuestion)) pendingQuestion = undefined;
  views.clear();
  transcript.replaceChildren(...turns.map((turn) => viewOf(turn).element));
  renderPending();
  renderChrome();
  if (!sameChat || wasAtBottom) transcript.scrollTop = transcript.scrollHeight;
  else transcript.scrollTop = scrollTop;
  saveSoon();
}

function turnFrom(turn: ChatTurn): TurnModel {
  const model = new TurnModel(turn.runId, turn.question);
  for (const event of turn.events) model.apply(event);
  return model;
}

function viewOf(turn: TurnModel): TurnView {
  let view = views.get(turn.runId);
  if (!view) {
    view = new TurnView(turn, turnContext);
    views.set(turn.runId, view);
  }
  return view;
}

/** Applies a frame's worth of live events: each changed turn re-renders once. */
function applyEvents(events: AgentEvent[]): void {
  const wasAtBottom = isAtBottom(transcript.scrollTop, transcript.clientHeight, transcript.scrollHeight, 24);
  const changed = new Set<TurnModel>();
  // A new turn, or an approval just given (the modal covered the chat while it asked): the
  // person is following this run, so the chat goes to it even if it was scrolled up.
  let follow = false;
  for (const event of events) {
    if (event.type === 'approval-decided') follow = true;
    let turn = turns.find((candidate) => candidate.runId === event.runId);
    if (!turn) {
      if (event.type !== 'run-start') continue;
      follow = true;
      turn = new TurnModel(event.runId, pendingQuestion ?? event.task);
      pendingQuestion = undefined;
      turns.push(turn);
      transcript.append(viewOf(turn).element);
    }
    if (!turn.apply(event)) continue;
    changed.add(turn);
    let list = liveEvents.get(event.runId);
    if (!list) liveEvents.set(event.runId, (list = []));
    list.push(event);
    addUsage(meter, event);
    if (event.type === 'run-start') runningRunId = event.runId;
    if (event.type === 'run-end') {
      if (runningRunId === event.runId) runningRunId = undefined;
      announce(event.reason === 'answered' ? 'Answer ready.' : `Run stopped: ${event.reason}.`);
    } else if (event.type === 'tool-call') {
      announce(`Running ${event.tool}.`);
    }
  }
  for (const turn of changed) viewOf(turn).update();
  renderPending();
  renderMeter();
  updateComposer();
  if (wasAtBottom || follow) transcript.scrollTop = transcript.scrollHeight;
  saveSoon();
}

const batcher = new FrameBatcher<AgentEvent>(applyEvents);

let pendingElement: HTMLElement | undefined;
function renderPending(): void {
  pendingElement?.remove();
  pendingElement = undefined;
  if (pendingQuestion !== undefined) {
    pendingElement = h(
      'article',
      { class: 'turn pending' },
      h('div', { class: 'question' }, icon('account'), h('div', { class: 'question-text' }, pendingQuestion)),
      h('div', { class: 'response' }, h('span', { class: 'thinking' }, icon('loading', 'codicon-modifier-spin'), ' Starting…')),
    );
    transcript.append(pendingElement);
  }
  const empty = turns.length === 0 && pendingQuestion === undefined;
  transcript.querySelector('.empty-state')?.remove();
  if (empty) transcript.append(emptyState());
}

function emptyState(): HTMLElement {
  if (state && !state.configured) {
    return h('div', { class: 'empty-state setup-state' }, icon('eye', 'empty-icon'), h('h2', {}, 'Choose a model to start'), setupBlock(state.setup));
  }
  return h(
    'div',
    { class: 'empty-state' },
    icon('eye', 'empty-icon'),
    h('h2', {}, 'Ask Glassbox'),
    h('p', {}, 'Ask a question about your code or a task to do. Every step the agent takes (each model call, tool call, approval and result) is shown as it happens.'),
    h('p', { class: 'muted' }, 'Enter sends, Shift+Enter adds a line. Risky actions (writing files, running commands, the network) ask you first.'),
  );
}

function renderChrome(): void {
  if (!state) return;
  titleButton.replaceChildren(icon('comment-discussion'), h('span', { class: 'title-text' }, state.title || 'New chat'), icon(historyOpen ? 'chevron-up' : 'chevron-down'));
  // Until a model is ready the defaults (OpenAI · gpt-4o-mini) are not what anyone chose.
  modelBadge.textContent = state.configured ? `${state.provider} · ${state.model}` : 'No model chosen';
  modelBadge.title = state.configured ? `Model in use: ${state.provider} · ${state.model} (click to select another)` : 'Choose a model';
  titleButton.title = `${state.title || 'New chat'} (past chats)`;
  banners.replaceChildren();
  if (state.restricted) {
    banners.append(
      h(
        'div',
        { class: 'banner restricted', role: 'note' },
        icon('shield'),
        // The host's reason already names Restricted Mode; the fallback says it for a host that gives none.
        h('span', {}, state.restrictedReason ?? 'Restricted Mode: only read tools are available. Trust this workspace to let the agent edit files and run commands.'),
      ),
    );
  }
  // Issue 19: workspace settings that were not used, and the workspace's endpoint waiting for a yes.
  for (const notice of state.notices ?? []) {
    banners.append(
      h(
        'div',
        { class: 'banner settings-notice', role: 'note', 'data-notice': notice.id },
        icon('shield'),
        h(
          'div',
          { class: 'banner-body' },
          h('span', { class: 'banner-text' }, notice.text),
          notice.details?.length
            ? h('details', { class: 'banner-details' }, h('summary', {}, 'Values and reasons'), h('ul', {}, ...notice.details.map((line) => h('li', {}, line))))
            : null,
          notice.button
            ? h('button', { type: 'button', class: 'banner-button', onclick: () => host.post({ type: 'noticeAction', noticeId: notice.id, action: notice.button!.action }) }, notice.button.label)
            : null,
        ),
        iconButton('close', 'Dismiss', () => host.post({ type: 'noticeAction', noticeId: notice.id, action: 'dismiss' })),
      ),
    );
  }
  // With turns on screen the set-up is a banner; in an empty chat it is the empty state itself.
  if (!state.configured && (turns.length > 0 || state.setup?.asked)) {
    banners.append(h('div', { class: 'banner setup', role: 'note' }, setupBlock(state.setup)));
  }
  if (state.problem) {
    const close = iconButton('close', 'Dismiss', () => host.post({ type: 'dismissProblem' }));
    close.classList.add('banner-close');
    banners.append(
      h(
        'div',
        { class: 'banner notice', role: 'alert' },
        icon('error'),
        h(
          'div',
          { class: 'banner-body' },
          h('div', { class: 'notice-text' }, state.problem.message.replace(/^Glassbox: /, '')),
          h('div', { class: 'setup-actions' }, ...state.problem.actions.map((action, index) => actionButton(action.label, index === 0, () => host.post({ type: 'problemAction', index })))),
        ),
        close,
      ),
    );
  }
  renderPending();
  renderHistory();
  renderAllowances();
  renderMeter();
  updateComposer();
}

/** What to do before any model is ready: the servers running here first, then a provider or a key. */
function setupBlock(setup: ChatSetup | undefined): HTMLElement {
  const offers = setup?.offers ?? [];
  const lead = setup?.asked
    ? 'Choose a model first — your question is back in the box, ready to send.'
    : offers.length > 0
      ? 'A model server is running on this machine: use it with one click (no key needed).'
      : setup?.probing
        ? 'Looking for model servers running on this machine…'
        : 'No model server (Ollama, LM Studio, llama.cpp, vLLM) answered on this machine. Choose a provider, or set an API key for OpenAI.';
  return h(
    'div',
    { class: 'setup' },
    h('p', { class: 'setup-lead' }, lead),
    h(
      'div',
      { class: 'setup-actions' },
      ...offers.map((offer) => {
        const button = actionButton(offer.label, true, () => host.post({ type: 'useLocalServer', offerId: offer.id }));
        button.title = offer.detail;
        button.classList.add('offer');
        return button;
      }),
      actionButton('Select Provider', offers.length === 0, () => host.post({ type: 'setup', action: 'selectProvider' })),
      actionButton('Set API Key', false, () => host.post({ type: 'setup', action: 'setApiKey' })),
    ),
  );
}

function actionButton(label: string, primary: boolean, onClick: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: primary ? 'primary' : 'secondary' }, label);
  button.addEventListener('click', onClick);
  return button;
}

function renderMeter(): void {
  const tokens = meter.inputTokens + meter.outputTokens;
  const cached = meter.cachedInputTokens ?? 0;
  const cachedNote = cached > 0 ? ` (${formatShare(cached, meter.inputTokens)} cached)` : '';
  meterLabel.replaceChildren(icon('pulse'), ` ${formatTokens(tokens)} tokens${cachedNote} · ${formatCost(meter.costUsd)}`);
  meterLabel.title =
    `${meter.inputTokens.toLocaleString()} input tokens (${cached.toLocaleString()} cached, ` +
    `${(meter.inputTokens - cached).toLocaleString()} uncached) and ${meter.outputTokens.toLocaleString()} output tokens; ` +
    `${formatCost(meter.costUsd)} in this chat`;
}

function renderHistory(): void {
  historyPanel.hidden = !historyOpen;
  titleButton.setAttribute('aria-expanded', String(historyOpen));
  if (!historyOpen || !state) return;
  historyPanel.replaceChildren(h('h2', { class: 'panel-title' }, 'Past chats'), renderHistoryList(state.pastChats, state.chatId, (message) => host.post(message)));
}

function toggleHistory(): void {
  historyOpen = !historyOpen;
  renderChrome();
  if (historyOpen) historyPanel.querySelector<HTMLElement>('button')?.focus();
}

function renderAllowances(): void {
  const allowances = state?.allowances ?? [];
  allowancesPanel.hidden = allowances.length === 0;
  if (allowances.length === 0) return;
  const list = h('ul', { class: 'allowance-list' });
  for (const allowance of allowances) {
    const revoke = h('button', { type: 'button', class: 'link-button', 'aria-label': `Revoke ${allowance.tool} on ${allowance.pattern}` }, 'Revoke');
    revoke.addEventListener('click', () => host.post({ type: 'revokeAllowance', tool: allowance.tool, pattern: allowance.pattern }));
    list.append(h('li', {}, icon('unlock'), h('code', {}, allowance.tool), ' on ', h('code', {}, allowance.pattern), ' ', revoke));
  }
  allowancesPanel.replaceChildren(h('div', { class: 'panel-title' }, 'Allowed without asking in this chat'), list);
}

function updateComposer(): void {
  const running = runningRunId !== undefined || pendingQuestion !== undefined;
  stopButton.disabled = !running;
  sendButton.disabled = running || input.value.trim() === '';
  transcript.setAttribute('aria-busy', String(running));
}

function announce(text: string): void {
  announcer.textContent = text;
}

// ---- persistence -----------------------------------------------------------------------------

let saveTimer: ReturnType<typeof setTimeout> | undefined;
let saveDue = Infinity;
/**
 * Saves soon, coalescing bursts: setState serializes the whole transcript (megabytes for a long
 * chat), so streaming saves every 1.5 s; typing saves sooner, since a hidden view is discarded.
 */
function saveSoon(delayMs = 1_500): void {
  const due = Date.now() + delayMs;
  if (saveTimer !== undefined && saveDue <= due) return;
  clearTimeout(saveTimer);
  saveDue = due;
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    saveDue = Infinity;
    host.save({ state: snapshot(), draft: input.value, openKeys: [...openKeys], attachSelection: attachBox.checked });
  }, delayMs);
}

/** The last host snapshot with the live events since folded in. */
function snapshot(): ChatState | undefined {
  if (!state) return undefined;
  const known = new Set(state.turns.map((turn) => turn.runId));
  const turnsNow: ChatTurn[] = state.turns.map((turn) => ({ ...turn, events: [...turn.events, ...(liveEvents.get(turn.runId) ?? [])] }));
  for (const turn of turns) {
    if (!known.has(turn.runId)) turnsNow.push({ runId: turn.runId, question: turn.question, events: liveEvents.get(turn.runId) ?? [] });
  }
  return { ...state, turns: turnsNow, totals: { ...meter }, runningRunId };
}

// ---- messages from the host ------------------------------------------------------------------

host.onMessage((message) => {
  switch (message.type) {
    case 'state':
      applyState(message.state);
      return;
    case 'event':
      batcher.push(message.event);
      return;
  }
});

if (saved?.state) applyState(saved.state);
else renderPending();
updateComposer();
host.post({ type: 'ready' });
input.focus();
