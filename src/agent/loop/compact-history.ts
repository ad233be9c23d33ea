import type { ChatMessage, ToolSpec } from '../model/model';
import { countMessageTokens, estimateRequestTokens } from '../model/token-estimate';

export interface Compaction {
  readonly messages: readonly ChatMessage[];
  /**
   * The prompt's tokens by the tokenizer, when it was needed to decide what fits; undefined
   * when a character count alone proved the prompt fits (tokenizing costs more than the rest
   * of a step, so it is done only when a decision needs it: see `exactTokens`).
   */
  readonly estimatedTokens: number | undefined;
  /** The tokenizer's count, computed now if it was not needed before. */
  exactTokens(): number;
  /** A cheap estimate from the prompt's length (about four characters a token). */
  readonly approximateTokens: number;
  /** Results shortened because their step is old (routine, not worth a warning). */
  readonly agedResults: number;
  /** Results replaced by a note and earlier messages dropped to fit the context window. */
  readonly compactedResults: number;
  readonly droppedMessages: number;
}

export interface CompactionPolicy {
  /** The prompt must fit in this many tokens. */
  readonly budgetTokens: number;
  /**
   * Tool results are sent whole until those sent whole add up to more than this many tokens
   * (about four characters a token); then all of them but the latest `keepFullSteps` steps'
   * are aged, in one step.
   */
  readonly wholeResultsTokens: number;
  /** Steps whose results stay whole when a block is aged (at least 1: the model has not seen the latest). */
  readonly keepFullSteps: number;
  /** Aged results are cut to their first this-many tokens. */
  readonly agedResultTokens: number;
}

/**
 * Builds the prompt from the stored conversation without changing it, so that consecutive
 * prompts share as long a beginning as possible: prompt caches (OpenAI, DeepSeek, vLLM,
 * llama.cpp…) bill and compute again only what follows the first changed byte.
 *
 * 1. Ageing in epochs: tool results stay whole, byte for byte, until the results sent whole
 *    pass `wholeResultsTokens`. Then every result but the latest `keepFullSteps` steps' is cut
 *    to its head, all at once; the model has already acted on them and can call the tool
 *    again. The next many calls share the new, shorter prefix until the next epoch. Where the
 *    epochs fall is worked out from the history itself, so every call (and a later turn of
 *    the same chat) draws the same line, and a result once aged stays aged the same way.
 * 2. Only when the prompt is still over budget: the oldest results are replaced by a one-line
 *    note, then whole exchanges of earlier turns are dropped, oldest first.
 * The tool list and the system prompt come first and stay the same for all of a run's calls,
 * the current task is never dropped, and an assistant tool call never loses its results (or
 * the reverse).
 */
export interface CompactionInput {
  readonly system: ChatMessage;
  /** The stored conversation; never changed. */
  readonly history: readonly ChatMessage[];
  readonly tools: readonly ToolSpec[];
  readonly policy: CompactionPolicy;
  /** Index of the current turn's user message in `history`. */
  readonly taskIndex: number;
}

export function compactHistory({ system, history, tools, policy, taskIndex }: CompactionInput): Compaction {
  const working = [...history];
  let agedResults = 0;
  const ageBoundary = epochBoundary(history, policy);
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
  let kept = [system, ...working.slice(start)];
  estimated = estimateRequestTokens(kept, tools);
  if (estimated <= policy.budgetTokens) return done(kept, estimated, compactedResults, start);

  // Still over: the current turn alone is too big (hundreds of calls in one reply, huge
  // results). Its own results get notes too, latest last, so the budget holds in every case
  // the conversation can reach; the model is told to ask for less.
  kept = [...kept];
  for (let i = 1; i < kept.length && estimated > policy.budgetTokens; i++) {
    const message = kept[i];
    if (message.role !== 'tool') continue;
    const note = compactedResult(message);
    if (note === message) continue;
    estimated -= countMessageTokens(message) - countMessageTokens(note);
    kept[i] = note;
    compactedResults++;
  }
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

/**
 * Where the current epoch begins: results before this index are aged. Replays the history
 * step by step as the calls saw it: after each step, if the results sent whole since the last
 * epoch pass the budget, a new epoch starts at the oldest of the latest `keepFullSteps` steps.
 * Appending to the history can only move the line forward, and only at the step that passes
 * the budget, so between epochs every earlier message is sent exactly as before.
 */
function epochBoundary(history: readonly ChatMessage[], policy: CompactionPolicy): number {
  const keep = Math.max(1, policy.keepFullSteps);
  const budgetChars = policy.wholeResultsTokens * 4;
  /** Start index of each step (an assistant message), and the characters of its results. */
  const steps: { start: number; chars: number }[] = [];
  let boundary = 0;
  let wholeChars = 0;
  let firstWholeStep = 0;
  const closeStep = () => {
    if (wholeChars <= budgetChars || steps.length <= keep) return;
    firstWholeStep = Math.max(firstWholeStep, steps.length - keep);
    boundary = steps[firstWholeStep].start;
    wholeChars = 0;
    for (let s = firstWholeStep; s < steps.length; s++) wholeChars += steps[s].chars;
  };
  for (let i = 0; i < history.length; i++) {
    const message = history[i];
    if (message.role === 'assistant') {
      if (steps.length > 0) closeStep();
      steps.push({ start: i, chars: 0 });
    } else if (message.role === 'tool' && steps.length > 0) {
      steps[steps.length - 1].chars += message.content.length;
      wholeChars += message.content.length;
    }
  }
  if (steps.length > 0) closeStep();
  return boundary;
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
