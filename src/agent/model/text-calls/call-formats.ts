/**
 * Every tool-call format open models write into their text, in one table: what opens a call,
 * how its block is read (a grammar from call-grammars.ts), which models write it, where the
 * reference parsers and their fixtures are, and what the server needs to read it itself.
 *
 * References: llama.cpp's chat parsers (`common/chat*.cpp`, fixtures in `tests/test-chat.cpp`)
 * and vLLM's tool parsers (`vllm/tool_parsers/`, fixtures in `tests/tool_parsers/`). The
 * test for this table (test/unit/agent/model/tool-call-formats.test.ts) reads their fixtures.
 */
import {
  after,
  argPairsAt,
  callsFromJson,
  closeOrEnd,
  functionTagAt,
  gemmaCallAt,
  invokesAt,
  isObject,
  jsonCallSequenceAt,
  jsonCallsAt,
  nameKeyedCallsAt,
  NAME,
  pythonicCallsAt,
  rawCall,
  skipSpace,
  type BlockRead,
  type GrammarContext,
  type RawCall,
} from './call-grammars';
import { LiteralReader, readPythonicCall, readValueAt } from './literal';
import type { TextCallFormat } from '../../events';

/** Where a format's opener may stand for it to open a call. */
export type OpenerPlace = 'anywhere' | 'line-start' | 'reply-start';

export interface CallFormat {
  readonly id: TextCallFormat;
  /** Who writes it, for the README table and the error that names it. */
  readonly models: string;
  /** The reference parsers for this format (the fixtures each test case takes are named in test/support/tool-call-fixtures.ts). */
  readonly sources: readonly string[];
  /** Texts that open a call of this format; held back from the live view while a reply streams. */
  readonly openers: readonly string[];
  readonly place: OpenerPlace;
  /**
   * A special token or tag only a call uses: outside an example, a block it opens that cannot
   * be read is an unread call (never passed off as the answer). Unmarked formats (bare JSON,
   * ReAct…) read like ordinary text and are never flagged.
   */
  readonly marked: boolean;
  /**
   * When set, an unreadable block is an unread call only if the reply holds all of these: a
   * Harmony answer has channels but no recipient, and prose may say `to=functions.f` without tokens.
   */
  readonly callMarkers?: readonly string[];
  /** A call naming a tool that is not offered still counts (the model is told the tool does not exist): the token is never prose. */
  readonly specialToken: boolean;
  /** vLLM's `--tool-call-parser` for this format. */
  readonly vllmParser?: string;
  /** Reads one block opened by `opener` at `at`. */
  readonly read: (text: string, at: number, opener: string, ctx: GrammarContext) => (BlockRead & { readonly variant?: TextCallFormat }) | undefined;
  /** One call written in this format, for the correction the model gets when it wrote one we could not read. */
  readonly example: (name: string, args: Record<string, unknown>) => string;
}

const json = (value: unknown) => JSON.stringify(value);

/** A block `open … close` whose body is read by `body` (the close may be missing when the model stopped). */
function wrapped(close: string, body: (text: string, at: number, bodyEnd: number) => BlockRead | undefined) {
  return (text: string, at: number, opener: string): BlockRead | undefined => {
    const start = at + opener.length;
    const { bodyEnd, end } = closeOrEnd(text, start, close);
    const read = body(text, start, bodyEnd);
    if (!read || skipSpace(text, read.end) < bodyEnd) return undefined;
    return { ...read, end };
  };
}

const jsonBody = (text: string, at: number) => jsonCallSequenceAt(text, at);

/** `<tool_call>` bodies: JSON (Hermes, Qwen 2.5, Granite 3.1+, xLAM), `<function=…>` (Qwen3-Coder), `name<arg_key>` (GLM). */
function readToolCallTag(text: string, at: number, opener: string, ctx: GrammarContext): (BlockRead & { variant?: TextCallFormat }) | undefined {
  const start = at + opener.length;
  const first = skipSpace(text, start);
  if (text.startsWith('<function', first)) {
    const read = wrapped('</tool_call>', (t, i) => functionTagAt(t, skipSpace(t, i), ctx))(text, at, opener);
    return read && { ...read, variant: 'qwen3-coder-xml' };
  }
  if (text[first] === '{' || text[first] === '[') return wrapped('</tool_call>', jsonBody)(text, at, opener);
  const read = argPairsAt(text, start, '</tool_call>', 'arg_key', 'arg_value', ctx);
  return read && { ...read, variant: 'glm' };
}

