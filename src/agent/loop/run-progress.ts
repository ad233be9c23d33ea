import type { RunLimits } from '../events';
import type { ToolCallRequest } from '../model/model';
import { redactSecrets } from '../safety/redact';
import { endingSentence, type Ending } from './stop-rules';

/**
 * What a run has done so far, kept for its `run-end` answer: the model's last words, and for a
 * run cut short, the calls it made, so the person is told more than why it stopped.
 */
export class RunProgress {
  readonly #actions: string[] = [];
  #lastText = '';

  /** `shownText`: the turn's text as shown (secrets redacted); a turn without text keeps the last. */
  noteText(shownText: string): void {
    if (shownText.trim().length > 0) this.#lastText = shownText;
  }

  noteCalls(calls: readonly ToolCallRequest[]): void {
    this.#actions.push(...calls.map(describeCall));
  }

  /** The answer is the model's last text; a run cut short says why and what it had done. */
  answerFor(ending: Ending, limits: RunLimits): string {
    const { reason } = ending;
    if (reason === 'answered') return this.#lastText;
    const lines = [endingSentence(reason, ending.detail, limits)];
    const actions = this.#actions;
    if (actions.length > 0) {
      const shown = actions.slice(-10);
      const more = actions.length - shown.length;
      lines.push(`Done so far (${actions.length} tool call${actions.length === 1 ? '' : 's'}):`);
      if (more > 0) lines.push(`- … ${more} earlier call(s)`);
      lines.push(...shown.map((a) => `- ${a}`));
    } else {
      lines.push('No tool calls were made.');
    }
    if (this.#lastText) lines.push('', 'Last message from the model:', this.#lastText);
    return lines.join('\n');
  }
}

function describeCall(call: ToolCallRequest): string {
  const args = redactSecrets(call.argumentsJson).text;
  return `${call.name}(${args.length > 120 ? `${args.slice(0, 117)}…` : args})`;
}
