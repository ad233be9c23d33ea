/**
 * The building blocks the format table (call-formats.ts) is written in: each reads one call
 * block starting at a position and says where it ended, in one forward pass. A block that does
 * not fit returns undefined, never a guess.
 */
import { LiteralReader, readPythonicCall, readValueAt, typedParameter, type ParameterType } from './literal';

/** A call as read from the text, before any check against the offered tools. */
export interface RawCall {
  readonly name: string;
  /** The arguments, or undefined when they could not be read (`badArguments` says what was written). */
  readonly args: Record<string, unknown> | undefined;
  readonly badArguments?: string;
}

/** A block read: its calls and the index just past it. */
export interface BlockRead {
  readonly calls: readonly RawCall[];
  readonly end: number;
  /** Reasoning the block carried inside it (Harmony's analysis channel), shown as the thought. */
  readonly thought?: string;
  /** Answer text the block carried (Harmony's final channel), kept as text. */
  readonly content?: string;
}

export interface GrammarContext {
  /** The JSON Schema type of a tool's parameter, for formats whose values are untyped text. */
  readonly typeOf: (tool: string, parameter: string) => ParameterType;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const NAME = /^[A-Za-z_][\w.-]*$/;

/** Skips spaces, tabs and newlines from `at`. */
export function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\t' || text[at] === '\r')) at++;
  return at;
}

/** `at` past `token` when `token` is there (after optional spaces), else -1. */
export function after(text: string, at: number, token: string): number {
  const i = skipSpace(text, at);
  return text.startsWith(token, i) ? i + token.length : -1;
}

/** The arguments as an object: an object, or JSON text of one. */
function argumentsOf(value: unknown): { args?: Record<string, unknown>; bad?: string } {
  if (value === undefined || value === null) return { args: {} };
  if (isObject(value)) return { args: value };
  if (typeof value === 'string') {
    if (value.trim() === '') return { args: {} };
    const read = readValueAt(value.trim(), 0);
    if (read && isObject(read.value)) return { args: read.value };
  }
  return { bad: typeof value === 'string' ? value : JSON.stringify(value) };
}

export function rawCall(name: unknown, value: unknown): RawCall | undefined {
  if (typeof name !== 'string' || !NAME.test(name)) return undefined;
  const { args, bad } = argumentsOf(value);
  return { name, args, ...(bad !== undefined ? { badArguments: bad } : {}) };
}

/**
 * Calls from a JSON value in any of the shapes models write: `{"name", "arguments"|"parameters"}`,
 * OpenAI's `{"function": {…}}`, Command R's `{"tool_name", "parameters"}`, llama.cpp's generic
 * `{"tool_call": {…}}` / `{"tool_calls": […]}`, or a list of them. Any other key means data, not a call.
 */
export function callsFromJson(value: unknown): RawCall[] | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const calls: RawCall[] = [];
    for (const item of value) {
      const read = callsFromJson(item);
      if (!read) return undefined;
      calls.push(...read);
    }
    return calls;
  }
  if (!isObject(value)) return undefined;
  if (isObject(value.tool_call) && Object.keys(value).length === 1) return callsFromJson(value.tool_call);
  if (Array.isArray(value.tool_calls) && Object.keys(value).length === 1) return callsFromJson(value.tool_calls);
  const inner = isObject(value.function) ? value.function : value;
  const keys = Object.keys(inner).filter((k) => !['id', 'type', 'tool_call_id', 'index'].includes(k));
  const nameKey = 'tool_name' in inner ? 'tool_name' : 'name';
  const argsKeys = keys.filter((k) => k !== nameKey);
  if (!keys.includes(nameKey) || argsKeys.some((k) => !['arguments', 'parameters', 'args'].includes(k))) return undefined;
  const call = rawCall(inner[nameKey], inner.arguments ?? inner.parameters ?? inner.args);
  return call ? [call] : undefined;
}

/** One JSON (or Python-literal) value at `at` read as calls. */
export function jsonCallsAt(text: string, at: number): BlockRead | undefined {
  const start = skipSpace(text, at);
  const read = readValueAt(text, start);
  if (!read) return undefined;
  const calls = callsFromJson(read.value);
  return calls ? { calls, end: read.end } : undefined;
}

/** Several JSON calls one after another (separated by spaces, newlines, `;` or `,`), as MiniMax-M1 and Llama 3.1 write them. */
export function jsonCallSequenceAt(text: string, at: number): BlockRead | undefined {
  const calls: RawCall[] = [];
  let end = at;
  for (;;) {
    let i = skipSpace(text, end);
    if (calls.length > 0 && (text[i] === ';' || text[i] === ',')) i = skipSpace(text, i + 1);
    if (text[i] !== '{' && text[i] !== '[') break;
    const read = jsonCallsAt(text, i);
    if (!read) break;
    calls.push(...read.calls);
    end = read.end;
  }
  return calls.length > 0 ? { calls, end } : undefined;
}

