/**
 * Checkpoints against real folders: exact restores (content and mode), the user's `.git` left
 * byte-identical, .gitignore and the size limit honoured, content shared, the cap enforced,
 * and a restore killed half-way finished on the next open (never left as a mix).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { CheckpointNotFoundError, CheckpointStore } from '../../../../src/agent/checkpoints/checkpoint-store';
import { snapshotTree } from '../../../support/tree-snapshot';
import { supportDir } from '../../../support/paths';

let root: string;
let workspace: string;
let storeDir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-checkpoints-'));
  workspace = join(root, 'workspace');
  storeDir = join(root, 'store');
  mkdirSync(workspace);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, content: string | Buffer, mode?: number): void {
  const full = join(workspace, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  if (mode !== undefined) chmodSync(full, mode);
}

function sh(script: string): void {
  const result = spawnSync('sh', ['-c', script], { cwd: workspace, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

function sampleWorkspace(): void {
  write('README.md', '# Sample\n');
  write('src/app.ts', 'export const answer = 42;\n');
  write('src/util/strings.ts', 'export const hi = "hi";\n');
  write('scripts/build.sh', '#!/bin/sh\necho build\n', 0o755);
  write('secret-perms.txt', 'private\n', 0o600);
  write('assets/logo.bin', Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]));
}

test('a command that deletes, edits, adds and re-modes files is undone exactly (content and mode)', () => {
  sampleWorkspace();
  const before = snapshotTree(workspace);
  const store = new CheckpointStore({ storeDir, workspace });
  const { checkpoint } = store.create({ label: 'before run_command' });

  sh('rm README.md && rm -r src/util && echo "export const answer = 7;" > src/app.ts && chmod 644 scripts/build.sh && ' +
    'chmod 644 secret-perms.txt && mkdir -p build/out && echo bundle > build/out/app.js && printf "\\377" >> assets/logo.bin');
  assert.notDeepEqual(snapshotTree(workspace), before);

  const preview = store.preview(checkpoint.id);
  const byPath = Object.fromEntries(preview.plan.changes.map((change) => [change.path, change.kind]));
  assert.deepEqual(byPath, {
    'README.md': 'create',
    'assets/logo.bin': 'modify',
    'build/out/app.js': 'delete',
    'scripts/build.sh': 'modify',
    'secret-perms.txt': 'modify',
    'src/app.ts': 'modify',
    'src/util/strings.ts': 'create',
  });
  assert.notDeepEqual(snapshotTree(workspace), before, 'a preview changes nothing');

  const report = store.restore(checkpoint.id);
  assert.deepEqual(report.failed, []);
  assert.deepEqual(snapshotTree(workspace), before);
});

test('a restore is itself undoable: restoring its "before restoring" checkpoint brings the later state back', () => {
  sampleWorkspace();
  const store = new CheckpointStore({ storeDir, workspace });
  const first = store.create({ label: 'one' }).checkpoint;
  sh('echo changed > src/app.ts && rm README.md && echo new > added.txt');
  const later = snapshotTree(workspace);
  const report = store.restore(first.id);
  assert.equal(report.undo.reason, 'before-restore');
  assert.equal(report.undo.restoring, first.id);
  assert.notDeepEqual(snapshotTree(workspace), later);
  store.restore(report.undo.id);
  assert.deepEqual(snapshotTree(workspace), later);
});

test("a nested git repository's .git is never captured, and is byte-identical after a restore", () => {
  sampleWorkspace();
  write('vendor/lib/index.js', 'module.exports = 1;\n');
  execFileSync('git', ['init', '-q'], { cwd: join(workspace, 'vendor/lib') });
  execFileSync('git', ['-c', 'user.email=t@e.st', '-c', 'user.name=T', 'add', '.'], { cwd: join(workspace, 'vendor/lib') });
  execFileSync('git', ['-c', 'user.email=t@e.st', '-c', 'user.name=T', 'commit', '-qm', 'one'], { cwd: join(workspace, 'vendor/lib') });
  const store = new CheckpointStore({ storeDir, workspace });
  const { checkpoint } = store.create({ label: 'before' });
  assert.deepEqual(checkpoint.repositories, ['vendor/lib']);

  // The step edits the nested repo's working file and commits (its .git changes).
  sh('cd vendor/lib && echo "module.exports = 2;" > index.js && git -c user.email=t@e.st -c user.name=T commit -qam two');
  const gitBefore = snapshotTree(join(workspace, 'vendor/lib/.git'));
  const gitTimes = statSync(join(workspace, 'vendor/lib/.git/index')).mtimeMs;

  const preview = store.preview(checkpoint.id);
  assert.deepEqual(preview.plan.changes.map((change) => change.path), ['vendor/lib/index.js'], 'nothing under .git is planned');
  store.restore(checkpoint.id);
  assert.equal(readFileSync(join(workspace, 'vendor/lib/index.js'), 'utf8'), 'module.exports = 1;\n');
  assert.deepEqual(snapshotTree(join(workspace, 'vendor/lib/.git')), gitBefore, '.git byte-identical');
  assert.equal(statSync(join(workspace, 'vendor/lib/.git/index')).mtimeMs, gitTimes, 'the index was not even rewritten');
  // The store holds none of the repository's own files.
  const head = readFileSync(join(workspace, 'vendor/lib/.git/HEAD'));
  const stored = readdirSync(join(storeDir, 'objects'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .some((entry) => readFileSync(join(entry.parentPath, entry.name)).equals(head));
  assert.equal(stored, false, 'no .git content in the store');
});

test('.gitignore is honoured (ignored files are neither stored nor deleted) and large files are skipped with their size', () => {
  sampleWorkspace();
  write('.gitignore', 'node_modules/\n*.log\n');
  write('node_modules/pkg/index.js', 'ignored\n');
  write('big.dat', Buffer.alloc(2048, 1));
  const store = new CheckpointStore({ storeDir, workspace, maxFileBytes: 1024 });
  const { checkpoint } = store.create({ label: 'before' });
  assert.deepEqual(checkpoint.skipped, [{ path: 'big.dat', size: 2048 }]);
  sh('echo noise > debug.log && echo again >> node_modules/pkg/index.js && rm big.dat && echo x > src/app.ts');
  const preview = store.preview(checkpoint.id);
  assert.deepEqual(preview.plan.changes.map((change) => change.path), ['src/app.ts']);
  assert.deepEqual(preview.plan.leftAlone, [{ path: 'big.dat', size: 2048 }], 'the preview says what it cannot bring back');
  assert.equal(preview.maxFileBytes, 1024);
  store.restore(checkpoint.id);
  assert.equal(readFileSync(join(workspace, 'debug.log'), 'utf8'), 'noise\n', 'ignored files stay');
  assert.equal(readFileSync(join(workspace, 'node_modules/pkg/index.js'), 'utf8'), 'ignored\nagain\n');
});

test('unchanged content is shared: a checkpoint after one edit stores only that file and the listings above it', () => {
  sampleWorkspace();
  write('data/large.txt', 'x'.repeat(100_000));
  const store = new CheckpointStore({ storeDir, workspace });
  const first = store.create({ label: 'one' });
  assert.ok(first.checkpoint.addedBytes >= 100_000);
  write('src/app.ts', 'export const answer = 43;\n');
  const second = store.create({ label: 'two' });
  assert.equal(second.filesRead, 1, 'only the changed file is read again');
  assert.ok(second.checkpoint.addedBytes < 2_000, `added ${second.checkpoint.addedBytes} bytes`);
  const third = store.create({ label: 'three' });
  assert.equal(third.filesRead, 0);
  assert.equal(third.checkpoint.root, second.checkpoint.root, 'nothing changed: the same tree');
});

test('a store over its cap drops the oldest checkpoints first and keeps the newest restorable', () => {
  const store = new CheckpointStore({ storeDir, workspace, maxStoreBytes: 50_000 });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    write('blob.txt', `${i}`.repeat(15_000)); // 15 KB of new content each time
    const report = store.create({ label: `step ${i}` });
    ids.push(report.checkpoint.id);
  }
  const kept = store.list().map((checkpoint) => checkpoint.id);
  assert.ok(kept.length < 6 && kept.length >= 2, `kept ${kept.length}`);
  assert.deepEqual(kept, ids.slice(ids.length - kept.length), 'the newest are kept, the oldest dropped');
  assert.throws(() => store.get(ids[0]), CheckpointNotFoundError);
  let storedBytes = 0;
  for (const entry of readdirSync(join(storeDir, 'objects'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) storedBytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  assert.ok(storedBytes <= 50_000, `the objects left take ${storedBytes} bytes`);
  write('blob.txt', 'later');
  store.restore(kept[0]);
  assert.equal(readFileSync(join(workspace, 'blob.txt'), 'utf8'), `${ids.length - kept.length}`.repeat(15_000));
});

test('a restore killed half-way is finished when the store is next opened: old or new state, never a mix', () => {
  for (let i = 0; i < 8; i++) write(`files/f${i}.txt`, `original ${i}\n`);
  const store = new CheckpointStore({ storeDir, workspace });
  const { checkpoint } = store.create({ label: 'before' });
  const original = snapshotTree(workspace);
  sh('for i in 0 1 2 3 4 5 6 7; do echo "changed $i" > files/f$i.txt; done; rm files/f3.txt; echo extra > files/extra.txt');
  const changed = snapshotTree(workspace);

  const child = spawnSync(process.execPath, [join(supportDir, 'crash-restore-main.js'), storeDir, workspace, checkpoint.id, '3'], {
    encoding: 'utf8',
  });
  assert.equal(child.signal, 'SIGKILL', `the child was to die mid-restore: ${child.stdout}${child.stderr}`);
  const mixed = snapshotTree(workspace, (path) => path.includes('.glassbox-restore'));
  assert.notDeepEqual(mixed, original, 'the crash came mid-restore (not before it)');
  assert.notDeepEqual(mixed, changed, 'the crash came mid-restore (not after it)');

  const reopened = new CheckpointStore({ storeDir, workspace });
  assert.equal(reopened.recover(), checkpoint.id);
  assert.deepEqual(snapshotTree(workspace), original);
  assert.equal(reopened.recover(), undefined, 'nothing left to finish');
});

test('works in a folder that is not a repository and without git on PATH', () => {
  sampleWorkspace();
  const before = snapshotTree(workspace);
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const store = new CheckpointStore({ storeDir, workspace });
    const { checkpoint } = store.create({ label: 'no git' });
    rmSync(join(workspace, 'src'), { recursive: true });
    store.restore(checkpoint.id);
  } finally {
    process.env.PATH = saved;
  }
  assert.deepEqual(snapshotTree(workspace), before);
});

test('an unknown checkpoint id is refused with a clear error', () => {
  const store = new CheckpointStore({ storeDir, workspace });
  assert.throws(() => store.get('nope'), /No checkpoint "nope" in this workspace/);
});
