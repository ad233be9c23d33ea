import { describeEvent } from '../agent/describe-event';
import type { AgentEvent } from '../agent/events';
import { visible, visibleOneLine } from './terminal-text';

/**
 * The CLI's readable trace: one line per step event on stderr, the answer's text streamed
 * as it arrives when stderr is a terminal (so a person sees it think), never mixed into stdout.
 * The model's reasoning is printed (dimmed) only with --verbose: it is never the answer.
 */
export class TracePrinter {
  #streaming = false;
  #reasoning = '';
  /** The run's start line, held until the next event: the run's first instructions join it. */
  #start: AgentEvent | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly isTty: boolean,
    private readonly verbose = false,
  ) {}

  print(event: AgentEvent): void {
    if (event.type === 'run-start') {
      this.#flushStart();
      this.#start = event;
      return;
    }
    if (this.#start && event.type === 'instructions' && event.step === 0) {
      const start = this.#start;
      this.#start = undefined;
      this.#writeLine(start, `${describeEvent(start) ?? ''} ${describeEvent(event)}`);
      return;
    }
    this.#flushStart();
    if (event.type === 'reasoning-delta') {
      if (this.verbose) this.#reasoning += event.text;
      return;
    }
    if (event.type === 'text-reset') this.#reasoning = '';
    if (this.#reasoning) {
      const text = `  thinking: ${visible(this.#reasoning.trim()).replace(/\n/g, "\n    ")}`;
      this.out.write(`${this.isTty ? dim(text) : text}\n`);
      this.#reasoning = '';
    }
    if (event.type === 'text-delta') {
      if (!this.isTty) return;
      if (!this.#streaming) this.out.write(dim('  … '));
      this.#streaming = true;
      this.out.write(dim(visible(event.text).replace(/\n/g, '\n    ')));
      return;
    }
    if (this.#streaming) {
      this.out.write('\n');
      this.#streaming = false;
    }
    const described = describeEvent(event);
    if (described !== undefined) this.#writeLine(event, described);
  }

  #flushStart(): void {
    const start = this.#start;
    this.#start = undefined;
    if (start) this.#writeLine(start, describeEvent(start) ?? '');
  }

  #writeLine(event: AgentEvent, described: string): void {
    // Lines quote model text, file names, command output and endpoint errors: never raw controls.
    const line = visibleOneLine(described);
    this.out.write(`${this.isTty ? colour(event, line) : line}\n`);
  }
}

function dim(text: string): string {
  return `\x1b[2m${text}\x1b[0m`;
}

function colour(event: AgentEvent, line: string): string {
  // A research helper's lines are coloured as its own events would be.
  if (event.type === 'child-event' || event.type === 'plan-step-event') return colour(event.event, line);
  if (event.type === 'error' || (event.type === 'tool-result' && !event.ok)) return `\x1b[31m${line}\x1b[0m`;
  if (event.type === 'warning' || event.type === 'approval-requested') return `\x1b[33m${line}\x1b[0m`;
  if (event.type === 'tool-call') return `\x1b[36m${line}\x1b[0m`;
  if (event.type === 'run-end') return `\x1b[1m${line}\x1b[0m`;
  return line;
}
