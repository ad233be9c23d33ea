/**
 * A copy of Glassbox's history ageing before issue 16, kept only as the bench's baseline: every
 * step it cuts the result that has just turned `keepFullSteps` steps old, so the prompt changes
 * a few messages from its end at every call and a prompt cache can reuse little of it.
 * Not used by the product (src/agent/loop/compact-history.ts replaced it).
 */
import type { ChatMessage, ToolSpec } from '../../../src/agent/model/model';
import { countMessageTokens, estimateRequestTokens } from '../../../src/agent/model/token-estimate';
import type { Compaction, CompactionInput } from '../../../src/agent/loop/compact-history';

/**
 * Builds the prompt from the stored conversation without changing it.
 *
 * 1. Observation ageing, every step: tool results of steps older than the latest
 *    `keepFullSteps` are cut to their head. The model has already acted on them; it can call
 *    the tool again. This keeps long runs from resending every old file in full (each step
 *    would otherwise cost the sum of all results so far).
 * 2. Only when the prompt is still over budget: the oldest results are replaced by a one-line
 *    note, then whole exchanges of earlier turns are dropped, oldest first.
 * The system prompt and the current task are never dropped, and an assistant tool call never
 * loses its results (or the reverse). Shortened messages are cached per original, so their
 * tokens are counted once, and the prompt's prefix stays stable from step to step.
 */
export function compactHistoryEveryStep({ system, history, tools, policy, taskIndex }: CompactionInput): Compaction {
  const working = [...history];
  let agedResults = 0;
  const ageBoundary = startOfRecentSteps(history, policy.keepFullSteps);
  for (let i = 0; i < ageBoundary; i++) {
    const aged = agedResult(working[i], policy.agedResultTokens);
    if (aged !== working[i]) {
      working[i] = aged;
      agedResults++;
    }
  }
  const done = (messages: readonly ChatMessage[], exact?: number, compactedResults = 0, droppedMessages = 0): Compaction => {
    let tokens = exact;
    const chars = promptChars(messages, tools);
    return {
      messages,
      estimatedTokens: exact,
      exactTokens: () => (tokens ??= estimateRequestTokens(messages, tools)),
      approximateTokens: Math.ceil(chars.length / 4) + chars.overhead,
      agedResults,
      compactedResults,
      droppedMessages,
    };
  };
  // A token is at least one character, so a prompt with fewer characters than the budget
  // fits whatever the tokenizer says.
  const upperBound = promptChars([system, ...working], tools);
  if (upperBound.length + upperBound.overhead <= policy.budgetTokens) return done([system, ...working]);
  let estimated = estimateRequestTokens([system, ...working], tools);
  if (estimated <= policy.budgetTokens) return done([system, ...working], estimated);

  // Over the window: notes for the oldest results first, but the latest step's stay whole
  // because the model is about to act on them.
  const lastAssistant = findLastIndex(working, (m) => m.role === 'assistant');
  let compactedResults = 0;
  for (let i = 0; i < lastAssistant && estimated > policy.budgetTokens; i++) {
    const message = working[i];
    if (message.role !== 'tool') continue;
    const note = compactedResult(history[i]);
    if (note === working[i]) continue;
    estimated -= countMessageTokens(message) - countMessageTokens(note);
    working[i] = note;
    compactedResults++;
  }
  if (estimated <= policy.budgetTokens) return done([system, ...working], estimated, compactedResults);

  // Still over: drop whole exchanges of earlier turns, oldest first. An exchange starts at a
  // user message.
  let start = 0;
  while (start < taskIndex && estimated > policy.budgetTokens) {
    let end = start + 1;
    while (end < taskIndex && working[end].role !== 'user') end++;
    for (let i = start; i < end; i++) estimated -= countMessageTokens(working[i]);
    start = end;
  }
  const kept = [system, ...working.slice(start)];
  return done(kept, estimateRequestTokens(kept, tools), compactedResults, start);
}

const specChars = new WeakMap<ToolSpec, number>();

/** Characters in a prompt, and the per-message overhead of the chat format in tokens. */
function promptChars(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): { length: number; overhead: number } {
  let length = 0;
  for (const spec of tools) {
    let chars = specChars.get(spec);
    if (chars === undefined) specChars.set(spec, (chars = JSON.stringify(spec).length));
    length += chars;
  }
  for (const message of messages) {
    length += message.content?.length ?? 0;
    if (message.role === 'assistant' && message.toolCalls) {
      for (const call of message.toolCalls) length += call.name.length + call.argumentsJson.length;
    }
  }
  return { length, overhead: 3 + 4 * messages.length };
}

/** Index of the first message of the latest `steps` assistant turns. */
function startOfRecentSteps(history: readonly ChatMessage[], steps: number): number {
  let seen = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].role === 'assistant' && ++seen === steps) return i;
  }
  return 0;
}

const aged = new WeakMap<ChatMessage, ChatMessage>();

function agedResult(message: ChatMessage, headTokens: number): ChatMessage {
  if (message.role !== 'tool') return message;
  const cached = aged.get(message);
  if (cached) return cached;
  // Cheap character bound first: a token is at least one character, rarely more than six.
  const tokens = message.content.length <= headTokens ? 0 : countMessageTokens(message);
  let result: ChatMessage = message;
  if (tokens > headTokens + 40) {
    const headChars = Math.floor((message.content.length / tokens) * headTokens);
    const lineEnd = message.content.lastIndexOf('\n', headChars);
    const head = message.content.slice(0, lineEnd > headChars / 2 ? lineEnd : headChars);
    result = {
      role: 'tool',
      toolCallId: message.toolCallId,
      content: `${head}\n[… shortened: this result is from an earlier step (about ${tokens} tokens in all). Call the tool again if you need the rest.]`,
    };
  }
  aged.set(message, result);
  return result;
}

const compacted = new WeakMap<ChatMessage, ChatMessage>();

function compactedResult(original: ChatMessage): ChatMessage {
  if (original.role !== 'tool') return original;
  let note = compacted.get(original);
  if (!note) {
    const tokens = countMessageTokens(original);
    note =
      tokens <= 40
        ? original
        : {
            role: 'tool',
            toolCallId: original.toolCallId,
            content: `[Earlier result of ${tokens} tokens compacted to fit the context window. Call the tool again if you need it.]`,
          };
    compacted.set(original, note);
  }
  return note;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}
