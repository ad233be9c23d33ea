/**
 * A prompt cache the way OpenAI documents theirs, for the scripted server: a request's cached
 * tokens are the longest prefix it shares with any earlier request (tools first, then the
 * messages in order), counted only from 1,024 tokens and then in 128-token steps
 * (platform.openai.com/docs/guides/prompt-caching; the cookbook's "Prompt Caching 201").
 *
 * Tokens are counted with Glassbox's tokenizer (cl100k) over the request as received, the way
 * the bench and the tests count prompts. A message that differs from the earlier request's
 * still shares its common leading characters, as a token-level cache would.
 */
import type { ChatMessage, ToolSpec } from '../../src/agent/model/model';
import { countMessageTokens, countTextTokens, countToolSpecTokens } from '../../src/agent/model/token-estimate';
import type { ChatRequestBody, WireMessage } from './scripted-server';

export interface PromptCacheOptions {
  /** Shorter shared prefixes are not cached at all (OpenAI: 1,024). */
  readonly minTokens?: number;
  /** Cached tokens are a multiple of this (OpenAI: 128). */
  readonly stepTokens?: number;
}

export interface PromptCount {
  readonly promptTokens: number;
  readonly cachedTokens: number;
  /** The shared prefix before rounding to the cache's steps. */
  readonly sharedTokens: number;
  /** Tokens of the prefix shared with the request just before (not any earlier one). */
  readonly previousSharedTokens: number;
}

interface Interned {
  readonly id: number;
  readonly message: ChatMessage;
  readonly text: string;
}

interface Seen {
  readonly toolsKey: string;
  readonly messageIds: readonly number[];
}

const REQUEST_OVERHEAD = 3;

export class PromptCache {
  readonly #minTokens: number;
  readonly #stepTokens: number;
  readonly #messages = new Map<string, Interned>();
  readonly #byId: Interned[] = [];
  readonly #tools = new Map<string, ToolSpec[]>();
  readonly #seen: Seen[] = [];

  constructor(options: PromptCacheOptions = {}) {
    this.#minTokens = options.minTokens ?? 1024;
    this.#stepTokens = options.stepTokens ?? 128;
  }

  /** Counts a request against the ones before it, then remembers it for those after. */
  admit(request: ChatRequestBody): PromptCount {
    const toolsKey = JSON.stringify(request.tools ?? []);
    const toolTokens = countToolSpecTokens(this.#toolSpecs(toolsKey, request));
    const messages = request.messages.map((wire) => this.#intern(wire));
    const promptTokens = REQUEST_OVERHEAD + toolTokens + messages.reduce((sum, m) => sum + countMessageTokens(m.message), 0);

    const shared = (seen: Seen) => {
      let count = 0;
      while (count < messages.length && count < seen.messageIds.length && seen.messageIds[count] === messages[count].id) count++;
      const partial = count < messages.length && count < seen.messageIds.length ? this.#partialTokens(messages[count], seen.messageIds[count]) : 0;
      let tokens = REQUEST_OVERHEAD + toolTokens + partial;
      for (let i = 0; i < count; i++) tokens += countMessageTokens(messages[i].message);
      return Math.min(tokens, promptTokens);
    };
    // The longest prefix shared with any earlier request that had the same tools.
    let sharedTokens = 0;
    for (const seen of this.#seen) if (seen.toolsKey === toolsKey) sharedTokens = Math.max(sharedTokens, shared(seen));
    const previous = this.#seen.at(-1);
    const previousSharedTokens = previous?.toolsKey === toolsKey ? shared(previous) : 0;
    this.#seen.push({ toolsKey, messageIds: messages.map((m) => m.id) });
    const cachedTokens = sharedTokens < this.#minTokens ? 0 : Math.floor(sharedTokens / this.#stepTokens) * this.#stepTokens;
    return { promptTokens, cachedTokens, sharedTokens, previousSharedTokens };
  }

  #partialTokens(next: Interned, earlierId: number): number {
    const earlier = this.#byId[earlierId];
    if (!earlier || earlier.message.role !== next.message.role) return 0;
    let same = 0;
    const limit = Math.min(earlier.text.length, next.text.length);
    while (same < limit && earlier.text.charCodeAt(same) === next.text.charCodeAt(same)) same++;
    // The role marker starts the message: a token-level cache shares it along with the text.
    return same === 0 ? 0 : countTextTokens(next.text.slice(0, same));
  }

  #intern(wire: WireMessage): Interned {
    const key = JSON.stringify(wire);
    let interned = this.#messages.get(key);
    if (!interned) {
      const message = fromWire(wire);
      interned = { id: this.#byId.length, message, text: message.content ?? '' };
      this.#messages.set(key, interned);
      this.#byId.push(interned);
    }
    return interned;
  }

  #toolSpecs(key: string, request: ChatRequestBody): ToolSpec[] {
    let tools = this.#tools.get(key);
    if (!tools) {
      tools = (request.tools ?? []).map((t) => ({
        name: t.function.name,
        description: t.function.description ?? '',
        parameters: (t.function.parameters ?? {}) as Record<string, unknown>,
      }));
      this.#tools.set(key, tools);
    }
    return tools;
  }
}

/** A message as the wire carried it, in the core's shape (so the core's tokenizer counts it). */
export function fromWire(wire: WireMessage): ChatMessage {
  const content = typeof wire.content === 'string' ? wire.content : wire.content == null ? null : JSON.stringify(wire.content);
  switch (wire.role) {
    case 'system':
    case 'user':
      return { role: wire.role, content: content ?? '' };
    case 'assistant':
      return {
        role: 'assistant',
        content,
        toolCalls: (wire.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, argumentsJson: c.function.arguments })),
      };
    case 'tool':
      return { role: 'tool', toolCallId: wire.tool_call_id ?? '', content: content ?? '' };
    default:
      throw new Error(`the scripted server received a message with role ${JSON.stringify(wire.role)}`);
  }
}
