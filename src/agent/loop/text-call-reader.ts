/**
 * Reads tool calls a model wrote into its reply (formats: model/text-calls/call-formats.ts;
 * what counts as a call: model/text-tool-calls.ts), and keeps the raw call syntax out of the
 * live view while the reply streams: from the point a reply looks like a call, text is held
 * back until the reply ends; if it was no call after all, the held text is shown then.
 *
 * When it reads calls:
 * - Tools described in the prompt: text is the only way to call, so every format counts.
 * - The server accepted `tools` but the model wrote its call as text (an Ollama or LM Studio
 *   template that does not match the model): a call counts when it names an offered tool and
 *   its arguments validate, so an answer that merely looks like a call never runs.
 * - `on`: as with tools in the prompt; `off`: never (unless the tools are in the prompt).
 * - Never when the user asked to see call syntax (then such a reply is the answer).
 */
import { readTextCalls, type TextCallReading } from '../model/text-tool-calls';
import { CALL_FORMATS } from '../model/text-calls/call-formats';
import type { ParameterType } from '../model/text-calls/literal';
import type { ToolSpec } from '../model/model';
import type { AnyTool } from '../tool';
import { parseToolCall } from './parse-tool-call';

export type TextToolCallsSetting = 'auto' | 'on' | 'off';

/** Which formats a turn reads: `marked` (a model's own call tokens), `unmarked` (JSON, pythonic, ReAct). */
export interface TextCallMode {
  readonly marked: boolean;
  readonly unmarked: boolean;
  /** Calls must validate against the offered tools (the server took `tools` natively). */
  readonly validated: boolean;
}

/** What a reply's calls are checked against: the tools offered in this run. */
export interface CallChecks {
  readonly toolNames: ReadonlySet<string>;
  readonly typeOf: (tool: string, parameter: string) => ParameterType;
  readonly validates: (tool: string, argumentsJson: string) => boolean;
}

/** The checks for a run's offered tools and the schemas the model was shown. */
export function callChecksFor(tools: ReadonlyMap<string, AnyTool>, specs: readonly ToolSpec[]): CallChecks {
  const properties = new Map(specs.map((spec) => [spec.name, (spec.parameters.properties ?? {}) as Record<string, { type?: unknown }>]));
  return {
    toolNames: new Set(tools.keys()),
    typeOf: (tool, parameter) => {
      const type = properties.get(tool)?.[parameter]?.type;
      return typeof type === 'string' ? (type as ParameterType) : undefined;
    },
    validates: (tool, argumentsJson) => parseToolCall({ id: 'check', name: tool, argumentsJson }, tools).kind === 'valid',
  };
}

export class TextCallReader {
  readonly #userAskedAboutSyntax: boolean;

  constructor(
    readonly setting: TextToolCallsSetting,
    task: string,
  ) {
    this.#userAskedAboutSyntax = asksAboutCallSyntax(task);
  }

  /** Which formats to read in this turn. `toolsInPrompt`: the endpoint's tools are described in the prompt. */
  modeFor(toolsInPrompt: boolean): TextCallMode {
    const asked = this.#userAskedAboutSyntax;
    // With the tools in the prompt, text is the only way to call: the models' own tokens always count.
    if (toolsInPrompt) return { marked: true, unmarked: !asked, validated: false };
    if (this.setting === 'off' || asked) return { marked: false, unmarked: false, validated: false };
    return { marked: true, unmarked: true, validated: this.setting === 'auto' };
  }

  /** The reply's calls, an unread call, or undefined when it is an answer. */
  read(text: string, checks: CallChecks, mode: TextCallMode): TextCallReading | undefined {
    if (!mode.marked && !mode.unmarked) return undefined;
    return readTextCalls(text, {
      toolNames: checks.toolNames,
      unmarked: mode.unmarked,
      typeOf: checks.typeOf,
      ...(mode.validated ? { validates: checks.validates } : {}),
    });
  }
}

/** Openers to hold, by where they may stand, built once from the table. */
interface HeldOpeners {
  readonly anywhere: RegExp | undefined;
  readonly lineStart: RegExp | undefined;
  readonly replyStart: readonly string[];
  /** Every proper prefix of every opener: a reply's end that is one may be the start of a call. */
  readonly prefixes: ReadonlySet<string>;
  readonly longest: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function heldOpeners(unmarked: boolean): HeldOpeners {
  const anywhere: string[] = [];
  const lineStart: string[] = [];
  const replyStart: string[] = [];
  for (const format of CALL_FORMATS) {
    if (!format.marked && !unmarked) continue;
    const list = format.place === 'anywhere' ? anywhere : format.place === 'line-start' ? lineStart : replyStart;
    list.push(...format.openers);
  }
  const prefixes = new Set<string>();
  // Single-character openers ({, [) stand only at the reply's start; held there, not as prefixes.
  for (const opener of [...anywhere, ...lineStart]) for (let n = 1; n < opener.length; n++) prefixes.add(opener.slice(0, n));
  return {
    anywhere: anywhere.length > 0 ? new RegExp(anywhere.map(escape).join('|'), 'g') : undefined,
    lineStart: lineStart.length > 0 ? new RegExp(`(?:^|\\n)[ \\t]*(?:${lineStart.map(escape).join('|')})`, 'g') : undefined,
    replyStart,
    prefixes,
    longest: Math.max(0, ...[...anywhere, ...lineStart].map((o) => o.length)),
  };
}

const HELD_MARKED = heldOpeners(false);
const HELD_ALL = heldOpeners(true);

/**
 * Holds back streamed text from where it starts to look like a call. `push` returns what may be
 * shown now; `release` what was held, for a reply that turned out to be an answer. Text that is
 * no call is delayed by at most the length of an opener that might be starting at its end.
 *
 * Only the text not yet shown is kept and searched: a reply grows by appending, and searching
 * the whole of it on every delta made V8 flatten the growing string each time (quadratic: 9 s
 * for a 128 kB reply in 4-character deltas).
 */
export class HeldText {
  #pending = '';
  #shownAny = false;
  /** The last character shown ended a line (or nothing was shown): a line-start opener may begin `#pending`. */
  #atLineStart = true;
  /** A whole opener was seen: everything from there waits for the reply's end. */
  #holding = false;
  readonly #openers: HeldOpeners | undefined;

