// Listing an endpoint's models and finding local servers, against real HTTP servers on
// 127.0.0.1 whose bodies have the shapes each server's docs show.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { discoverLocalServers, describeLocalServer } from '../../../../src/agent/model/local-discovery';
import { ModelListError, listModels, parseModelList, serverMessage } from '../../../../src/agent/model/model-catalog';
import { connectionFor, presetById } from '../../../../src/agent/model/providers';
import { startLoopbackServer } from '../../../support/loopback-http';
import { startScriptedServer } from '../../../support/scripted-server';

test('Select Model reads context windows and prices as each server reports them', async (t) => {
  const server = await startScriptedServer({
    modelEntries: [
      // vLLM
      { id: 'Qwen/Qwen2.5-7B-Instruct', object: 'model', owned_by: 'vllm', max_model_len: 32768 },
      // OpenRouter: USD per token, as strings
      { id: 'anthropic/claude-3.5-haiku', context_length: 200000, pricing: { prompt: '0.0000008', completion: '0.000004', input_cache_read: '0.00000008' } },
      // llama.cpp server
      { id: 'model.gguf', object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: 131072, n_params: 8030261248 } },
      // Groq
      { id: 'llama-3.3-70b-versatile', object: 'model', owned_by: 'Meta', context_window: 131072 },
      // OpenAI: no window; the built-in price table knows the family
      { id: 'gpt-4o-mini-2024-07-18', object: 'model', owned_by: 'system' },
    ],
  });
  t.after(() => server.close());
  const models = await listModels(connectionFor(presetById('custom')!, { baseUrl: server.baseURL, apiKey: 'k' }));
  const byId = new Map(models.map((model) => [model.id, model]));
  assert.deepEqual([...byId.keys()], ['anthropic/claude-3.5-haiku', 'gpt-4o-mini-2024-07-18', 'llama-3.3-70b-versatile', 'model.gguf', 'Qwen/Qwen2.5-7B-Instruct']);
  assert.equal(byId.get('Qwen/Qwen2.5-7B-Instruct')?.contextWindow, 32768);
  assert.equal(byId.get('model.gguf')?.contextWindow, 131072);
  assert.equal(byId.get('llama-3.3-70b-versatile')?.contextWindow, 131072);
  assert.deepEqual(byId.get('anthropic/claude-3.5-haiku'), {
    id: 'anthropic/claude-3.5-haiku',
    contextWindow: 200000,
    price: { inputPerMillion: 0.8, outputPerMillion: 4, cachedInputPerMillion: 0.08 },
    ownedBy: undefined,
  });
  assert.deepEqual(byId.get('gpt-4o-mini-2024-07-18')?.price, { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 });
  assert.equal(byId.get('Qwen/Qwen2.5-7B-Instruct')?.price, undefined, 'no price is made up for a local model');
});

test('the model list is asked for with the connection key and the Azure query and header', async (t) => {
  const seen: { url: string; auth?: string; apiKey?: string }[] = [];
  const server = await startLoopbackServer({
    '/v1/models': (request, response) => {
      seen.push({ url: request.url ?? '', auth: request.headers.authorization, apiKey: request.headers['api-key'] as string | undefined });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'm' }] }));
    },
    '/openai/deployments/dep/models': (request, response) => {
      seen.push({ url: request.url ?? '', auth: request.headers.authorization, apiKey: request.headers['api-key'] as string | undefined });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'dep' }] }));
    },
  });
  t.after(() => server.close());
  await listModels(connectionFor(presetById('openrouter')!, { baseUrl: server.url('/v1'), apiKey: 'or-key' }));
  await listModels(connectionFor(presetById('azure')!, { apiKey: 'az', azure: { endpoint: server.url(''), deployment: 'dep' } }));
  assert.deepEqual(seen, [
    { url: '/v1/models', auth: 'Bearer or-key', apiKey: undefined },
    { url: '/openai/deployments/dep/models?api-version=2024-10-21', auth: undefined, apiKey: 'az' },
  ]);
});

