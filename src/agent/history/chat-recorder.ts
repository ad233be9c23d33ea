import type { Conversation } from '../loop/conversation';
import type { AgentEvent, EventOf } from '../events';
import type { ChatMessage } from '../model/model';
import type { ChatHistory } from './chat-history';

/** Joined text is written at least this often, so a crash mid-answer loses little of it. */
const MAX_JOINED_TEXT = 4_000;

/**
 * Records one chat's runs into the history: every event, and the conversation's messages
 * as the loop adds them (or rolls a turn back), so `load` can resume the chat exactly.
 *
 * Streamed text deltas are joined while they arrive back to back in one step: a delta is a
 * few characters, and one JSON line apiece would make the transcript many times the size
 * of the text (the step's whole text is also in its `assistant-message` event).
 */
export class ChatRecorder {
  /** The messages already written, by identity: conversation messages are never mutated. */
  readonly #written: ChatMessage[] = [];
  #pendingText: EventOf<'text-delta'> | undefined;

  constructor(
    private readonly history: ChatHistory,
    readonly chatId: string,
    private readonly conversation: Conversation,
  ) {
    // A resumed chat starts with the messages load() returned: they are on disk already.
    this.#written.push(...conversation.messages);
  }

  record(event: AgentEvent): void {
    if (event.type === 'text-delta') {
      const pending = this.#pendingText;
      if (pending && pending.runId === event.runId && pending.step === event.step && pending.text.length < MAX_JOINED_TEXT) {
        this.#pendingText = { ...pending, text: pending.text + event.text };
      } else {
        this.#flushText();
        this.#pendingText = event;
      }
      return;
    }
    // A helper's streamed text is in its assistant-message too; a line per delta would only bloat.
    if ((event.type === 'child-event' || event.type === 'plan-step-event') && event.event.type === 'text-delta') return;
    this.#flushText();
    this.history.append(this.chatId, { kind: 'event', event });
    this.syncMessages();
    if (event.type === 'run-end') void this.history.flush();
  }

  /** Writes the conversation's new messages, and a truncation if it was cut back. */
  syncMessages(): void {
    const current = this.conversation.messages;
    let same = 0;
    while (same < this.#written.length && same < current.length && this.#written[same] === current[same]) same++;
    if (same < this.#written.length) {
      this.history.append(this.chatId, { kind: 'truncate', messageCount: same });
      this.#written.length = same;
    }
    for (const message of current.slice(same)) {
      this.history.append(this.chatId, { kind: 'message', message });
      this.#written.push(message);
    }
  }

  /** Writes anything held back (joined text) and waits for it to reach the disk. */
  async close(): Promise<void> {
    this.#flushText();
    this.syncMessages();
    await this.history.flush();
  }

  #flushText(): void {
    if (!this.#pendingText) return;
    this.history.append(this.chatId, { kind: 'event', event: this.#pendingText });
    this.#pendingText = undefined;
  }
}

/** Passes a run's events through unchanged, recording each one on the way. */
export async function* recordRun(events: AsyncIterable<AgentEvent>, recorder: ChatRecorder): AsyncIterable<AgentEvent> {
  try {
    for await (const event of events) {
      recorder.record(event);
      yield event;
    }
  } finally {
    await recorder.close();
  }
}
