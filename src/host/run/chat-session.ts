import type { Conversation } from '../../agent/loop/conversation';
import type { AgentEvent, EventOf, Totals } from '../../agent/events';
import type { ChatTurn, RunSummary } from '../../shared/protocol';

interface MutableTurn {
  readonly runId: string;
  question: string;
  readonly events: AgentEvent[];
}

/**
 * One chat as the host holds it while it is open: its conversation (what the model sees on
 * the next turn) and its turns (each question with the events of the run that answered it,
 * which the chat view and the trace panel draw). Pure, so restoring a chat from history and
 * the totals are unit-tested without VS Code. It lives with the run controller, which creates
 * and holds the open sessions; the chat view and the trace panel only read them.
 */
export class ChatSession {
  readonly #turns: MutableTurn[] = [];
  readonly #byRun = new Map<string, MutableTurn>();

  constructor(
    readonly chatId: string,
    public title: string,
    readonly conversation: Conversation,
    events: readonly AgentEvent[] = [],
  ) {
    for (const event of events) this.addEvent(event);
  }

  /**
   * Registers a run before its first event, so the view shows the question at once.
   * `question` is what the person typed (without an attached selection).
   */
  startTurn(runId: string, question: string): void {
    if (this.#byRun.has(runId)) return;
    const turn: MutableTurn = { runId, question, events: [] };
    this.#turns.push(turn);
    this.#byRun.set(runId, turn);
  }

  addEvent(event: AgentEvent): void {
    let turn = this.#byRun.get(event.runId);
    if (!turn) {
      // A restored run: its question is the task it started with.
      this.startTurn(event.runId, event.type === 'run-start' ? event.task : '');
      turn = this.#byRun.get(event.runId) as MutableTurn;
    }
    if (event.type === 'run-start' && turn.question === '') turn.question = event.task;
    turn.events.push(event);
  }

  /**
   * Ends, in memory, every run that has no `run-end`: in a chat loaded from history such a run
   * was cut off by a crash or a killed extension host, and would otherwise show as working
   * forever. Its finished steps stay; the answer says what happened. Returns how many.
   */
  endInterruptedRuns(): number {
    let ended = 0;
    for (const turn of this.#turns) {
      const last = turn.events.at(-1);
      if (!last || turn.events.some((event) => event.type === 'run-end')) continue;
      const start = turn.events.find((event) => event.type === 'run-start');
      const steps = turn.events.reduce((max, event) => Math.max(max, event.step), 0);
      turn.events.push({
        type: 'run-end',
        reason: 'error',
        answer: INTERRUPTED_ANSWER,
        durationMs: start ? last.time - start.time : 0,
        steps,
        totals: lastTotals(turn.events) ?? { inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 },
        runId: turn.runId,
        seq: last.seq + 1,
        time: last.time,
        step: steps,
      });
      ended++;
    }
    return ended;
  }

  /** The last seq of a run's events (restores made after it continue its numbering). */
  lastSeqOf(runId: string): number {
    return this.eventsOf(runId).reduce((max, event) => Math.max(max, event.seq), -1);
  }

  /**
   * Restores made since the latest run started: the next question tells the model about them.
   * Read from the events (they are in the history), so a reload in between does not lose them.
   */
  restoresSinceLastRun(): EventOf<'checkpoint-restored'>[] {
    let lastStart = -Infinity;
    for (const turn of this.#turns) for (const event of turn.events) if (event.type === 'run-start') lastStart = Math.max(lastStart, event.time);
    const restores: EventOf<'checkpoint-restored'>[] = [];
    for (const turn of this.#turns) for (const event of turn.events) if (event.type === 'checkpoint-restored' && event.time >= lastStart) restores.push(event);
    return restores.sort((a, b) => a.time - b.time);
  }

  get turns(): readonly ChatTurn[] {
    return this.#turns;
  }

  eventsOf(runId: string): readonly AgentEvent[] {
    return this.#byRun.get(runId)?.events ?? [];
  }

  hasRun(runId: string): boolean {
    return this.#byRun.has(runId);
  }

  get latestRunId(): string | undefined {
    return this.#turns.at(-1)?.runId;
  }

  /** Runs for the trace panel's picker, oldest first. */
  runSummaries(): RunSummary[] {
    return this.#turns.map((turn) => {
      const start = turn.events.find((event) => event.type === 'run-start');
      const end = turn.events.findLast((event) => event.type === 'run-end');
      const totals = end?.totals ?? lastTotals(turn.events);
      return {
        runId: turn.runId,
        task: turn.question,
        startedAt: start?.time ?? turn.events[0]?.time ?? 0,
        ...(end ? { endedAt: end.time, reason: end.reason } : {}),
        ...(totals ? { totals } : {}),
      };
    });
  }

  /** Tokens and cost of the whole chat: each run's final totals (or its latest, while running). */
  totals(): { inputTokens: number; cachedInputTokens: number; outputTokens: number; costUsd: number } {
    let inputTokens = 0;
    let cachedInputTokens = 0;
    let outputTokens = 0;
    let costUsd = 0;
    for (const turn of this.#turns) {
      const totals = lastTotals(turn.events);
      if (!totals) continue;
      inputTokens += totals.inputTokens;
      cachedInputTokens += totals.cachedInputTokens ?? 0;
      outputTokens += totals.outputTokens;
      costUsd += totals.costUsd;
    }
    return { inputTokens, cachedInputTokens, outputTokens, costUsd };
  }
}

export const INTERRUPTED_ANSWER =
  'Interrupted: VS Code closed or the extension host stopped before this run finished. The steps above had finished and are kept; ask again to continue.';

function lastTotals(events: readonly AgentEvent[]): Totals | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'run-end' || event.type === 'usage') return event.totals;
  }
  return undefined;
}

/** A chat's title from its first question: one line, at most 60 characters. */
export function titleFromQuestion(question: string): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat || 'New chat';
}