test('a failed listing names the URL and gives the server its own words (never "no body")', async (t) => {
  const server = await startLoopbackServer({
    '/bad-key/models': (_request, response) =>
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-…abcd.', type: 'invalid_request_error', code: 'invalid_api_key' } })),
    '/empty/models': (_request, response) => response.writeHead(500).end(),
    '/html/models': (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>router login</html>'),
    '/huge/models': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 20 && response.write(block)) sent++;
        if (sent < 20) response.once('drain', more);
        else response.end();
      };
      more();
    },
  });
  t.after(() => server.close());
  const custom = presetById('custom')!;
  await assert.rejects(listModels(connectionFor(custom, { baseUrl: server.url('/bad-key') })), (error: unknown) => {
    assert.ok(error instanceof ModelListError);
    assert.equal(error.status, 401);
    assert.equal(error.message, `${server.url('/bad-key/models')} answered HTTP 401: Incorrect API key provided: sk-…abcd..`);
    return true;
  });
  await assert.rejects(listModels(connectionFor(custom, { baseUrl: server.url('/empty') })), /answered HTTP 500 with no error message/);
  await assert.rejects(listModels(connectionFor(custom, { baseUrl: server.url('/html') })), /did not answer with JSON \(it began "<html>router login/);
  await assert.rejects(listModels(connectionFor(custom, { baseUrl: server.url('/huge') })), /\/huge\/models sent more than 8 MB\./);
  const closed = await freePort();
  await assert.rejects(
    listModels(connectionFor(custom, { baseUrl: `http://127.0.0.1:${closed}/v1` })),
    new RegExp(`Could not reach http://127\\.0\\.0\\.1:${closed}/v1/models: ECONNREFUSED\\. Is the server running\\?`),
  );
});

test('error bodies of every common shape yield the server message', () => {
  assert.equal(serverMessage('{"object":"error","message":"auto tool choice requires --enable-auto-tool-choice","code":400}'), 'auto tool choice requires --enable-auto-tool-choice');
  assert.equal(serverMessage('[{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]'), 'API key not valid.');
  assert.equal(serverMessage('{"error":"model \\"llama9\\" not found, try pulling it first"}'), 'model "llama9" not found, try pulling it first');
  assert.equal(serverMessage('{"detail":"Not Found"}'), 'Not Found');
  assert.equal(serverMessage('plain text'), 'plain text');
  assert.equal(serverMessage(''), undefined);
  assert.deepEqual(parseModelList({ models: [{ name: 'qwen2.5-coder:7b', model: 'qwen2.5-coder:7b' }] }), [{ id: 'qwen2.5-coder:7b', contextWindow: undefined, price: undefined, ownedBy: undefined }]);
});

test('discovery finds the local servers that answer, with their models, and skips the rest', async (t) => {
  // Ollama answers /api/tags and /v1/models; an OpenAI-compatible server only /v1/models.
  const ollama = await startLoopbackServer({
    '/api/tags': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ models: [{ name: 'qwen2.5-coder:7b', model: 'qwen2.5-coder:7b', size: 4683087332, details: { family: 'qwen2' } }] }),
      ),
    '/v1/models': (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5-coder:7b', object: 'model', created: 1, owned_by: 'library' }] })),
  });
  const vllm = await startScriptedServer({ modelEntries: [{ id: 'Qwen/Qwen3-8B', object: 'model', owned_by: 'vllm', max_model_len: 40960 }] });
  // A web page on a probed port is not a model server; nor is a port that accepts and stalls.
  const webPage = await startLoopbackServer({ '/v1/models': (_q, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>') });
  const stalled = await stallingServer();
  const closed = await freePort();
  t.after(async () => {
    await Promise.all([ollama.close(), vllm.close(), webPage.close(), new Promise((done) => stalled.server.close(done))]);
  });
  const ports = [portOf(ollama.url('/')), portOf(vllm.baseURL), portOf(webPage.url('/')), stalled.port, closed];
  const started = performance.now();
  const found = await discoverLocalServers({ ports, timeoutMs: 2000 });
  const elapsed = performance.now() - started;
  assert.deepEqual(
    found.map((server) => ({ provider: server.provider, port: server.port, baseURL: server.baseURL, models: server.models.map((m) => [m.id, m.contextWindow]) })),
    [
      { provider: 'ollama', port: ports[0], baseURL: `http://127.0.0.1:${ports[0]}/v1`, models: [['qwen2.5-coder:7b', undefined]] },
      { provider: 'vllm', port: ports[1], baseURL: `http://127.0.0.1:${ports[1]}/v1`, models: [['Qwen/Qwen3-8B', 40960]] },
    ],
  );
  assert.ok(elapsed < 10_000, `the stalled port was given up on (took ${Math.round(elapsed)} ms)`);
  assert.equal(describeLocalServer(found[1]), `vLLM on 127.0.0.1:${ports[1]} (1 model)`);
});

test('discovery probes only 127.0.0.1', async () => {
  const asked: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request) => {
    asked.push(String(input instanceof Request ? input.url : input));
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  try {
    assert.deepEqual(await discoverLocalServers(), []);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.ok(asked.length >= 8, asked.join(', '));
  for (const url of asked) assert.match(url, /^http:\/\/127\.0\.0\.1:(11434|1234|8080|8000)\//);
});

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Accepts connections and never answers. */
async function stallingServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    server.closeAllConnections();
    return close(callback);
  }) as typeof server.close;
  return { server, port: (server.address() as AddressInfo).port };
}
