import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancelledError, FileNotFoundError, FileTooLargeError, ToolError } from '../../../../src/agent/errors';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { buildConfinementFixture, confinementCases, type ConfinementFixture } from '../../../support/confinement-suite';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');
const bytes = (value: string) => new TextEncoder().encode(value);

describe('NodeWorkspaceFs refuses everything the confinement suite tries', () => {
  let fixture: ConfinementFixture;
  before(async () => {
    fixture = await buildConfinementFixture();
  });
  after(() => fixture.remove());

  for (const confinementCase of confinementCases()) {
    test(confinementCase.name, async () => {
      const roots = confinementCase.roots === 'single' ? [fixture.workspace] : [fixture.workspace, fixture.secondRoot];
      await confinementCase.run(new NodeWorkspaceFs(roots), fixture);
    });
  }
});

describe('NodeWorkspaceFs reads and writes inside the workspace', () => {
  let fixture: ConfinementFixture;
  let wfs: NodeWorkspaceFs;
  before(async () => {
    fixture = await buildConfinementFixture();
    wfs = new NodeWorkspaceFs([fixture.workspace]);
  });
  after(() => fixture.remove());

  test('names its root after the folder and normalizes paths to the workspace form', async () => {
    assert.deepEqual(wfs.roots, [{ name: 'ws', location: fixture.workspace }]);
    assert.equal(await wfs.normalize('./src//a.ts'), 'src/a.ts');
    assert.equal(await wfs.normalize('src\\a.ts'), 'src/a.ts');
    assert.equal(await wfs.normalize('.'), '.');
    assert.equal(await wfs.normalize(fixture.workspace), '.');
    assert.equal(await wfs.normalize(path.join(fixture.workspace, 'src', 'a.ts')), 'src/a.ts');
    assert.equal(await wfs.normalize('src/missing/new.ts'), 'src/missing/new.ts');
  });

  test('reads files whole, honouring maxBytes', async () => {
    assert.equal(text(await wfs.readFile('src/a.ts')), 'export const a = 1;\n');
    await assert.rejects(wfs.readFile('src/a.ts', { maxBytes: 5 }), (error: unknown) => {
      assert.ok(error instanceof FileTooLargeError);
      assert.equal(error.size, 20);
      assert.equal(error.path, 'src/a.ts');
      return true;
    });
  });

  test('a missing file is FileNotFoundError naming the workspace path', async () => {
    await assert.rejects(wfs.readFile('src/nope.ts'), (error: unknown) => error instanceof FileNotFoundError && error.path === 'src/nope.ts');
    await assert.rejects(wfs.stat('nope/deeper.ts'), FileNotFoundError);
    await assert.rejects(wfs.readDirectory('nope'), FileNotFoundError);
    await assert.rejects(wfs.readFile('inside.txt/under-a-file'), FileNotFoundError);
    assert.equal(await wfs.exists('src/nope.ts'), false);
    assert.equal(await wfs.exists('src/a.ts'), true);
  });

  test('reading a folder as a file is a clear ToolError', async () => {
    await assert.rejects(wfs.readFile('src'), (error: unknown) => error instanceof ToolError && /is a folder/.test(error.message));
  });

  test('streams a large file in chunks, and stops when aborted', async () => {
    const big = 'x'.repeat(1024 * 1024);
    await wfs.writeFile('big.txt', bytes(big));
    const sizes: number[] = [];
    for await (const chunk of wfs.readStream('big.txt')) sizes.push(chunk.byteLength);
    assert.ok(sizes.length > 1, 'expected several chunks');
    assert.equal(sizes.reduce((a, b) => a + b, 0), big.length);
    assert.ok(Math.max(...sizes) <= 64 * 1024);

    const controller = new AbortController();
    await assert.rejects(async () => {
      for await (const _chunk of wfs.readStream('big.txt', controller.signal)) controller.abort();
    }, CancelledError);
  });

  test('stat and readDirectory describe files, folders and links without following links', async () => {
    const stat = await wfs.stat('src/a.ts');
    assert.equal(stat.kind, 'file');
    assert.equal(stat.size, 20);
    assert.equal((await wfs.stat('src')).kind, 'directory');
    const entries = await wfs.readDirectory('.');
    const byName = Object.fromEntries(entries.map((entry) => [entry.name, entry.kind]));
    assert.equal(byName['src'], 'directory');
    assert.equal(byName['inside.txt'], 'file');
    assert.equal(byName['link-to-outside'], 'other');
  });

  test('writes create missing parents, overwrite, and go through links that stay inside', async () => {
    await wfs.writeFile('new/deep/file.txt', bytes('one'));
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'new', 'deep', 'file.txt'), 'utf8'), 'one');
    await wfs.writeFile('new/deep/file.txt', bytes('two'));
    assert.equal(text(await wfs.readFile('new/deep/file.txt')), 'two');
    await wfs.writeFile('link-to-inside', bytes('through the link\n'));
    assert.equal(await fs.readFile(path.join(fixture.workspace, 'inside.txt'), 'utf8'), 'through the link\n');
    await assert.rejects(wfs.writeFile('.', bytes('x')), /workspace folder/);
    await assert.rejects(wfs.writeFile('src', bytes('x')), /is a folder/);
    await fixture.assertOutsideUntouched();
  });

  test('delete removes files and empty folders, a link rather than its target, never a root', async () => {
    await wfs.writeFile('doomed/file.txt', bytes('x'));
    await assert.rejects(wfs.delete('doomed'), /not empty/);
    await wfs.delete('doomed/file.txt', { useTrash: true });
    await wfs.delete('doomed');
    assert.equal(await wfs.exists('doomed'), false);
    await assert.rejects(wfs.delete('doomed'), FileNotFoundError);
    await assert.rejects(wfs.delete('.'), /cannot be deleted/);

    await fs.symlink('src/a.ts', path.join(fixture.workspace, 'link-to-a'));
    await wfs.delete('link-to-a');
    assert.equal(await wfs.exists('src/a.ts'), true);
    await assert.rejects(fs.lstat(path.join(fixture.workspace, 'link-to-a')), /ENOENT/);
  });

  test('localPath is the absolute path inside the root', async () => {
    assert.equal(await wfs.localPath('src/a.ts'), path.join(fixture.workspace, 'src', 'a.ts'));
    assert.equal(await wfs.localPath('.'), fixture.workspace);
  });

  test('an empty path is refused with a hint', async () => {
    await assert.rejects(wfs.readFile(''), (error: unknown) => error instanceof ToolError && /Use "\."/.test(error.message));
  });

  test('two roots with the same name are refused at construction', () => {
    assert.throws(() => new NodeWorkspaceFs([path.join(fixture.base, 'a', 'app'), path.join(fixture.base, 'b', 'app')]), /both named "app"/);
  });
});
