/**
 * The VS Code WorkspaceFs (src/host/workspace/vscode-workspace-fs.ts) over the real `vscode.workspace.fs`
 * of code-server's extension host: the shared confinement cases (test/support/confinement-suite.ts,
 * the same list the Node implementation passes), then reads and writes in the harness's workspace
 * with its `.env` and links leading outside.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { buildConfinementFixture, confinementCases, assertRefused, type ConfinementFixture } from '../../support/confinement-suite';
import { e2eEnv } from './env';

function folder(path: string, name: string, index: number): vscode.WorkspaceFolder {
  return { uri: vscode.Uri.file(path), name, index };
}

describe('VscodeWorkspaceFs: shared confinement cases', () => {
  let fixture: ConfinementFixture;
  before(async () => {
    fixture = await buildConfinementFixture();
  });
  after(async () => {
    await fixture?.remove();
  });

  for (const confinementCase of confinementCases()) {
    it(confinementCase.name, async () => {
      const folders =
        confinementCase.roots === 'single'
          ? [folder(fixture.workspace, 'ws', 0)]
          : [folder(fixture.workspace, 'ws', 0), folder(fixture.secondRoot, 'api', 1)];
      await confinementCase.run(new VscodeWorkspaceFs(folders), fixture);
    });
  }
});

describe('VscodeWorkspaceFs: the open workspace', () => {
  const decode = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

  it('reads and lists through vscode.workspace.fs', async () => {
    const fs = new VscodeWorkspaceFs();
    assert.equal(fs.roots.length, 1);
    assert.match(decode(await fs.readFile('README.md')), /Sample project/);
    const names = (await fs.readDirectory('.')).map((entry) => entry.name).sort();
    assert.ok(names.includes('src') && names.includes('README.md') && names.includes('.env'), names.join(', '));
    assert.equal((await fs.stat('src')).kind, 'directory');
    assert.equal(await fs.exists('missing.txt'), false);
  });

  it('refuses the links the harness planted to a folder outside', async () => {
    const fs = new VscodeWorkspaceFs();
    await assertRefused(() => fs.readFile('outside-link.txt'), /symbolic link/);
    await assertRefused(() => fs.readFile('outside-dir/secret.txt'), /symbolic link/);
    await assertRefused(() => fs.readFile(join(e2eEnv('GLASSBOX_E2E_OUTSIDE'), 'secret.txt')), /outside every workspace folder/);
  });

  it('writes a new file and changes an existing one on disk', async () => {
    const fs = new VscodeWorkspaceFs();
    const root = e2eEnv('GLASSBOX_E2E_WORKSPACE');
    await fs.writeFile('notes/new-note.txt', new TextEncoder().encode('created by the test\n'));
    assert.equal(readFileSync(join(root, 'notes/new-note.txt'), 'utf8'), 'created by the test\n');
    await fs.writeFile('notes/todo.txt', new TextEncoder().encode('rewritten\n'));
    assert.equal(readFileSync(join(root, 'notes/todo.txt'), 'utf8'), 'rewritten\n');
    assert.equal(decode(await fs.readFile('notes/todo.txt')), 'rewritten\n');
  });
});
