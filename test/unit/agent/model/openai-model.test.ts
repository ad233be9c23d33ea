// OpenAIModel through the real `openai` SDK against the scripted server: nothing is mocked
// between our code and the HTTP wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledError, ModelRequestError } from '../../../../src/agent/errors';
import type { ModelChunk, ModelRequest } from '../../../../src/agent/model/model';
import { OpenAIModel, type OpenAIModelOptions } from '../../../../src/agent/model/openai-model';
import {
  cutTurn,
  errorTurn,
  slowTextTurn,
  startScriptedServer,
  text,
  textTurn,
  toolCallTurn,
  usage,
  type ScriptTurn,
  type ScriptedServer,
} from '../../../support/scripted-server';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Hi' }], tools: [] };

interface Timed {
  readonly chunk: ModelChunk;
  readonly at: number;
}

/** Everything the model streamed (with arrival times), and the error it ended with, if any. */
async function drain(model: OpenAIModel, request = ask, signal = new AbortController().signal) {
  const chunks: Timed[] = [];
  const started = performance.now();
  let error: unknown;
  try {
    for await (const chunk of model.stream(request, signal)) chunks.push({ chunk, at: performance.now() - started });
  } catch (caught) {
    error = caught;
  }
  return { chunks, types: chunks.map((c) => c.chunk.type), error, elapsed: performance.now() - started };
}

/** What a consumer keeps: text since the last retry chunk (a retry discards the attempt). */
function keptText(chunks: readonly Timed[]): string {
  let kept = '';
  for (const { chunk } of chunks) {
    if (chunk.type === 'retry') kept = '';
    if (chunk.type === 'text') kept += chunk.text;
  }
  return kept;
}

async function setup(t: { after(fn: () => Promise<void>): void }, turns: ScriptTurn[], options: Partial<OpenAIModelOptions> = {}) {
  const server: ScriptedServer = await startScriptedServer(turns);
  t.after(() => server.close());
  const model = new OpenAIModel({ baseURL: server.baseURL, model: 'scripted-model', retryBaseDelayMs: 20, ...options });
  return { server, model };
}

