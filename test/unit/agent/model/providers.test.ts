// Provider presets against loopback servers through the real `openai` SDK: the URL, query and
// headers each preset puts on the wire (Azure's deployment path, api-version and api-key).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelRequest } from '../../../../src/agent/model/model';
import { OpenAIModel } from '../../../../src/agent/model/openai-model';
import {
  AZURE_DEFAULT_API_VERSION,
  PROVIDER_PRESETS,
  ProviderSetupError,
  connectionFor,
  presetById,
  presetForBaseUrl,
} from '../../../../src/agent/model/providers';
import { startScriptedServer, textTurn } from '../../../support/scripted-server';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Hi' }], tools: [] };

async function answerThrough(connection: ReturnType<typeof connectionFor>): Promise<string> {
  const model = new OpenAIModel({
    baseURL: connection.baseURL,
    apiKey: connection.apiKey,
    headers: connection.headers,
    query: connection.query,
    model: connection.model ?? 'scripted-model',
  });
  let text = '';
  for await (const chunk of model.stream(ask, new AbortController().signal)) if (chunk.type === 'text') text += chunk.text;
  return text;
}

test('Azure OpenAI: the deployment in the path, api-version in the query, the key in api-key and no Bearer token', async (t) => {
  const server = await startScriptedServer([textTurn('Hello from Azure.'), textTurn('Again.')]);
  t.after(() => server.close());
  const endpoint = new URL(server.baseURL).origin;
  const connection = connectionFor(presetById('azure')!, {
    apiKey: 'azure-key-123',
    azure: { endpoint: `${endpoint}/`, deployment: 'gpt-4o-prod' },
  });
  assert.equal(await answerThrough(connection), 'Hello from Azure.');
  assert.equal(server.requestUrls[0], `/openai/deployments/gpt-4o-prod/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`);
  assert.equal(server.requestHeaders[0]['api-key'], 'azure-key-123');
  assert.equal(server.requestHeaders[0].authorization, undefined, 'Azure gets no Authorization header');
  assert.equal(server.requests[0].model, 'gpt-4o-prod');

  const pinned = connectionFor(presetById('azure')!, {
    apiKey: 'k',
    azure: { endpoint: `${endpoint}/openai`, deployment: 'mini', apiVersion: '2025-04-01-preview' },
  });
  await answerThrough(pinned);
  assert.equal(server.requestUrls[1], '/openai/deployments/mini/chat/completions?api-version=2025-04-01-preview');
});

test('Azure OpenAI: a missing endpoint, deployment or key is named, with what to give', () => {
  const azure = presetById('azure')!;
  assert.throws(() => connectionFor(azure, { apiKey: 'k', azure: { deployment: 'd' } }), /resource endpoint, e\.g\. https:\/\/contoso/);
  assert.throws(() => connectionFor(azure, { apiKey: 'k', azure: { endpoint: 'https://x.openai.azure.com' } }), /deployment name/);
  assert.throws(() => connectionFor(azure, { azure: { endpoint: 'https://x.openai.azure.com', deployment: 'd' } }), /needs an API key/);
  assert.throws(() => connectionFor(azure, { apiKey: 'k', azure: { endpoint: 'https://x', deployment: 'a/b' } }), /not a deployment name/);
});

// Every other preset, pointed at a loopback server: the base URL's path, the Bearer key (when
// one is given) and the preset's own headers are what reaches the wire.
for (const preset of PROVIDER_PRESETS.filter((p) => p.id !== 'azure')) {
  test(`${preset.label}: requests go to {baseURL}/chat/completions with its key and headers`, async (t) => {
    const server = await startScriptedServer([textTurn(`Hi from ${preset.id}.`)]);
    t.after(() => server.close());
    const key = preset.key === 'none' ? undefined : `key-for-${preset.id}`;
    const connection = connectionFor(preset, { baseUrl: `${server.baseURL}/`, apiKey: key, model: 'scripted-model' });
    assert.equal(connection.baseURL, server.baseURL, 'trailing slash dropped');
    assert.equal(await answerThrough(connection), `Hi from ${preset.id}.`);
    assert.equal(server.requestUrls[0], '/v1/chat/completions');
    assert.equal(server.requestHeaders[0].authorization, key ? `Bearer ${key}` : 'Bearer no-key-needed');
    for (const [name, value] of Object.entries(preset.headers ?? {})) assert.equal(server.requestHeaders[0][name.toLowerCase()], value);
  });
}

test('hosted presets carry their documented base URLs; local ones their loopback ports', () => {
  const base = (id: string) => presetById(id)!.baseUrl;
  assert.equal(base('openai'), 'https://api.openai.com/v1');
  assert.equal(base('openrouter'), 'https://openrouter.ai/api/v1');
  assert.equal(base('groq'), 'https://api.groq.com/openai/v1');
  assert.equal(base('deepseek'), 'https://api.deepseek.com/v1');
  assert.equal(base('mistral'), 'https://api.mistral.ai/v1');
  assert.equal(base('gemini'), 'https://generativelanguage.googleapis.com/v1beta/openai');
  assert.equal(base('ollama'), 'http://127.0.0.1:11434/v1');
  assert.equal(base('lmstudio'), 'http://127.0.0.1:1234/v1');
  assert.equal(base('llamacpp'), 'http://127.0.0.1:8080/v1');
  assert.equal(base('vllm'), 'http://127.0.0.1:8000/v1');
  assert.equal(connectionFor(presetById('ollama')!).model, undefined, 'a local server has no default model');
});

test('a hosted preset without a key says where to get one; custom needs a URL', () => {
  assert.throws(() => connectionFor(presetById('groq')!), (error: unknown) => {
    assert.ok(error instanceof ProviderSetupError);
    assert.match(error.message, /Groq needs an API key \(get one at https:\/\/console\.groq\.com\/keys\)/);
    return true;
  });
  assert.throws(() => connectionFor(presetById('custom')!), /needs a base URL/);
  assert.throws(() => connectionFor(presetById('custom')!, { baseUrl: 'ftp://x/v1' }), /must start with http/);
  assert.equal(connectionFor(presetById('llamacpp')!).apiKey, undefined, 'llama.cpp runs without a key');
});

test('a hand-set base URL is filed under its provider (for the key and the chat header)', () => {
  assert.equal(presetForBaseUrl(undefined).id, 'openai');
  assert.equal(presetForBaseUrl('http://localhost:11434/v1').id, 'ollama');
  assert.equal(presetForBaseUrl('http://127.0.0.1:1234/v1').id, 'lmstudio');
  assert.equal(presetForBaseUrl('https://contoso.openai.azure.com/openai/deployments/x').id, 'azure');
  assert.equal(presetForBaseUrl('https://api.groq.com/openai/v1').id, 'groq');
  assert.equal(presetForBaseUrl('http://10.0.0.5:11434/v1').id, 'custom', 'a port alone does not make a remote host Ollama');
  assert.equal(presetForBaseUrl('not a url').id, 'custom');
});
