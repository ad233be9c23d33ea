/**
 * "Restore to before this step" from the chat, on the packaged VSIX: a command (approved in the
 * modal, which says what a restore can and cannot bring back) deletes one file and edits
 * another; the step's Restore button shows which files will change, picking one opens its
 * diff, and Restore puts both back on disk exactly.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { clickModalButton, waitForModal, waitForNotification } from '../harness/workbench';
import { sampleProject } from './fixtures';

export const checkpointRestore: UiScenario = {
  name: 'checkpoint-restore',
  title: 'a command deletes and edits files; "Restore to before this step" in the chat previews (with a diff) and restores them',
  files: sampleProject,
  installed: true,
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'run_command', args: { command: 'rm notes/todo.txt && echo "# Rewritten by a command" > README.md' } }] }],
    [{ kind: 'text', text: 'I removed the todo note and rewrote the README.' }],
  ],
  async run(session) {
    const { page, shots, dirs } = session;
    const at = (path: string) => join(dirs.workspace, path);
    const chat = await openChat(page);
    await askInChat(chat, 'Clean up the notes and rewrite the README.');

    const dialog = await waitForModal(page);
    const said = await dialog.innerText();
    assert.match(said, /Restore to before this step brings back: files in this workspace/, said);
    assert.match(said, /cannot bring back: anything outside the workspace/, said);
    await shots.take(page, 'command-modal');
    await clickModalButton(dialog, 'Allow once');
    await waitForAnswer(chat, 0, /removed the todo note/);
    assert.equal(existsSync(at('notes/todo.txt')), false, 'the command deleted the file');
    assert.equal(readFileSync(at('README.md'), 'utf8'), '# Rewritten by a command\n');

    // Open the answer's steps, the command's step, then its Restore button.
    await turn(chat, 0).locator('details.steps > summary.steps-summary').click();
    const step = turn(chat, 0).locator('details.step-item.tool').first();
    // The step's own summary, not the Problems block nested in it.
    await step.locator(':scope > summary').click();
    const restore = step.locator('button.restore-checkpoint');
    await restore.waitFor({ timeout: 15_000 });
    await shots.take(page, 'step-with-restore');
    await restore.click();

    const options = page.locator('.quick-input-widget [role="option"]');
    await options.filter({ hasText: 'Restore 2 files' }).waitFor({ timeout: 20_000 });
    const listed = (await options.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    assert.ok(listed.some((text) => /README\.md.*changed since: reverted/.test(text)), listed.join('\n'));
    assert.ok(listed.some((text) => /notes\/todo\.txt.*deleted since: brought back/.test(text)), listed.join('\n'));
    await shots.take(page, 'restore-preview');

    // A file's diff, on click.
    await options.filter({ hasText: 'README.md' }).first().click();
    await page.locator('.editor-instance .monaco-diff-editor').first().waitFor({ timeout: 20_000 });
    // Monaco renders spaces as no-break spaces: match them with \s.
    await page.locator('.monaco-diff-editor .view-lines', { hasText: /calculator\slibrary/ }).first().waitFor({ timeout: 10_000 });
    await shots.take(page, 'restore-diff');
    assert.equal(readFileSync(at('README.md'), 'utf8'), '# Rewritten by a command\n', 'the preview changes nothing');

    await options.filter({ hasText: 'Restore 2 files' }).click();
    await waitForNotification(page, /restored 2 files to before this step/);
    assert.equal(readFileSync(at('README.md'), 'utf8'), sampleProject['README.md']);
    assert.equal(readFileSync(at('notes/todo.txt'), 'utf8'), sampleProject['notes/todo.txt']);
    await shots.take(page, 'restored');
  },
};