/** `{"get_weather": {"city": "x"}}` items (Apertus): the key is the tool's name. */
export function nameKeyedCallsAt(text: string, at: number): BlockRead | undefined {
  const read = readValueAt(text, skipSpace(text, at));
  if (!read) return undefined;
  const items = Array.isArray(read.value) ? read.value : [read.value];
  const calls: RawCall[] = [];
  for (const item of items) {
    if (!isObject(item) || Object.keys(item).length !== 1) return undefined;
    const [name] = Object.keys(item);
    const call = rawCall(name, item[name]);
    if (!call) return undefined;
    calls.push(call);
  }
  return calls.length > 0 ? { calls, end: read.end } : undefined;
}

/** Python calls: `[f(a=1), g()]` (Llama 3.2/4, LFM2), or one per line (OLMo 3). */
export function pythonicCallsAt(text: string, at: number, bracketed: boolean): BlockRead | undefined {
  const reader = new LiteralReader(text, at);
  const calls: RawCall[] = [];
  try {
    if (bracketed) reader.expect('[');
    for (;;) {
      reader.skipSpace();
      if (bracketed && reader.startsWith(']')) {
        reader.at++;
        break;
      }
      if (!bracketed && !/[A-Za-z_]/.test(text[reader.at] ?? '')) break;
      const call = readPythonicCall(reader);
      calls.push({ name: call.name, args: call.args });
      reader.skipSpace();
      if (reader.startsWith(',')) reader.at++;
    }
  } catch {
    return undefined;
  }
  return calls.length > 0 ? { calls, end: reader.at } : undefined;
}

/** The index of `close` from `at`, or the end of the text when a model stopped before writing it. */
export function closeOrEnd(text: string, at: number, close: string): { bodyEnd: number; end: number } {
  const i = text.indexOf(close, at);
  return i < 0 ? { bodyEnd: text.length, end: text.length } : { bodyEnd: i, end: i + close.length };
}

/** Text of an XML-style parameter value: one newline each side is layout (Qwen3-Coder writes `>\n1\n<`). */
function parameterText(raw: string): string {
  let value = raw;
  if (value.startsWith('\n')) value = value.slice(1);
  if (value.endsWith('\n')) value = value.slice(0, -1);
  return value;
}

/**
 * `<function=name>` then either JSON or `<parameter=key>value</parameter>` pairs, then
 * `</function>` (Qwen3-Coder, Qwen3.5, Nemotron 3, Seed-OSS, functionary v3.1, Llama 3.1 custom).
 * Also `<function name="name">` (Hermes 2 Pro's alternate).
 */
export function functionTagAt(text: string, at: number, ctx: GrammarContext): BlockRead | undefined {
  let i: number;
  let name: string;
  if (text.startsWith('<function=', at)) {
    const close = text.indexOf('>', at);
    if (close < 0) return undefined;
    name = text.slice(at + '<function='.length, close).trim();
    i = close + 1;
  } else if (text.startsWith('<function name="', at)) {
    const quote = text.indexOf('"', at + '<function name="'.length);
    if (quote < 0 || text[quote + 1] !== '>') return undefined;
    name = text.slice(at + '<function name="'.length, quote);
    i = quote + 2;
  } else {
    return undefined;
  }
  if (!NAME.test(name)) return undefined;
  const { bodyEnd, end } = closeOrEnd(text, i, '</function>');
  const body = text.slice(i, bodyEnd);
  const start = skipSpace(body, 0);
  if (body.startsWith('<parameter=', start)) {
    const args: Record<string, unknown> = {};
    let p = start;
    while (body.startsWith('<parameter=', p)) {
      const keyEnd = body.indexOf('>', p);
      if (keyEnd < 0) return undefined;
      const key = body.slice(p + '<parameter='.length, keyEnd).trim();
      const valueEnd = closeOrEnd(body, keyEnd + 1, '</parameter>');
      args[key] = typedParameter(parameterText(body.slice(keyEnd + 1, valueEnd.bodyEnd)), ctx.typeOf(name, key));
      p = skipSpace(body, valueEnd.end);
    }
    if (p < body.length) return undefined;
    return { calls: [{ name, args }], end };
  }
  if (body.trim() === '') return { calls: [{ name, args: {} }], end };
  const read = readValueAt(body, start);
  if (!read || skipSpace(body, read.end) < body.length) return { calls: [{ name, args: undefined, badArguments: body.trim() }], end };
  return { calls: [rawCall(name, read.value) ?? { name, args: undefined, badArguments: body.trim() }], end };
}

/** Tags of an `<invoke name="…"><parameter name="…">v</parameter></invoke>` grammar. */
export interface InvokeTags {
  readonly invoke: string;
  readonly invokeClose: string;
  readonly parameter: string;
  readonly parameterClose: string;
}

