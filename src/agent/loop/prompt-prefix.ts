import type { ChatMessage, ToolSpec } from '../model/model';

/**
 * How much of a prompt repeats the beginning of the one sent before it. Prompt caches (OpenAI,
 * DeepSeek, vLLM, llama.cpp…) serve exactly that part again at a discount and without
 * recomputing it, so the loop keeps earlier messages byte-identical from call to call, and
 * estimates the cached part of the next call from this.
 */
export interface SharedPrefix {
  /** Leading messages identical to the previous prompt's. */
  readonly messages: number;
  /** Characters of those messages (content and tool calls) and of the tool list before them; 0 when none is shared. */
  readonly chars: number;
}

/** What `next` repeats of `previous`, both sent with the same tool list (it comes first in the prompt). */
export function sharedPrefix(previous: readonly ChatMessage[] | undefined, next: readonly ChatMessage[], tools: readonly ToolSpec[]): SharedPrefix {
  if (!previous) return { messages: 0, chars: 0 };
  let count = 0;
  let chars = 0;
  while (count < previous.length && count < next.length && sameMessage(previous[count], next[count])) {
    chars += messageChars(next[count]);
    count++;
  }
  if (count === 0) return { messages: 0, chars: 0 };
  for (const spec of tools) chars += JSON.stringify(spec).length;
  return { messages: count, chars };
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  if (a === b) return true;
  if (a.role !== b.role || a.content !== b.content) return false;
  if (a.role === 'tool' && b.role === 'tool') return a.toolCallId === b.toolCallId;
  if (a.role === 'assistant' && b.role === 'assistant') {
    const x = a.toolCalls ?? [];
    const y = b.toolCalls ?? [];
    return x.length === y.length && x.every((call, i) => call.id === y[i].id && call.name === y[i].name && call.argumentsJson === y[i].argumentsJson);
  }
  return true;
}

function messageChars(message: ChatMessage): number {
  let chars = message.content?.length ?? 0;
  if (message.role === 'assistant') for (const call of message.toolCalls ?? []) chars += call.name.length + call.argumentsJson.length;
  return chars;
}
