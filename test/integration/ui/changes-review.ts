/**
 * Reviewing a run's changes in code-server: a command changes three files (one edited in
 * two places, one deleted, one appended to); "Glassbox: Show Changes" lists them; a file opens
 * as a diff; in the file's own editor, Undo above one hunk puts that hunk alone back, Keep All
 * keeps the rest of the file, and Keep All for the chat empties the view. The chat notes the undo.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UiScenario } from '../harness/ui-scenario';
import { askInChat, openChat, turn, waitForAnswer } from '../harness/glassbox-ui';
import { clickModalButton, runCommand, waitForModal } from '../harness/workbench';
import { sampleProject } from './fixtures';

const CALC = ['export const one = 1;', 'export const two = 2;', 'export const three = 3;', 'export const four = 4;', 'export const five = 5;', 'export const six = 6;', 'export const seven = 7;', 'export const eight = 8;', ''].join('\n');

export const changesReview: UiScenario = {
  name: 'changes-review',
  title: 'after a run that changed three files, the Changes view lists them; Undo of one hunk in the editor reverts it alone, Keep keeps the rest',
  files: { ...sampleProject, 'src/calc.ts': CALC },
  turns: [
    [{ kind: 'tool-calls', calls: [{ name: 'run_command', args: { command: "sed -i -e 's/one = 1;/one = 100;/' -e 's/eight = 8;/eight = 800;/' src/calc.ts && rm notes/todo.txt && echo 'Now with tests.' >> README.md" } }] }],
    [{ kind: 'text', text: 'I scaled two constants, removed the todo note and updated the README.' }],
  ],
  async run(session) {
    const { page, shots, dirs } = session;
    const at = (path: string) => join(dirs.workspace, path);
    const chat = await openChat(page);
    await askInChat(chat, 'Scale the constants, drop the todo note, mention tests in the README.');
    await clickModalButton(await waitForModal(page), 'Allow once');
    await waitForAnswer(chat, 0, /scaled two constants/);
    assert.equal(existsSync(at('notes/todo.txt')), false);

    // (The chat's "N files changed" opens it too, but counts only files written by write tools, not by a command.)
    await runCommand(page, 'Glassbox: Show Changes');
    const row = (name: RegExp) => page.getByRole('treeitem', { name });
    await row(/^src\/calc\.ts, modified \+2 −2$/).waitFor({ timeout: 20_000 });
    await row(/^notes\/todo\.txt, deleted −2$/).waitFor();
    await row(/^README\.md, modified \+1$/).waitFor();
    await shots.take(page, 'changes-view');

    // A file opens as a diff: before the chat's first change ↔ now.
    await row(/^src\/calc\.ts/).click();
    await page.locator('.editor-instance .monaco-diff-editor').first().waitFor({ timeout: 20_000 });
    await page.locator('.monaco-diff-editor .view-lines', { hasText: /one\s=\s100/ }).first().waitFor({ timeout: 10_000 });
    await shots.take(page, 'calc-diff');

    // The file's own editor, alone (the run's problem check may have opened the files it touched):
    // Keep and Undo above each hunk.
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Go to File...');
    await page.locator('.quick-input-widget .quick-input-box input').fill('src/calc.ts');
    // The file itself (label "calc.ts"), not the recently opened diff of it.
    await page
      .locator('.quick-input-widget [role="option"]')
      .filter({ has: page.locator('.label-name', { hasText: /^calc\.ts$/ }) })
      .first()
      .click({ timeout: 10_000 });
    const lenses = page.locator('.editor-instance:not(.monaco-diff-editor) .codelens-decoration');
    await lenses.getByText('Glassbox: 2 changes to review').waitFor({ timeout: 20_000 });
    await shots.take(page, 'calc-hunk-actions');

    // Undo the first hunk (line 1) only. A click can land while the workbench lays the editor
    // out again (the run's problem check opens the files it touched, late): clicked again only
    // while the file on disk shows the hunk still there, so it is never undone twice.
    const firstUndo = lenses.filter({ hasText: 'Glassbox: 2 changes to review' }).getByText('Undo', { exact: true });
    for (let attempt = 0; attempt < 3 && readFileSync(at('src/calc.ts'), 'utf8').includes('one = 100;'); attempt++) {
      await firstUndo.click();
      await lenses.getByText('Glassbox: 1 change to review').waitFor({ timeout: 7_000 }).catch(() => undefined);
    }
    await lenses.getByText('Glassbox: 1 change to review').waitFor({ timeout: 20_000 });
    const calc = readFileSync(at('src/calc.ts'), 'utf8');
    assert.match(calc, /^export const one = 1;\n/, 'the undone hunk is back as it was');
    assert.match(calc, /export const eight = 800;\n$/, 'the other hunk stays');
    await shots.take(page, 'one-hunk-undone');

    // Keep the rest of the file: the marks go, the file leaves the list, nothing is written.
    await lenses.getByText('Keep All in File', { exact: true }).click();
    await row(/^src\/calc\.ts/).waitFor({ state: 'detached', timeout: 20_000 });
    await lenses.getByText('Glassbox: 1 change to review').waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(readFileSync(at('src/calc.ts'), 'utf8'), calc);
    await row(/^README\.md/).waitFor();
    await shots.take(page, 'calc-kept');

    // The chat says what the person undid (among the turn's steps).
    await turn(chat, 0).locator('details.steps > summary.steps-summary').click();
    await turn(chat, 0).getByText('You undid 1 hunk in src/calc.ts.').waitFor({ timeout: 20_000 });
    await runCommand(page, 'Glassbox: Keep All Changes of This Chat');
    await row(/^README\.md/).waitFor({ state: 'detached', timeout: 20_000 });
    assert.equal(readFileSync(at('README.md'), 'utf8'), `${sampleProject['README.md']}Now with tests.\n`);
    assert.equal(existsSync(at('notes/todo.txt')), false, 'Keep leaves the deletion');
    await shots.take(page, 'all-kept');
  },
};
