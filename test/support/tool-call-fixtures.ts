/**
 * Tool calls as models write them into their text, carried over as data from the reference
 * parsers' own test fixtures: llama.cpp `tests/test-chat.cpp` (the template tests, whose
 * tools are `special_function` {arg1: integer} and friends) and vLLM `tests/tool_parsers/`
 * (one file per parser). Each case names its source and what those projects expect from it.
 * The parser is ours (src/agent/model/text-calls/); only the inputs and expectations are theirs.
 */
import type { TextCallFormat } from '../../src/agent/events';

/** A parameter type, as the fixture's tool declares it. */
export type FixtureParameter = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'any';

/** The tools the fixtures call, with the parameter types their sources declare. */
export const FIXTURE_TOOLS: Readonly<Record<string, Readonly<Record<string, FixtureParameter>>>> = {
  // llama.cpp tests/test-chat.cpp
  special_function: { arg1: 'integer' },
  special_function_with_opt: { arg1: 'integer', arg2: 'integer' },
  python: { code: 'string' },
  code_interpreter: { code: 'string' },
  html: { markup: 'string' },
  todo_list: { todos: 'array' },
  edit: { filename: 'string', oldString: 'string', newString: 'string', replaceAll: 'boolean' },
  get_time: { city: 'string', timezone: 'string' },
  magic: { name: 'string', ref: 'string' },
  empty_args: {},
  execute_command: { command: 'string', cwd: 'string', timeout: 'integer' },
  // vLLM tests/tool_parsers
  get_weather: { city: 'string', unit: 'string', location: 'string', metric: 'string', date: 'string', days: 'any' },
  get_current_weather: { city: 'string', state: 'string', unit: 'string' },
  search_hotels: { location: 'string', check_in: 'string' },
  get_current_time: {},
  refresh: {},
  foo: { x: 'any', query: 'string' },
  bar: { y: 'any', x: 'any' },
  get_news: { topic: 'string' },
  send_email: { to: 'string', subject: 'string' },
  search_web: { query: 'string' },
  toggle: { enabled: 'boolean', count: 'integer' },
  get_candidate_status: { candidate_id: 'string' },
  register_user: { name: 'string', age: 'integer', address: 'object', role: 'any', passed_test: 'boolean', aliases: 'array' },
  do_something_cool: { additional_data: 'object', steps: 'array' },
  label: { tags: 'array' },
  set_date: { month: 'integer', day: 'integer' },
  bash: { command: 'string' },
  exec: { command: 'string' },
  manage_user_memory: { action: 'string', id: 'string', content: 'object' },
  edit_file: { old_string: 'string', indent: 'integer', enabled: 'boolean' },
  searchTool: { query: 'string', limit: 'integer' },
  getOpenIncidentsTool: {},
  complex_function: { nested: 'object', list: 'array' },
  get_user_location: { location: 'string' },
  // Offered so that the examples below that name it are answers by their structure alone.
  read_file: { path: 'string' },
};

export interface FormatFixture {
  /** The test's own name for the case (theirs where they gave one). */
  readonly name: string;
  /** The reference file the input and expectation come from. */
  readonly source: string;
  readonly format: TextCallFormat;
  /** Exactly what the model wrote. */
  readonly text: string;
  /** The calls the reference parser reads from it: [tool, arguments]. */
  readonly calls: readonly (readonly [string, Record<string, unknown>])[];
  /** Text before the call (the thought), when the reference names it. */
  readonly prose?: string;
  /** Text after the call, when the reference keeps it. */
  readonly after?: string;
}

const LLAMA = 'llama.cpp tests/test-chat.cpp';
const vllm = (parser: string) => `vLLM tests/tool_parsers/test_${parser}_tool_parser.py`;
const ARG1 = { arg1: 1 };
const ARGS12 = { arg1: 1, arg2: 2 };

// vLLM test_kimi_k2_tool_parser.py builds its outputs from these pieces.
const KIMI = {
  section: (...tools: string[]) => `<|tool_calls_section_begin|>${tools.join('')}<|tool_calls_section_end|>`,
  tool: (id: string, args: string) => `<|tool_call_begin|>${id} <|tool_call_argument_begin|>${args}<|tool_call_end|>`,
};
// vLLM test_deepseekv32_tool_parser.py's build_tool_call.
const dsml = (name: string, params: Record<string, string>) =>
  `<｜DSML｜function_calls>\n<｜DSML｜invoke name="${name}">\n${Object.entries(params)
    .map(([k, v]) => `<｜DSML｜parameter name="${k}" string="true">${v}</｜DSML｜parameter>`)
    .join('')}\n</｜DSML｜invoke>\n</｜DSML｜function_calls>`;
// vLLM test_gigachat3_tool_parser.py's tokens and payloads.
const GIGA_SIMPLE = JSON.stringify({ name: 'manage_user_memory', arguments: { action: 'create', id: 'preferences' } });
const GIGA3 = (payload: string) => `<|message_sep|>\n\nfunction call<|role_sep|>\n${payload}`;
// vLLM test_lfm2_tool_parser.py / test_olmo3_tool_parser.py shared outputs.
const MORE_TYPES = "register_user(name='John Doe', age=37, address={'city': 'San Francisco', 'state': 'CA'}, role=None, passed_test=True, aliases=['John', 'Johnny'])";
const MORE_TYPES_ARGS = { name: 'John Doe', age: 37, address: { city: 'San Francisco', state: 'CA' }, role: null, passed_test: true, aliases: ['John', 'Johnny'] };