  constructor(mode: { readonly marked: boolean; readonly unmarked: boolean }) {
    this.#openers = !mode.marked && !mode.unmarked ? undefined : mode.unmarked ? HELD_ALL : HELD_MARKED;
  }

  push(delta: string): string {
    this.#pending += delta;
    if (!this.#openers) return this.#show(this.#pending.length);
    if (this.#holding) return '';
    return this.#show(this.#holdFrom(this.#openers));
  }

  release(): string {
    return this.#show(this.#pending.length);
  }

  #show(length: number): string {
    if (length <= 0) return '';
    const out = this.#pending.slice(0, length);
    this.#pending = this.#pending.slice(length);
    this.#shownAny = true;
    this.#atLineStart = out.endsWith('\n');
    return out;
  }

  /** How much of the pending text may be shown: up to the first opener, or a possible start of one at its end. */
  #holdFrom(openers: HeldOpeners): number {
    const text = this.#pending;
    // A reply that begins like a bare call is held whole (a bare call is only ever the whole
    // reply); one that begins with `[` or `{` of another kind (a link, a footnote) is not.
    if (!this.#shownAny && openers.replyStart.length > 0) {
      const head = text.trimStart();
      const start = head === '' ? 'maybe' : openers.replyStart.some((o) => head.startsWith(o)) ? bareCallStart(head) : 'no';
      if (start === 'maybe') return 0;
      if (start === 'yes') {
        this.#holding = true;
        return 0;
      }
    }
    let at = text.length;
    if (openers.anywhere) {
      openers.anywhere.lastIndex = 0;
      const match = openers.anywhere.exec(text);
      if (match) at = match.index;
    }
    if (openers.lineStart) {
      // `^` in the pattern is the pending text's start: a line start only if the shown text ended one.
      openers.lineStart.lastIndex = 0;
      let match = openers.lineStart.exec(text);
      if (match && match.index === 0 && !match[0].startsWith('\n') && !this.#atLineStart) {
        openers.lineStart.lastIndex = 1;
        match = openers.lineStart.exec(text);
      }
      if (match) at = Math.min(at, match.index);
    }
    if (at < text.length) {
      this.#holding = true;
      return at;
    }
    for (let n = Math.min(openers.longest - 1, text.length); n > 0; n--) {
      if (openers.prefixes.has(text.slice(text.length - n))) return text.length - n;
    }
    return text.length;
  }
}

/** Whether `head` begins a bare call (`{"`, `[{"`, `[name(`, or a fence holding one), may still, or cannot. */
function bareCallStart(head: string): 'yes' | 'maybe' | 'no' {
  if (head.startsWith('```')) {
    const newline = head.indexOf('\n');
    if (newline < 0) return 'maybe';
    if (!['', 'json'].includes(head.slice(3, newline).trim())) return 'no';
    const body = head.slice(newline + 1).trimStart();
    return body === '' ? 'maybe' : body[0] === '{' || body[0] === '[' ? bareCallStart(body) : 'no';
  }
  let i = 1;
  const skip = () => {
    while (i < head.length && /\s/.test(head[i])) i++;
  };
  skip();
  if (head[0] === '[' && head[i] === '{') {
    i++;
    skip();
  } else if (head[0] === '[') {
    if (i >= head.length) return 'maybe';
    if (!/[A-Za-z_]/.test(head[i])) return 'no';
    while (i < head.length && /[\w.]/.test(head[i])) i++;
    return i >= head.length ? 'maybe' : head[i] === '(' ? 'yes' : 'no';
  }
  if (i >= head.length) return 'maybe';
  return head[i] === '"' ? 'yes' : 'no';
}

/** The user asks to see call syntax (an example, a format): then such a reply is the answer. */
function asksAboutCallSyntax(task: string): boolean {
  const mentionsSyntax = /<tool_call>|python_tag|\[TOOL_CALLS\]|<function=|tool[ _-]?calls?\b|function[ _-]?calls?\b|(?<![.\w])json\b/i.test(task);
  const asksToShow = /example|sample|syntax|format|look like|show me|give me|print/i.test(task);
  return mentionsSyntax && asksToShow;
}
