/**
 * Tool calls a model wrote into its text instead of the API's `tool_calls`: small local models
 * and servers without a tool-call parser do this all the time. The formats, as the models'
 * chat templates define them:
 *
 * Marked (a special token opens the call; seen at the start of a reply it is a call):
 * - Hermes / Qwen:   `<tool_call>{"name": "read_file", "arguments": {"path": "a"}}</tool_call>`
 * - Llama 3.1:       `<|python_tag|>{"name": "read_file", "parameters": {"path": "a"}}<|eom_id|>`
 * - Mistral:         `[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a"}}]`
 *                    (newer templates: `[TOOL_CALLS]read_file[ARGS]{"path": "a"}`)
 * - Llama 3.x / Qwen3-Coder: `<function=read_file>{"path": "a"}</function>` or
 *                    `<function=read_file><parameter=path>a</parameter></function>`
 * Unmarked (only when text calls are expected, and only naming a tool we offer):
 * - Llama 3.1 bare JSON: `{"name": "read_file", "parameters": {"path": "a"}}`
 * - a fenced ```json block holding only the call
 * - ReAct: `Action: read_file` / `Action Input: {"path": "a"}`
 *
 * A reply counts as a call only when the call is the whole reply (prose may come before a
 * marked call or a ReAct action, never after): an answer that shows an example inside other
 * text is an answer.
 */
import type { TextCallFormat } from '../events';


export interface TextToolCall {
  readonly name: string;
  /** The arguments as JSON text (re-serialised from what the model wrote). */
  readonly argumentsJson: string;
}

export interface TextCallParse {
  readonly format: TextCallFormat;
  readonly calls: readonly TextToolCall[];
  /** Text before the call (the model's thought), shown as its message. */
  readonly prose: string;
}

export interface TextCallOptions {
  /** Names of the tools offered: unmarked formats must name one of them. */
  readonly toolNames: ReadonlySet<string>;
  /** Also read the unmarked formats (bare JSON, fenced JSON, ReAct). */
  readonly unmarked: boolean;
}

/** Openers of the marked formats, for holding them back while a reply streams. */
export const MARKED_OPENERS = ['<tool_call>', '<|python_tag|>', '[TOOL_CALLS]', '<function='] as const;
/** Openers of the unmarked formats, held back only when those are being read. */
export const UNMARKED_OPENERS = ['{', '```json', '```', 'Action:'] as const;

export function parseTextToolCalls(text: string, options: TextCallOptions): TextCallParse | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return (
    parseHermes(trimmed) ??
    parsePythonTag(trimmed) ??
    parseMistral(trimmed) ??
    parseFunctionTags(trimmed) ??
    (options.unmarked ? parseUnmarked(trimmed, options.toolNames) : undefined)
  );
}

function parseHermes(text: string): TextCallParse | undefined {
  const at = text.indexOf('<tool_call>');
  if (at < 0) return undefined;
  const prose = text.slice(0, at).trim();
  const calls: TextToolCall[] = [];
  const pattern = /<tool_call>\s*([\s\S]*?)\s*(?:<\/tool_call>|$)/g;
  let rest = text.slice(at);
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(rest)) !== null) {
    const call = callFromObject(parseJsonLenient(match[1]));
    if (!call) return undefined;
    calls.push(call);
    consumed = pattern.lastIndex;
    if (match[0].length === 0) break;
  }
  rest = rest.slice(consumed).trim();
  if (calls.length === 0 || rest !== '') return undefined;
  return { format: 'hermes', calls, prose };
}

function parsePythonTag(text: string): TextCallParse | undefined {
  const at = text.indexOf('<|python_tag|>');
  if (at < 0) return undefined;
  const body = text
    .slice(at + '<|python_tag|>'.length)
    .replace(/<\|(eom_id|eot_id)\|>\s*$/, '')
    .trim();
  // Several calls may be separated by semicolons or newlines.
  const calls = splitJsonObjects(body)?.map((part) => callFromObject(part));
  if (!calls || calls.length === 0 || calls.some((c) => c === undefined)) return undefined;
  return { format: 'python-tag', calls: calls as TextToolCall[], prose: text.slice(0, at).trim() };
}

