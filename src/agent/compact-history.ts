import type { ChatMessage, ToolSpec } from './model';
import { countMessageTokens, estimateRequestTokens } from './token-estimate';

export interface Compaction {
  readonly messages: readonly ChatMessage[];
  readonly estimatedTokens: number;
  /** Tool results shortened and earlier turns dropped to fit; both 0 when nothing changed. */
  readonly compactedResults: number;
  readonly droppedMessages: number;
}

/**
 * Fits the prompt into `budgetTokens` without touching the stored conversation.
 * Order of sacrifice: the oldest tool results are replaced by a one-line note (the model can
 * call the tool again); then whole exchanges of earlier turns are dropped, oldest first. The
 * system prompt and the current task (`protectedFrom` onwards it keeps the task message) are
 * never dropped, and an assistant tool call never loses its results (or the reverse).
 *
 * @param protectedFrom index of the current turn's user message in `history`.
 */
export function compactHistory(
  system: ChatMessage,
  history: readonly ChatMessage[],
  tools: readonly ToolSpec[],
  budgetTokens: number,
  protectedFrom: number,
): Compaction {
  let messages = [system, ...history];
  let estimated = estimateRequestTokens(messages, tools);
  if (estimated <= budgetTokens) return { messages, estimatedTokens: estimated, compactedResults: 0, droppedMessages: 0 };

  // 1. Oldest tool results first, but keep the latest step's results whole: the model is
  //    about to act on them.
  const lastAssistant = findLastIndex(history, (m) => m.role === 'assistant');
  const compacted = [...history];
  let compactedResults = 0;
  for (let i = 0; i < compacted.length && estimated > budgetTokens; i++) {
    const message = compacted[i];
    if (message.role !== 'tool' || i > lastAssistant) continue;
    const before = countMessageTokens(message);
    if (before <= 40) continue;
    const note: ChatMessage = {
      role: 'tool',
      toolCallId: message.toolCallId,
      content: `[Earlier result of ${before} tokens compacted to fit the context window. Call the tool again if you need it.]`,
    };
    compacted[i] = note;
    estimated -= before - countMessageTokens(note);
    compactedResults++;
  }
  messages = [system, ...compacted];
  if (estimated <= budgetTokens) return { messages, estimatedTokens: estimated, compactedResults, droppedMessages: 0 };

  // 2. Drop whole exchanges of earlier turns, oldest first. An exchange starts at a user message.
  let start = 0;
  while (start < protectedFrom && estimated > budgetTokens) {
    let end = start + 1;
    while (end < protectedFrom && compacted[end].role !== 'user') end++;
    for (let i = start; i < end; i++) estimated -= countMessageTokens(compacted[i]);
    start = end;
  }
  messages = [system, ...compacted.slice(start)];
  return { messages, estimatedTokens: estimateRequestTokens(messages, tools), compactedResults, droppedMessages: start };
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}
