import type { ChatMessage, ToolSpec } from './model';

type CountTokens = (text: string) => number;
let counter: CountTokens | undefined;

function tokenizer(): CountTokens {
  // Required lazily: in the bundles './tokenizer' is a separate file (see scripts/build.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  counter ??= (require('./tokenizer') as { countTokens: CountTokens }).countTokens;
  return counter;
}

export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : tokenizer()(text);
}

// Messages are immutable once in a conversation, so each is tokenized once.
const messageTokens = new WeakMap<object, number>();

/** Per-message overhead of the chat format (role markers), as OpenAI documents it. */
const MESSAGE_OVERHEAD = 4;

export function countMessageTokens(message: ChatMessage): number {
  const cached = messageTokens.get(message);
  if (cached !== undefined) return cached;
  let text = message.content ?? '';
  if (message.role === 'assistant' && message.toolCalls) {
    for (const call of message.toolCalls) text += call.name + call.argumentsJson;
  }
  const tokens = countTextTokens(text) + MESSAGE_OVERHEAD;
  messageTokens.set(message, tokens);
  return tokens;
}

// Specs are made once per tool (tool-specs.ts), so each is tokenized once, not once per run.
const toolSpecTokens = new WeakMap<ToolSpec, number>();

export function countToolSpecTokens(tools: readonly ToolSpec[]): number {
  let total = 0;
  for (const spec of tools) {
    let tokens = toolSpecTokens.get(spec);
    if (tokens === undefined) {
      tokens = countTextTokens(JSON.stringify(spec));
      toolSpecTokens.set(spec, tokens);
    }
    total += tokens;
  }
  return total;
}

/** An estimate of a request's prompt tokens, as the endpoint would count them. */
export function estimateRequestTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): number {
  let total = 3 + countToolSpecTokens(tools);
  for (const message of messages) total += countMessageTokens(message);
  return total;
}