test('text streams as it arrives, in order, then finishes with "stop"', async (t) => {
  const { model } = await setup(t, [slowTextTurn('The answer is 42.', 120)]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  const texts = chunks.filter((c) => c.chunk.type === 'text');
  assert.ok(texts.length >= 4, `expected several text deltas, got ${texts.length}`);
  assert.equal(keptText(chunks), 'The answer is 42.');
  assert.deepEqual(chunks.at(-1)?.chunk, { type: 'finish', reason: 'stop' });
  // Streamed, not buffered: the first words arrived long before the last.
  const finishedAt = chunks.at(-1)!.at;
  assert.ok(texts[0].at < finishedAt - 300, `first text at ${texts[0].at} ms, finish at ${finishedAt} ms`);
});

test('several tool calls in one message arrive whole, each once, after their fragments are joined', async (t) => {
  const { server, model } = await setup(t, [
    toolCallTurn(
      { id: 'call_read', name: 'read_file', args: { path: 'src/app.ts', startLine: 10, endLine: 40 } },
      { id: 'call_grep', name: 'search_text', args: { query: 'TODO: "fix" me', glob: '**/*.ts' } },
    ),
  ]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  assert.deepEqual(
    chunks.map((c) => c.chunk),
    [
      { type: 'tool-call', callId: 'call_read', name: 'read_file', argsJson: '{"path":"src/app.ts","startLine":10,"endLine":40}' },
      { type: 'tool-call', callId: 'call_grep', name: 'search_text', argsJson: '{"query":"TODO: \\"fix\\" me","glob":"**/*.ts"}' },
      { type: 'finish', reason: 'tool-calls' },
    ],
  );
  assert.equal(server.requestCount, 1);
});

test('usage is reported when the endpoint sends it, and the request asks for it', async (t) => {
  const { server, model } = await setup(t, [textTurn('Done.', { promptTokens: 123, completionTokens: 7 })]);
  const { chunks } = await drain(model);
  assert.deepEqual(
    chunks.map((c) => c.chunk).slice(-2),
    [
      { type: 'usage', inputTokens: 123, outputTokens: 7 },
      { type: 'finish', reason: 'stop' },
    ],
  );
  assert.deepEqual(server.requests[0].stream_options, { include_usage: true });
});

test('no usage chunk when the endpoint reports none (the loop estimates instead)', async (t) => {
  const { model } = await setup(t, [textTurn('Done.')]);
  const { types, error } = await drain(model);
  assert.equal(error, undefined);
  assert.ok(!types.includes('usage'));
  assert.equal(types.at(-1), 'finish');
});

test('429 with Retry-After: waits what the endpoint asked, then succeeds on the second attempt', async (t) => {
  const { server, model } = await setup(t, [errorTurn(429, 'Rate limit reached for requests', 1), textTurn('After the wait.')]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  const retryIndex = chunks.findIndex((c) => c.chunk.type === 'retry');
  const retry = chunks[retryIndex];
  assert.deepEqual(retry.chunk, { type: 'retry', attempt: 2, delayMs: 1000, reason: 'HTTP 429: Rate limit reached for requests' });
  const nextText = chunks.slice(retryIndex).find((c) => c.chunk.type === 'text')!;
  assert.ok(nextText.at - retry.at >= 990, `waited only ${Math.round(nextText.at - retry.at)} ms`);
  assert.equal(keptText(chunks), 'After the wait.');
  assert.equal(server.requestCount, 2);
});

test('retry-after-ms is honoured to the millisecond', async (t) => {
  const rateLimited: ScriptTurn = [{ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after-ms': '250' } }];
  const { model } = await setup(t, [rateLimited, textTurn('ok')]);
  const { chunks } = await drain(model);
  assert.deepEqual(chunks[0].chunk, { type: 'retry', attempt: 2, delayMs: 250, reason: 'HTTP 429: slow down' });
  assert.ok(chunks[1].at - chunks[0].at >= 240);
});

test('a Retry-After beyond the cap fails at once with a clear message instead of waiting', async (t) => {
  const { server, model } = await setup(t, [errorTurn(429, 'quota', 120), textTurn('never asked for')]);
  const { error, elapsed, types } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.match(error.message, /asked to wait 2 min/);
  assert.match(error.message, /at most 30 s/);
  assert.equal(error.status, 429);
  assert.deepEqual(types, []);
  assert.ok(elapsed < 1000);
  assert.equal(server.requestCount, 1);
});

test('HTTP 500 four times fails after exactly four requests: our retries never stack with the SDK', async (t) => {
  const failing = errorTurn(500, 'The server had an error while processing your request.');
  const { server, model } = await setup(t, [failing, failing, failing, failing, textTurn('a fifth request would get this')]);
  const { chunks, error } = await drain(model);
  assert.ok(error instanceof ModelRequestError, `expected ModelRequestError, got ${String(error)}`);
  assert.equal(error.status, 500);
  assert.match(error.message, /failed 4 times/);
  assert.match(error.message, /HTTP 500: The server had an error/);
  assert.deepEqual(
    chunks.map((c) => (c.chunk.type === 'retry' ? c.chunk.attempt : c.chunk.type)),
    [2, 3, 4],
  );
  assert.equal(server.requestCount, 4);
  assert.equal(server.pendingTurns, 1);
});

test('maxAttempts bounds the attempts per call', async (t) => {
  const { server, model } = await setup(t, [errorTurn(503, 'busy'), errorTurn(503, 'busy'), textTurn('x')], { maxAttempts: 2 });
  const { error } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.equal(server.requestCount, 2);
});

test('a stream cut mid-answer is retried; the retry chunk comes first and only the new answer is kept', async (t) => {
  const { server, model } = await setup(t, [cutTurn('I will now read the fi'), textTurn('Here is the full answer.')]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  const types = chunks.map((c) => c.chunk.type);
  const retryAt = types.indexOf('retry');
  // The cut attempt really streamed something before it broke off.
  assert.ok(types.slice(0, retryAt).includes('text'));
  assert.ok(!types.slice(0, retryAt).includes('finish'));
  assert.ok(retryAt >= 0 && types.indexOf('text', retryAt) > retryAt);
  const retry = chunks[retryAt].chunk;
  assert.equal(retry.type === 'retry' && retry.attempt, 2);
  assert.match(retry.type === 'retry' ? retry.reason : '', /stream broke off/);
  assert.equal(keptText(chunks), 'Here is the full answer.');
  assert.equal(types.filter((type) => type === 'finish').length, 1);
  assert.equal(server.requestCount, 2);
});

test('a stream that ends without a finish reason counts as dropped and is retried', async (t) => {
  const { model } = await setup(t, [[text('half an'), { kind: 'end' }], textTurn('whole answer')]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  const retry = chunks.find((c) => c.chunk.type === 'retry')?.chunk;
  assert.match(retry?.type === 'retry' ? retry.reason : '', /ended before the model finished/);
  assert.equal(keptText(chunks), 'whole answer');
});

test('an error event in the middle of a stream is retried', async (t) => {
  const { model } = await setup(t, [[text('so far'), { kind: 'error', status: 500, message: 'overloaded' }], textTurn('again')]);
  const { chunks, error } = await drain(model);
  assert.equal(error, undefined);
  const retry = chunks.find((c) => c.chunk.type === 'retry')?.chunk;
  assert.match(retry?.type === 'retry' ? retry.reason : '', /mid-stream: .*overloaded/);
  assert.equal(keptText(chunks), 'again');
});

test('a stream that goes silent past the idle timeout is torn down and retried', async (t) => {
  const { model } = await setup(t, [[text('thinking'), { kind: 'delay', ms: 10_000 }, text('never')], textTurn('fresh')], {
    streamIdleTimeoutMs: 300,
  });
  const { chunks, error, elapsed } = await drain(model);
  assert.equal(error, undefined);
  const retry = chunks.find((c) => c.chunk.type === 'retry')?.chunk;
  assert.match(retry?.type === 'retry' ? retry.reason : '', /went silent/);
  assert.equal(keptText(chunks), 'fresh');
  assert.ok(elapsed < 3000);
});

test('an unreachable endpoint is retried, then reported naming the URL', async () => {
  const server = await startScriptedServer([]);
  await server.close(); // nothing listens on that port any more
  const model = new OpenAIModel({ baseURL: server.baseURL, model: 'm', retryBaseDelayMs: 10, maxAttempts: 3 });
  const { error, types } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.match(error.message, /failed 3 times/);
  assert.ok(error.message.includes(`could not reach ${server.baseURL}`));
  assert.deepEqual(types, ['retry', 'retry']);
});

test('401: the API key was rejected, said clearly, without any retry', async (t) => {
  const { server, model } = await setup(t, [errorTurn(401, 'Incorrect API key provided: sk-wrong.'), textTurn('x')], { apiKey: 'sk-wrong' });
  const { error, types } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.equal(error.status, 401);
  assert.match(error.message, /API key was rejected/);
  assert.match(error.message, /HTTP 401/);
  assert.match(error.message, /Incorrect API key provided/);
  assert.deepEqual(types, []);
  assert.equal(server.requestCount, 1);
});

test('404: names the model and the URL', async (t) => {
  const { server, model } = await setup(t, [errorTurn(404, 'model "llama9" not found')], { model: 'llama9' });
  const { error } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.ok(error.message.includes('Model "llama9"'));
  assert.ok(error.message.includes(server.baseURL));
  assert.match(error.message, /model "llama9" not found/);
  assert.equal(server.requestCount, 1);
});

test('400 is not retried and carries the endpoint message', async (t) => {
  const { server, model } = await setup(t, [errorTurn(400, "This model's maximum context length is 8192 tokens.")]);
  const { error } = await drain(model);
  assert.ok(error instanceof ModelRequestError);
  assert.match(error.message, /refused the request \(HTTP 400\): This model's maximum context length/);
  assert.equal(server.requestCount, 1);
});

test('abort during a slow stream ends it within a second with CancelledError', async (t) => {
  // The first word comes at once, then each further word takes 2 s.
  const { server, model } = await setup(t, [[text('one'), { kind: 'chunk-delay', ms: 2_000 }, text(' two three four')]]);
  const controller = new AbortController();
  let abortedAt = 0;
  const chunks: ModelChunk[] = [];
  const run = (async () => {
    for await (const chunk of model.stream(ask, controller.signal)) {
      chunks.push(chunk);
      abortedAt = performance.now();
      controller.abort();
    }
  })();
  await assert.rejects(run, CancelledError);
  const stoppedWithin = performance.now() - abortedAt;
  assert.ok(stoppedWithin < 1000, `took ${Math.round(stoppedWithin)} ms to stop`);
  assert.deepEqual(chunks, [{ type: 'text', text: 'one' }]);
  assert.equal(server.requestCount, 1);
});

test('abort while waiting before the response starts, or during a retry wait, is prompt too', async (t) => {
  const { model } = await setup(t, [[{ kind: 'delay', ms: 5_000 }, text('late')], errorTurn(429, 'wait', 20), textTurn('x')]);
  const early = new AbortController();
  setTimeout(() => early.abort(), 100);
  const first = await drain(model, ask, early.signal);
  assert.ok(first.error instanceof CancelledError);
  assert.ok(first.elapsed < 1100);

  const duringWait = new AbortController();
  const second = drain(model, ask, duringWait.signal);
  setTimeout(() => duringWait.abort(), 300);
  const { error, types, elapsed } = await second;
  assert.ok(error instanceof CancelledError);
  assert.deepEqual(types, ['retry']);
  assert.ok(elapsed < 1300);
});

test('an already aborted signal makes no request', async (t) => {
  const { server, model } = await setup(t, [textTurn('x')]);
  const { error } = await drain(model, ask, AbortSignal.abort());
  assert.ok(error instanceof CancelledError);
  assert.equal(server.requestCount, 0);
});

test('the request carries messages, tools and tool results as the OpenAI API expects', async (t) => {
  const { server, model } = await setup(t, [textTurn('ok')], { apiKey: 'sk-test-123', headers: { 'x-team': 'glassbox' } });
  const parameters = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
  const request: ModelRequest = {
    messages: [
      { role: 'system', content: 'You are Glassbox.' },
      { role: 'user', content: 'What is in a.txt?' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'read_file', argumentsJson: '{"path":"a.txt"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: 'hello' },
    ],
    tools: [{ name: 'read_file', description: 'Read a file.', parameters }],
    maxOutputTokens: 512,
    temperature: 0.2,
  };
  const { error } = await drain(model, request);
  assert.equal(error, undefined);
  const body = server.requests[0];
  assert.equal(body.model, 'scripted-model');
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.deepEqual(body.messages, [
    { role: 'system', content: 'You are Glassbox.' },
    { role: 'user', content: 'What is in a.txt?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'hello' },
  ]);
  assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'read_file', description: 'Read a file.', parameters } }]);
  assert.equal(body.tool_choice, 'auto');
  assert.equal(body.max_tokens, 512);
  assert.equal(body.temperature, 0.2);
  const headers = server.requestHeaders[0];
  assert.equal(headers.authorization, 'Bearer sk-test-123');
  assert.equal(headers['x-team'], 'glassbox');
});

test('without tools the request offers none, and without a key a placeholder is sent', async (t) => {
  const { server, model } = await setup(t, [textTurn('ok')]);
  await drain(model);
  assert.equal(server.requests[0].tools, undefined);
  assert.equal(server.requests[0].tool_choice, undefined);
  assert.match(String(server.requestHeaders[0].authorization), /^Bearer \S+$/);
});

test('tool calls with usage: calls, then usage, then one finish', async (t) => {
  const { model } = await setup(t, [[...toolCallTurn('list_files', { dir: '.' }), usage(50, 9)]]);
  const { types } = await drain(model);
  assert.deepEqual(types, ['tool-call', 'usage', 'finish']);
});

test('finish reasons map to ours; "stop" with tool calls still means tool calls', async (t) => {
  const { model } = await setup(t, [
    [text('and then the'), { kind: 'finish', reason: 'length' }],
    [text('[withheld]'), { kind: 'finish', reason: 'content_filter' }],
    [...toolCallTurn('list_files', {}), { kind: 'finish', reason: 'stop' }],
  ]);
  const reasons = [];
  for (let i = 0; i < 3; i++) {
    const { chunks } = await drain(model);
    const last = chunks.at(-1)?.chunk;
    reasons.push(last?.type === 'finish' ? last.reason : last?.type);
  }
  assert.deepEqual(reasons, ['length', 'content-filter', 'tool-calls']);
});

test('a missing model name is a clear error at construction', () => {
  assert.throws(() => new OpenAIModel({ baseURL: 'http://127.0.0.1:1/v1', model: '  ' }), /No model name/);
});
