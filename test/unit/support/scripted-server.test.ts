// The scripted server speaks the OpenAI wire format faithfully enough for the SDK, and fails
// loudly when the code under test asks for more than was scripted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import OpenAI from 'openai';
import {
  errorTurn,
  slowTextTurn,
  startScriptedServer,
  text,
  textTurn,
  toolCallTurn,
  usage,
  type ScriptStep,
} from '../../support/scripted-server';
import { supportDir } from '../../support/paths';

const clientFor = (baseURL: string) => new OpenAI({ baseURL, apiKey: 'test-key', maxRetries: 0 });
const hi = [{ role: 'user' as const, content: 'hi' }];

/** Posts a streaming request by hand and returns the SSE `data:` payloads as sent. */
async function rawEvents(baseURL: string, body: object): Promise<string[]> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: hi, stream: true, ...body }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const wire = await response.text();
  assert.ok(wire.endsWith('\n\n'));
  return wire
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      assert.ok(event.startsWith('data: '), `not an SSE data event: ${event}`);
      return event.slice('data: '.length);
    });
}

test('streams tool calls like the real API: id and name first, then argument fragments', async (t) => {
  const server = await startScriptedServer([
    [text('Let me look.'), ...toolCallTurn({ name: 'read_file', args: { path: 'a/b/c.txt' } }, { name: 'list_files', args: { dir: 'src' } }), usage(10, 4)],
  ]);
  t.after(() => server.close());
  const events = await rawEvents(server.baseURL, { stream_options: { include_usage: true } });
  assert.equal(events.at(-1), '[DONE]');
  const chunks = events.slice(0, -1).map((event) => JSON.parse(event));
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === chunks[0].id));

  const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
  for (const [index, name, args] of [[0, 'read_file', '{"path":"a/b/c.txt"}'], [1, 'list_files', '{"dir":"src"}']] as const) {
    const deltas = toolDeltas.filter((delta: { index: number }) => delta.index === index);
    assert.equal(deltas[0].function.name, name);
    assert.match(deltas[0].id, /^call_/);
    assert.equal(deltas[0].function.arguments, '');
    const fragments = deltas.slice(1).map((delta: { function: { arguments: string } }) => delta.function.arguments);
    assert.ok(fragments.length > 1, `arguments of call ${index} came in one piece`);
    assert.equal(fragments.join(''), args);
  }
  const finish = chunks.at(-2);
  assert.equal(finish.choices[0].finish_reason, 'tool_calls');
  assert.deepEqual(chunks.at(-1).choices, []);
  assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 });
});

test('usage is only sent to a request that asked for it', async (t) => {
  const server = await startScriptedServer([textTurn('x', { promptTokens: 1, completionTokens: 1 })]);
  t.after(() => server.close());
  const events = await rawEvents(server.baseURL, {});
  assert.ok(events.slice(0, -1).every((event) => !('usage' in JSON.parse(event))));
});

test('non-streaming requests get one whole chat.completion the SDK can read', async (t) => {
  const server = await startScriptedServer([
    textTurn('Plain answer.', { promptTokens: 12, completionTokens: 3 }),
    toolCallTurn('read_file', { path: 'x.ts' }),
  ]);
  t.after(() => server.close());
  const client = clientFor(server.baseURL);
  const first = await client.chat.completions.create({ model: 'm', messages: hi });
  assert.equal(first.choices[0].message.content, 'Plain answer.');
  assert.equal(first.choices[0].finish_reason, 'stop');
  assert.equal(first.usage?.total_tokens, 15);
  const second = await client.chat.completions.create({ model: 'm', messages: hi });
  const call = second.choices[0].message.tool_calls?.[0];
  assert.equal(call?.type === 'function' && call.function.name, 'read_file');
  assert.equal(call?.type === 'function' && call.function.arguments, '{"path":"x.ts"}');
  assert.equal(second.choices[0].finish_reason, 'tool_calls');
});

test('an extra request after the script ends gets a loud 500 "script exhausted"', async (t) => {
  const server = await startScriptedServer([textTurn('only one')]);
  t.after(() => server.close());
  const client = clientFor(server.baseURL);
  await client.chat.completions.create({ model: 'm', messages: hi });
  await assert.rejects(client.chat.completions.create({ model: 'm', messages: hi }), (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 500);
    assert.match(error.message, /script exhausted: request #2 .* only 1 turn/);
    return true;
  });
  assert.equal(server.requestCount, 2);
  assert.equal(server.pendingTurns, 0);
});

