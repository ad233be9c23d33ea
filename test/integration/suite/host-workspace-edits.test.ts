/**
 * What VscodeWorkspaceFs adds over plain file access, inside a real VS Code: writes are
 * WorkspaceEdits a person can Undo, the editor and the disk agree after a write, binary
 * content survives, and delete works where the file system has no trash (code-server).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { e2eEnv } from './env';

const encode = (text: string) => new TextEncoder().encode(text);

describe('host: VscodeWorkspaceFs edits', () => {
  const root = () => e2eEnv('GLASSBOX_E2E_WORKSPACE');

  before(() => mkdirSync(join(root(), 'notes'), { recursive: true }));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a change to an existing file is undone by Undo in its editor', async () => {
    writeFileSync(join(root(), 'notes', 'undo-me.txt'), 'before\n');
    const fs = new VscodeWorkspaceFs();
    const uri = await fs.uriOf('notes/undo-me.txt');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);

    await fs.writeFile('notes/undo-me.txt', encode('after\n'));
    assert.equal(document.getText(), 'after\n', 'the open editor shows the change');
    assert.equal(readFileSync(join(root(), 'notes', 'undo-me.txt'), 'utf8'), 'after\n', 'and it is saved');
    assert.equal(document.isDirty, false);

    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), 'before\n', 'Undo restores the old content');
  });

  it('a change to a file nobody has open is written and readable at once', async () => {
    writeFileSync(join(root(), 'notes', 'closed.txt'), 'one\ntwo\n');
    const fs = new VscodeWorkspaceFs();
    await fs.writeFile('notes/closed.txt', encode('one\nTWO\nthree\n'));
    assert.equal(readFileSync(join(root(), 'notes', 'closed.txt'), 'utf8'), 'one\nTWO\nthree\n');
    assert.equal(Buffer.from(await fs.readFile('notes/closed.txt')).toString('utf8'), 'one\nTWO\nthree\n');
  });

  it('new files are created with their parent folders', async () => {
    const fs = new VscodeWorkspaceFs();
    await fs.writeFile('generated/deep/er/new.txt', encode('fresh\n'));
    assert.equal(readFileSync(join(root(), 'generated', 'deep', 'er', 'new.txt'), 'utf8'), 'fresh\n');
    assert.equal((await fs.stat('generated/deep')).kind, 'directory');
  });

  it('binary content is written byte for byte, also over an existing file', async () => {
    const fs = new VscodeWorkspaceFs();
    const bytes = new Uint8Array([0, 1, 2, 255, 0, 128, 10]);
    await fs.writeFile('notes/blob.bin', bytes);
    await fs.writeFile('notes/blob.bin', bytes.slice().reverse());
    assert.deepEqual([...readFileSync(join(root(), 'notes', 'blob.bin'))], [...bytes.slice().reverse()]);
  });

  it('streams a file in chunks with the same bytes as a whole read', async () => {
    const fs = new VscodeWorkspaceFs();
    const big = 'line of text\n'.repeat(20_000);
    await fs.writeFile('notes/big.txt', encode(big));
    const chunks: Uint8Array[] = [];
    for await (const chunk of fs.readStream('notes/big.txt')) chunks.push(chunk);
    assert.ok(chunks.length > 1, 'more than one chunk');
    assert.equal(Buffer.concat(chunks).toString('utf8'), big);
  });

  it('deletes a file (to the trash where there is one, for real where not)', async () => {
    writeFileSync(join(root(), 'notes', 'delete-me.txt'), 'x');
    const fs = new VscodeWorkspaceFs();
    await fs.delete('notes/delete-me.txt', { useTrash: true });
    assert.equal(existsSync(join(root(), 'notes', 'delete-me.txt')), false);
    assert.equal(await fs.exists('notes/delete-me.txt'), false);
  });

  it('refuses to write over a folder or delete a folder that is not empty, saying why', async () => {
    const fs = new VscodeWorkspaceFs();
    await assert.rejects(fs.writeFile('notes', encode('x')), /is a folder, not a file/);
    await assert.rejects(fs.delete('notes'), /not empty/);
    await assert.rejects(fs.delete('.'), /workspace folder/);
  });

  it('gives the local path for commands, confined like every other call', async () => {
    const fs = new VscodeWorkspaceFs();
    assert.equal(await fs.localPath('src'), join(root(), 'src'));
    await assert.rejects(fs.localPath('../outside'), /outside the workspace/);
  });
});
