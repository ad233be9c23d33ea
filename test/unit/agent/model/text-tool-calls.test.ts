// Tool calls written as text: each format read, and the answers that merely look like calls
// (an example the user asked for, JSON that is data, a call inside prose) left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTextToolCalls } from '../../../../src/agent/model/text-tool-calls';
import { HeldText, TextCallReader } from '../../../../src/agent/loop/text-call-reader';
import { ThinkSplitter } from '../../../../src/agent/model/think-splitter';
import { ToolCallAccumulator } from '../../../../src/agent/model/tool-call-accumulator';

const toolNames = new Set(['read_file', 'list_files']);
const all = { toolNames, unmarked: true };
const READ = '{"path":"notes.txt"}';

const formats: [string, string, string][] = [
  ['hermes', '<tool_call>\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n</tool_call>', 'hermes'],
  ['hermes, two calls', '<tool_call>{"name": "read_file", "arguments": {"path": "notes.txt"}}</tool_call>\n<tool_call>{"name": "list_files", "arguments": {}}</tool_call>', 'hermes'],
  ['Llama 3.1 python_tag', '<|python_tag|>{"name": "read_file", "parameters": {"path": "notes.txt"}}<|eom_id|>', 'python-tag'],
  ['Mistral [TOOL_CALLS]', '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "notes.txt"}}]', 'mistral'],
  ['Mistral v11 [ARGS]', '[TOOL_CALLS]read_file[ARGS]{"path": "notes.txt"}', 'mistral'],
  ['function tag', '<function=read_file>{"path": "notes.txt"}</function>', 'function-tag'],
  ['function tag with parameters', '<function=read_file>\n<parameter=path>\nnotes.txt\n</parameter>\n</function>', 'function-tag'],
  ['bare JSON', '{"name": "read_file", "parameters": {"path": "notes.txt"}}', 'bare-json'],
  ['fenced json', '```json\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n```', 'fenced-json'],
  ['ReAct', 'Thought: I need it.\nAction: read_file\nAction Input: {"path": "notes.txt"}', 'react'],
];

for (const [name, text, format] of formats) {
  test(`text tool call, ${name}: read as a call`, () => {
    const parsed = parseTextToolCalls(text, all);
    assert.equal(parsed?.format, format);
    assert.equal(parsed.calls[0].name, 'read_file');
    assert.equal(parsed.calls[0].argumentsJson, READ);
  });
}

test('a marked call after a thought keeps the thought as the message', () => {
  const parsed = parseTextToolCalls('Let me look.\n<tool_call>{"name": "read_file", "arguments": {"path": "notes.txt"}}</tool_call>', { toolNames, unmarked: false });
  assert.equal(parsed?.prose, 'Let me look.');
});

const answers: [string, string][] = [
  ['JSON data that has a name', '{"name": "Alice", "age": 31}'],
  ['a call-shaped example inside an explanation', 'To read a file the model sends:\n```json\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n```\nThe host then runs it.'],
  ['bare JSON naming an unknown tool', '{"name": "send_email", "arguments": {"to": "x"}}'],
  ['a JSON object with extra keys', '{"name": "read_file", "arguments": {"path": "a"}, "description": "reads a file"}'],
  ['ReAct with an unknown action', 'Action: search_web\nAction Input: {"q": "x"}'],
  ['plain prose', 'The launch code is 4242.'],
];

for (const [name, text] of answers) {
  test(`not a tool call: ${name}`, () => {
    assert.equal(parseTextToolCalls(text, all), undefined);
  });
}

test('a marked call followed by prose is a call; the prose is kept as text', () => {
  const parsed = parseTextToolCalls('<tool_call>{"name": "read_file", "arguments": {"path": "a"}}</tool_call>\nThen I will summarise it.', { toolNames, unmarked: false });
  assert.equal(parsed?.calls[0].name, 'read_file');
  assert.equal(parsed?.after, 'Then I will summarise it.');
});

