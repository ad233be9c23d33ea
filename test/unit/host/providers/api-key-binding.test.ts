// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKeyStore, boundSecretName } from '../../../../src/host/providers/api-key';
import { parseSettings, type GlassboxSettings } from '../../../../src/host/settings/settings-values';

// Issue 19: a key is bound to the provider and origin it was entered for. A workspace that
// points the endpoint elsewhere (with the person's consent or not) never gets it.

const settingsOf = (raw: Record<string, unknown>): GlassboxSettings => parseSettings((key) => raw[key]).settings;

class MemorySecrets {
  readonly values = new Map<string, string>();
  get = async (key: string) => this.values.get(key);
  store = async (key: string, value: string) => void this.values.set(key, value);
  delete = async (key: string) => void this.values.delete(key);
  onDidChange = () => ({ dispose: () => undefined });
}

test('a key is stored with its provider and origin, and read back only for exactly those', async () => {
  const secrets = new MemorySecrets();
  const own = settingsOf({ provider: 'custom', baseUrl: 'https://llm.example.com/v1' });
  const keys = new ApiKeyStore(secrets as never, () => own);
  await keys.set('sk-own');
  const stored = JSON.parse(secrets.values.get(boundSecretName('custom', 'https://llm.example.com'))!) as Record<string, string>;
  assert.deepEqual(stored, { provider: 'custom', origin: 'https://llm.example.com', key: 'sk-own' });
  assert.equal((await keys.keyForRun(own)).key, 'sk-own');

  for (const elsewhere of ['https://collector.example.net/v1', 'http://llm.example.com/v1', 'https://llm.example.com:8443/v1', 'http://127.0.0.1:9/v1']) {
    const theirs = settingsOf({ provider: 'custom', baseUrl: elsewhere });
    assert.equal(await keys.get('custom', new URL(elsewhere).origin), undefined, elsewhere);
    const run = await keys.keyForRun(theirs);
    assert.equal(run.key, undefined, `${elsewhere} gets no key`);
  }
});

test('a run against an endpoint with no key of its own asks for one for that endpoint', async () => {
  const secrets = new MemorySecrets();
  const keys = new ApiKeyStore(secrets as never, () => settingsOf({}));
  await keys.set('sk-openai', 'openai', 'https://api.openai.com');
  recorded.errors.length = 0;
  const theirs = settingsOf({ provider: 'custom', baseUrl: 'https://collector.example.net/v1' });
  assert.deepEqual(await keys.keyForRun(theirs), { key: undefined, usable: false });
  assert.match(recorded.errors[0]?.message ?? '', /needs an API key for Custom .*https:\/\/collector\.example\.net\/v1/);
  assert.deepEqual(recorded.errors[0]?.items, ['Set API Key']);
});

test('a record whose content names another origin than its name is not used', async () => {
  const secrets = new MemorySecrets();
  const theirs = settingsOf({ provider: 'custom', baseUrl: 'https://collector.example.net/v1' });
  await secrets.store(boundSecretName('custom', 'https://collector.example.net'), JSON.stringify({ provider: 'custom', origin: 'https://api.openai.com', key: 'sk' }));
  await secrets.store(boundSecretName('openai', 'https://api.openai.com'), 'not json');
  const keys = new ApiKeyStore(secrets as never, () => theirs);
  assert.equal(await keys.get(), undefined);
  assert.equal(await keys.get('openai', 'https://api.openai.com'), undefined);
});

test("keys stored before binding belong to the origin the person's own settings name, never the workspace's", async () => {
  const secrets = new MemorySecrets();
  await secrets.store('glassbox.apiKey', 'sk-openai');
  await secrets.store('glassbox.apiKey.groq', 'gsk');
  await secrets.store('glassbox.apiKey.vllm', 'vllm-key');
  await secrets.store('glassbox.apiKey.custom', 'custom-key');
  const own = settingsOf({ provider: 'vllm', baseUrl: 'https://gpu.example.com/v1' });
  // The workspace's endpoint is in force (consented), yet the old keys go to the person's endpoints.
  const current = settingsOf({ provider: 'vllm', baseUrl: 'https://collector.example.net/v1' });
  const keys = new ApiKeyStore(secrets as never, () => current, () => own);
  assert.equal(await keys.get(), undefined, 'the workspace endpoint does not inherit the old vLLM key');
  assert.equal(await keys.get('vllm', 'https://gpu.example.com'), 'vllm-key', "the person's own vLLM server has it");
  assert.equal(await keys.get('openai', 'https://api.openai.com'), 'sk-openai');
  assert.equal(await keys.get('groq', 'https://api.groq.com'), 'gsk');
  assert.equal(secrets.values.get('glassbox.apiKey.custom'), 'custom-key', 'a key whose endpoint cannot be told stays, unused');
  assert.equal(secrets.values.has('glassbox.apiKey'), false);
  assert.equal(secrets.values.has('glassbox.apiKey.groq'), false);
  assert.equal(secrets.values.has('glassbox.apiKey.vllm'), false);
});

test('an old key meeting a different key already bound to its endpoint stays where it was, unused', async () => {
  const secrets = new MemorySecrets();
  await secrets.store('glassbox.apiKey.groq', 'gsk-old');
  const keys = new ApiKeyStore(secrets as never, () => settingsOf({ provider: 'groq' }));
  await secrets.store(boundSecretName('groq', 'https://api.groq.com'), JSON.stringify({ provider: 'groq', origin: 'https://api.groq.com', key: 'gsk-new' }));
  assert.equal(await keys.get(), 'gsk-new');
  assert.equal(secrets.values.get('glassbox.apiKey.groq'), 'gsk-old', 'nothing lost');
});
