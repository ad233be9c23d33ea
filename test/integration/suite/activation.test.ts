import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { e2eEnv } from './env';

const EXTENSION_ID = 'glassbox.glassbox';

interface Manifest {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, { default?: unknown }> } };
}

function manifest(): Manifest {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return JSON.parse(readFileSync(join(extension.extensionPath, 'package.json'), 'utf8')) as Manifest;
}

describe('activation', () => {
  it('loads the extension from this repo and activates it without errors', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers every command the manifest contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest()
      .contributes.commands.map((c) => c.command)
      .filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('opens the test workspace (the folder the harness built)', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.scheme, 'file');
    assert.equal(folders[0].uri.fsPath, e2eEnv('GLASSBOX_E2E_WORKSPACE'));
  });
});

describe('settings', () => {
  it('reads glassbox.* from the user settings the harness wrote', () => {
    const config = vscode.workspace.getConfiguration('glassbox');
    assert.equal(config.get('baseUrl'), e2eEnv('GLASSBOX_E2E_BASE_URL'));
    assert.equal(config.get('model'), 'scripted-model');
  });

  it('falls back to the manifest defaults for settings nobody set', () => {
    const config = vscode.workspace.getConfiguration('glassbox');
    const properties = manifest().contributes.configuration.properties;
    for (const key of ['maxSteps', 'autoApprove.write', 'autoApprove.execute', 'autoApprove.network']) {
      const declared = properties[`glassbox.${key}`];
      assert.ok(declared, `glassbox.${key} is not declared in package.json`);
      assert.deepEqual(config.get(key), declared.default, `glassbox.${key}`);
    }
    assert.equal(config.get('autoApprove.write'), false, 'writes must not be auto-approved by default');
  });

  it('sees a changed setting at once', async () => {
    const config = vscode.workspace.getConfiguration('glassbox');
    await config.update('maxSteps', 7, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(vscode.workspace.getConfiguration('glassbox').get('maxSteps'), 7);
    } finally {
      await config.update('maxSteps', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