test('on a native-tools endpoint a JSON call counts only when it names an offered tool and its arguments validate', () => {
  const reader = new TextCallReader('auto', 'Summarise notes.txt');
  const mode = reader.modeFor(false);
  assert.deepEqual(mode, { marked: true, unmarked: true, validated: true });
  const checks = { toolNames, typeOf: () => undefined, validates: (_tool: string, args: string) => 'path' in JSON.parse(args) };
  assert.equal(reader.read('{"name": "read_file", "parameters": {"path": "notes.txt"}}', checks, mode)?.kind, 'calls');
  assert.equal(reader.read('{"name": "Alice", "age": 31}', checks, mode), undefined);
  assert.equal(reader.read('{"name": "read_file", "parameters": {"file": "notes.txt"}}', checks, mode)?.kind, 'unread');
});

test('a user who asks for a tool-call example gets it as the answer, not executed', () => {
  const checks = { toolNames, typeOf: () => undefined, validates: () => true };
  const reader = new TextCallReader('auto', 'Show me an example of a Hermes <tool_call> for read_file');
  const mode = reader.modeFor(false);
  assert.equal(reader.read('<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}</tool_call>', checks, mode), undefined);
  const json = new TextCallReader('on', 'Give me a JSON example of a read_file call');
  assert.equal(json.read('{"name": "read_file", "arguments": {"path": "a.txt"}}', checks, json.modeFor(false)), undefined);
});

test('setting off reads nothing; tools in the prompt always read marked calls', () => {
  const reader = new TextCallReader('off', 'What is in notes.txt?');
  assert.deepEqual(reader.modeFor(false), { marked: false, unmarked: false, validated: false });
  assert.deepEqual(reader.modeFor(true), { marked: true, unmarked: true, validated: false });
});

test('while a reply that begins like a call streams, its syntax is held back; an answer is shown as it comes', () => {
  const held = new HeldText({ marked: true, unmarked: false });
  let shown = '';
  for (const piece of ['<tool', '_call>\n{"name": "read_file",', ' "arguments": {}}', '</tool_call>']) shown += held.push(piece);
  assert.equal(shown, '');
  const prose = new HeldText({ marked: true, unmarked: false });
  let out = '';
  for (const piece of ['I will ', 'read it.\n', '<func', 'tion=read_file>{}</function>']) out += prose.push(piece);
  assert.equal(out, 'I will read it.\n');
  const answer = new HeldText({ marked: true, unmarked: true });
  assert.equal(answer.push('The code '), 'The code ');
  assert.equal(answer.push('is 4242.'), 'is 4242.');
  const json = new HeldText({ marked: true, unmarked: true });
  assert.equal(json.push('{"name": "x"'), '');
  assert.equal(json.release(), '{"name": "x"');
});

test('<think> split across deltas is reasoning; a later <think> is text', () => {
  const splitter = new ThinkSplitter();
  const pieces = ['<th', 'ink>I reason', ' here</th', 'ink>\n\nThe answer', ' mentions <think> tags.'].flatMap((d) => splitter.push(d));
  pieces.push(...splitter.flush());
  const reasoning = pieces.filter((p) => p.kind === 'reasoning').map((p) => p.text).join('');
  const text = pieces.filter((p) => p.kind === 'text').map((p) => p.text).join('');
  assert.equal(reasoning, 'I reason here');
  assert.equal(text, 'The answer mentions <think> tags.');
});

test('Gemini: two calls in one chunk with neither id nor index are two calls', () => {
  const calls = new ToolCallAccumulator();
  calls.add({ function: { name: 'read_file', arguments: READ }, type: 'function' });
  calls.add({ function: { name: 'list_files', arguments: '{}' }, type: 'function' });
  assert.deepEqual(calls.complete().map((c) => c.name), ['read_file', 'list_files']);
});

test('vLLM: a first fragment without arguments, then the arguments, make one call', () => {
  const calls = new ToolCallAccumulator();
  calls.add({ id: 'chatcmpl-tool-1', type: 'function', index: 0, function: { name: 'read_file' } });
  calls.add({ index: 0, function: { arguments: READ } });
  assert.deepEqual(calls.complete().map((c) => [c.id, c.name, c.args]), [['chatcmpl-tool-1', 'read_file', READ]]);
});
