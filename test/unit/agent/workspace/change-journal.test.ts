import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InMemoryChangeJournal } from '../../../../src/agent/workspace/change-journal';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';

const encode = (text: string) => new TextEncoder().encode(text);

function workspace(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-journal-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return { root, fs: new NodeWorkspaceFs([root]) };
}

test('undo puts back edited files, re-creates deleted ones and removes created ones with their new folders', async (t) => {
  const { root, fs } = workspace(t);
  writeFileSync(join(root, 'kept.txt'), 'original');
  writeFileSync(join(root, 'gone.txt'), 'will be deleted');
  mkdirSync(join(root, 'src'));
  const journal = new InMemoryChangeJournal(fs);

  await journal.recordBefore('kept.txt');
  await fs.writeFile('kept.txt', encode('first change'));
  await journal.recordBefore('./kept.txt'); // a second change keeps the first backup
  await fs.writeFile('kept.txt', encode('second change'));
  await journal.recordBefore('gone.txt');
  await fs.delete('gone.txt');
  await journal.recordBefore('src/new/deep/file.ts');
  await fs.writeFile('src/new/deep/file.ts', encode('created'));

  assert.deepEqual(journal.changedPaths(), ['kept.txt', 'gone.txt', 'src/new/deep/file.ts']);
  const report = await journal.undoAll();

  assert.deepEqual(report, { restored: ['gone.txt', 'kept.txt'], removed: ['src/new/deep/file.ts'], failed: [] });
  assert.equal(readFileSync(join(root, 'kept.txt'), 'utf8'), 'original');
  assert.equal(readFileSync(join(root, 'gone.txt'), 'utf8'), 'will be deleted');
  assert.equal(existsSync(join(root, 'src/new')), false, 'folders the run created are gone');
  assert.equal(existsSync(join(root, 'src')), true, 'folders that were there stay');
  assert.deepEqual(journal.changedPaths(), []);
});

test('a created folder that now holds other files is left in place', async (t) => {
  const { root, fs } = workspace(t);
  const journal = new InMemoryChangeJournal(fs);
  await journal.recordBefore('out/report.md');
  await fs.writeFile('out/report.md', encode('x'));
  writeFileSync(join(root, 'out/user-notes.md'), 'mine'); // written by someone else meanwhile
  const report = await journal.undoAll();
  assert.deepEqual(report.removed, ['out/report.md']);
  assert.equal(readFileSync(join(root, 'out/user-notes.md'), 'utf8'), 'mine');
});

test('files over the memory cap are named as not restorable instead of silently lost', async (t) => {
  const { root, fs } = workspace(t);
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(2048, 1));
  writeFileSync(join(root, 'small.txt'), 'small');
  const journal = new InMemoryChangeJournal(fs, 1024);
  await journal.recordBefore('big.bin');
  await journal.recordBefore('small.txt');
  await fs.writeFile('big.bin', encode('overwritten'));
  await fs.writeFile('small.txt', encode('changed'));
  const report = await journal.undoAll();
  assert.deepEqual(report.restored, ['small.txt']);
  assert.equal(report.failed.length, 1);
  assert.equal(report.failed[0].path, 'big.bin');
  assert.match(report.failed[0].reason, /too large to back up \(2048 bytes\)/);
});

test('clear forgets the backups: the changes are kept', async (t) => {
  const { root, fs } = workspace(t);
  writeFileSync(join(root, 'a.txt'), 'old');
  const journal = new InMemoryChangeJournal(fs);
  await journal.recordBefore('a.txt');
  await fs.writeFile('a.txt', encode('new'));
  journal.clear();
  assert.deepEqual(await journal.undoAll(), { restored: [], removed: [], failed: [] });
  assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'new');
});

test('recording a path outside the workspace is refused like any other file access', async (t) => {
  const { fs } = workspace(t);
  const journal = new InMemoryChangeJournal(fs);
  await assert.rejects(journal.recordBefore('../outside.txt'), { name: 'PathOutsideWorkspaceError' });
});