export const FORMAT_FIXTURES: readonly FormatFixture[] = [
  // Hermes 2 Pro / 3, Qwen 2.5, MiMo: <tool_call> JSON
  { name: 'Hermes 2 Pro call', source: LLAMA, format: 'hermes', text: '<tool_call>\n{"name": "special_function", "arguments": {"arg1": 1}}\n</tool_call>', calls: [['special_function', ARG1]] },
  {
    name: 'Hermes 2 Pro call after content',
    source: LLAMA,
    format: 'hermes',
    text: 'Hello, world!\nWhat\'s up?<tool_call>\n{"name": "special_function", "arguments": {"arg1": 1}}\n</tool_call>',
    calls: [['special_function', ARG1]],
    prose: "Hello, world!\nWhat's up?",
  },
  {
    name: 'xLAM list inside <tool_call>',
    source: vllm('xlam'),
    format: 'hermes',
    text: 'I\'ll help you check the weather.<tool_call>[{"name": "get_current_weather", "arguments": {"city": "Dallas", "state": "TX", "unit": "fahrenheit"}}]</tool_call>',
    calls: [['get_current_weather', { city: 'Dallas', state: 'TX', unit: 'fahrenheit' }]],
    prose: "I'll help you check the weather.",
  },
  // Hermes 2 Pro's alternates, as llama.cpp's Hermes parser reads them (tests/test-chat.cpp)
  { name: 'Hermes 2 Pro <function name="…">', source: LLAMA, format: 'function-tag', text: '<function name="special_function">\n{"arg1": 1}\n</function>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <tool>', source: LLAMA, format: 'hermes', text: '<tool>\n  {"name": "special_function", "arguments": {"arg1": 1}}\n</tool>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <tools>', source: LLAMA, format: 'hermes', text: '<tools>\n  {"name": "special_function", "arguments": {"arg1": 1}}\n</tools>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <response>', source: LLAMA, format: 'hermes', text: '<response>\n  {"name": "special_function", "arguments": {"arg1": 1}}\n</response>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <json>', source: LLAMA, format: 'hermes', text: '<json>\n  {"name": "special_function", "arguments": {"arg1": 1}}\n</json>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <xml> with multi-line JSON', source: LLAMA, format: 'hermes', text: '<xml>\n  {\n    "name": "special_function", "arguments": {"arg1": 1}\n  }\n</xml>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro <JSON>', source: LLAMA, format: 'hermes', text: '<JSON>\n  {"name": "special_function", "arguments": {"arg1": 1}}\n</JSON>', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro plain fenced block', source: LLAMA, format: 'fenced-json', text: '```\n{"name": "special_function", "arguments": {"arg1": 1}}\n```', calls: [['special_function', ARG1]] },
  { name: 'Hermes 2 Pro ```json block, indented', source: LLAMA, format: 'fenced-json', text: '```json\n  {"name": "special_function", "arguments": {"arg1": 1}}\n```', calls: [['special_function', ARG1]] },
  {
    name: 'Hermes 2 Pro <function_call> inside a ```json block',
    source: LLAMA,
    format: 'granite-20b-fc',
    text: '```json\n\n                    <function_call> {"name": "special_function", "arguments": {"arg1": 1}} \n                    </function_call> \n``` ',
    calls: [['special_function', ARG1]],
  },
  { name: 'Hermes 2 Pro bare JSON', source: LLAMA, format: 'bare-json', text: '{\n  "name": "special_function", "arguments": {"arg1": 1}}', calls: [['special_function', ARG1]] },
  {
    name: 'Hermes 2 Pro two <function=…> calls',
    source: LLAMA,
    format: 'function-tag',
    text: '<function=special_function>{"arg1": 1}</function>\n<function=python>{"code":"print(\'hello\')"}</function>',
    calls: [
      ['special_function', ARG1],
      ['python', { code: "print('hello')" }],
    ],
  },
  {
    name: 'functionary v3.2 text, then the call',
    source: LLAMA,
    format: 'functionary-v3.2',
    text: 'all\nHello, world!\nnono\nWhat\'s up?>>>special_function\n{"arg1": 1}\n',
    calls: [['special_function', ARG1]],
    prose: "Hello, world!\nnono\nWhat's up?",
  },
  {
    name: 'DeepSeek R1 without the call-begin token',
    source: LLAMA,
    format: 'deepseek',
    text: '<｜tool▁calls｜>function<｜tool▁sep｜>special_function\n```json\n{"arg1": 1}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    calls: [['special_function', ARG1]],
  },
  // Qwen3-Coder / Qwen3.5 / Nemotron 3 / Step-3.5: <tool_call><function=…><parameter=…>
  {
    name: 'Qwen3-Coder call',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: '<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n</function>\n</tool_call>',
    calls: [['special_function', ARG1]],
  },
  {
    name: 'Qwen3-Coder parallel calls',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text:
      '<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n</function>\n</tool_call>\n' +
      '<tool_call>\n<function=special_function_with_opt>\n<parameter=arg1>\n1\n</parameter>\n<parameter=arg2>\n2\n</parameter>\n</function>\n</tool_call>',
    calls: [
      ['special_function', ARG1],
      ['special_function_with_opt', ARGS12],
    ],
  },
  {
    name: 'Qwen3-Coder multiline code',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: '<tool_call>\n<function=python>\n<parameter=code>\ndef hello():\n    print("Hello, world!")\n\nhello()\n</parameter>\n</function>\n</tool_call>',
    calls: [['python', { code: 'def hello():\n    print("Hello, world!")\n\nhello()' }]],
  },
  {
    name: 'Qwen3-Coder HTML value',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: '<tool_call>\n<function=html>\n<parameter=markup>\n<html>\n <head>\n  <title>Hello!</title>\n </head>\n</html>\n</parameter>\n</function>\n</tool_call>',
    calls: [['html', { markup: '<html>\n <head>\n  <title>Hello!</title>\n </head>\n</html>' }]],
  },
  {
    name: 'Qwen3-Coder array value',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: '<tool_call>\n<function=todo_list>\n<parameter=todos>\n[{"item": "Check stuff", "selected": false}, {"item": "Prepare stuff", "selected": true}]\n</parameter>\n</function>\n</tool_call>',
    calls: [['todo_list', { todos: [{ item: 'Check stuff', selected: false }, { item: 'Prepare stuff', selected: true }] }]],
  },
  {
    name: 'Qwen3.5 call after reasoning',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: 'The user wants flashcards about California.\n</think>\n\n<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n</function>\n</tool_call>',
    calls: [['special_function', ARG1]],
    prose: 'The user wants flashcards about California.',
  },
  {
    name: 'Nemotron 3 Nano call after reasoning',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: "I'm\nthinking\n</think>\n<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n</function>\n</tool_call>",
    calls: [['special_function', ARG1]],
    prose: "I'm\nthinking",
  },
  {
    name: 'StepFun 3.5: a numeric-looking string stays a string',
    source: LLAMA,
    format: 'qwen3-coder-xml',
    text: 'Let me call the magic tool\n</think>\n<tool_call>\n<function=magic>\n<parameter=name>\nfooBar\n</parameter>\n<parameter=ref>\n5123123\n</parameter>\n</function>\n</tool_call>',
    calls: [['magic', { name: 'fooBar', ref: '5123123' }]],
    prose: 'Let me call the magic tool',
  },
  // GLM-4.5 / 4.6 / 4.7: <tool_call>name<arg_key>…
  { name: 'GLM-4.6 call', source: LLAMA, format: 'glm', text: '<tool_call>special_function\n<arg_key>arg1</arg_key>\n<arg_value>1</arg_value>\n</tool_call>', calls: [['special_function', ARG1]] },
  {
    name: 'GLM-4.7-Flash parallel calls',
    source: LLAMA,
    format: 'glm',
    text:
      '<tool_call>special_function<arg_key>arg1</arg_key><arg_value>1</arg_value></tool_call>' +
      '<tool_call>special_function_with_opt<arg_key>arg1</arg_key><arg_value>1</arg_value><arg_key>arg2</arg_key><arg_value>2</arg_value></tool_call>',
    calls: [
      ['special_function', ARG1],
      ['special_function_with_opt', ARGS12],
    ],
  },
  {
    name: 'GLM-4.5 call after content (tool_call_with_content_before)',
    source: vllm('glm4_moe'),
    format: 'glm',
    text: "I'll help you check the weather. <tool_call>get_current_weather\n    <arg_key>city</arg_key>\n    <arg_value>Seattle</arg_value>\n    <arg_key>state</arg_key>\n    <arg_value>WA</arg_value>\n    <arg_key>unit</arg_key>\n    <arg_value>celsius</arg_value>\n    </tool_call>",
    calls: [['get_current_weather', { city: 'Seattle', state: 'WA', unit: 'celsius' }]],
    prose: "I'll help you check the weather.",
  },
  {
    name: 'GLM-4.5 two calls with prose between (mixed_content)',
    source: vllm('glm4_moe'),
    format: 'glm',
    text:
      'I will help you get the weather info.\n\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Beijing</arg_value>\n<arg_key>date</arg_key>\n<arg_value>2025-08-01</arg_value>\n</tool_call>\n\n' +
      'meaningwhile, I will also check the weather in Shanghai.\n\n<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Shanghai</arg_value>\n<arg_key>date</arg_key>\n<arg_value>2025-08-01</arg_value>\n</tool_call>',
    calls: [
      ['get_weather', { city: 'Beijing', date: '2025-08-01' }],
      ['get_weather', { city: 'Shanghai', date: '2025-08-01' }],
    ],
    prose: 'I will help you get the weather info.',
  },
  // Seed-OSS
  {
    name: 'Seed-OSS call',
    source: LLAMA,
    format: 'seed-oss',
    text: '<seed:tool_call>\n<function=special_function>\n<parameter=arg1>1</parameter>\n</function>\n</seed:tool_call>',
    calls: [['special_function', ARG1]],
  },
  {
    name: 'Seed-OSS call with quotes inside values',
    source: LLAMA,
    format: 'seed-oss',
    text:
      '<seed:tool_call>\n<function=edit>\n<parameter=filename>\nfoo.cpp\n</parameter>\n<parameter=oldString>def foo(arg = "14"):\n    return arg + "bar"\n\n</parameter>\n' +
      '<parameter=newString>def foo(arg = "15"):\n    pass\n\n</parameter>\n</function>\n</seed:tool_call>',
    calls: [['edit', { filename: 'foo.cpp', oldString: 'def foo(arg = "14"):\n    return arg + "bar"\n', newString: 'def foo(arg = "15"):\n    pass\n' }]],
  },
  // LongCat
  {
    name: 'LongCat parallel calls',
    source: vllm('longcat'),
    format: 'longcat',
    text: '<longcat_tool_call>{"name": "get_weather", "arguments": {"city": "Tokyo"}}</longcat_tool_call>\n<longcat_tool_call>{"name": "get_time", "arguments": {"timezone": "Asia/Tokyo"}}</longcat_tool_call>',
    calls: [
      ['get_weather', { city: 'Tokyo' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ],
  },
  {
    name: 'LongCat call with text around it (surrounding_text)',
    source: vllm('longcat'),
    format: 'longcat',
    text: 'Let me check the weather for you.\n<longcat_tool_call>{"name": "get_weather", "arguments": {"city": "Tokyo"}}</longcat_tool_call>\nHere is the result.',
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'Let me check the weather for you.',
    after: 'Here is the result.',
  },
  // functionary v3.1 / Llama 3.1 custom tools
  { name: 'functionary v3.1 call', source: LLAMA, format: 'function-tag', text: '<function=special_function>{"arg1": 1}</function>', calls: [['special_function', ARG1]] },
  // Jamba / Hunyuan / MiniMax-M1 / Apriel: <tool_calls>
  { name: 'Apriel 1.5 call', source: LLAMA, format: 'tool-calls-tag', text: '<tool_calls>[{"name": "special_function", "arguments": {"arg1": 1}}]</tool_calls>', calls: [['special_function', ARG1]] },
  {
    name: 'MiniMax-M1 two calls on separate lines',
    source: vllm('minimax'),
    format: 'tool-calls-tag',
    text: '<tool_calls>\n{"name": "get_current_weather", "arguments": {"city": "Dallas", "state": "TX", "unit": "fahrenheit"}}\n{"name": "get_current_weather", "arguments": {"city": "Orlando", "state": "FL", "unit": "fahrenheit"}}\n</tool_calls>',
    calls: [
      ['get_current_weather', { city: 'Dallas', state: 'TX', unit: 'fahrenheit' }],
      ['get_current_weather', { city: 'Orlando', state: 'FL', unit: 'fahrenheit' }],
    ],
  },
  {
    name: 'MiniMax-M1 call after content',
    source: vllm('minimax'),
    format: 'tool-calls-tag',
    text: 'I\'ll help you check the weather. <tool_calls>\n{"name": "get_current_weather", "arguments": {"city": "Seattle", "state": "WA", "unit": "celsius"}}\n</tool_calls>',
    calls: [['get_current_weather', { city: 'Seattle', state: 'WA', unit: 'celsius' }]],
    prose: "I'll help you check the weather.",
  },
  // Nemotron Nano v2
  { name: 'Nemotron Nano v2 call', source: LLAMA, format: 'nemotron', text: '<TOOLCALL>[{"name": "special_function", "arguments": {"arg1": 1}}]</TOOLCALL><SPECIAL_12>', calls: [['special_function', ARG1]] },
  // Granite 20B FC
  {
    name: 'Granite 20B FC parallel calls',
    source: vllm('granite_20b_fc'),
    format: 'granite-20b-fc',
    text: '<function_call> {"name": "get_weather", "arguments": {"city": "Tokyo"}}\n<function_call> {"name": "get_time", "arguments": {"timezone": "Asia/Tokyo"}}',
    calls: [
      ['get_weather', { city: 'Tokyo' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ],
  },
  {
    name: 'Granite 20B FC call after text',
    source: vllm('granite_20b_fc'),
    format: 'granite-20b-fc',
    text: 'Let me check the weather for you.\n<function_call> {"name": "get_weather", "arguments": {"city": "Tokyo"}}',
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'Let me check the weather for you.',
  },
  // Granite 3.0 / 3.1
  {
    name: 'Granite parallel calls',
    source: vllm('granite'),
    format: 'granite',
    text: '<|tool_call|> [\n  {"name": "get_weather", "arguments": {"city": "Tokyo"}},\n  {"name": "get_time", "arguments": {"timezone": "Asia/Tokyo"}}\n]',
    calls: [
      ['get_weather', { city: 'Tokyo' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ],
  },
  {
    name: 'Granite text around the call',
    source: vllm('granite'),
    format: 'granite',
    text: 'Let me check the weather for you.\n<|tool_call|> [{"name": "get_weather", "arguments": {"city": "Tokyo"}}]\nI\'ll get that information.',
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'Let me check the weather for you.',
    after: "I'll get that information.",
  },
  {
    name: 'Granite arguments before the name',
    source: vllm('granite'),
    format: 'granite',
    text: '<|tool_call|> [{"arguments": {"city": "Tokyo"}, "name": "get_weather"}, {"arguments": {"timezone": "Asia/Tokyo"}, "name": "get_time"}]',
    calls: [
      ['get_weather', { city: 'Tokyo' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ],
  },
  {
    name: 'Granite 3.1 <tool_call> without a closing tag',
    source: vllm('granite'),
    format: 'hermes',
    text: '<tool_call> [{"name": "get_weather", "arguments": {"city": "Tokyo"}}]',
    calls: [['get_weather', { city: 'Tokyo' }]],
  },
  // InternLM2
  {
    name: 'InternLM2 call',
    source: vllm('internlm2'),
    format: 'internlm2',
    text: '<|action_start|><|plugin|>{"name": "get_weather", "parameters": {"city": "Tokyo"}}<|action_end|>',
    calls: [['get_weather', { city: 'Tokyo' }]],
  },
  {
    name: 'InternLM2 call after text',
    source: vllm('internlm2'),
    format: 'internlm2',
    text: 'Let me check the weather for you. <|action_start|><|plugin|>{"name": "get_weather", "parameters": {"city": "Tokyo"}}<|action_end|>',
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'Let me check the weather for you.',
  },
  // MiniMax-M2
  {
    name: 'MiniMax-M2 call',
    source: LLAMA,
    format: 'minimax-m2',
    text: '<minimax:tool_call>\n<invoke name="special_function">\n<parameter name="arg1">1</parameter>\n</invoke>\n</minimax:tool_call>',
    calls: [['special_function', ARG1]],
  },
  {
    name: 'MiniMax-M2 two invokes',
    source: vllm('minimax_m2'),
    format: 'minimax-m2',
    text: '<minimax:tool_call><invoke name="search_web"><parameter name="query">OpenAI</parameter></invoke><invoke name="search_web"><parameter name="query">Gemini</parameter></invoke></minimax:tool_call>',
    calls: [
      ['search_web', { query: 'OpenAI' }],
      ['search_web', { query: 'Gemini' }],
    ],
  },
  {
    name: 'MiniMax-M2 call after content; untyped values stay text',
    source: vllm('minimax_m2'),
    format: 'minimax-m2',
    text: 'Let me check. <minimax:tool_call><invoke name="get_weather"><parameter name="city">Seattle</parameter><parameter name="days">5</parameter></invoke></minimax:tool_call>',
    calls: [['get_weather', { city: 'Seattle', days: '5' }]],
    prose: 'Let me check.',
  },
  // DeepSeek V3.2 DSML
  {
    name: 'DeepSeek V3.2 call with params',
    source: vllm('deepseekv32'),
    format: 'deepseek-dsml',
    text: dsml('get_weather', { location: 'SF', date: '2024-01-16' }),
    calls: [['get_weather', { location: 'SF', date: '2024-01-16' }]],
  },
  {
    name: 'DeepSeek V3.2 call without params',
    source: vllm('deepseekv32'),
    format: 'deepseek-dsml',
    text: '<｜DSML｜function_calls>\n<｜DSML｜invoke name="get_time">\n</｜DSML｜invoke>\n</｜DSML｜function_calls>',
    calls: [['get_time', {}]],
  },
  {
    name: 'DeepSeek V3.2 typed values (string="false")',
    source: vllm('deepseekv32'),
    format: 'deepseek-dsml',
    text:
      '<｜DSML｜function_calls>\n<｜DSML｜invoke name="toggle">\n<｜DSML｜parameter name="enabled" string="false">true</｜DSML｜parameter>\n' +
      '<｜DSML｜parameter name="count" string="false">42</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜function_calls>',
    calls: [['toggle', { enabled: true, count: 42 }]],
  },
  {
    name: 'DeepSeek V3.2 call after content',
    source: vllm('deepseekv32'),
    format: 'deepseek-dsml',
    text: 'Sure, let me check! ' + dsml('get_weather', { location: 'NYC' }),
    calls: [['get_weather', { location: 'NYC' }]],
    prose: 'Sure, let me check!',
  },
  // DeepSeek V3 / R1 / V3.1, Step-3
  {
    name: 'DeepSeek V3 call',
    source: vllm('deepseekv3'),
    format: 'deepseek',
    text: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Tokyo", "unit": "celsius"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    calls: [['get_weather', { city: 'Tokyo', unit: 'celsius' }]],
  },
  {
    name: 'DeepSeek V3 parallel calls',
    source: vllm('deepseekv3'),
    format: 'deepseek',
    text:
      '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{"city": "Tokyo", "unit": "celsius"}\n```<｜tool▁call▁end｜>' +
      '<｜tool▁call▁begin｜>function<｜tool▁sep｜>search_hotels\n```json\n{"location": "Tokyo", "check_in": "2025-01-15"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    calls: [
      ['get_weather', { city: 'Tokyo', unit: 'celsius' }],
      ['search_hotels', { location: 'Tokyo', check_in: '2025-01-15' }],
    ],
  },
  {
    name: 'DeepSeek R1 call (fence closed on the JSON line)',
    source: LLAMA,
    format: 'deepseek',
    text: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>special_function\n```json\n{"arg1": 1}```<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    calls: [['special_function', ARG1]],
  },
  {
    name: 'DeepSeek V3.1 call',
    source: LLAMA,
    format: 'deepseek',
    text: '<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_time<｜tool▁sep｜>{"city": "XYZCITY"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>',
    calls: [['get_time', { city: 'XYZCITY' }]],
  },
  {
    name: 'DeepSeek V3.1 two calls with text before and after',
    source: vllm('deepseekv31'),
    format: 'deepseek',
    text: 'some prefix text<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>foo<｜tool▁sep｜>{"x":1}<｜tool▁call▁end｜><｜tool▁call▁begin｜>bar<｜tool▁sep｜>{"y":2}<｜tool▁call▁end｜><｜tool▁calls▁end｜> some suffix text',
    calls: [
      ['foo', { x: 1 }],
      ['bar', { y: 2 }],
    ],
    prose: 'some prefix text',
    after: 'some suffix text',
  },
  {
    name: 'Step-3 call',
    source: vllm('step3'),
    format: 'deepseek',
    text: '<｜tool_calls_begin｜><｜tool_call_begin｜><steptml:invoke name="get_weather"><steptml:parameter name="city">Tokyo</steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_calls_end｜>',
    calls: [['get_weather', { city: 'Tokyo' }]],
  },
  {
    name: 'Step-3 parallel calls',
    source: vllm('step3'),
    format: 'deepseek',
    text:
      '<｜tool_calls_begin｜><｜tool_call_begin｜><steptml:invoke name="get_weather"><steptml:parameter name="city">Tokyo</steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_sep｜>' +
      '<｜tool_call_begin｜><steptml:invoke name="get_time"><steptml:parameter name="timezone">Asia/Tokyo</steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_calls_end｜>',
    calls: [
      ['get_weather', { city: 'Tokyo' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ],
  },
  {
    name: 'Step-3 text around the call',
    source: vllm('step3'),
    format: 'deepseek',
    text:
      'Let me check the weather for you.\n\n<｜tool_calls_begin｜><｜tool_call_begin｜><steptml:invoke name="get_weather"><steptml:parameter name="city">Tokyo</steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_calls_end｜>\n\n' +
      "I'll get that information.",
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'Let me check the weather for you.',
    after: "I'll get that information.",
  },
  {
    name: 'Step-3 whitespace in a string value is kept',
    source: vllm('step3'),
    format: 'deepseek',
    text:
      '<｜tool_calls_begin｜><｜tool_call_begin｜>function<｜tool_sep｜>edit_file\n<steptml:invoke name="edit_file"><steptml:parameter name="old_string">    if x:</steptml:parameter>' +
      '<steptml:parameter name="indent"> 4 </steptml:parameter><steptml:parameter name="enabled"> true </steptml:parameter></steptml:invoke><｜tool_call_end｜><｜tool_calls_end｜>',
    calls: [['edit_file', { old_string: '    if x:', indent: 4, enabled: true }]],
  },
  // Kimi-K2
  {
    name: 'Kimi-K2 call',
    source: LLAMA,
    format: 'kimi-k2',
    text: '<|tool_calls_section_begin|><|tool_call_begin|>functions.special_function:0<|tool_call_argument_begin|>{"arg1": 1}<|tool_call_end|><|tool_calls_section_end|>',
    calls: [['special_function', ARG1]],
  },
  {
    name: 'Kimi-K2 three calls',
    source: LLAMA,
    format: 'kimi-k2',
    text:
      '<|tool_calls_section_begin|><|tool_call_begin|>functions.special_function:0<|tool_call_argument_begin|>{"arg1": 1}<|tool_call_end|>' +
      '<|tool_call_begin|>functions.python:1<|tool_call_argument_begin|>{"code": "print(1)"}<|tool_call_end|>' +
      '<|tool_call_begin|>functions.html:2<|tool_call_argument_begin|>{"markup": "<p>test</p>"}<|tool_call_end|><|tool_calls_section_end|>',
    calls: [
      ['special_function', ARG1],
      ['python', { code: 'print(1)' }],
      ['html', { markup: '<p>test</p>' }],
    ],
  },
  {
    name: 'Kimi-K2 call without section markers',
    source: LLAMA,
    format: 'kimi-k2',
    text: '<|tool_call_begin|>functions.execute_command:0<|tool_call_argument_begin|>{"command": "ls -lah", "cwd": "/home/jarvis/development/exllamav3", "timeout": 10}',
    calls: [['execute_command', { command: 'ls -lah', cwd: '/home/jarvis/development/exllamav3', timeout: 10 }]],
  },
  {
    name: 'Kimi-K2 parallel calls after content',
    source: vllm('kimi_k2'),
    format: 'kimi-k2',
    text: 'Compare weather. ' + KIMI.section(KIMI.tool('functions.get_weather:0', '{"city": "Beijing"}'), KIMI.tool('functions.get_weather:1', '{"city": "Shanghai"}')),
    calls: [
      ['get_weather', { city: 'Beijing' }],
      ['get_weather', { city: 'Shanghai' }],
    ],
    prose: 'Compare weather.',
  },
  {
    name: 'Kimi-K2 id without the functions. prefix',
    source: vllm('kimi_k2'),
    format: 'kimi-k2',
    text: 'No prefix. ' + KIMI.section(KIMI.tool('get_weather:0', '{"city": "Tokyo"}')),
    calls: [['get_weather', { city: 'Tokyo' }]],
    prose: 'No prefix.',
  },
  // gpt-oss Harmony
  { name: 'gpt-oss recipient in the role header', source: LLAMA, format: 'harmony', text: ' to=functions.special_function<|channel|>analysis<|message|>{"arg1": 1}', calls: [['special_function', ARG1]] },
  { name: 'gpt-oss recipient in the channel header', source: LLAMA, format: 'harmony', text: '<|channel|>analysis to=functions.special_function<|message|>{"arg1": 1}', calls: [['special_function', ARG1]] },
  {
    name: 'gpt-oss with <|constrain|>json',
    source: LLAMA,
    format: 'harmony',
    text: ' to=functions.special_function<|channel|>analysis <|constrain|>json<|message|>{"arg1": 1}',
    calls: [['special_function', ARG1]],
  },
  { name: 'gpt-oss call on the commentary channel', source: LLAMA, format: 'harmony', text: '<|channel|>commentary to=functions.special_function<|message|>{"arg1": 1}', calls: [['special_function', ARG1]] },
  {
    name: 'gpt-oss reasoning, then the call',
    source: LLAMA,
    format: 'harmony',
    text: "<|channel|>analysis<|message|>I'm\nthinking<|end|>\n<|start|>assistant to=functions.special_function<|channel|>analysis<|message|>{\"arg1\": 1}",
    calls: [['special_function', ARG1]],
    prose: "I'm\nthinking",
  },
  {
    name: 'gpt-oss call after an empty final channel',
    source: LLAMA,
    format: 'harmony',
    text:
      '<|channel|>final<|message|><|end|><|start|>assistant<|channel|>analysis<|message|>Thinking about edit...<|end|>' +
      '<|start|>assistant<|channel|>commentary to=functions.edit <|constrain|>json<|message|>{"oldString": "if (part < railCount - 1) {", "newString": "if (part < 4) {", "replaceAll": false}',
    calls: [['edit', { oldString: 'if (part < railCount - 1) {', newString: 'if (part < 4) {', replaceAll: false }]],
    prose: 'Thinking about edit...',
  },
  {
    name: 'gpt-oss parallel calls',
    source: LLAMA,
    format: 'harmony',
    text: ' to=functions.special_function<|channel|>analysis<|message|>{"arg1": 1}\n<|start|>assistant to=functions.special_function_with_opt<|channel|>analysis<|message|>{"arg1": 1, "arg2": 2}',
    calls: [
      ['special_function', ARG1],
      ['special_function_with_opt', ARGS12],
    ],
  },
  // Llama 3.1 / 3.3
  {
    name: 'Llama 3.1 built-in python tool',
    source: LLAMA,
    format: 'python-tag',
    text: '<|python_tag|>python.call(code="print(\'hey\')")',
    calls: [['python', { code: "print('hey')" }]],
  },
  {
    name: 'Llama 3.1 built-in code_interpreter tool',
    source: LLAMA,
    format: 'python-tag',
    text: '<|python_tag|>code_interpreter.call(code="print(\'hey\')")',
    calls: [['code_interpreter', { code: "print('hey')" }]],
  },
  { name: 'Llama 3.1 JSON call', source: LLAMA, format: 'bare-json', text: '{"name": "special_function", "parameters": {"arg1": 1}}', calls: [['special_function', ARG1]] },
  // Llama 3.x JSON
  {
    name: 'Llama 3 JSON with arguments',
    source: vllm('llama3_json'),
    format: 'bare-json',
    text: '{"name": "searchTool", "parameters": {"query": "test query", "limit": 10}}',
    calls: [['searchTool', { query: 'test query', limit: 10 }]],
  },
  {
    name: 'Llama 3 JSON, three calls separated by semicolons, text around',
    source: vllm('llama3_json'),
    format: 'bare-json',
    text:
      'Here are the results: {"name": "searchTool", "parameters": {"query": "test1"}}; {"name": "getOpenIncidentsTool", "parameters": {}}; ' +
      '{"name": "searchTool", "parameters": {"query": "test2"}} Would you like to know more?',
    calls: [
      ['searchTool', { query: 'test1' }],
      ['getOpenIncidentsTool', {}],
      ['searchTool', { query: 'test2' }],
    ],
    prose: 'Here are the results:',
    after: 'Would you like to know more?',
  },
  {
    name: 'Llama 3 JSON, a brace in the trailing prose',
    source: vllm('llama3_json'),
    format: 'bare-json',
    text: '{"name": "searchTool", "parameters": {"query": "test"}} I used {searchTool} for this.',
    calls: [['searchTool', { query: 'test' }]],
    after: 'I used {searchTool} for this.',
  },
  // Llama 4 / 3.2 pythonic
  {
    name: 'Llama 4 pythonic in <|python_start|>',
    source: vllm('llama4_pythonic'),
    format: 'llama4-pythonic',
    text: "<|python_start|>[get_weather(city='LA', metric='C')]<|python_end|>",
    calls: [['get_weather', { city: 'LA', metric: 'C' }]],
  },
  {
    name: 'Llama 3.2 / 4 pythonic list, escaped quotes',
    source: vllm('llama4_pythonic'),
    format: 'pythonic',
    text: "[get_weather(city='Martha\\'s Vineyard', metric='\\\"cool units\\\"')]",
    calls: [['get_weather', { city: "Martha's Vineyard", metric: '"cool units"' }]],
  },
  // LFM2
  { name: 'LFM2 call', source: LLAMA, format: 'lfm2', text: '<|tool_call_start|>[special_function(arg1=1)]<|tool_call_end|>', calls: [['special_function', ARG1]] },
  {
    name: 'LFM2 parallel calls',
    source: LLAMA,
    format: 'lfm2',
    text: '<|tool_call_start|>[special_function(arg1=1), special_function_with_opt(arg1=1, arg2=2)]<|tool_call_end|>',
    calls: [
      ['special_function', ARG1],
      ['special_function_with_opt', ARGS12],
    ],
  },
  {
    name: 'LFM2 call after content',
    source: LLAMA,
    format: 'lfm2',
    text: 'Let me check the time.<|tool_call_start|>[get_time(city="Paris")]<|tool_call_end|>',
    calls: [['get_time', { city: 'Paris' }]],
    prose: 'Let me check the time.',
  },
  { name: 'LFM2 empty arguments', source: LLAMA, format: 'lfm2', text: '<|tool_call_start|>[empty_args()]<|tool_call_end|>', calls: [['empty_args', {}]] },
  {
    name: 'LFM2 Python literals (None, True, dict, list)',
    source: vllm('lfm2'),
    format: 'lfm2',
    text: `<|tool_call_start|>[${MORE_TYPES}]<|tool_call_end|>`,
    calls: [['register_user', MORE_TYPES_ARGS]],
  },
  { name: 'LFM2 set argument', source: vllm('lfm2'), format: 'lfm2', text: "<|tool_call_start|>[label(tags={'urgent', 'bug'})]<|tool_call_end|>", calls: [['label', { tags: ['urgent', 'bug'] }]] },
  { name: 'LFM2 zero-padded integers', source: vllm('lfm2'), format: 'lfm2', text: '<|tool_call_start|>[set_date(month=07, day=05)]<|tool_call_end|>', calls: [['set_date', { month: 7, day: 5 }]] },
  {
    name: 'LFM2 unescaped quotes nested in a command',
    source: vllm('lfm2'),
    format: 'lfm2',
    text: "<|tool_call_start|>[bash(command='sed -n '360,450p' /testbed/sympy/matrices/common.py')]<|tool_call_end|>",
    calls: [['bash', { command: "sed -n '360,450p' /testbed/sympy/matrices/common.py" }]],
  },
  {
    name: 'LFM2 multi-line string argument',
    source: vllm('lfm2'),
    format: 'lfm2',
    text: "<|tool_call_start|>[exec(command='cat > f.py << EOF\nimport csv\nprint(1)\nEOF')]<|tool_call_end|>",
    calls: [['exec', { command: 'cat > f.py << EOF\nimport csv\nprint(1)\nEOF' }]],
  },
  { name: 'LFM2 bracket inside a string', source: vllm('lfm2'), format: 'lfm2', text: '<|tool_call_start|>[exec(command=\'grep -F "]" log.txt\')]<|tool_call_end|>', calls: [['exec', { command: 'grep -F "]" log.txt' }]] },
  {
    name: 'LFM2 escaped quotes',
    source: vllm('lfm2'),
    format: 'lfm2',
    text: "<|tool_call_start|>[get_weather(city='Martha\\'s Vineyard', metric='\\\"cool units\\\"')]<|tool_call_end|>",
    calls: [['get_weather', { city: "Martha's Vineyard", metric: '"cool units"' }]],
  },
  // OLMo 3
  {
    name: 'OLMo 3 call',
    source: vllm('olmo3'),
    format: 'olmo3',
    text: "<function_calls>get_weather(city='San Francisco', metric='celsius')</function_calls>",
    calls: [['get_weather', { city: 'San Francisco', metric: 'celsius' }]],
  },
  {
    name: 'OLMo 3 parallel calls, JSON literals',
    source: vllm('olmo3'),
    format: 'olmo3',
    text:
      "<function_calls>get_weather(city='San Francisco', metric='celsius')\n" +
      "register_user(name='John Doe', age=37, address={'city': 'San Francisco', 'state': 'CA'}, role=null, passed_test=true, aliases=['John', 'Johnny'])</function_calls>",
    calls: [
      ['get_weather', { city: 'San Francisco', metric: 'celsius' }],
      ['register_user', MORE_TYPES_ARGS],
    ],
  },
  { name: 'OLMo 3 empty list argument', source: vllm('olmo3'), format: 'olmo3', text: '<function_calls>do_something_cool(steps=[])</function_calls>', calls: [['do_something_cool', { steps: [] }]] },
  // Mistral
  {
    name: 'Mistral Nemo call with id',
    source: LLAMA,
    format: 'mistral',
    text: '[TOOL_CALLS][{"name": "special_function", "arguments": {"arg1": 1}, "id": "123456789"}]',
    calls: [['special_function', ARG1]],
  },
  { name: 'Mistral Small 3.2 [CALL_ID]', source: LLAMA, format: 'mistral', text: '[TOOL_CALLS]special_function[CALL_ID]123456789[ARGS]{"arg1": 1}', calls: [['special_function', ARG1]] },
  { name: 'Devstral [ARGS]', source: LLAMA, format: 'mistral', text: '[TOOL_CALLS]special_function[ARGS]{"arg1": 1}', calls: [['special_function', ARG1]] },
  {
    name: 'Devstral call after content',
    source: LLAMA,
    format: 'mistral',
    text: 'Hello, world!\nWhat\'s up?[TOOL_CALLS]special_function[ARGS]{"arg1": 1}',
    calls: [['special_function', ARG1]],
    prose: "Hello, world!\nWhat's up?",
  },
  {
    name: 'Ministral 3 reasoning in [THINK], then the call',
    source: LLAMA,
    format: 'mistral',
    text: "[THINK]I'm\nthinking[/THINK][TOOL_CALLS]special_function[ARGS]{\"arg1\":1}",
    calls: [['special_function', ARG1]],
    prose: "I'm\nthinking",
  },
  {
    name: 'Ministral 3 parallel calls',
    source: LLAMA,
    format: 'mistral',
    text: '[TOOL_CALLS]special_function[ARGS]{"arg1": 1}[TOOL_CALLS]special_function_with_opt[ARGS]{"arg1": 1, "arg2": 2}',
    calls: [
      ['special_function', ARG1],
      ['special_function_with_opt', ARGS12],
    ],
  },
  {
    name: 'xLAM list after [TOOL_CALLS]',
    source: vllm('xlam'),
    format: 'mistral',
    text: 'I\'ll check the weather for you.[TOOL_CALLS][{"name": "get_current_weather", "arguments": {"city": "Dallas", "state": "TX", "unit": "fahrenheit"}}]',
    calls: [['get_current_weather', { city: 'Dallas', state: 'TX', unit: 'fahrenheit' }]],
    prose: "I'll check the weather for you.",
  },
  // Phi-4-mini / FireFunction
  { name: 'FireFunction v2 call', source: LLAMA, format: 'functools', text: ' functools[{"name": "special_function", "arguments": {"arg1": 1}}]', calls: [['special_function', ARG1]] },
  // GigaChat
  { name: 'GigaChat 3 call', source: LLAMA, format: 'gigachat', text: GIGA3('{"name": "special_function", "arguments": {"arg1": 1}}'), calls: [['special_function', ARG1]] },
  { name: 'GigaChat 3.1 call', source: LLAMA, format: 'gigachat', text: '<|function_call|>{"name": "special_function", "arguments": {"arg1": 1}}', calls: [['special_function', ARG1]] },
  {
    name: 'GigaChat 3 call after content, then end of sequence',
    source: vllm('gigachat3'),
    format: 'gigachat',
    text: `I'll check that for you.${GIGA3(GIGA_SIMPLE)}</s>`,
    calls: [['manage_user_memory', { action: 'create', id: 'preferences' }]],
    prose: "I'll check that for you.",
  },
  // Command R7B / R+
  {
    name: 'Command R7B reasoning, then the action',
    source: LLAMA,
    format: 'command-r7b',
    text: '<|START_THINKING|>I\'m\nthinking<|END_THINKING|><|START_ACTION|>[\n    {"tool_call_id": "0", "tool_name": "special_function", "parameters": {"arg1": 1}}\n]<|END_ACTION|>',
    calls: [['special_function', ARG1]],
    prose: "I'm\nthinking",
  },
  {
    name: 'Command 3 two actions',
    source: 'vLLM tests/tool_parsers/test_cohere_command_tool_parser.py',
    format: 'command-r7b',
    text:
      '<|START_THINKING|>first I think about foo<|END_THINKING|><|START_ACTION|>\n[\n    {"tool_call_id": "0", "tool_name": "foo", "parameters": {"query": "query1"}},\n' +
      '    {"tool_call_id": "1", "tool_name": "bar", "parameters": {"x": 42}}\n]\n<|END_ACTION|>',
    calls: [
      ['foo', { query: 'query1' }],
      ['bar', { x: 42 }],
    ],
    prose: 'first I think about foo',
  },
  {
    name: 'Command R+ Action: with a JSON block',
    source: LLAMA,
    format: 'command-r-plus',
    text: 'Action:\n```json\n[{"tool_name": "special_function", "parameters": {"arg1": 1}}]\n```',
    calls: [['special_function', ARG1]],
  },
  // Apertus
  { name: 'Apertus call', source: LLAMA, format: 'apertus', text: '<|tools_prefix|>[{"special_function": {"arg1": 1}}]<|tools_suffix|>', calls: [['special_function', ARG1]] },
  {
    name: 'Apertus nested arguments, two calls',
    source: vllm('apertus'),
    format: 'apertus',
    text: '<|tools_prefix|>[{"get_weather": {"location": "London"}}, {"complex_function": {"nested": {"inner": "value"}, "list": ["a", "b"]}}]<|tools_suffix|>',
    calls: [
      ['get_weather', { location: 'London' }],
      ['complex_function', { nested: { inner: 'value' }, list: ['a', 'b'] }],
    ],
  },
  {
    name: 'Apertus without the suffix',
    source: vllm('apertus'),
    format: 'apertus',
    text: '<|tools_prefix|>[{"get_weather": {"location": "San Francisco", "unit": "celsius"}}]',
    calls: [['get_weather', { location: 'San Francisco', unit: 'celsius' }]],
  },
  // functionary v3.2
  { name: 'functionary v3.2 call', source: LLAMA, format: 'functionary-v3.2', text: '>>>special_function\n{"arg1": 1}', calls: [['special_function', ARG1]] },
  // Gemma
  {
    name: 'Gemma 4 call',
    source: vllm('gemma4'),
    format: 'gemma',
    text: '<|tool_call>call:get_weather{location:<|"|>London<|"|>}<tool_call|>',
    calls: [['get_weather', { location: 'London' }]],
  },
  {
    name: 'FunctionGemma call',
    source: vllm('functiongemma'),
    format: 'function-gemma',
    text: '<start_function_call>call:get_weather{location:<escape>London<escape>}<end_function_call>',
    calls: [['get_weather', { location: 'London' }]],
  },
  {
    name: 'FunctionGemma two arguments, text before',
    source: vllm('functiongemma'),
    format: 'function-gemma',
    text: 'Let me check the weather for you. <start_function_call>call:get_weather{location:<escape>San Francisco<escape>,unit:<escape>celsius<escape>}<end_function_call>',
    calls: [['get_weather', { location: 'San Francisco', unit: 'celsius' }]],
    prose: 'Let me check the weather for you.',
  },
  {
    name: 'FunctionGemma two calls',
    source: vllm('functiongemma'),
    format: 'function-gemma',
    text: '<start_function_call>call:get_weather{location:<escape>London<escape>}<end_function_call><start_function_call>call:get_time{timezone:<escape>UTC<escape>}<end_function_call>',
    calls: [
      ['get_weather', { location: 'London' }],
      ['get_time', { timezone: 'UTC' }],
    ],
  },
  // JSON written plainly (xLAM and small models)
  {
    name: 'xLAM list of calls',
    source: vllm('xlam'),
    format: 'bare-json',
    text: '[{"name": "get_current_weather", "arguments": {"city": "Dallas", "state": "TX", "unit": "fahrenheit"}}, {"name": "get_current_weather", "arguments": {"city": "Orlando", "state": "FL", "unit": "fahrenheit"}}]',
    calls: [
      ['get_current_weather', { city: 'Dallas', state: 'TX', unit: 'fahrenheit' }],
      ['get_current_weather', { city: 'Orlando', state: 'FL', unit: 'fahrenheit' }],
    ],
  },
  {
    name: 'xLAM JSON block after text',
    source: vllm('xlam'),
    format: 'fenced-json',
    text: 'I\'ll help you with that.\n```json\n[{"name": "get_current_weather", "arguments": {"city": "Dallas", "state": "TX", "unit": "fahrenheit"}}]\n```',
    calls: [['get_current_weather', { city: 'Dallas', state: 'TX', unit: 'fahrenheit' }]],
    prose: "I'll help you with that.",
  },
];

/**
 * Replies that must run nothing and be printed as they are: examples the person asked for,
 * text introduced as an example, a fenced example that is not the whole reply, a call to a
 * tool that is not offered, and the two replies issue 21 names.
 */
export const NEGATIVE_FIXTURES: readonly { readonly name: string; readonly text: string }[] = [
  {
    name: 'ReAct explained with an example (issue 21)',
    text:
      'ReAct interleaves reasoning and acting: the model thinks, calls a tool, reads the result, and repeats.\n\nHere is an example that uses read_file:\n\n' +
      'Thought: I need to see the configuration first.\nAction: read_file\nAction Input: {"path": "config.json"}\n' +
      'Observation: {"port": 8080}\nThought: The port is 8080.\nFinal Answer: The server listens on port 8080.',
  },
  { name: '"For example:" then a function tag (issue 21)', text: 'For example:\n<function=read_file>{"path": "src/index.ts"}</function>' },
  {
    name: 'a fenced example that is not the whole reply',
    text: 'Qwen models call tools like this:\n\n```xml\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt"}}\n</tool_call>\n```\n\nThe server turns that block into a tool call.',
  },
  { name: 'a call syntax in inline code', text: 'Mistral writes `[TOOL_CALLS]read_file[ARGS]{"path": "a.txt"}` when it wants a tool; llama.cpp parses it with --jinja.' },
  { name: 'a call to a tool that is not offered', text: '<tool_call>\n{"name": "delete_repository", "arguments": {"repo": "glassbox"}}\n</tool_call>' },
  { name: 'JSON naming a tool that is not offered', text: '{"name": "delete_database", "parameters": {"confirm": true}}' },
  { name: 'JSON data that has a name', text: '{"name": "Alice", "age": 31}' },
  { name: 'an example introduced on the same line', text: 'An example call looks like <|python_start|>[read_file(path="a.txt")]<|python_end|> in Llama 4.' },
  { name: 'a sample Harmony answer without a recipient', text: '<|channel|>final<|message|>The answer is 42.' },
  { name: 'Harmony addressing described in prose', text: 'In Harmony a call is addressed with to=functions.get_weather in the header, then the JSON.' },
  { name: 'functionary v3.2 plain text channel', text: '>>>all\nHello, world!' },
  { name: 'prose full of near-miss tokens', text: 'Use <tool to call, [TOOL the calls, <|python and <function without = and functools without a bracket.' },
];
