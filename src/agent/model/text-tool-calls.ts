/**
 * Tool calls a model wrote into its text instead of the API's `tool_calls` (llama.cpp without
 * `--jinja`, vLLM without `--tool-call-parser`, an Ollama or LM Studio template that does not
 * match the model, a proxy). The formats are the table in text-calls/call-formats.ts; this file
 * decides, from the reply's structure, whether what it found is a call:
 *
 * - Prose before a call is the step's thought; prose after it is kept as text.
 * - An example is not a call: inside inline code, inside a fenced block that is not the end of
 *   the reply, introduced as an example ("For example:"), a ReAct action followed by its
 *   imagined Observation, a call naming a tool that is not offered (unless written in a special
 *   token that is never prose, when the model is told the tool does not exist).
 * - A block opened by a format's own token that cannot be read is an unread call, never the
 *   answer: the loop gives the model one correction turn (loop/unread-call-correction.ts).
 *
 * Linear in the reply's length: each opener is searched once and each block read in one pass.
 */
import type { TextCallFormat } from '../events';
import { CALL_FORMATS, type CallFormat } from './text-calls/call-formats';
import { skipSpace, type RawCall } from './text-calls/call-grammars';
import type { ParameterType } from './text-calls/literal';

export interface TextToolCall {
  readonly name: string;
  /** The arguments as JSON text (or, when they could not be read, what the model wrote). */
  readonly argumentsJson: string;
}

export interface TextCallParse {
  readonly kind: 'calls';
  readonly format: TextCallFormat;
  readonly calls: readonly TextToolCall[];
  /** Text before the call (the model's thought), shown as its message. */
  readonly prose: string;
  /** Text after the call, kept as part of the message. */
  readonly after: string;
  /** Where in the reply the call's text begins (what a live view must not have shown). */
  readonly start: number;
}

/** What looks like a call but could not be read: not an answer. */
export interface UnreadTextCall {
  readonly kind: 'unread';
  readonly format: TextCallFormat;
  /** What went wrong, in words the model and the person can act on. */
  readonly reason: string;
  /** An offered tool the model meant, when it named one (for the correction's example). */
  readonly tool?: string;
}

export type TextCallReading = TextCallParse | UnreadTextCall;

export interface TextCallOptions {
  /** Names of the tools offered. */
  readonly toolNames: ReadonlySet<string>;
  /** Also read the unmarked formats (bare JSON, fenced JSON, pythonic lists, ReAct). */
  readonly unmarked: boolean;
  /** The schema type of a tool's parameter, for formats whose values are text (XML parameters). */
  readonly typeOf?: (tool: string, parameter: string) => ParameterType;
  /**
   * When set, a call counts only if its arguments validate (the server accepted `tools`, so a
   * call in the text is a template mismatch, and an answer that merely looks like one must not run).
   */
  readonly validates?: (tool: string, argumentsJson: string) => boolean;
}

/** At most this many blocks of one format are read from a reply (a reply runs at most 32 calls anyway). */
const MAX_BLOCKS = 64;

/** Reads the reply: its calls, an unread call, or undefined for an answer. */
export function readTextCalls(text: string, options: TextCallOptions): TextCallReading | undefined {
  if (text.trim() === '') return undefined;
  const ctx = { typeOf: options.typeOf ?? (() => undefined) };
  const examples = new ExampleSpotter(text);
  let unread: UnreadTextCall | undefined;
  for (const { format, opener, at } of openingsIn(text, options.unmarked)) {
    const start = format.id === 'react' ? thoughtLineBefore(text, at) : at;
    if (examples.isExample(start)) continue;
    const first = format.read(text, at, opener, ctx);
    if (!first) {
      if (format.marked && (format.callMarkers ?? [opener]).every((marker) => text.includes(marker))) {
        const tool = toolNamedAfter(text, at, options.toolNames);
        unread ??= { kind: 'unread', format: format.id, reason: `a ${format.id} call opened by ${opener} could not be read`, ...(tool ? { tool } : {}) };
      }
      continue;
    }
    const calls: RawCall[] = [...first.calls];
    let end = first.end;
    // ReAct's Thought line is the step's thought.
    let thought = first.thought ?? text.slice(start, at).replace(/^\s*Thought\s*:\s*/, '');
    let content = first.content ?? '';
    // More blocks of the same format may follow, right away or after prose (which is kept as text).
    for (let blocks = 1; blocks < MAX_BLOCKS && format.place === 'anywhere'; blocks++) {
      const next = nextOpening(text, end, format.openers);
      if (!next || examples.isExample(next.at)) break;
      const more = format.read(text, next.at, next.opener, ctx);
      if (!more) break;
      content += text.slice(end, next.at);
      calls.push(...more.calls);
      end = more.end;
      thought += more.thought ?? '';
      content += more.content ?? '';
    }
    const rest = text.slice(end);
    // A ReAct action followed by its Observation or Final Answer is an explanation, not an action.
    if (format.id === 'react' && /^\s*(Observation|Final Answer)\s*:/m.test(rest)) continue;
    const id = first.variant ?? format.id;
    if (calls.some((c) => !options.toolNames.has(c.name)) && !format.specialToken) continue;
    if (options.validates) {
      const invalid = calls.find((c) => options.toolNames.has(c.name) && !(c.args && options.validates?.(c.name, JSON.stringify(c.args))));
      if (invalid) {
        unread ??= {
          kind: 'unread',
          format: id,
          tool: invalid.name,
          reason: invalid.args
            ? `its arguments for ${invalid.name} do not fit the tool's schema`
            : `its arguments for ${invalid.name} are not readable (${clip(invalid.badArguments ?? '')})`,
        };
        continue;
      }
    }
    return {
      kind: 'calls',
      format: id,
      calls: calls.map((c) => ({ name: c.name, argumentsJson: c.args ? JSON.stringify(c.args) : (c.badArguments ?? '') })),
      prose: joinText(cleanText(text.slice(0, start)), thought),
      after: joinText(cleanText(content), cleanText(rest)),
      start,
    };
  }
  return unread;
}