/** Invoke blocks (MiniMax-M2, DeepSeek V3.2 DSML, Step-3), up to `close` or the text's end. */
export function invokesAt(text: string, at: number, close: string, tags: InvokeTags, ctx: GrammarContext): BlockRead | undefined {
  const { bodyEnd, end } = closeOrEnd(text, at, close);
  const calls: RawCall[] = [];
  let i = skipSpace(text, at);
  while (i < bodyEnd && text.startsWith(tags.invoke, i)) {
    const nameEnd = text.indexOf('"', i + tags.invoke.length);
    if (nameEnd < 0) return undefined;
    const name = text.slice(i + tags.invoke.length, nameEnd);
    const tagEnd = text.indexOf('>', nameEnd);
    if (tagEnd < 0 || !NAME.test(name)) return undefined;
    const invoke = closeOrEnd(text, tagEnd + 1, tags.invokeClose);
    const args: Record<string, unknown> = {};
    let p = skipSpace(text, tagEnd + 1);
    while (p < invoke.bodyEnd && text.startsWith(tags.parameter, p)) {
      const keyEnd = text.indexOf('"', p + tags.parameter.length);
      const open = text.indexOf('>', keyEnd);
      if (keyEnd < 0 || open < 0) return undefined;
      const key = text.slice(p + tags.parameter.length, keyEnd);
      const value = closeOrEnd(text, open + 1, tags.parameterClose);
      // DSML marks values string="true" or "false" (JSON); the schema still decides (as vLLM does).
      const attributes = text.slice(keyEnd, open);
      const type = ctx.typeOf(name, key) ?? (/string="false"/.test(attributes) ? 'json' : 'string');
      args[key] = typedParameter(text.slice(open + 1, value.bodyEnd), type);
      p = skipSpace(text, value.end);
    }
    if (p < invoke.bodyEnd) return undefined;
    calls.push({ name, args });
    i = skipSpace(text, invoke.end);
  }
  if (calls.length === 0 || i < bodyEnd) return undefined;
  return { calls, end };
}

/** `name<arg_key>k</arg_key><arg_value>v</arg_value>…` up to `close` (GLM-4.5/4.6/4.7, LongCat). */
export function argPairsAt(text: string, at: number, close: string, keyTag: string, valueTag: string, ctx: GrammarContext): BlockRead | undefined {
  const { bodyEnd, end } = closeOrEnd(text, at, close);
  if (bodyEnd === text.length && !text.includes(close, at)) return undefined; // GLM's parser drops an unclosed call; so do we
  const keyOpen = `<${keyTag}>`;
  const keyClose = `</${keyTag}>`;
  const valueOpen = `<${valueTag}>`;
  const valueClose = `</${valueTag}>`;
  const firstKey = text.indexOf(keyOpen, at);
  const nameEnd = firstKey < 0 || firstKey > bodyEnd ? bodyEnd : firstKey;
  const name = text.slice(at, nameEnd).trim();
  if (!NAME.test(name)) return undefined;
  const args: Record<string, unknown> = {};
  let i = skipSpace(text, nameEnd);
  while (i < bodyEnd) {
    if (!text.startsWith(keyOpen, i)) return undefined;
    const keyEnd = text.indexOf(keyClose, i);
    if (keyEnd < 0 || keyEnd > bodyEnd) return undefined;
    const key = text.slice(i + keyOpen.length, keyEnd).trim();
    const v = after(text, keyEnd + keyClose.length, valueOpen);
    if (v < 0) return undefined;
    const valueEnd = text.indexOf(valueClose, v);
    if (valueEnd < 0 || valueEnd > bodyEnd) return undefined;
    args[key] = typedParameter(text.slice(v, valueEnd), ctx.typeOf(name, key));
    i = skipSpace(text, valueEnd + valueClose.length);
  }
  return { calls: [{ name, args }], end };
}

/** Gemma's `call:name{key:value,…}`, strings between `delimiter` (Gemma 4 `<|"|>`, FunctionGemma `<escape>`). */
export function gemmaCallAt(text: string, at: number, close: string, delimiter: string, ctx: GrammarContext): BlockRead | undefined {
  const i = after(text, at, 'call:');
  if (i < 0) return undefined;
  const brace = text.indexOf('{', i);
  if (brace < 0) return undefined;
  const name = text.slice(i, brace).trim();
  if (!NAME.test(name)) return undefined;
  const reader = new LiteralReader(text, brace, delimiter);
  let value: unknown;
  try {
    value = reader.value();
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  // FunctionGemma writes every value as escaped text; numbers and booleans are typed by the schema or their look.
  const args: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) args[key] = typeof v === 'string' && delimiter === '<escape>' ? typedParameter(v, ctx.typeOf(name, key)) : v;
  const end = after(text, reader.at, close);
  return { calls: [{ name, args }], end: end < 0 ? reader.at : end };
}
