// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiKeyStore, boundSecretName } from '../../../../src/host/providers/api-key';
import { connectionOf, needsKey, shortProviderLabel } from '../../../../src/host/providers/provider-connection';
import { effectiveProvider, endpointLabel } from '../../../../src/host/settings/settings-endpoint';
import { HOST_PROVIDER_IDS, parseSettings, type GlassboxSettings } from '../../../../src/host/settings/settings-values';
import { repoRoot } from '../../../support/paths';

const settingsOf = (raw: Record<string, unknown>) => parseSettings((key) => raw[key]);

interface Manifest {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> } };
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

test('provider settings parse, and bad values fall back with a problem naming the setting', () => {
  const { settings, problems } = settingsOf({ provider: 'azure', 'azure.endpoint': 'https://contoso.openai.azure.com/', 'azure.deployment': 'gpt4o', discoveryPorts: [11434, 9999] });
  assert.deepEqual(problems, []);
  assert.equal(settings.provider, 'azure');
  assert.deepEqual(settings.azure, { endpoint: 'https://contoso.openai.azure.com', deployment: 'gpt4o', apiVersion: '2024-10-21' });
  assert.deepEqual(settings.discoveryPorts, [11434, 9999]);

  const bad = settingsOf({ provider: 'bedrock', discoveryPorts: [80, 70000] });
  assert.equal(bad.settings.provider, undefined);
  assert.deepEqual(bad.settings.discoveryPorts, [11434, 1234, 8080, 8000]);
  assert.deepEqual(bad.problems.map((p) => p.setting), ['glassbox.provider', 'glassbox.discoveryPorts']);
});

test('the manifest offers every provider, and Restricted Mode ignores every setting that says where requests go', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.deepEqual(properties['glassbox.provider'].enum, ['', ...HOST_PROVIDER_IDS]);
  assert.deepEqual(properties['glassbox.discoveryPorts'].default, [11434, 1234, 8080, 8000]);
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  for (const setting of ['glassbox.baseUrl', 'glassbox.provider', 'glassbox.azure.endpoint', 'glassbox.azure.deployment', 'glassbox.azure.apiVersion', 'glassbox.discoveryPorts']) {
    assert.ok(restricted.includes(setting), `${setting} is not restricted in untrusted workspaces`);
  }
  const commands = manifest.contributes.commands.map((c) => c.command);
  assert.ok(commands.includes('glassbox.selectProvider') && commands.includes('glassbox.selectModel'));
});

test('which provider the settings mean, whether it needs a key, and where its requests go', () => {
  const of = (raw: Record<string, unknown>): GlassboxSettings => settingsOf(raw).settings;
  assert.equal(effectiveProvider(of({})), 'openai');
  assert.equal(effectiveProvider(of({ baseUrl: 'http://127.0.0.1:11434/v1' })), 'ollama');
  assert.equal(effectiveProvider(of({ provider: 'groq', baseUrl: 'http://127.0.0.1:11434/v1' })), 'groq', 'a chosen provider wins');
  assert.equal(needsKey(of({})), true);
  assert.equal(needsKey(of({ provider: 'ollama' })), false);
  assert.equal(needsKey(of({ provider: 'vscode-lm' })), false);
  assert.equal(needsKey(of({ provider: 'vllm', baseUrl: 'http://127.0.0.1:8000/v1' })), false);
  assert.equal(needsKey(of({ provider: 'vllm', baseUrl: 'https://gpu.example.com/v1' })), true, 'a remote vLLM is not left open');
  assert.equal(needsKey(of({ baseUrl: 'https://proxy.example.com/v1' })), true, 'a remote custom endpoint needs a key, as before');
  assert.equal(shortProviderLabel('gemini'), 'Gemini');
  assert.equal(shortProviderLabel('custom'), 'Custom');

  const azure = of({ provider: 'azure', 'azure.endpoint': 'https://contoso.openai.azure.com', 'azure.deployment': 'gpt4o', model: 'gpt4o' });
  assert.equal(endpointLabel(azure), 'https://contoso.openai.azure.com/openai/deployments/gpt4o');
  const connection = connectionOf(azure, 'k');
  assert.deepEqual(connection.query, { 'api-version': '2024-10-21' });
  assert.equal(connection.headers['api-key'], 'k');
  assert.throws(() => connectionOf(of({ provider: 'azure' }), 'k'), /needs your resource endpoint/);
  assert.equal(connectionOf(of({ provider: 'groq' }), undefined).baseURL, 'https://api.groq.com/openai/v1');
});

