/**
 * The API key's SecretStorage round trip through the real commands: Set API Key (a password
 * box) stores it, it survives a window reload, Clear API Key removes it, and a second Clear
 * finds nothing. The messages come from reading SecretStorage back, so each step proves the
 * store's state.
 */
import assert from 'node:assert/strict';
import type { UiScenario } from '../harness/ui-scenario';
import { clearNotifications, reloadWindow, runCommand, submitInputBox, waitForInputBox, waitForNotification } from '../harness/workbench';
import { sampleProject } from './fixtures';

export const apiKey: UiScenario = {
  name: 'api-key',
  title: 'Set API Key stores the key in SecretStorage (survives reload); Clear removes it',
  files: sampleProject,
  turns: [],
  async run(session) {
    const { page, shots } = session;
    await runCommand(page, 'Glassbox: Clear API Key');
    await waitForNotification(page, 'no API key was set');
    await clearNotifications(page);

    await runCommand(page, 'Glassbox: Set API Key');
    const input = await waitForInputBox(page, 'Glassbox: Set API Key');
    assert.equal(await input.getAttribute('type'), 'password', 'the key is typed into a password box');
    await input.fill('sk-e2e-round-trip-0123456789');
    await shots.take(page, 'password-box');
    await submitInputBox(page);
    await waitForNotification(page, 'API key saved');
    await shots.take(page, 'saved');
    await clearNotifications(page);

    await reloadWindow(page);
    await runCommand(page, 'Glassbox: Clear API Key');
    await waitForNotification(page, 'API key cleared');
    await shots.take(page, 'cleared-after-reload');
    await clearNotifications(page);

    await runCommand(page, 'Glassbox: Clear API Key');
    await waitForNotification(page, 'no API key was set');
    await shots.take(page, 'nothing-left');
  },
};
