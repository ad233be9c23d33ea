import type { AgentEvent, AgentEventBody } from '../events';

/**
 * Turns pushes from anywhere in a run (the model stream, tools running side by side) into one
 * ordered AsyncIterable, stamping each event with its run id, sequence number, time and step.
 */
export class EventChannel {
  readonly #buffer: AgentEvent[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #seq = 0;

  constructor(readonly runId: string) {}

  push(step: number, body: AgentEventBody): AgentEvent {
    const event = { ...body, runId: this.runId, seq: this.#seq++, time: Date.now(), step } as AgentEvent;
    if (this.#closed) return event;
    this.#buffer.push(event);
    this.#wake?.();
    return event;
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *drain(): AsyncGenerator<AgentEvent> {
    while (true) {
      while (this.#buffer.length > 0) yield this.#buffer.shift() as AgentEvent;
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
