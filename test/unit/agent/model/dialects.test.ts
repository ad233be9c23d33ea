// Every provider dialect in test/support/dialects, through the real loop, the real tools and the
// real `openai` SDK: the read-then-answer task completes, the answer is the answer (no reasoning,
// no call syntax, no noise), and what went back on the wire is what that server needs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AgentEvent, EventOf } from '../../../../src/agent/events';
import { runAgent } from '../../../../src/agent/loop/run-agent';
import { OpenAIModel } from '../../../../src/agent/model/openai-model';
import { NodeSearcher } from '../../../../src/agent/workspace/search/node-searcher';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { createTools } from '../../../../src/tools';
import { startDialectServer, type Dialect, type DialectServer } from '../../../support/dialects/dialect-server';
import { dialectNamed, dialects } from '../../../support/dialects/dialects';
import { ANSWER, FILE, FILE_TEXT, TASK } from '../../../support/dialects/wire';

export interface DialectRun {
  readonly events: AgentEvent[];
  readonly server: DialectServer;
  readonly end: EventOf<'run-end'>;
  of<T extends AgentEvent['type']>(type: T): EventOf<T>[];
}

export async function runDialect(dialect: Dialect, task = TASK): Promise<DialectRun> {
  const server = await startDialectServer(dialect);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-dialect-'));
  writeFileSync(join(workspace, FILE), FILE_TEXT);
  const fs = new NodeWorkspaceFs([workspace]);
  const events: AgentEvent[] = [];
  try {
    const model = new OpenAIModel({ baseURL: server.baseURL, model: `${dialect.name}-model`, retryBaseDelayMs: 5, ...dialect.client });
    for await (const event of runAgent({ model, tools: createTools({ searcher: new NodeSearcher(fs) }), fs, task, limits: { maxSteps: 6 } })) {
      events.push(event);
    }
  } finally {
    await server.close();
    rmSync(workspace, { recursive: true, force: true });
  }
  const end = events.at(-1);
  assert.equal(end?.type, 'run-end');
  return { events, server, end: end as EventOf<'run-end'>, of: <T extends AgentEvent['type']>(type: T) => events.filter((e): e is EventOf<T> => e.type === type) };
}

/** Everything the live view showed as the answer's text. */
function liveText(run: DialectRun): string {
  let text = '';
  for (const event of run.events) {
    if (event.type === 'text-delta') text += event.text;
    if (event.type === 'text-reset') text = '';
  }
  return text;
}

const NOISE = /<\/?think>|<tool_call>|<\|python_tag\|>|\[TOOL_CALLS\]|<function=|Action Input:|OPENROUTER|keep-alive|"name"\s*:/;

for (const dialect of dialects) {
  test(`${dialect.name} (${dialect.quirk}): read the file, then answer, with none of the dialect's noise in the answer`, async () => {
    const run = await runDialect(dialect);
    assert.equal(run.end.reason, 'answered', run.end.answer);
    assert.equal(run.end.answer.trim(), ANSWER);
    const read = run.of('tool-result').find((r) => r.tool === 'read_file');
    assert.ok(read?.ok, `read_file ran: ${JSON.stringify(read)}`);
    assert.match(read.output, /4242/);
    assert.doesNotMatch(liveText(run), NOISE, 'no call syntax, reasoning tags or SSE noise reached the live view');
    for (const message of run.of('assistant-message')) assert.doesNotMatch(message.text, NOISE);
    // No error, and no retry except where the dialect's own story has one.
    assert.equal(run.of('error').length, 0);
    assert.equal(run.of('warning').filter((w) => w.code === 'truncated-prompt').length, 0, 'honest usage raises no truncation warning');
  });
}

test('Ollama: two parallel calls at index 0 with different ids are two calls, not "read_fileread_file"', async () => {
  const run = await runDialect(dialectNamed('ollama-parallel'));
  const calls = run.of('assistant-message')[0].toolCalls;
  assert.deepEqual(calls.map((c) => [c.callId, c.name]), [['call_a1', 'read_file'], ['call_b2', 'list_files']]);
  const second = run.server.requests.filter((r) => r.url.endsWith('/chat/completions'))[1].body;
  assert.deepEqual(second.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id), ['call_a1', 'call_b2']);
});

