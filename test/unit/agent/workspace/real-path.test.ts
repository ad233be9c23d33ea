import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PathOutsideWorkspaceError } from '../../../../src/agent/errors';
import { isStillInside, realPathInside } from '../../../../src/agent/workspace/real-path';

async function fixture(t: { after: (fn: () => Promise<void>) => void }) {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'gb-realpath-')));
  t.after(() => rm(base, { recursive: true, force: true }));
  const ws = join(base, 'ws');
  const outside = join(base, 'outside');
  await mkdir(join(ws, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(ws, 'src', 'a.ts'), 'a');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(ws, 'file-link'));
  await symlink(outside, join(ws, 'dir-link'));
  await symlink(join(ws, 'src'), join(ws, 'inner-link'));
  await symlink(join(base, 'missing-target'), join(ws, 'broken-link'));
  return { ws, outside };
}

const options = { caseInsensitive: false };

test('paths inside resolve to their real location, missing tails kept', async (t) => {
  const { ws } = await fixture(t);
  assert.equal(await realPathInside(ws, 'src/a.ts', 'src/a.ts', options), join(ws, 'src', 'a.ts'));
  assert.equal(await realPathInside(ws, 'src/new/deep.ts', 'src/new/deep.ts', options), join(ws, 'src', 'new', 'deep.ts'));
  assert.equal(await realPathInside(ws, '', '.', options), ws);
});

test('a link to a folder inside the workspace is followed', async (t) => {
  const { ws } = await fixture(t);
  assert.equal(await realPathInside(ws, 'inner-link/a.ts', 'inner-link/a.ts', options), join(ws, 'src', 'a.ts'));
});

test('links leading outside are refused: file link, folder link, writes through a folder link', async (t) => {
  const { ws } = await fixture(t);
  for (const relative of ['file-link', 'dir-link/secret.txt', 'dir-link/new-file.txt', 'dir-link']) {
    await assert.rejects(realPathInside(ws, relative, relative, options), (error: unknown) => {
      assert.ok(error instanceof PathOutsideWorkspaceError, relative);
      assert.match((error as Error).message, /symbolic link/);
      return true;
    });
  }
});

test('a dangling link is refused, since following it could create a file anywhere', async (t) => {
  const { ws } = await fixture(t);
  await assert.rejects(realPathInside(ws, 'broken-link', 'broken-link', options), /broken symbolic link/);
});

test('a folder re-checked after creation must still be inside', async (t) => {
  const { ws } = await fixture(t);
  assert.equal(await isStillInside(ws, join(ws, 'src'), options), true);
  assert.equal(await isStillInside(ws, join(ws, 'dir-link'), options), false);
});
