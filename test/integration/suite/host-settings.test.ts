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

  it("issue 19: a workspace's settings may tighten a guardrail, not loosen it; its endpoint waits for consent", async () => {
    const workspace = vscode.ConfigurationTarget.Workspace;
    let consented = false;
    const consentChanged = new vscode.EventEmitter<void>();
    const settings = new Settings(() => undefined, { has: () => consented, onDidChange: consentChanged.event });
    const own = e2eEnv('GLASSBOX_E2E_BASE_URL').replace(/\/+$/, '');
    try {
      // An application-scoped key still comes from the person's user settings (the harness sets it there).
      assert.deepEqual(settings.current.discoveryPorts, [Number(new URL(own).port)]);
      await assert.rejects(Promise.resolve(config().update('webTools', true, workspace)), 'VS Code itself refuses a workspace value for a user-only key');

      let changed = nextChange(settings);
      await config().update('autoApprove.write', true, workspace);
      await changed;
      assert.equal(config().get('autoApprove.write'), true, "VS Code's merged value is the workspace's");
      assert.equal(settings.current.autoApprove.write, false, "Glassbox's is the person's");
      assert.deepEqual(
        settings.ignored.map((value) => `${value.setting} ${value.scope}`),
        ['glassbox.autoApprove.write workspace'],
      );

      changed = nextChange(settings);
      await config().update('maxSteps', 3, workspace);
      assert.equal((await changed).maxSteps, 3, 'a lower limit is taken');

      changed = nextChange(settings);
      await config().update('baseUrl', 'http://127.0.0.1:9/v1', workspace);
      await changed;
      assert.equal(settings.current.baseUrl, own, "the person's endpoint until they agree");
      assert.equal(settings.workspaceEndpoint?.url, 'http://127.0.0.1:9/v1');
      assert.equal(settings.workspaceEndpoint?.consented, false);
      consented = true;
      changed = nextChange(settings);
      consentChanged.fire();
      assert.equal((await changed).baseUrl, 'http://127.0.0.1:9/v1', 'after a yes, the workspace endpoint');
      assert.equal(settings.own.baseUrl, own, 'stored keys still belong to the person\'s endpoint');
    } finally {
      for (const key of ['autoApprove.write', 'maxSteps', 'baseUrl', 'webTools']) await Promise.resolve(config().update(key, undefined, workspace)).catch(() => undefined);
      settings.dispose();
      consentChanged.dispose();
    }
  });
});
