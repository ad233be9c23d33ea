// Every text tool-call format llama.cpp's and vLLM's parsers read, from their own fixtures
// (test/support/tool-call-fixtures.ts names the file of each): read whole and streamed with the
// split at every position, with the tools in the prompt and with tools the server accepted; and
// the replies that only look like calls, which must stay answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTextCalls, type TextCallOptions } from '../../../../src/agent/model/text-tool-calls';
import { HeldText } from '../../../../src/agent/loop/text-call-reader';
import { CALL_FORMATS } from '../../../../src/agent/model/text-calls/call-formats';
import type { ParameterType } from '../../../../src/agent/model/text-calls/literal';
import { FIXTURE_TOOLS, FORMAT_FIXTURES, NEGATIVE_FIXTURES, type FormatFixture } from '../../../support/tool-call-fixtures';

const toolNames = new Set(Object.keys(FIXTURE_TOOLS));
const typeOf = (tool: string, parameter: string): ParameterType => {
  const type = FIXTURE_TOOLS[tool]?.[parameter];
  return type === undefined || type === 'any' ? undefined : type;
};

/** The fixture tools' schemas as a validator: declared keys only, of the declared types. */
function validates(tool: string, argumentsJson: string): boolean {
  const schema = FIXTURE_TOOLS[tool];
  const args = JSON.parse(argumentsJson) as Record<string, unknown>;
  return Object.entries(args).every(([key, value]) => {
    const type = schema?.[key];
    if (type === undefined) return false;
    if (type === 'any') return true;
    if (type === 'integer') return Number.isInteger(value);
    if (type === 'array') return Array.isArray(value);
    if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
    return typeof value === type;
  });
}

const promptMode: TextCallOptions = { toolNames, unmarked: true, typeOf };
const acceptedTools: TextCallOptions = { toolNames, unmarked: true, typeOf, validates };

function assertRead(fixture: FormatFixture, options: TextCallOptions) {
  const reading = readTextCalls(fixture.text, options);
  assert.equal(reading?.kind, 'calls', `${fixture.source}: ${JSON.stringify(reading)}`);
  assert.equal(reading.format, fixture.format);
  assert.deepEqual(
    reading.calls.map((c) => [c.name, JSON.parse(c.argumentsJson) as unknown]),
    fixture.calls.map(([name, args]) => [name, args]),
  );
  if (fixture.prose !== undefined) assert.equal(reading.prose, fixture.prose);
  if (fixture.after !== undefined) assert.equal(reading.after, fixture.after);
  return reading;
}

for (const fixture of FORMAT_FIXTURES) {
  test(`${fixture.format}: ${fixture.name} (${fixture.source}) — tools in the prompt`, () => {
    assertRead(fixture, promptMode);
  });

  test(`${fixture.format}: ${fixture.name} — the server accepted tools, the model wrote text`, () => {
    assertRead(fixture, acceptedTools);
  });

  test(`${fixture.format}: ${fixture.name} — streamed, split at every position, no call syntax is shown`, () => {
    const { start } = assertRead(fixture, promptMode);
    for (let split = 1; split < fixture.text.length; split++) {
      const held = new HeldText({ marked: true, unmarked: true });
      const shown = held.push(fixture.text.slice(0, split)) + held.push(fixture.text.slice(split));
      assert.ok(shown.length <= start, `split at ${split} showed ${JSON.stringify(shown)}`);
      assert.equal(shown, fixture.text.slice(0, shown.length));
    }
  });
}

test('every format in the table is covered by a reference fixture', () => {
  const covered = new Set(FORMAT_FIXTURES.map((f) => f.format));
  const variants = new Set(['qwen3-coder-xml', 'glm', 'command-r-plus']);
  for (const format of CALL_FORMATS) {
    if (format.id === 'gemma-tool-code' || format.id === 'react') continue; // their sources are not llama.cpp / vLLM fixtures; tested below
    assert.ok(covered.has(format.id), `no fixture for ${format.id}`);
  }
  for (const variant of variants) assert.ok(covered.has(variant as FormatFixture['format']), `no fixture for ${variant}`);
});