function parseMistral(text: string): TextCallParse | undefined {
  const at = text.indexOf('[TOOL_CALLS]');
  if (at < 0) return undefined;
  const prose = text.slice(0, at).trim();
  const body = text.slice(at + '[TOOL_CALLS]'.length).trim();
  if (body.startsWith('[') || body.startsWith('{')) {
    const parsed = parseJsonLenient(body);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const calls = list.map(callFromObject);
    if (calls.length === 0 || calls.some((c) => c === undefined)) return undefined;
    return { format: 'mistral', calls: calls as TextToolCall[], prose };
  }
  // v11+ templates: name[ARGS]{json}, repeated with further [TOOL_CALLS] markers.
  const calls: TextToolCall[] = [];
  for (const part of body.split('[TOOL_CALLS]')) {
    const match = /^\s*([A-Za-z0-9_.-]+)\s*\[ARGS\]\s*([\s\S]*)$/.exec(part);
    if (!match) return undefined;
    const args = parseJsonLenient(match[2].trim());
    if (!isPlainObject(args)) return undefined;
    calls.push({ name: match[1], argumentsJson: JSON.stringify(args) });
  }
  return calls.length > 0 ? { format: 'mistral', calls, prose } : undefined;
}

function parseFunctionTags(text: string): TextCallParse | undefined {
  const at = text.indexOf('<function=');
  if (at < 0) return undefined;
  const prose = text.slice(0, at).trim();
  const pattern = /<function=([A-Za-z0-9_.-]+)>([\s\S]*?)<\/function>/g;
  const body = text.slice(at);
  const calls: TextToolCall[] = [];
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(body)) !== null) {
    if (body.slice(consumed, match.index).trim() !== '') return undefined;
    const inner = match[2].trim();
    let args: unknown;
    if (inner.startsWith('<parameter=')) {
      const params: Record<string, unknown> = {};
      for (const p of inner.matchAll(/<parameter=([A-Za-z0-9_.-]+)>([\s\S]*?)<\/parameter>/g)) params[p[1]] = scalarFromText(p[2].trim());
      args = params;
    } else {
      args = inner === '' ? {} : parseJsonLenient(inner);
    }
    if (!isPlainObject(args)) return undefined;
    calls.push({ name: match[1], argumentsJson: JSON.stringify(args) });
    consumed = pattern.lastIndex;
  }
  if (calls.length === 0 || body.slice(consumed).trim() !== '') return undefined;
  return { format: 'function-tag', calls, prose };
}

function parseUnmarked(text: string, toolNames: ReadonlySet<string>): TextCallParse | undefined {
  const known = (calls: readonly (TextToolCall | undefined)[]): calls is TextToolCall[] =>
    calls.length > 0 && calls.every((c) => c !== undefined && toolNames.has(c.name));

  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(text);
  if (fenced) {
    const parsed = parseJsonLenient(fenced[1].trim());
    const calls = (Array.isArray(parsed) ? parsed : [parsed]).map(callFromObject);
    return known(calls) ? { format: 'fenced-json', calls, prose: '' } : undefined;
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    const parsed = parseJsonLenient(text);
    const calls = (Array.isArray(parsed) ? parsed : [parsed]).map(callFromObject);
    return known(calls) ? { format: 'bare-json', calls, prose: '' } : undefined;
  }
  const react = /^([\s\S]*?)^\s*Action:\s*([A-Za-z0-9_.-]+)\s*\n\s*Action Input:\s*([\s\S]+?)\s*$/m.exec(text);
  if (react) {
    const input = react[3].replace(/^```(?:json)?\s*|\s*```$/g, '').trim();
    const args = input === '' ? {} : parseJsonLenient(input);
    if (!isPlainObject(args) || !toolNames.has(react[2])) return undefined;
    const prose = react[1].replace(/^\s*Thought:\s*/m, '').trim();
    return { format: 'react', calls: [{ name: react[2], argumentsJson: JSON.stringify(args) }], prose };
  }
  return undefined;
}

/** `{"name", "arguments"|"parameters"}`, also OpenAI's `{"function": {…}}` shape. */
function callFromObject(value: unknown): TextToolCall | undefined {
  if (!isPlainObject(value)) return undefined;
  const inner = isPlainObject(value.function) ? value.function : value;
  const name = inner.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) return undefined;
  const keys = Object.keys(inner).filter((k) => k !== 'name' && k !== 'id' && k !== 'type');
  let args: unknown = inner.arguments ?? inner.parameters ?? inner.args ?? {};
  // Only name and arguments: anything else means this is data that happens to have a name.
  if (keys.some((k) => !['arguments', 'parameters', 'args'].includes(k))) return undefined;
  if (typeof args === 'string') args = parseJsonLenient(args);
  if (!isPlainObject(args)) return undefined;
  return { name, argumentsJson: JSON.stringify(args) };
}

function splitJsonObjects(text: string): unknown[] | undefined {
  const whole = parseJsonLenient(text);
  if (whole !== undefined) return Array.isArray(whole) ? whole : [whole];
  const parts = text.split(/;\s*|\n+/).map((p) => p.trim()).filter(Boolean);
  const parsed = parts.map(parseJsonLenient);
  return parsed.every((p) => p !== undefined) ? parsed : undefined;
}

function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function scalarFromText(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
