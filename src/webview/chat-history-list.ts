import type { ChatSummaryView, ChatViewMessage } from '../shared/protocol';
import { h, iconButton } from './dom';
import { formatCost, formatTime, formatTokens } from './format';

/**
 * Past chats: open, rename (inline: Enter saves, Escape cancels) and delete.
 */
export function renderHistoryList(
  chats: readonly ChatSummaryView[],
  currentChatId: string,
  post: (message: ChatViewMessage) => void,
): HTMLElement {
  if (chats.length === 0) return h('p', { class: 'muted empty-history' }, 'No past chats yet.');
  const list = h('ul', { class: 'history-list', 'aria-label': 'Past chats' });
  for (const chat of chats) list.append(historyEntry(chat, chat.id === currentChatId, post));
  return list;
}

function historyEntry(chat: ChatSummaryView, current: boolean, post: (message: ChatViewMessage) => void): HTMLElement {
  const open = h(
    'button',
    { type: 'button', class: 'history-open', 'aria-current': current ? 'true' : undefined, title: `Open "${chat.title}"` },
    h('span', { class: 'history-title' }, chat.title || 'Untitled chat'),
    h('span', { class: 'history-meta muted' }, `${formatTime(chat.updated)} · ${formatTokens(chat.inputTokens + chat.outputTokens)} tokens · ${formatCost(chat.costUsd)}`),
  );
  open.addEventListener('click', () => post({ type: 'openChat', chatId: chat.id }));
  const entry = h('li', { class: `history-entry${current ? ' current' : ''}` }, open);

  const rename = iconButton('edit', `Rename "${chat.title}"`, () => {
    const input = h('input', { type: 'text', class: 'rename-input', value: chat.title, 'aria-label': 'New chat title', maxlength: 200 });
    const finish = (save: boolean) => {
      const title = input.value.trim();
      if (save && title !== '' && title !== chat.title) post({ type: 'renameChat', chatId: chat.id, title });
      input.replaceWith(open);
      rename.focus();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      else if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => input.isConnected && finish(true));
    open.replaceWith(input);
    input.focus();
    input.select();
  });

  // The host asks for confirmation in a modal dialog (a webview has no confirm()).
  const remove = iconButton('trash', `Delete "${chat.title}"`, () => post({ type: 'deleteChat', chatId: chat.id }));
  entry.append(h('span', { class: 'history-actions' }, rename, remove));
  return entry;
}