test('Gemma 3 tool_code block and a ReAct action are read (prompt conventions, no reference parser)', () => {
  const gemma = readTextCalls('```tool_code\nget_weather(city="London")\n```', promptMode);
  assert.deepEqual(gemma?.kind === 'calls' && [gemma.format, gemma.calls], ['gemma-tool-code', [{ name: 'get_weather', argumentsJson: '{"city":"London"}' }]]);
  const react = readTextCalls('Thought: I need the weather.\nAction: get_weather\nAction Input: {"city": "London"}', promptMode);
  assert.deepEqual(react?.kind === 'calls' && [react.format, react.prose, react.calls.length], ['react', 'I need the weather.', 1]);
});

for (const negative of NEGATIVE_FIXTURES) {
  test(`not a call, runs nothing: ${negative.name}`, () => {
    assert.equal(readTextCalls(negative.text, promptMode), undefined);
    assert.equal(readTextCalls(negative.text, acceptedTools), undefined);
  });
}

const unreadable: [string, string, string][] = [
  // vLLM test_deepseekv31_tool_parser.py: generation cut off inside the block.
  ['DeepSeek block cut off', 'Let me look that up.<｜tool▁calls▁begin｜>get_weather', 'deepseek'],
  // vLLM test_deepseekv31_tool_parser.py: start token present, call markers missing.
  ['DeepSeek block without call markers', '<｜tool▁calls▁begin｜>foo<｜tool▁sep｜>{"x":1}<｜tool▁calls▁end｜>', 'deepseek'],
  // vLLM test_glm4_moe_tool_parser.py: incomplete tool call (no closing tag).
  ['GLM call without its closing tag', '<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Beijing</arg_value>', 'hermes'],
  // vLLM test_internlm2_tool_parser.py malformed_input_outputs.
  ['InternLM2 body that is not JSON', '<|action_start|><|plugin|>not json<|action_end|>', 'internlm2'],
  // vLLM test_kimi_k2_tool_parser.py: an id without :N.
  ['Kimi-K2 malformed call id', '<|tool_calls_section_begin|><|tool_call_begin|>functions.invalid.0 <|tool_call_argument_begin|>{"city": "Beijing"}<|tool_call_end|><|tool_calls_section_end|>', 'kimi-k2'],
  // vLLM test_longcat_tool_parser.py malformed_input_outputs.
  ['LongCat body that is not JSON', 'Some text with <longcat_tool_call>invalid json', 'longcat'],
];

for (const [name, text, format] of unreadable) {
  test(`an unreadable call is not an answer: ${name}`, () => {
    const reading = readTextCalls(text, promptMode);
    assert.equal(reading?.kind, 'unread');
    assert.equal(reading.format, format);
  });
}

test('the server accepted tools: a call whose arguments do not fit the schema is unread, not run and not the answer', () => {
  const reading = readTextCalls('<tool_call>\n{"name": "special_function", "arguments": {"arg1": "one"}}\n</tool_call>', acceptedTools);
  assert.deepEqual(reading, { kind: 'unread', format: 'hermes', tool: 'special_function', reason: "its arguments for special_function do not fit the tool's schema" });
  assert.equal(readTextCalls('{"name": "special_function", "arguments": {"arg1": "one"}}', acceptedTools)?.kind, 'unread');
});

test('a call in a special token to a tool that is not offered still counts (the model is then told it does not exist)', () => {
  const reading = readTextCalls('[TOOL_CALLS]launch_rocket[ARGS]{"to": "moon"}', promptMode);
  assert.equal(reading?.kind === 'calls' && reading.calls[0].name, 'launch_rocket');
});

test('streaming: a possible opener at a delta end is held only until it is known, never longer', () => {
  const held = new HeldText({ marked: true, unmarked: true });
  assert.equal(held.push('Results are in <|'), 'Results are in ');
  assert.equal(held.push('endoftext|> and more'), '<|endoftext|> and more');
  assert.equal(held.push(' [TOOL'), ' ');
  assert.equal(held.push('S] list.'), '[TOOLS] list.');
});

test('streaming: a reply that begins like a bare call is held whole; one that begins with a link or a footnote is shown at once', () => {
  const call = new HeldText({ marked: true, unmarked: true });
  assert.equal(call.push('[get_weat'), '');
  assert.equal(call.push('her(city="Paris")]'), '');
  const link = new HeldText({ marked: true, unmarked: true });
  assert.equal(link.push('[the'), '');
  assert.equal(link.push(' docs](https://example.com) say so.'), '[the docs](https://example.com) say so.');
  const note = new HeldText({ marked: true, unmarked: true });
  assert.equal(note.push('[1] See below.'), '[1] See below.');
});
