import type { ChatAllowance } from '../safety/approval';
import type { ChatMessage } from '../model/model';
import { newChatId } from '../ids';

/**
 * Short-term memory: the messages of one chat, carried across its turns, and the
 * "Allow for this chat" grants the person gave in it. The loop appends to it as a run goes;
 * a run that is cut short leaves only whole exchanges behind (never an assistant tool call
 * without its results).
 */
export class Conversation {
  readonly #messages: ChatMessage[] = [];
  readonly #allowances: ChatAllowance[] = [];
  readonly #taintSources = new Set<string>();

  constructor(readonly id: string = newChatId(), messages: readonly ChatMessage[] = []) {
    this.#messages.push(...messages);
  }

  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  append(...messages: ChatMessage[]): void {
    this.#messages.push(...messages);
  }

  /** Drops messages from `length` on: used to roll back a turn that did not complete. */
  truncate(length: number): void {
    this.#messages.length = Math.min(length, this.#messages.length);
  }

  /**
   * Gives every tool call of the last assistant message that has no result one saying `note`.
   * The API rejects a history with unanswered calls: a run cut short, or a chat restored after
   * VS Code was killed mid-step, must not leave one behind. Returns how many were added.
   */
  closeOpenToolCalls(note: string): number {
    const messages = this.#messages;
    const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
    const assistant = messages[lastAssistant];
    if (assistant?.role !== 'assistant' || !assistant.toolCalls) return 0;
    const answered = new Set(messages.slice(lastAssistant + 1).flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
    const open = assistant.toolCalls.filter((call) => !answered.has(call.id));
    // Results go right after the calls' existing results, before any later user message.
    let at = lastAssistant + 1;
    while (at < messages.length && messages[at].role === 'tool') at++;
    messages.splice(at, 0, ...open.map((call): ChatMessage => ({ role: 'tool', toolCallId: call.id, content: note })));
    return open.length;
  }

  get allowances(): readonly ChatAllowance[] {
    return this.#allowances;
  }

  allow(allowance: ChatAllowance): void {
    if (!this.#allowances.some((a) => a.tool === allowance.tool && a.pattern === allowance.pattern)) {
      this.#allowances.push(allowance);
    }
  }

  /**
   * Where content from outside the user's own messages came into this chat (files read, command
   * output, web pages). It stays in the model's context for the rest of the chat, so risky calls
   * from then on are flagged as possibly following instructions hidden in it.
   */
  get taintSources(): readonly string[] {
    return [...this.#taintSources];
  }

  addTaintSource(source: string): void {
    this.#taintSources.add(source);
  }

  revoke(tool: string, pattern: string): boolean {
    const index = this.#allowances.findIndex((a) => a.tool === tool && a.pattern === pattern);
    if (index < 0) return false;
    this.#allowances.splice(index, 1);
    return true;
  }
}