test('records each request body and its headers', async (t) => {
  const server = await startScriptedServer([textTurn('a'), textTurn('b')]);
  t.after(() => server.close());
  const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-recorded', maxRetries: 0, defaultHeaders: { 'x-probe': '1' } });
  await client.chat.completions.create({ model: 'first', messages: hi });
  await client.chat.completions.create({ model: 'second', messages: [{ role: 'user', content: 'again' }] });
  assert.deepEqual(server.requests.map((body) => body.model), ['first', 'second']);
  assert.equal(server.requests[1].messages[0].content, 'again');
  assert.equal(server.requestHeaders[0].authorization, 'Bearer sk-recorded');
  assert.equal(server.requestHeaders[1]['x-probe'], '1');
});

test('errors carry the OpenAI error shape and the Retry-After header', async (t) => {
  const server = await startScriptedServer([errorTurn(429, 'Too many requests', 7)]);
  t.after(() => server.close());
  const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: hi }) });
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('retry-after'), '7');
  assert.deepEqual(await response.json(), {
    error: { message: 'Too many requests', type: 'rate_limit_exceeded', code: null, param: null },
  });
});

test('a turn may answer from the request; loop mode answers forever without recording', async (t) => {
  const echo = (request: { messages: readonly { content?: unknown }[] }): ScriptStep[] =>
    textTurn(`echo: ${String(request.messages.at(-1)?.content)}`);
  const server = await startScriptedServer({
    turns: [(request) => echo(request)],
    loop: (request, index) => textTurn(`loop ${index}: ${String(request.messages.length)} message(s)`),
    recordRequests: false,
  });
  t.after(() => server.close());
  const client = clientFor(server.baseURL);
  const answer = async (content: string) =>
    (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content }] })).choices[0].message.content;
  assert.equal(await answer('ping'), 'echo: ping');
  for (let i = 1; i <= 20; i++) assert.equal(await answer('x'), `loop ${i}: 1 message(s)`);
  assert.equal(server.requestCount, 21);
  assert.equal(server.requests.length, 0);
});

test('a scripted turn that throws is answered 500 naming the failure', async (t) => {
  const server = await startScriptedServer([
    () => {
      throw new Error('bad fixture');
    },
  ]);
  t.after(() => server.close());
  await assert.rejects(clientFor(server.baseURL).chat.completions.create({ model: 'm', messages: hi }), /scripted turn threw: Error: bad fixture/);
});

test('lists its models; push() extends the script', async (t) => {
  const server = await startScriptedServer({ models: ['alpha', 'beta'] });
  t.after(() => server.close());
  const client = clientFor(server.baseURL);
  const models = await client.models.list();
  assert.deepEqual(models.data.map((model) => model.id), ['alpha', 'beta']);
  server.push(textTurn('pushed'));
  const completion = await client.chat.completions.create({ model: 'alpha', messages: hi });
  assert.equal(completion.choices[0].message.content, 'pushed');
  assert.equal(completion.model, 'alpha');
});

test('close() ends a stream in progress at once', async () => {
  const server = await startScriptedServer([slowTextTurn('a b c d e f', 5_000)]);
  const stream = await clientFor(server.baseURL).chat.completions.create({ model: 'm', messages: hi, stream: true });
  const consumed = (async () => {
    for await (const chunk of stream) void chunk;
  })();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = performance.now();
  await server.close();
  await assert.rejects(consumed);
  assert.ok(performance.now() - started < 1000);
});

test('runs as a standalone process: prints its baseURL, serves the script file, reports requests', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scripted-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'script.json');
  writeFileSync(script, JSON.stringify({ turns: [[{ kind: 'text', text: 'From a file.' }]], models: ['file-model'] }));
  const child = spawn(process.execPath, [join(supportDir, 'scripted-server-main.js'), script], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  const { baseURL } = JSON.parse(firstLine) as { baseURL: string };
  assert.match(baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const client = clientFor(baseURL);
  const completion = await client.chat.completions.create({ model: 'file-model', messages: hi });
  assert.equal(completion.choices[0].message.content, 'From a file.');
  const report = (await (await fetch(new URL('/_scripted/requests', baseURL))).json()) as { requestCount: number; requests: { model: string }[] };
  assert.equal(report.requestCount, 1);
  assert.equal(report.requests[0].model, 'file-model');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('the standalone process refuses an invalid script with a clear message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'scripted-main-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'bad.json');
  writeFileSync(script, JSON.stringify({ turns: [[{ kind: 'txt', text: 'typo' }]] }));
  const child = spawn(process.execPath, [join(supportDir, 'scripted-server-main.js'), script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 1);
  assert.ok(stderr.includes(script), stderr);
  assert.match(stderr, /not a valid script/);
});
