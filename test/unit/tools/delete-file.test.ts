import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import type { ToolContext } from '../../../src/agent/tool';
import { deleteFile } from '../../../src/tools/delete-file';
import { wrappedFs } from '../../support/wrapped-fs';

function setup(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-delete-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fs = new NodeWorkspaceFs([root]);
  const ctx: ToolContext = { signal: new AbortController().signal, fs, log: silentLogger, runId: 'run', callId: 'call' };
  return { root, fs, ctx, tool: deleteFile() };
}

test('the preview shows the size and lines of the file to delete', async (t) => {
  const { root, ctx, tool } = setup(t);
  writeFileSync(join(root, 'old.md'), '# Old\n\nnotes\n');
  const preview = await tool.preview!({ path: 'old.md' }, ctx);
  assert.equal(preview.summary, 'Delete old.md (3 lines, 13 B)');
  assert.deepEqual(preview.paths, ['old.md']);
  assert.deepEqual(preview.diff, { path: 'old.md', before: '# Old\n\nnotes\n', after: '' });
  assert.equal(existsSync(join(root, 'old.md')), true, 'a preview deletes nothing');

  assert.equal(await tool.execute({ path: './old.md' }, ctx), 'Deleted old.md (3 lines, 13 B).');
  assert.equal(existsSync(join(root, 'old.md')), false);
});

test('it asks the file system for the trash', async (t) => {
  const { fs, ctx } = setup(t);
  const calls: unknown[] = [];
  const spying = wrappedFs(fs, {
    delete: async (path, options) => {
      calls.push({ path, options });
      return fs.delete(path, options);
    },
  });
  writeFileSync(join(fs.roots[0].location, 'a.txt'), 'a');
  await deleteFile().execute({ path: 'a.txt' }, { ...ctx, fs: spying });
  assert.deepEqual(calls, [{ path: 'a.txt', options: { useTrash: true } }]);
});

test('binary files are described by size, empty folders can go, full folders cannot', async (t) => {
  const { root, ctx, tool } = setup(t);
  writeFileSync(join(root, 'image.png'), Buffer.from([0x89, 0, 1, 2, 3]));
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'full'));
  writeFileSync(join(root, 'full/a.txt'), 'a');
  assert.equal((await tool.preview!({ path: 'image.png' }, ctx)).summary, 'Delete image.png (binary file, 5 B)');
  assert.equal(await tool.execute({ path: 'empty' }, ctx), 'Deleted empty folder empty.');
  assert.equal(existsSync(join(root, 'empty')), false);
  await assert.rejects(tool.execute({ path: 'full' }, ctx), /"full" is a folder with 1 item; delete_file removes files and empty folders only/);
  assert.equal(existsSync(join(root, 'full/a.txt')), true);
});

test('missing files and paths outside the workspace are refused', async (t) => {
  const { ctx, tool } = setup(t);
  await assert.rejects(tool.execute({ path: 'nope.txt' }, ctx), { name: 'FileNotFoundError' });
  await assert.rejects(tool.preview!({ path: '../../etc/passwd' }, ctx), { name: 'PathOutsideWorkspaceError' });
});
