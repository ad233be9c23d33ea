import { CancelledError, ConfigurationError, ModelRequestError } from '../errors';
import type { AgentEvent, AgentEventBody, RunLimits, Totals } from '../events';
import { describeEvent } from '../describe-event';
import { newRunId } from '../ids';
import { silentLogger, type Logger } from '../logger';
import { messageOf } from '../format';
import { EventChannel } from './event-channel';
import { endingForAbort, type Ending } from './stop-rules';
import { UnreadToolCallError } from './unread-call-correction';

/**
 * What every run does around its work, the plain loop (run-agent.ts) and the planned run
 * (plan/run-planned.ts) alike: one abort for the person's Stop, the caller's signal and the
 * run's deadline; events stamped and logged; a throw turned into the run's ending (logging a
 * bug's stack); and the one `run-end` that closes the stream.
 */
export class RunLifecycle {
  readonly runId: string;
  readonly events: EventChannel;
  readonly limits: RunLimits;
  readonly startedAt = Date.now();
  /** The step events are stamped with: the loop's model turns, the planned run's planning turns. */
  step = 0;
  readonly #abort = new AbortController();
  readonly #log: Logger;
  #timedOut = false;

  constructor(runId: string | undefined, limits: RunLimits, logger: Logger | undefined) {
    this.runId = runId ?? newRunId();
    this.events = new EventChannel(this.runId);
    this.limits = limits;
    this.#log = logger ?? silentLogger;
  }

  /** Aborts on Stop, on the caller's signal and at the deadline. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get log(): Logger {
    return this.#log;
  }

  get deadline(): number {
    return this.startedAt + this.limits.runTimeoutMs;
  }

  cancel(): void {
    this.#abort.abort();
  }

  /**
   * Follows `external` and starts the deadline's timer; returns what stops both, to be called
   * once the work is over (a run that ended must not keep a timer or a listener alive).
   */
  watch(external: AbortSignal | undefined): () => void {
    const onExternalAbort = () => this.#abort.abort();
    if (external?.aborted) this.#abort.abort();
    external?.addEventListener('abort', onExternalAbort, { once: true });
    const timer = setTimeout(() => {
      this.#timedOut = true;
      this.#abort.abort();
    }, this.limits.runTimeoutMs);
    return () => {
      clearTimeout(timer);
      external?.removeEventListener('abort', onExternalAbort);
    };
  }

  /** Adds an event to the stream and writes its line to the log. */
  emit(body: AgentEventBody): AgentEvent {
    const event = this.events.push(this.step, body);
    if (this.#log === silentLogger) return event;
    const line = describeEvent(event);
    if (line !== undefined) {
      if (event.type === 'error') this.#log.error(line);
      else if (event.type === 'warning') this.#log.warn(line);
      else this.#log.info(line);
    }
    return event;
  }

  /** An inner run's event passed on as this run's: that run logged it already. */
  relay(body: AgentEventBody): AgentEvent {
    return this.events.push(this.step, body);
  }

  /**
   * The ending for work that threw: an abort (Stop, the caller, the deadline) ends it as
   * cancelled or timed out; anything else is an `error` event, and a bug's stack goes to the log.
   */
  endingFor(error: unknown): Ending {
    if (this.#abort.signal.aborted || error instanceof CancelledError) return endingForAbort(this.#timedOut, this.limits);
    const message = messageOf(error);
    if (error instanceof UnreadToolCallError) {
      this.emit({ type: 'error', message, code: error.code });
    } else if (error instanceof ModelRequestError) {
      this.emit({ type: 'error', message, code: error.code, ...(error.status !== undefined ? { status: error.status } : {}) });
    } else {
      this.emit({ type: 'error', message, code: error instanceof ConfigurationError ? 'configuration' : 'internal' });
      this.#log.error(error instanceof Error && error.stack ? error.stack : message);
    }
    return { reason: 'error', detail: message };
  }

  /** The stream's last event; nothing is pushed after it. */
  end(ending: Ending, answer: string, totals: Totals): void {
    this.emit({ type: 'run-end', reason: ending.reason, answer, durationMs: Date.now() - this.startedAt, steps: this.step, totals });
    this.events.close();
  }
}
