/**
 * Reads tool calls a model wrote into its reply (see model/text-tool-calls.ts for the formats),
 * and keeps the raw call syntax out of the live view while the reply streams: from the point a
 * reply looks like a call, text is held back until the reply ends; if it was no call after all,
 * the held text is shown then.
 *
 * When it reads calls, so that an answer is not mistaken for one:
 * - Marked formats (`<tool_call>`, `<|python_tag|>`, `[TOOL_CALLS]`, `<function=…>`) are the
 *   models' own tool-call tokens: read whenever the reply is nothing but the call (optionally
 *   after a thought), unless the user asked about that syntax.
 * - Unmarked formats (bare JSON, a fenced json block, ReAct) read like ordinary answers, so they
 *   count only when text calls are expected: the endpoint takes no native tools (they are in the
 *   prompt), this endpoint already wrote a marked call in this run, or the setting says `on`.
 * - `off`: never (unless the tools are in the prompt, where text is the only way to call).
 */
import { MARKED_OPENERS, UNMARKED_OPENERS, parseTextToolCalls, type TextCallParse } from '../model/text-tool-calls';

export type TextToolCallsSetting = 'auto' | 'on' | 'off';

export class TextCallReader {
  #sawMarkedCall = false;
  readonly #userAskedAboutSyntax: boolean;

  constructor(
    readonly setting: TextToolCallsSetting,
    task: string,
  ) {
    this.#userAskedAboutSyntax = asksAboutCallSyntax(task);
  }

  /** Which formats to read in this turn. `toolsInPrompt`: the endpoint's tools are described in the prompt. */
  modeFor(toolsInPrompt: boolean): { marked: boolean; unmarked: boolean } {
    const asked = this.#userAskedAboutSyntax;
    // With the tools in the prompt, text is the only way to call: marked calls always count.
    if (toolsInPrompt) return { marked: true, unmarked: !asked };
    if (this.setting === 'off') return { marked: false, unmarked: false };
    if (this.setting === 'on') return { marked: true, unmarked: !asked };
    return { marked: !asked, unmarked: this.#sawMarkedCall && !asked };
  }

  /** The reply's calls, or undefined when it is an answer. */
  parse(text: string, toolNames: ReadonlySet<string>, mode: { marked: boolean; unmarked: boolean }): TextCallParse | undefined {
    if (!mode.marked && !mode.unmarked) return undefined;
    const parsed = parseTextToolCalls(text, { toolNames, unmarked: mode.unmarked });
    if (!parsed) return undefined;
    const marked = parsed.format === 'hermes' || parsed.format === 'python-tag' || parsed.format === 'mistral' || parsed.format === 'function-tag';
    if (marked && !mode.marked) return undefined;
    if (marked) this.#sawMarkedCall = true;
    return parsed;
  }
}

/**
 * Holds back streamed text from where it starts to look like a call. `push` returns what may be
 * shown now; `release` what was held, for a reply that turned out to be an answer.
 */
export class HeldText {
  #shown = 0;
  #text = '';

  constructor(private readonly mode: { marked: boolean; unmarked: boolean }) {}

  push(delta: string): string {
    this.#text += delta;
    if (!this.mode.marked && !this.mode.unmarked) return this.#take(this.#text.length);
    return this.#take(this.#holdFrom());
  }

  release(): string {
    return this.#take(this.#text.length);
  }

  #take(upTo: number): string {
    if (upTo <= this.#shown) return '';
    const out = this.#text.slice(this.#shown, upTo);
    this.#shown = upTo;
    return out;
  }

  /** Where holding starts: the first opener, or a possible start of one at the very end. */
  #holdFrom(): number {
    const text = this.#text;
    let from = text.length;
    // Nothing before what is shown can start an opener (it would have been held), so each
    // delta is searched from just before the shown part: linear over the reply, not quadratic.
    const searchFrom = Math.max(0, this.#shown - 16);
    for (const opener of MARKED_OPENERS) {
      const at = text.indexOf(opener, searchFrom);
      if (at >= 0) from = Math.min(from, at);
      from = Math.min(from, text.length - partialOpenerAtEnd(text, opener));
    }
    if (this.mode.unmarked) {
      // Unmarked calls only count as the whole reply: hold a reply that begins like one.
      const lead = text.length - text.trimStart().length;
      const head = text.slice(lead);
      if (UNMARKED_OPENERS.some((o) => o.startsWith(head) || head.startsWith(o))) from = Math.min(from, lead);
      const action = /(^|\n)[ \t]*Action:/.exec(text.slice(searchFrom));
      if (action) from = Math.min(from, searchFrom + action.index);
      const lastLine = text.slice(text.lastIndexOf('\n') + 1);
      if (lastLine.trim() !== '' && 'Action:'.startsWith(lastLine.trim())) from = Math.min(from, text.length - lastLine.length);
    }
    return Math.max(from, this.#shown);
  }
}

/** Length of the longest end of `text` that is the start of `opener` (cut off mid-token). */
function partialOpenerAtEnd(text: string, opener: string): number {
  for (let n = Math.min(opener.length - 1, text.length); n > 0; n--) {
    if (opener.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

/** The user asks to see call syntax or JSON (an example, a format): then such a reply is the answer. */
function asksAboutCallSyntax(task: string): boolean {
  const mentionsSyntax = /<tool_call>|python_tag|\[TOOL_CALLS\]|<function=|tool[ _-]?calls?\b|function[ _-]?calls?\b|(?<![.\w])json\b/i.test(task);
  const asksToShow = /example|sample|syntax|format|look like|show me|write|give me|print/i.test(task);
  return mentionsSyntax && asksToShow;
}
