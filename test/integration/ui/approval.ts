/**
 * A risky call raises VS Code's modal dialog. Allow once → the file changes on disk, and Undo
 * in its editor restores it. Deny → the file stays as it is and the model is told the call was
 * denied. If the dialog were skipped (auto-allowed), the waits for the modal fail the scenario.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, waitForAnswer } from '../harness/glassbox-ui';
import { clickModalButton, waitForModal } from '../harness/workbench';
import { contentOf, sampleProject } from './fixtures';

const ORIGINAL = sampleProject['notes/todo.txt'];

export const approval: UiScenario = {
  name: 'approval',
  title: 'risky call → modal; Allow changes the file (Undo restores it); Deny leaves it and tells the model',
  files: sampleProject,
  // What ships is what is tested: the packaged VSIX, installed into code-server.
  installed: true,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'notes/todo.txt', content: 'changed by the agent\n' } }] }],
    [{ kind: 'text', text: 'I updated notes/todo.txt.' }],
    [{ kind: 'tool-calls', calls: [{ name: 'write_file', args: { path: 'notes/todo.txt', content: 'second change\n' } }] }],
    [{ kind: 'text', text: 'You denied the write, so notes/todo.txt is unchanged.' }],
  ],
  async run(session) {
    const { page, shots, model, dirs } = session;
    const onDisk = () => readFileSync(join(dirs.workspace, 'notes/todo.txt'), 'utf8');
    const chat = await openChat(page);

    // Allow once.
    await askInChat(chat, 'Update the todo note.');
    let dialog = await waitForModal(page);
    assert.match(await dialog.innerText(), /notes\/todo\.txt/, 'the dialog names the file');
    assert.equal(onDisk(), ORIGINAL, 'nothing is written while the person decides');
    await shots.take(page, 'modal-allow');
    await clickModalButton(dialog, 'Allow once');
    await waitForAnswer(chat, 0, /I updated/);
    assert.equal(onDisk(), 'changed by the agent\n');
    await shots.take(page, 'allowed');

    // Undo in the file's editor restores the old text (the write was a WorkspaceEdit).
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget .quick-input-box input');
    await quickOpen.fill('notes/todo.txt');
    await page.locator('.quick-input-widget [role="option"]', { hasText: 'todo.txt' }).first().waitFor();
    await quickOpen.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'changed by the agent' }).waitFor();
    await editor.click();
    await page.keyboard.press('Control+Z');
    await editor.locator('.view-lines', { hasText: 'first line' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+S');
    await waitUntil(() => onDisk() === ORIGINAL, 10_000, () => `after Undo + Save the file holds ${JSON.stringify(onDisk())}`);
    await shots.take(page, 'undone');

    // Deny.
    await askInChat(chat, 'Now replace it with something else.');
    dialog = await waitForModal(page);
    await shots.take(page, 'modal-deny');
    await clickModalButton(dialog, 'Deny');
    await waitForAnswer(chat, 1, /denied the write/);
    assert.equal(onDisk(), ORIGINAL, 'a denied write changes nothing');
    await shots.take(page, 'denied');

    const { requests } = await model.requests();
    assert.equal(requests.length, 4);
    const toolReplies = requests[3].messages.filter((message) => message.role === 'tool');
    assert.match(contentOf(toolReplies.at(-1)), /denied/i, 'the model is told the call was denied');
  },
};

async function waitUntil(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