/** Llama 3.1's `<|python_tag|>`: JSON calls separated by `;`, or a built-in tool as `name.call(a=1)`. */
function readPythonTag(text: string, at: number, opener: string): BlockRead | undefined {
  const start = skipSpace(text, at + opener.length);
  let read: BlockRead | undefined;
  if (text[start] === '{' || text[start] === '[') {
    read = jsonCallSequenceAt(text, start);
  } else {
    const reader = new LiteralReader(text, start);
    try {
      const call = readPythonicCall(reader);
      read = { calls: [{ name: call.name.replace(/\.call$/, ''), args: call.args }], end: reader.at };
    } catch {
      return undefined;
    }
  }
  if (!read) return undefined;
  for (const end of ['<|eom_id|>', '<|eot_id|>']) {
    const i = after(text, read.end, end);
    if (i >= 0) return { ...read, end: i };
  }
  return read;
}

/** Mistral: `[TOOL_CALLS] [{…}]` (v0.3, Nemo), `[TOOL_CALLS]name[ARGS]{…}` (v11+), `name[CALL_ID]id[ARGS]{…}` (Small 3.2). */
function readMistral(text: string, at: number, opener: string): BlockRead | undefined {
  const start = skipSpace(text, at + opener.length);
  if (text[start] === '[' || text[start] === '{') return jsonCallsAt(text, start);
  const bracket = text.indexOf('[', start);
  if (bracket < 0) return undefined;
  const name = text.slice(start, bracket).trim();
  if (!NAME.test(name)) return undefined;
  let i = bracket;
  if (text.startsWith('[CALL_ID]', i)) {
    const next = text.indexOf('[ARGS]', i);
    if (next < 0) return undefined;
    i = next;
  }
  if (!text.startsWith('[ARGS]', i)) return undefined;
  const read = readValueAt(text, skipSpace(text, i + '[ARGS]'.length));
  if (!read) return { calls: [{ name, args: undefined, badArguments: text.slice(i + 6).trim() }], end: text.length };
  return { calls: [rawCall(name, read.value) as RawCall], end: read.end };
}

/** DeepSeek V3/R1 (`function<｜tool▁sep｜>name` + fenced JSON), V3.1 (`name<｜tool▁sep｜>{…}`), Step-3 (`<steptml:invoke>`). */
function readDeepSeek(text: string, at: number, opener: string, ctx: GrammarContext): BlockRead | undefined {
  // Tokenizers and templates spell the separators with ▁, _ or spaces: read them all as one.
  const token = (name: string) => new RegExp(`<｜${name.split(' ').join('[▁_ \\\\]{1,2}')}｜>`, 'y');
  const callBegin = token('tool call begin');
  const callEnd = token('tool call end');
  const callsEnd = token('tool calls end');
  const sep = token('tool sep');
  const match = (pattern: RegExp, i: number) => {
    pattern.lastIndex = i;
    const m = pattern.exec(text);
    return m ? i + m[0].length : -1;
  };
  let i = /calls/.test(opener) ? at + opener.length : at;
  const calls: RawCall[] = [];
  for (;;) {
    i = skipSpace(text, i);
    const sepped = match(sep, i);
    if (sepped >= 0 && calls.length > 0) i = skipSpace(text, sepped); // Step-3 separates calls with <｜tool_sep｜>
    // R1 has written `<｜tool▁calls｜>function<｜tool▁sep｜>…` with no call-begin token (llama.cpp reads it).
    const begun = match(callBegin, i) >= 0 ? match(callBegin, i) : calls.length === 0 && opener === '<｜tool▁calls｜>' ? i : -1;
    if (begun < 0) break;
    // The call's body runs to its end token, or the next call, or the section's end.
    let bodyEnd = text.length;
    for (let j = begun; j < text.length; j++) {
      if (text[j] === '<' && text[j + 1] === '｜' && (match(callEnd, j) >= 0 || match(callBegin, j) >= 0 || match(callsEnd, j) >= 0)) {
        bodyEnd = j;
        break;
      }
    }
    const body = text.slice(begun, bodyEnd);
    const call = deepSeekCall(body, ctx);
    if (!call) return undefined;
    calls.push(...call);
    i = bodyEnd;
    const ended = match(callEnd, i);
    if (ended >= 0) i = ended;
  }
  if (calls.length === 0) return undefined;
  const closed = match(callsEnd, skipSpace(text, i));
  return { calls, end: closed >= 0 ? closed : i };
}