/** The calls of a reply, or undefined when it has none (an answer, or an unread call). */
export function parseTextToolCalls(text: string, options: TextCallOptions): TextCallParse | undefined {
  const reading = readTextCalls(text, options);
  return reading?.kind === 'calls' ? reading : undefined;
}

/** The offered tool named first after `at`, for the correction's example (an unreadable block often names it). */
function toolNamedAfter(text: string, at: number, toolNames: ReadonlySet<string>): string | undefined {
  let best: { name: string; at: number } | undefined;
  for (const name of toolNames) {
    const found = text.indexOf(name, at);
    if (found >= 0 && (!best || found < best.at)) best = { name, at: found };
  }
  return best?.name;
}

/** The nearest of `openers` from `from` on. */
function nextOpening(text: string, from: number, openers: readonly string[]): { at: number; opener: string } | undefined {
  let best: { at: number; opener: string } | undefined;
  for (const opener of openers) {
    const at = text.indexOf(opener, from);
    if (at >= 0 && (!best || at < best.at)) best = { at, opener };
  }
  return best;
}

interface Opening {
  readonly format: CallFormat;
  readonly opener: string;
  readonly at: number;
}

/** The first place each opener stands where its format allows, in reply order (table order for ties). */
function openingsIn(text: string, unmarked: boolean): Opening[] {
  const openings: Opening[] = [];
  const lead = skipSpace(text, 0);
  for (const format of CALL_FORMATS) {
    if (!format.marked && !unmarked) continue;
    for (const opener of format.openers) {
      let at = -1;
      if (format.place === 'anywhere') at = text.indexOf(opener);
      else if (text.startsWith(opener, lead)) at = lead;
      else if (format.place === 'line-start') {
        const found = text.indexOf(`\n${opener}`);
        at = found < 0 ? -1 : found + 1;
      }
      if (at >= 0) openings.push({ format, opener, at });
    }
  }
  return openings.sort((a, b) => a.at - b.at);
}

/** ReAct's `Thought:` line just before `Action:` belongs to the block (and to its example check). */
function thoughtLineBefore(text: string, at: number): number {
  const lineStart = text.lastIndexOf('\n', at - 2) + 1;
  return /^\s*Thought\s*:/.test(text.slice(lineStart, at)) ? lineStart : at;
}

/** Wording that introduces an example on the line (or the last line) before a block. */
const INTRODUCES_EXAMPLE = /\b(for example|for instance|e\.g\.|an example|example\s*:|examples?\s+(of|for|that|using|with)|such as|like this|looks like|would look|sample)\b/i;

/** Where in a reply a call-shaped text is only shown, not meant. */
class ExampleSpotter {
  #fences: { start: number; end: number }[] | undefined;

  constructor(readonly text: string) {}

  isExample(at: number): boolean {
    const text = this.text;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    // Inside `inline code` on its line.
    if (!text.startsWith('```', lineStart)) {
      let ticks = 0;
      for (let i = lineStart; i < at; i++) if (text[i] === '`') ticks++;
      if (ticks % 2 === 1) return true;
    }
    // Inside (or opening) a fenced block that is not the end of the reply.
    const fence = this.#fenceAt(at);
    if (fence && text.slice(fence.end).trim() !== '') return true;
    // Introduced as an example, on its own line or the line before.
    const from = fence ? fence.start : lineStart;
    const sameLine = text.slice(text.lastIndexOf('\n', from - 1) + 1, at);
    const before = text.slice(0, from).trimEnd();
    const lastLine = before.slice(before.lastIndexOf('\n') + 1);
    return INTRODUCES_EXAMPLE.test(sameLine) || INTRODUCES_EXAMPLE.test(lastLine);
  }

  #fenceAt(at: number): { start: number; end: number } | undefined {
    this.#fences ??= fencesOf(this.text);
    return this.#fences.find((f) => f.start <= at && at < f.end);
  }
}

/** Fenced blocks (``` lines), each from its opening line to just after its closing line. */
function fencesOf(text: string): { start: number; end: number }[] {
  const fences: { start: number; end: number }[] = [];
  let open = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (text.slice(lineStart, lineEnd).trimStart().startsWith('```')) {
      if (open < 0) open = lineStart;
      else {
        fences.push({ start: open, end: lineEnd });
        open = -1;
      }
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  if (open >= 0) fences.push({ start: open, end: text.length });
  return fences;
}

/** Reasoning wrappers and control tokens around a call are not part of its message. */
const CONTROL = /<\|[A-Za-z_]+\|>|\[THINK\]|<(?:seed:)?think>|<SPECIAL_\d+>|<\/s>|^(?:>>>)?all\n/g;
/** Where reasoning ends and the reply goes on: a line break in the message. */
const REASONING_END = /\[\/THINK\]|<\/(?:seed:)?think>|<\|END_THINKING\|>/g;

function cleanText(text: string): string {
  return text.replace(REASONING_END, '\n').replace(CONTROL, '').trim();
}

function joinText(a: string, b: string): string {
  return [a, b.trim()].filter((part) => part !== '').join('\n\n');
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
