// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryKeyValueStore } from '../../../../src/agent/history/key-value-store';
import { EndpointConsentPrompt, EndpointConsents } from '../../../../src/host/providers/endpoint-consent';
import type { WorkspaceEndpoint } from '../../../../src/host/settings/settings';

// Issue 19: a workspace's endpoint is used only after a modal naming it and the workspace; the
// answer is kept per workspace (workspaceState) and can be taken back.

const pending = (consents: EndpointConsents): { workspaceEndpoint: WorkspaceEndpoint } => ({
  get workspaceEndpoint() {
    const id = 'custom http://10.0.0.5:8000/v1';
    return { id, url: 'http://10.0.0.5:8000/v1', ownUrl: 'https://api.openai.com/v1', workspace: 'cloned-repo', consented: consents.has(id) };
  },
});

test('before a run the person is asked once in a modal naming the endpoint and the workspace; closing it agrees to nothing', async () => {
  const consents = new EndpointConsents(new InMemoryKeyValueStore());
  const prompt = new EndpointConsentPrompt(pending(consents), consents);
  recorded.warnings.length = 0;
  await prompt.beforeRun();
  assert.equal(recorded.warnings.length, 1);
  const [asked] = recorded.warnings;
  assert.equal(asked.modal, true);
  assert.equal(asked.message, 'The workspace "cloned-repo" sends Glassbox\'s requests to http://10.0.0.5:8000/v1: its code and your questions go there.');
  assert.match(asked.detail ?? '', /yours name https:\/\/api\.openai\.com\/v1\. Until you allow it, Glassbox uses yours/);
  assert.deepEqual(asked.items, ['Use This Endpoint']);
  assert.equal(consents.has('custom http://10.0.0.5:8000/v1'), false, 'Escape or Cancel is a no');

  await prompt.beforeRun();
  assert.equal(recorded.warnings.length, 1, 'not asked again in this session before every run');
});

test('"Use This Endpoint" is remembered for the workspace until revoked', async () => {
  const state = new InMemoryKeyValueStore();
  const consents = new EndpointConsents(state);
  const prompt = new EndpointConsentPrompt(pending(consents), consents);
  let changes = 0;
  consents.onDidChange(() => changes++);
  recorded.nextWarningChoice = 'Use This Endpoint';
  assert.equal(await prompt.ask(), true);
  assert.equal(consents.has('custom http://10.0.0.5:8000/v1'), true);
  assert.equal(new EndpointConsents(state).has('custom http://10.0.0.5:8000/v1'), true, 'kept in workspaceState, across sessions');
  recorded.warnings.length = 0;
  await prompt.beforeRun();
  assert.equal(recorded.warnings.length, 0, 'agreed: nothing to ask');

  await consents.revoke('custom http://10.0.0.5:8000/v1');
  assert.equal(consents.has('custom http://10.0.0.5:8000/v1'), false);
  assert.equal(changes, 2, 'settings re-read on grant and on revoke');
});

test('a stored value that is not a list of identities grants nothing', async () => {
  const state = new InMemoryKeyValueStore();
  await state.update('glassbox.workspaceEndpointConsents', 'custom http://10.0.0.5:8000/v1');
  assert.deepEqual(new EndpointConsents(state).list(), []);
  await state.update('glassbox.workspaceEndpointConsents', [42, 'custom http://10.0.0.5:8000/v1']);
  assert.deepEqual(new EndpointConsents(state).list(), ['custom http://10.0.0.5:8000/v1']);
});