test('llama.cpp: a name repeated on every delta stays one name; the id from function.id is used', async () => {
  const run = await runDialect(dialectNamed('llama.cpp-repeated-name'));
  const [call] = run.of('assistant-message')[0].toolCalls;
  assert.equal(call.name, 'read_file');
  assert.equal(call.callId, 'fc_Ym4Qw8Er2Ty6Ui0Op3As7Df1Gh5Jk9L');
  assert.equal(call.argsJson, '{"path": "notes.txt"}');
});

test('llama.cpp: arguments sent as an object are read as that object, not "[object Object]"', async () => {
  const run = await runDialect(dialectNamed('llama.cpp-object-arguments'));
  assert.deepEqual(JSON.parse(run.of('assistant-message')[0].toolCalls[0].argsJson), { path: 'notes.txt' });
});

test('reasoning (reasoning_content, reasoning, <think>) is a Thinking stream, never the answer', async () => {
  for (const name of ['llama.cpp', 'vllm', 'lm-studio', 'ollama-qwen3-think', 'openrouter', 'deepseek']) {
    const run = await runDialect(dialectNamed(name));
    const reasoning = run.of('reasoning-delta').map((e) => e.text).join('');
    assert.ok(reasoning.length > 5, `${name}: reasoning streamed (${JSON.stringify(reasoning)})`);
    assert.doesNotMatch(reasoning, /<\/?think>/, `${name}: the tags themselves are not shown`);
    const messages = run.of('assistant-message');
    assert.ok(messages.every((m) => m.reasoning && !m.text.includes(m.reasoning.trim())), `${name}: reasoning kept apart on each message`);
    assert.equal(run.end.answer.trim(), ANSWER, name);
  }
});

test('llama.cpp "Cannot use tools with stream": asked again without streaming at once, and remembered for the endpoint', async () => {
  const run = await runDialect(dialectNamed('llama.cpp-no-stream-tools'));
  const chats = run.server.requests.filter((r) => r.url.endsWith('/chat/completions')).map((r) => r.body.stream);
  // First a streamed try (refused), then without streaming; the second step no longer tries to stream.
  assert.deepEqual(chats, [true, false, false]);
  const notice = run.of('warning').find((w) => w.code === 'endpoint');
  assert.match(notice?.message ?? '', /Cannot use tools with stream/);
  assert.equal(run.of('warning').filter((w) => w.code === 'retry').length, 0, 'not counted as a failure');
});