function deepSeekCall(body: string, ctx: GrammarContext): RawCall[] | undefined {
  const invoke = body.indexOf('<steptml:invoke');
  if (invoke >= 0) {
    const tags = { invoke: '<steptml:invoke name="', invokeClose: '</steptml:invoke>', parameter: '<steptml:parameter name="', parameterClose: '</steptml:parameter>' };
    return invokesAt(body, invoke, '\u0000', tags, ctx)?.calls.slice();
  }
  const sep = /<｜tool[▁_ \\]{1,2}sep｜>/.exec(body);
  if (!sep) return undefined;
  const left = body.slice(0, sep.index).trim();
  const right = body.slice(sep.index + sep[0].length);
  if (left === 'function' || left === '') {
    const newline = right.indexOf('\n');
    const name = (newline < 0 ? right : right.slice(0, newline)).trim();
    const rest = newline < 0 ? '' : right.slice(newline + 1).trim();
    const fenced = /^```(?:json)?\s*([\s\S]*?)\s*(?:```)?\s*$/.exec(rest);
    return [argumentsCall(name, fenced ? fenced[1] : rest)];
  }
  return [argumentsCall(left, right.trim())];
}

/** A call from a name and its arguments as JSON text; unreadable arguments are kept for the error. */
function argumentsCall(name: string, argsText: string): RawCall {
  if (argsText.trim() === '') return { name, args: {} };
  const read = readValueAt(argsText.trim(), 0);
  if (read && read.end === argsText.trim().length && isObject(read.value)) return { name, args: read.value };
  return { name, args: undefined, badArguments: argsText.trim() };
}

/** Kimi-K2: `<|tool_call_begin|>functions.name:0<|tool_call_argument_begin|>{…}<|tool_call_end|>`, in a section or not. */
function readKimi(text: string, at: number, opener: string): BlockRead | undefined {
  const BEGIN = '<|tool_call_begin|>';
  const ARGS = '<|tool_call_argument_begin|>';
  const END = '<|tool_call_end|>';
  const SECTION_END = '<|tool_calls_section_end|>';
  let i = opener === BEGIN ? at : at + opener.length;
  const calls: RawCall[] = [];
  for (;;) {
    i = skipSpace(text, i);
    if (!text.startsWith(BEGIN, i)) break;
    const argsAt = text.indexOf(ARGS, i);
    if (argsAt < 0) return undefined;
    const id = text.slice(i + BEGIN.length, argsAt).trim();
    const named = /^(?:functions\.)?([A-Za-z_][\w.-]*):\d+$/.exec(id);
    if (!named) return undefined;
    let bodyEnd = text.length;
    for (const stop of [END, BEGIN, SECTION_END]) {
      const s = text.indexOf(stop, argsAt + ARGS.length);
      if (s >= 0 && s < bodyEnd) bodyEnd = s;
    }
    calls.push(argumentsCall(named[1], text.slice(argsAt + ARGS.length, bodyEnd)));
    i = text.startsWith(END, bodyEnd) ? bodyEnd + END.length : bodyEnd;
  }
  if (calls.length === 0) return undefined;
  const closed = after(text, i, SECTION_END);
  return { calls, end: closed >= 0 ? closed : i };
}

/** gpt-oss Harmony: messages `<|channel|>C [to=functions.name] [<|constrain|>json]<|message|>BODY<|end|>|<|call|>`. */
function readHarmony(text: string, at: number): BlockRead | undefined {
  const MESSAGE = '<|message|>';
  const STOPS = ['<|end|>', '<|call|>', '<|return|>', '<|start|>', '<|channel|>'];
  const calls: RawCall[] = [];
  let thought = '';
  let content = '';
  let i = at;
  // A reply holds a handful of messages; the bound keeps a hostile one linear.
  for (let messages = 0; messages < 64 && i < text.length; messages++) {
    const m = text.indexOf(MESSAGE, i);
    if (m < 0) break;
    const header = text.slice(i, m);
    const bodyStart = m + MESSAGE.length;
    let bodyEnd = text.length;
    for (const stop of STOPS) {
      const s = text.indexOf(stop, bodyStart);
      if (s >= 0 && s < bodyEnd) bodyEnd = s;
    }
    const body = text.slice(bodyStart, bodyEnd);
    const recipient = /to=functions\.([A-Za-z_][\w.-]*)/.exec(header);
    if (recipient) calls.push(argumentsCall(recipient[1], body));
    else if (/analysis/.test(header)) thought += body;
    else content += body;
    i = bodyEnd;
    for (const end of ['<|end|>', '<|call|>', '<|return|>']) if (text.startsWith(end, i)) i += end.length;
  }
  return calls.length > 0 ? { calls, end: i, thought: thought.trim(), content: content.trim() } : undefined;
}

