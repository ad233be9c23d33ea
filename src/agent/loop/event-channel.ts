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

/** A run as `streamEvents` drives it: work that fills an event channel until it closes it. */
export interface StreamedRun {
  readonly events: EventChannel;
  execute(): Promise<void>;
  cancel(): void;
}

/**
 * Runs `run` and yields its events as they come. Breaking out of the iteration cancels the
 * run; either way the generator ends only once the run has finished its cleanup.
 */
export async function* streamEvents(run: StreamedRun): AsyncGenerator<AgentEvent> {
  let ended = false;
  const finished = run.execute().finally(() => (ended = true));
  try {
    yield* run.events.drain();
  } finally {
    // Only a consumer that stopped listening early leaves a run going.
    if (!ended) run.cancel();
    await finished;
  }
}
