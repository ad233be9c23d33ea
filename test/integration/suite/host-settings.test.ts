/** The host's typed settings over the real configuration service. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Settings } from '../../../src/host/settings/settings';
import type { GlassboxSettings, SettingsProblem } from '../../../src/host/settings/settings-values';
import { e2eEnv } from './env';

function nextChange(settings: Settings): Promise<GlassboxSettings> {
  return new Promise((resolve) => {
    const listener = settings.onDidChange((current) => {
      listener.dispose();
      resolve(current);
    });
  });
}

describe('host: settings', () => {
  const config = () => vscode.workspace.getConfiguration('glassbox');

  it('reads every setting into typed values, in the units runs use', () => {
    const settings = new Settings(() => assert.fail('no problem expected'));
    try {
      const current = settings.current;
      assert.equal(current.baseUrl, e2eEnv('GLASSBOX_E2E_BASE_URL').replace(/\/+$/, ''));
      assert.equal(current.model, 'scripted-model');
      assert.equal(current.toolTimeoutMs, (config().get<number>('toolTimeoutSeconds') ?? 0) * 1000);
      assert.equal(current.history.maxChatBytes, 20 * 1024 * 1024);
      assert.equal(current.autoApprove.write, false);
      assert.equal(current.autoApprove.remember, true);
    } finally {
      settings.dispose();
    }
  });

  it('follows a change at once, and reports a bad value naming the setting', async () => {
    const problems: SettingsProblem[] = [];
    const settings = new Settings((problem) => problems.push(problem));
    try {
      let changed = nextChange(settings);
      await config().update('maxSteps', 9, vscode.ConfigurationTarget.Global);
      assert.equal((await changed).maxSteps, 9);

      changed = nextChange(settings);
      await config().update('webSearchEndpoint', 'ftp://search.example', vscode.ConfigurationTarget.Global);
      assert.equal((await changed).webSearchEndpoint, undefined, 'a bad URL is ignored');
      assert.deepEqual(problems.map((p) => p.setting), ['glassbox.webSearchEndpoint']);
      assert.match(problems[0].message, /must start with http/);
    } finally {
      await config().update('maxSteps', undefined, vscode.ConfigurationTarget.Global);
      await config().update('webSearchEndpoint', undefined, vscode.ConfigurationTarget.Global);
      settings.dispose();
    }
  });
});
