/**
 * The Changes review inside a real VS Code: a file a run changed in two places shows two hunks
 * with Keep and Undo; Undo of one puts that hunk alone back (the other stays), as an edit the
 * editor's own Undo takes back; Keep clears a mark; a deleted file is brought back.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CheckpointStore } from '../../../src/agent/checkpoints/checkpoint-store';
import type { EventOf } from '../../../src/agent/events';
import { ChangeReview } from '../../../src/host/changes/change-review';
import { HunkLenses } from '../../../src/host/changes/hunk-lenses';
import { e2eEnv } from './env';

const BEFORE = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', ''].join('\n');
// The run changed line two and appended a line: two hunks, unchanged lines between them.
const AFTER = ['one', 'TWO (run)', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine (run)', ''].join('\n');

describe('host: Changes review per hunk', () => {
  const root = () => e2eEnv('GLASSBOX_E2E_WORKSPACE');
  let storeDir: string;
  let store: CheckpointStore;
  let review: ChangeReview;
  let lenses: HunkLenses;
  const notes: Pick<EventOf<'changes-undone'>, 'paths' | 'hunks' | 'scope'>[] = [];

  before(() => {
    mkdirSync(join(root(), 'review'), { recursive: true });
    writeFileSync(join(root(), 'review', 'two-hunks.txt'), BEFORE);
    writeFileSync(join(root(), 'review', 'gone.txt'), 'bring me back\n');
    storeDir = mkdtempSync(join(tmpdir(), 'glassbox-review-store-'));
    store = new CheckpointStore({ storeDir, workspace: root() });
    // What the agent's loop does before its write, then the write and a delete.
    store.create({ label: 'before write_file: review/two-hunks.txt', runId: 'run-review', step: 1 });
    writeFileSync(join(root(), 'review', 'two-hunks.txt'), AFTER);
    unlinkSync(join(root(), 'review', 'gone.txt'));
    review = new ChangeReview({ store: () => store, runIds: async () => ['run-review'], noteUndo: (undo) => notes.push(undo) });
    lenses = new HunkLenses(review);
  });

  after(async () => {
    lenses.dispose();
    review.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('lists the changed and deleted files, and shows Keep and Undo above each of two hunks', async () => {
    await review.refresh();
    const listed = review.files.filter((file) => file.path.startsWith('review/')).map(({ path, kind, added, removed }) => ({ path, kind, added, removed }));
    assert.deepEqual(listed, [
      { path: 'review/gone.txt', kind: 'deleted', added: 0, removed: 1 },
      { path: 'review/two-hunks.txt', kind: 'modified', added: 2, removed: 1 },
    ]);
    const uri = vscode.Uri.file(join(root(), 'review', 'two-hunks.txt'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(review.hunksOf(document).length, 2);
    const shown = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = shown.filter((lens) => lens.command?.command.startsWith('glassbox.changes.')).map((lens) => `${lens.range.start.line}:${lens.command!.title}`);
    assert.deepEqual(ours.sort(), ['0:Keep All in File', '0:Undo All in File', '1:Keep', '1:Undo', '8:Keep', '8:Undo'].sort());
  });

  it('Undo of one hunk reverts it alone; the editor\'s Undo brings it back', async () => {
    const uri = vscode.Uri.file(join(root(), 'review', 'two-hunks.txt'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const [first] = review.hunksOf(document);
    await review.undoHunk(document, first);
    const reverted = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine (run)', ''].join('\n');
    assert.equal(document.getText(), reverted, 'the first hunk is back as it was, the second stays');
    assert.equal(readFileSync(uri.fsPath, 'utf8'), reverted, 'and saved, so the next run reads it');
    assert.deepEqual(review.hunksOf(document).map((hunk) => hunk.line), [8]);
    assert.deepEqual(notes.at(-1), { paths: ['review/two-hunks.txt'], hunks: 1, scope: 'hunk' });

    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), AFTER, 'Ctrl+Z takes the undo back');
    assert.equal(review.hunksOf(document).length, 2);
  });

  it('a hand edit made afterwards stays when a hunk is undone, and Keep only clears the mark', async () => {
    const uri = vscode.Uri.file(join(root(), 'review', 'two-hunks.txt'));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// mine\n'));
    const hunks = review.hunksOf(document);
    assert.equal(hunks.length, 3);
    const agents = hunks.find((hunk) => hunk.before === 'two\n');
    assert.ok(agents);
    await review.undoHunk(document, agents);
    assert.ok(document.getText().startsWith('// mine\none\ntwo\nthree\n'), document.getText());
    const appended = review.hunksOf(document).find((hunk) => hunk.before === '' && document.getText().slice(hunk.start, hunk.end) === 'nine (run)\n');
    assert.ok(appended);
    const text = document.getText();
    review.keepHunk(document, appended);
    assert.equal(document.getText(), text, 'Keep changes nothing in the file');
    assert.equal(review.hunksOf(document).length, 1, 'only the hand edit is still marked');
  });

  it('a deleted file is brought back by Undo All for it', async () => {
    const gone = review.files.find((file) => file.path === 'review/gone.txt');
    assert.ok(gone);
    await review.undoFile(gone);
    assert.equal(existsSync(join(root(), 'review', 'gone.txt')), true);
    assert.equal(readFileSync(join(root(), 'review', 'gone.txt'), 'utf8'), 'bring me back\n');
    assert.equal(review.files.some((file) => file.path === 'review/gone.txt'), false);
  });
});