test('llama.cpp without --jinja: the tools go into the prompt, the fix is named, and the task still completes', async () => {
  const run = await runDialect(dialectNamed('llama.cpp-no-jinja'));
  const notice = run.of('warning').find((w) => w.code === 'endpoint');
  assert.match(notice?.message ?? '', /tools param requires --jinja flag.*start llama-server with --jinja/s);
  const chats = run.server.requests.filter((r) => r.url.endsWith('/chat/completions')).map((r) => r.body);
  assert.ok(chats[1].tools === undefined && /<tool_call>/.test(String(chats[1].messages[0].content)), 'tools described in the system prompt');
  assert.match(String(chats[1].messages[0].content), /## read_file[\s\S]*Example: <tool_call>/);
  // The result goes back as text the model reads (a tool role without tools would be refused).
  assert.ok(chats[2].messages.some((m) => m.role === 'user' && String(m.content).includes('<tool_response name="read_file">')));
  assert.equal(run.of('assistant-message')[0].toolCallsFromText, 'hermes');
});

test('vLLM\'s flat 400 body reaches the user in its own words, never "400 status code (no body)"', async () => {
  const run = await runDialect(dialectNamed('vllm-no-auto-tool-choice'));
  const notice = run.of('warning').find((w) => w.code === 'endpoint');
  assert.match(notice?.message ?? '', /"auto" tool choice requires --enable-auto-tool-choice/);
  assert.doesNotMatch(JSON.stringify(run.events), /no body/);
});

test('Azure: deployment path, api-version query and api-key header are sent; the choices: [] first chunk is skipped', async () => {
  const run = await runDialect(dialectNamed('azure-openai'));
  const chat = run.server.requests.find((r) => r.url.includes('/chat/completions'));
  assert.match(chat?.url ?? '', /^\/openai\/deployments\/gpt-4o-mini\/chat\/completions\?api-version=2024-10-21$/);
  assert.equal(chat?.headers['api-key'], 'azure-test-key');
});

test('OpenRouter: an error inside a 200 stream is retried in the provider\'s words, and the partial text is discarded', async () => {
  const run = await runDialect(dialectNamed('openrouter'));
  const retry = run.of('warning').find((w) => w.code === 'retry');
  assert.match(retry?.message ?? '', /Provider disconnected unexpectedly.*\(attempt 2\)/);
  assert.equal(run.of('text-reset').length, 1);
});

test('Groq: tool_use_failed is recovered from failed_generation, and usage is read from x_groq', async () => {
  const run = await runDialect(dialectNamed('groq'));
  assert.match(run.of('warning').find((w) => w.code === 'endpoint')?.message ?? '', /Failed to call a function/);
  const calls = run.of('assistant-message')[0].toolCalls;
  assert.equal(calls[0].name, 'read_file');
  assert.match(calls[0].callId, /^[a-zA-Z0-9]{9}$/);
  const usage = run.of('usage');
  assert.ok(usage.some((u) => !u.estimated && u.inputTokens > 1000 && u.outputTokens === 18), JSON.stringify(usage));
});

test('DeepSeek thinking mode: reasoning_content goes back on the tool-call turn (the server refuses without it)', async () => {
  const run = await runDialect(dialectNamed('deepseek'));
  const second = run.server.requests.filter((r) => r.url.endsWith('/chat/completions'))[1].body;
  const assistant = second.messages.find((m) => m.role === 'assistant') as { reasoning_content?: string } | undefined;
  assert.equal(assistant?.reasoning_content, 'I should open notes.txt.');
});

test('Mistral: stream_options is dropped after its 422 and never sent again to that endpoint', async () => {
  const run = await runDialect(dialectNamed('mistral'));
  const chats = run.server.requests.filter((r) => r.url.endsWith('/chat/completions')).map((r) => r.body.stream_options !== undefined);
  assert.deepEqual(chats, [true, false, false]);
  assert.match(run.of('warning').find((w) => w.code === 'endpoint')?.message ?? '', /Extra inputs are not permitted/);
});

test('ids Glassbox makes up are 9 letters and digits, as Mistral requires (a text call sent back to a checking server)', async () => {
  const mistralText = { ...dialectNamed('text-mistral') };
  const run = await runDialect(mistralText);
  const [call] = run.of('assistant-message')[0].toolCalls;
  assert.match(call.callId, /^[a-zA-Z0-9]{9}$/);
  const gemini = await runDialect(dialectNamed('gemini'));
  assert.match(gemini.of('assistant-message')[0].toolCalls[0].callId, /^[a-zA-Z0-9]{9}$/);
});

test('Gemini: the call\'s opaque extra_content (thought signature) is sent back with it', async () => {
  const run = await runDialect(dialectNamed('gemini'));
  const second = run.server.requests.filter((r) => r.url.endsWith('/chat/completions'))[1].body;
  const call = second.messages.find((m) => m.role === 'assistant')?.tool_calls?.[0] as { extra_content?: unknown } | undefined;
  assert.deepEqual(call?.extra_content, { google: { thought_signature: 'CiQB0e2Kb8sig' } });
});

test('llama.cpp\'s SSE `error:` event then [DONE]: the server\'s reason is shown once, not retried as a cut stream', async () => {
  const dialect: Dialect = {
    name: 'llama.cpp-error-event',
    quirk: 'error: field',
    source: 'ggml-org/llama.cpp#16109 (errors were sent on an `error:` SSE field)',
    reply: () => ({
      body: [
        'error: {"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}\n\n',
        'data: [DONE]\n\n',
      ],
    }),
  };
  const run = await runDialect(dialect);
  assert.equal(run.end.reason, 'error');
  const [error] = run.of('error');
  assert.match(error.message, /the request exceeds the available context size, try increasing it/);
  assert.match(error.message, /raise the server's context size/);
  assert.equal(run.server.requests.filter((r) => r.url.endsWith('/chat/completions')).length, 1, 'one request: a refusal is not retried');
  assert.doesNotMatch(error.message, /ended before the model finished/);
});

const errorBodies: { name: string; status: number; body: string; words: RegExp }[] = [
  { name: 'vLLM flat object', status: 400, body: '{"object":"error","message":"This model\'s maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}', words: /maximum context length is 4096 tokens/ },
  { name: 'Gemini array', status: 400, body: '[{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}]', words: /API key not valid/ },
  { name: 'Ollama string', status: 404, body: '{"error":"model \\"qwen3:4b\\" not found, try pulling it first"}', words: /model "qwen3:4b" not found, try pulling it first/ },
  { name: 'FastAPI detail', status: 401, body: '{"detail":"Invalid authentication credentials"}', words: /Invalid authentication credentials/ },
  { name: 'Mistral 422 detail list', status: 422, body: '{"object":"error","message":{"detail":[{"type":"less_than_equal","loc":["body","temperature"],"msg":"Input should be less than or equal to 1.5"}]},"type":"invalid_request_error"}', words: /body\.temperature: Input should be less than or equal to 1\.5/ },
  { name: 'proxy HTML page', status: 413, body: '<html><head><title>413 Request Entity Too Large</title></head><body><h1>413 Request Entity Too Large</h1><hr>nginx/1.25.3</body></html>', words: /413 Request Entity Too Large/ },
];

for (const shape of errorBodies) {
  test(`an error body of the ${shape.name} shape reaches the user as the server's own words`, async () => {
    const run = await runDialect({ name: shape.name, quirk: shape.name, source: 'see error-body.ts', reply: () => ({ status: shape.status, body: shape.body }) });
    assert.equal(run.end.reason, 'error');
    const [error] = run.of('error');
    assert.match(error.message, shape.words);
    assert.doesNotMatch(error.message, /no body/);
    assert.equal(error.status, shape.status);
  });
}

test('false positive: a JSON tool-call example the user asked for is the answer, and nothing runs', async () => {
  const example = '```json\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n```';
  const marked = '<tool_call>\n{"name": "read_file", "arguments": {"path": "notes.txt"}}\n</tool_call>';
  for (const [task, reply] of [
    ['What does a JSON call to read_file look like? Give me an example.', example],
    ['Show me an example of a Hermes tool call for read_file.', marked],
  ]) {
    const dialect: Dialect = {
      name: 'example-answer',
      quirk: 'an answer that looks like a call',
      source: 'issue 11 §2',
      reply: (r) => ({ body: [`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: r.model, choices: [{ index: 0, delta: { role: 'assistant', content: reply }, finish_reason: 'stop' }] })}\n\n`, 'data: [DONE]\n\n'] }),
    };
    const run = await runDialect(dialect, task);
    assert.equal(run.end.reason, 'answered');
    assert.equal(run.of('tool-call').length, 0, `${task}: nothing executed`);
    assert.equal(run.end.answer, reply);
    assert.equal(liveText(run), reply, 'shown in full once the reply ended');
  }
});

test('silent truncation (Ollama\'s small default num_ctx): far fewer prompt tokens reported than sent → a warning with the fix', async () => {
  const dialect: Dialect = {
    ...dialectNamed('ollama'),
    name: 'ollama-truncating',
    // Ollama counts only what fit in num_ctx: the start of the prompt was cut.
    reply: (r, context) => {
      const reply = dialectNamed('ollama').reply(r, context);
      const pieces = (reply.body as string[]).slice(0, -1);
      pieces.push(`data: ${JSON.stringify({ id: 'u', object: 'chat.completion.chunk', created: 1, model: r.model, choices: [], usage: { prompt_tokens: 210, completion_tokens: 12, total_tokens: 222 } })}\n\n`, 'data: [DONE]\n\n');
      return { body: pieces };
    },
  };
  const run = await runDialect(dialect);
  const warnings = run.of('warning').filter((w) => w.code === 'truncated-prompt');
  assert.equal(warnings.length, 1, 'said once per run');
  assert.match(warnings[0].message, /counted 210 prompt tokens, but about \d+ were sent.*num_ctx/s);
  // An honest count raises no warning.
  const honest = await runDialect(dialectNamed('llama.cpp'));
  assert.equal(honest.of('warning').filter((w) => w.code === 'truncated-prompt').length, 0);
});