test("a hosted provider's key goes only to its own host; a base URL elsewhere is refused before any request", async () => {
  const secrets = new MemorySecrets();
  await secrets.store(boundSecretName('groq', 'https://api.groq.com'), JSON.stringify({ provider: 'groq', origin: 'https://api.groq.com', key: 'gsk-secret' }));
  const { settings } = settingsOf({ provider: 'groq', baseUrl: 'https://collector.example.net/openai/v1' });
  const keys = new ApiKeyStore(secrets as never, () => settings);
  recorded.errors.length = 0;
  assert.deepEqual(await keys.keyForRun(settings), { key: undefined, usable: false });
  assert.match(recorded.errors[0]?.message ?? '', /points at collector\.example\.net, not Groq's api\.groq\.com: Glassbox does not send your Groq key there/);
  assert.deepEqual(recorded.errors[0]?.items, ['Select Provider']);

  const own = settingsOf({ provider: 'groq', baseUrl: 'https://api.groq.com/openai/v1' }).settings;
  assert.deepEqual(await keys.keyForRun(own), { key: 'gsk-secret', usable: true });
  const local = settingsOf({ provider: 'ollama', baseUrl: 'http://127.0.0.1:9999/v1' }).settings;
  assert.equal((await keys.keyForRun(local)).usable, true, 'a local server on another port is fine');
});

class MemorySecrets {
  readonly values = new Map<string, string>();
  get = async (key: string) => this.values.get(key);
  store = async (key: string, value: string) => void this.values.set(key, value);
  delete = async (key: string) => void this.values.delete(key);
  onDidChange = () => ({ dispose: () => undefined });
}

test('each provider keeps its own key, bound to its origin; a hand-set base URL finds the single key of before there only', async () => {
  const secrets = new MemorySecrets();
  const endpoint = (provider: GlassboxSettings['provider'], baseUrl?: string) => settingsOf({ provider, baseUrl }).settings;
  // A key stored before keys were bound: it belongs to the endpoint the person's own settings name.
  await secrets.store('glassbox.apiKey', 'sk-openai');
  let current = endpoint(undefined, 'https://proxy.example.com/v1');
  const keys = new ApiKeyStore(secrets as never, () => current);
  assert.equal(await keys.get(), 'sk-openai', 'no provider chosen: the key of before, at the hand-set endpoint');
  assert.deepEqual([...secrets.values.keys()], [boundSecretName('custom', 'https://proxy.example.com')], 'bound once, the old entry gone');

  current = endpoint('groq');
  await keys.set('gsk-1');
  assert.ok(secrets.values.has('glassbox.apiKey.groq@https://api.groq.com'));
  assert.equal(await keys.get('openai'), undefined, "Groq's key is never sent to OpenAI");
  assert.equal(await keys.get(), 'gsk-1');
  assert.equal(await keys.get('groq', 'https://collector.example.net'), undefined, "Groq's key is not for another origin");
  current = endpoint('mistral');
  assert.equal(await keys.get(), undefined, 'a chosen provider without a key has none');

  recorded.messages.length = 0;
  current = endpoint('groq');
  await keys.clearWithNotice();
  assert.equal(secrets.values.has('glassbox.apiKey.groq@https://api.groq.com'), false);
  assert.ok(secrets.values.has(boundSecretName('custom', 'https://proxy.example.com')), "clearing Groq's key leaves the other");
  assert.deepEqual(recorded.messages, ['Glassbox: API key cleared for Groq (https://api.groq.com).']);
});