/** Functionary v3.2: `>>>name\n{…}`; `>>>all\n` is text. */
function readFunctionary(text: string, at: number, opener: string): BlockRead | undefined {
  const newline = text.indexOf('\n', at);
  if (newline < 0) return undefined;
  const name = text.slice(at + opener.length, newline).trim();
  if (name === 'all' || !NAME.test(name)) return undefined;
  const start = skipSpace(text, newline + 1);
  const read = readValueAt(text, start);
  if (!read) return { calls: [{ name, args: undefined, badArguments: text.slice(start).trim() }], end: text.length };
  return { calls: [rawCall(name, read.value) as RawCall], end: read.end };
}

/** `Action:` then Command R+'s fenced JSON list, or ReAct's `name` + `Action Input: {…}`. */
function readAction(text: string, at: number, opener: string): (BlockRead & { variant?: TextCallFormat }) | undefined {
  const lineEnd = text.indexOf('\n', at);
  const rest = text.slice(at + opener.length, lineEnd < 0 ? text.length : lineEnd).trim();
  if (rest === '') {
    const fence = after(text, at + opener.length, '```');
    if (fence < 0) return undefined;
    const bodyStart = text.indexOf('\n', fence);
    if (bodyStart < 0) return undefined;
    const { bodyEnd, end } = closeOrEnd(text, bodyStart, '```');
    const read = readValueAt(text.slice(bodyStart, bodyEnd).trim(), 0);
    const calls = read && callsFromJson(read.value);
    return calls ? { calls, end, variant: 'command-r-plus' } : undefined;
  }
  if (!NAME.test(rest) || lineEnd < 0) return undefined;
  const input = after(text, lineEnd, 'Action Input:');
  if (input < 0) return undefined;
  let start = skipSpace(text, input);
  let fenced = false;
  if (text.startsWith('```', start)) {
    fenced = true;
    start = skipSpace(text, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
  }
  const read = readValueAt(text, start);
  if (!read || !isObject(read.value)) return undefined;
  const end = fenced && after(text, read.end, '```') >= 0 ? after(text, read.end, '```') : read.end;
  return { calls: [{ name: rest, args: read.value }], end, variant: 'react' };
}

/** A fenced block (```json, ```tool_code) that holds only calls. */
function fenced(body: (text: string, at: number) => BlockRead | undefined) {
  return (text: string, at: number): BlockRead | undefined => {
    const lineEnd = text.indexOf('\n', at);
    if (lineEnd < 0) return undefined;
    const info = text.slice(at + 3, lineEnd).trim();
    if (!['', 'json', 'tool_call', 'tool_code', 'python'].includes(info)) return undefined;
    const { bodyEnd, end } = closeOrEnd(text, lineEnd + 1, '```');
    const read = body(text.slice(0, bodyEnd), lineEnd + 1);
    if (!read || skipSpace(text, read.end) < bodyEnd) return undefined;
    return { ...read, end };
  };
}

const hermesExample = (name: string, args: Record<string, unknown>) => `<tool_call>\n${json({ name, arguments: args })}\n</tool_call>`;
const xmlParameters = (args: Record<string, unknown>, open: (k: string) => string, close: string) =>
  Object.entries(args)
    .map(([k, v]) => `${open(k)}${typeof v === 'string' ? v : json(v)}${close}`)
    .join('\n');
const pythonicArgs = (args: Record<string, unknown>) =>
  Object.entries(args)
    .map(([k, v]) => `${k}=${json(v)}`)
    .join(', ');

const LLAMA = 'llama.cpp tests/test-chat.cpp';
const VLLM = (parser: string) => `vLLM tests/tool_parsers/test_${parser}_tool_parser.py`;

/** The table. Order matters only for openers two formats share: the first that reads the block wins. */
export const CALL_FORMATS: readonly CallFormat[] = [
  {
    id: 'hermes',
    models: 'Hermes 2 Pro / 3, Qwen 2.5 / 3, Qwen3-Coder and Qwen3.5 (XML body), GLM-4.5/4.6/4.7 (arg_key body), Granite 3.1+/4, xLAM, MiMo',
    sources: [LLAMA, VLLM('hermes'), VLLM('qwen3coder'), VLLM('glm4_moe'), VLLM('glm47_moe'), VLLM('xlam')],
    openers: ['<tool_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: false,
    vllmParser: 'hermes (qwen3_coder, glm45, glm47, xlam for those models)',
    read: readToolCallTag,
    example: hermesExample,
  },
  {
    id: 'tool-calls-tag',
    models: 'Jamba, Hunyuan-A13B, MiniMax-M1, Apriel',
    sources: [LLAMA, VLLM('jamba'), VLLM('hunyuan_a13b'), VLLM('minimax')],
    openers: ['<tool_calls>'],
    place: 'anywhere',
    marked: true,
    specialToken: false,
    vllmParser: 'jamba / hunyuan_a13b / minimax',
    read: wrapped('</tool_calls>', jsonBody),
    example: (name, args) => `<tool_calls>\n${json({ name, arguments: args })}\n</tool_calls>`,
  },
  {
    id: 'hermes',
    models: 'Hermes 2 Pro alternates (<tool>, <tools>, <response>, <json>, <JSON>, <xml>)',
    sources: [LLAMA],
    openers: ['<tool>', '<tools>', '<response>', '<json>', '<JSON>', '<xml>'],
    place: 'anywhere',
    marked: false,
    specialToken: false,
    read: (text, at, opener) => wrapped(opener.replace('<', '</'), jsonBody)(text, at, opener),
    example: hermesExample,
  },
  {
    id: 'seed-oss',
    models: 'ByteDance Seed-OSS',
    sources: [LLAMA, VLLM('seed_oss')],
    openers: ['<seed:tool_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'seed_oss',
    read: (text, at, opener, ctx) => wrapped('</seed:tool_call>', (t, i) => functionTagAt(t, skipSpace(t, i), ctx))(text, at, opener),
    example: (name, args) => `<seed:tool_call>\n<function=${name}>\n${xmlParameters(args, (k) => `<parameter=${k}>`, '</parameter>')}\n</function>\n</seed:tool_call>`,
  },
  {
    id: 'longcat',
    models: 'LongCat-Flash',
    sources: [VLLM('longcat')],
    openers: ['<longcat_tool_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'longcat',
    read: (text, at, opener, ctx) => {
      const first = skipSpace(text, at + opener.length);
      if (text[first] === '{' || text[first] === '[') return wrapped('</longcat_tool_call>', jsonBody)(text, at, opener);
      return argPairsAt(text, at + opener.length, '</longcat_tool_call>', 'longcat_arg_key', 'longcat_arg_value', ctx);
    },
    example: (name, args) => `<longcat_tool_call>${json({ name, arguments: args })}</longcat_tool_call>`,
  },
  {
    id: 'function-tag',
    models: 'functionary v3.1, Llama 3.1 custom tools, Qwen3-Coder without its wrapper, Hermes 2 Pro <function name="…">',
    sources: [LLAMA, VLLM('qwen3coder')],
    openers: ['<function=', '<function name="'],
    place: 'anywhere',
    marked: true,
    specialToken: false,
    vllmParser: 'qwen3_coder',
    read: (text, at, _opener, ctx) => functionTagAt(text, at, ctx),
    example: (name, args) => `<function=${name}>${json(args)}</function>`,
  },
  {
    id: 'granite-20b-fc',
    models: 'Granite 20B function-calling',
    sources: [VLLM('granite_20b_fc')],
    openers: ['<function_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: false,
    vllmParser: 'granite-20b-fc',
    read: (text, at, opener) => {
      const read = jsonCallsAt(text, at + opener.length);
      if (!read) return undefined;
      const closed = after(text, read.end, '</function_call>');
      return { ...read, end: closed >= 0 ? closed : read.end };
    },
    example: (name, args) => `<function_call> ${json({ name, arguments: args })}`,
  },
  {
    id: 'nemotron',
    models: 'Nemotron Nano v2 (<TOOLCALL>); Nemotron 3 writes the Qwen3-Coder XML',
    sources: [LLAMA, VLLM('nemotron_json')],
    openers: ['<TOOLCALL>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'nemotron_json',
    read: wrapped('</TOOLCALL>', jsonBody),
    example: (name, args) => `<TOOLCALL>[${json({ name, arguments: args })}]</TOOLCALL>`,
  },
  {
    id: 'granite',
    models: 'Granite 3.0',
    sources: [VLLM('granite')],
    openers: ['<|tool_call|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'granite',
    read: (text, at, opener) => jsonCallsAt(text, at + opener.length),
    example: (name, args) => `<|tool_call|>[${json({ name, arguments: args })}]`,
  },
  {
    id: 'internlm2',
    models: 'InternLM2 / 2.5',
    sources: [VLLM('internlm2')],
    openers: ['<|action_start|><|plugin|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'internlm',
    read: wrapped('<|action_end|>', jsonBody),
    example: (name, args) => `<|action_start|><|plugin|>${json({ name, parameters: args })}<|action_end|>`,
  },
  {
    id: 'minimax-m2',
    models: 'MiniMax-M2',
    sources: [LLAMA, VLLM('minimax_m2')],
    openers: ['<minimax:tool_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'minimax_m2',
    read: (text, at, opener, ctx) =>
      invokesAt(text, at + opener.length, '</minimax:tool_call>', { invoke: '<invoke name="', invokeClose: '</invoke>', parameter: '<parameter name="', parameterClose: '</parameter>' }, ctx),
    example: (name, args) => `<minimax:tool_call>\n<invoke name="${name}">\n${xmlParameters(args, (k) => `<parameter name="${k}">`, '</parameter>')}\n</invoke>\n</minimax:tool_call>`,
  },
  {
    id: 'deepseek-dsml',
    models: 'DeepSeek V3.2 (DSML)',
    sources: [VLLM('deepseekv32')],
    openers: ['<｜DSML｜function_calls>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'deepseek_v32',
    read: (text, at, opener, ctx) =>
      invokesAt(
        text,
        at + opener.length,
        '</｜DSML｜function_calls>',
        { invoke: '<｜DSML｜invoke name="', invokeClose: '</｜DSML｜invoke>', parameter: '<｜DSML｜parameter name="', parameterClose: '</｜DSML｜parameter>' },
        ctx,
      ),
    example: (name, args) =>
      `<｜DSML｜function_calls>\n<｜DSML｜invoke name="${name}">\n${xmlParameters(args, (k) => `<｜DSML｜parameter name="${k}" string="false">`, '</｜DSML｜parameter>')}\n</｜DSML｜invoke>\n</｜DSML｜function_calls>`,
  },
  {
    id: 'deepseek',
    models: 'DeepSeek V3 / R1 / V3.1, Step-3',
    sources: [LLAMA, VLLM('deepseekv3'), VLLM('deepseekv31'), VLLM('step3')],
    openers: ['<｜tool▁calls▁begin｜>', '<｜tool_calls_begin｜>', '<｜tool calls begin｜>', '<｜tool\\_calls\\_begin｜>', '<｜tool▁call▁begin｜>', '<｜tool▁calls｜>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'deepseek_v3 / deepseek_v31 / step3',
    read: readDeepSeek,
    example: (name, args) => `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>${name}<｜tool▁sep｜>${json(args)}<｜tool▁call▁end｜><｜tool▁calls▁end｜>`,
  },
  {
    id: 'kimi-k2',
    models: 'Kimi-K2 (Instruct, Thinking)',
    sources: [LLAMA, VLLM('kimi_k2')],
    openers: ['<|tool_calls_section_begin|>', '<|tool_call_begin|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'kimi_k2',
    read: readKimi,
    example: (name, args) => `<|tool_calls_section_begin|><|tool_call_begin|>functions.${name}:0<|tool_call_argument_begin|>${json(args)}<|tool_call_end|><|tool_calls_section_end|>`,
  },
  {
    id: 'harmony',
    models: 'gpt-oss (Harmony)',
    sources: [LLAMA, VLLM('openai')],
    openers: ['<|channel|>', '<|start|>', 'to=functions.'],
    callMarkers: ['to=functions.', '<|message|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'openai',
    read: (text, at) => readHarmony(text, at),
    example: (name, args) => `<|channel|>commentary to=functions.${name} <|constrain|>json<|message|>${json(args)}<|call|>`,
  },
  {
    id: 'python-tag',
    models: 'Llama 3.1 / 3.3 (JSON and built-in tools)',
    sources: [LLAMA, VLLM('llama3_json')],
    openers: ['<|python_tag|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'llama3_json',
    read: readPythonTag,
    example: (name, args) => `<|python_tag|>${json({ name, parameters: args })}`,
  },
  {
    id: 'llama4-pythonic',
    models: 'Llama 4',
    sources: [VLLM('llama4_pythonic')],
    openers: ['<|python_start|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'llama4_pythonic',
    read: (text, at, opener) => {
      const read = pythonicCallsAt(text, skipSpace(text, at + opener.length), true);
      if (!read) return undefined;
      const closed = after(text, read.end, '<|python_end|>');
      return { ...read, end: closed >= 0 ? closed : read.end };
    },
    example: (name, args) => `<|python_start|>[${name}(${pythonicArgs(args)})]<|python_end|>`,
  },
  {
    id: 'lfm2',
    models: 'LFM2 / LFM2.5',
    sources: [LLAMA, VLLM('lfm2')],
    openers: ['<|tool_call_start|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'lfm2',
    read: wrapped('<|tool_call_end|>', (text, at) => {
      const start = skipSpace(text, at);
      return pythonicCallsAt(text, start, true) ?? jsonCallsAt(text, start);
    }),
    example: (name, args) => `<|tool_call_start|>[${name}(${pythonicArgs(args)})]<|tool_call_end|>`,
  },
  {
    id: 'olmo3',
    models: 'OLMo 3',
    sources: [VLLM('olmo3')],
    openers: ['<function_calls>'],
    place: 'anywhere',
    marked: true,
    specialToken: false,
    vllmParser: 'olmo3',
    read: wrapped('</function_calls>', (text, at) => pythonicCallsAt(text, at, false)),
    example: (name, args) => `<function_calls>${name}(${pythonicArgs(args)})</function_calls>`,
  },
  {
    id: 'mistral',
    models: 'Mistral v0.3, Nemo, Small 3.x, Magistral, Devstral, Ministral 3',
    sources: [LLAMA, VLLM('mistral')],
    openers: ['[TOOL_CALLS]'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'mistral',
    read: readMistral,
    example: (name, args) => `[TOOL_CALLS]${name}[ARGS]${json(args)}`,
  },
  {
    id: 'functools',
    models: 'Phi-4-mini, FireFunction v2',
    sources: [LLAMA, VLLM('phi4mini')],
    openers: ['functools['],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'phi4_mini_json',
    read: (text, at, opener) => jsonCallsAt(text, at + opener.length - 1),
    example: (name, args) => `functools[${json({ name, arguments: args })}]`,
  },
  {
    id: 'gigachat',
    models: 'GigaChat 3 / 3.1',
    sources: [LLAMA, VLLM('gigachat3')],
    openers: ['function call<|role_sep|>', '<|function_call|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'gigachat3',
    read: (text, at, opener) => {
      const read = jsonCallsAt(text, at + opener.length);
      if (!read) return undefined;
      const eos = after(text, read.end, '</s>');
      return { ...read, end: eos >= 0 ? eos : read.end };
    },
    example: (name, args) => `<|function_call|>${json({ name, arguments: args })}`,
  },
  {
    id: 'command-r7b',
    models: 'Command R7B, Command A',
    sources: [LLAMA, VLLM('cohere_command')],
    openers: ['<|START_ACTION|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'cohere_command (Command A / R7B)',
    read: wrapped('<|END_ACTION|>', jsonBody),
    example: (name, args) => `<|START_ACTION|>[${json({ tool_call_id: '0', tool_name: name, parameters: args })}]<|END_ACTION|>`,
  },
  {
    id: 'apertus',
    models: 'Apertus',
    sources: [LLAMA, VLLM('apertus')],
    openers: ['<|tools_prefix|>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'apertus',
    read: (text, at, opener) => {
      const read = nameKeyedCallsAt(text, at + opener.length);
      if (!read) return undefined;
      const closed = after(text, read.end, '<|tools_suffix|>');
      return { ...read, end: closed >= 0 ? closed : read.end };
    },
    example: (name, args) => `<|tools_prefix|>[${json({ [name]: args })}]<|tools_suffix|>`,
  },
  {
    id: 'gemma',
    models: 'Gemma 4',
    sources: [VLLM('gemma4')],
    openers: ['<|tool_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'gemma4',
    read: (text, at, opener, ctx) => gemmaCallAt(text, at + opener.length, '<tool_call|>', '<|"|>', ctx),
    example: (name, args) => `<|tool_call>call:${name}{${Object.entries(args).map(([k, v]) => `${k}:${typeof v === 'string' ? `<|"|>${v}<|"|>` : json(v)}`).join(',')}}<tool_call|>`,
  },
  {
    id: 'function-gemma',
    models: 'FunctionGemma',
    sources: [VLLM('functiongemma')],
    openers: ['<start_function_call>'],
    place: 'anywhere',
    marked: true,
    specialToken: true,
    vllmParser: 'functiongemma',
    read: (text, at, opener, ctx) => gemmaCallAt(text, at + opener.length, '<end_function_call>', '<escape>', ctx),
    example: (name, args) => `<start_function_call>call:${name}{${Object.entries(args).map(([k, v]) => `${k}:<escape>${typeof v === 'string' ? v : json(v)}<escape>`).join(',')}}<end_function_call>`,
  },
  {
    id: 'functionary-v3.2',
    models: 'functionary v3.2',
    sources: [LLAMA],
    openers: ['>>>'],
    place: 'anywhere',
    marked: false, // `>>>` is also a Python prompt in ordinary answers
    specialToken: false,
    read: readFunctionary,
    example: (name, args) => `>>>${name}\n${json(args)}`,
  },
  {
    id: 'gemma-tool-code',
    models: 'Gemma 3 (```tool_code)',
    sources: ['Gemma 3 function-calling guide (ai.google.dev/gemma/docs/capabilities/function-calling)'],
    openers: ['```tool_code'],
    place: 'line-start',
    marked: false,
    specialToken: false,
    read: fenced((text, at) => pythonicCallsAt(text, at, false)),
    example: (name, args) => `\`\`\`tool_code\n${name}(${pythonicArgs(args)})\n\`\`\``,
  },
  {
    id: 'react',
    models: 'Command R+ (Action: ```json), ReAct prompts (Action: / Action Input:)',
    sources: [LLAMA],
    openers: ['Action:'],
    place: 'line-start',
    marked: false,
    specialToken: false,
    read: readAction,
    example: (name, args) => `Action: ${name}\nAction Input: ${json(args)}`,
  },
  {
    id: 'pythonic',
    models: 'Llama 3.2 / 4 pythonic, Granite pythonic, ToolACE',
    sources: [VLLM('pythonic'), VLLM('llama4_pythonic')],
    openers: ['['],
    place: 'reply-start',
    marked: false,
    specialToken: false,
    vllmParser: 'pythonic',
    read: (text, at) => pythonicCallsAt(text, at, true),
    example: (name, args) => `[${name}(${pythonicArgs(args)})]`,
  },
  {
    id: 'fenced-json',
    models: 'any model asked for JSON (xLAM, small models)',
    sources: [VLLM('xlam')],
    openers: ['```json', '```tool_call'],
    place: 'line-start',
    marked: false,
    specialToken: false,
    vllmParser: 'xlam',
    read: fenced((text, at) => jsonCallSequenceAt(text, at)),
    example: (name, args) => `\`\`\`json\n${json({ name, arguments: args })}\n\`\`\``,
  },
  {
    id: 'fenced-json',
    models: 'a fenced block without a language that is the whole reply (Hermes 2 Pro)',
    sources: [LLAMA],
    openers: ['```'],
    place: 'reply-start',
    marked: false,
    specialToken: false,
    read: fenced((text, at) => jsonCallSequenceAt(text, at)),
    example: (name, args) => `\`\`\`\n${json({ name, arguments: args })}\n\`\`\``,
  },
  {
    id: 'bare-json',
    models: 'Llama 3.x JSON ({"name", "parameters"}) after prose',
    sources: [VLLM('llama3_json')],
    openers: ['{"name"'],
    place: 'anywhere',
    marked: false,
    specialToken: false,
    vllmParser: 'llama3_json',
    read: (text, at) => jsonCallSequenceAt(text, at),
    example: (name, args) => json({ name, parameters: args }),
  },
  {
    id: 'bare-json',
    models: 'Llama 3.x JSON ({"name", "parameters"}), xLAM lists, llama.cpp generic ({"tool_call": …})',
    sources: [LLAMA, VLLM('llama3_json'), VLLM('xlam')],
    openers: ['{', '['],
    place: 'reply-start',
    marked: false,
    specialToken: false,
    vllmParser: 'llama3_json',
    read: (text, at) => jsonCallSequenceAt(text, at),
    example: (name, args) => json({ name, parameters: args }),
  },
];

/** The format behind an id (the first entry that has it). */
export function formatById(id: TextCallFormat): CallFormat | undefined {
  return CALL_FORMATS.find((format) => format.id === id);
}
