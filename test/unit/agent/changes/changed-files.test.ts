/**
 * A chat's changed files from real checkpoints: created, modified, deleted, binary (listed
 * without counts), and the baseline found from the runs' checkpoints.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { baselineOf, changesSince, lastRunId } from '../../../../src/agent/changes/changed-files';
import { CheckpointStore } from '../../../../src/agent/checkpoints/checkpoint-store';

let root: string;
let workspace: string;
let store: CheckpointStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-changes-'));
  workspace = join(root, 'ws');
  mkdirSync(workspace);
  store = new CheckpointStore({ storeDir: join(root, 'store'), workspace });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));


test('created, modified, deleted and binary files since the chat\'s first checkpoint', () => {
  writeFileSync(join(workspace, 'keep.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(workspace, 'old.txt'), 'bye\n');
  writeFileSync(join(workspace, 'logo.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
  writeFileSync(join(workspace, 'untouched.txt'), 'same\n');
  store.create({ label: 'before write_file', runId: 'run-1', step: 1 });
  writeFileSync(join(workspace, 'keep.txt'), 'one\nTWO\nthree\nfour\n');
  store.create({ label: 'before delete', runId: 'run-2', step: 1 });
  unlinkSync(join(workspace, 'old.txt'));
  writeFileSync(join(workspace, 'new.txt'), 'hello\nworld\n');
  writeFileSync(join(workspace, 'logo.png'), Buffer.from([0x89, 0x50, 0x00, 0x02, 0x03]));

  const checkpoints = store.list();
  const baseline = baselineOf(checkpoints, new Set(['run-1', 'run-2']));
  assert.equal(baseline?.runId, 'run-1');
  assert.equal(lastRunId(checkpoints), 'run-2');
  const set = changesSince(store, baseline!);
  const byPath = Object.fromEntries(set.files.map((file) => [file.path, { kind: file.kind, binary: file.binary, added: file.added, removed: file.removed }]));
  assert.deepEqual(byPath, {
    'keep.txt': { kind: 'modified', binary: false, added: 2, removed: 1 },
    'old.txt': { kind: 'deleted', binary: false, added: 0, removed: 1 },
    'new.txt': { kind: 'created', binary: false, added: 2, removed: 0 },
    'logo.png': { kind: 'modified', binary: true, added: 0, removed: 0 },
  });
  // A deleted file can be brought back from what the store kept.
  const old = set.files.find((file) => file.path === 'old.txt');
  assert.equal(store.content(old!.beforeHash!).toString('utf8'), 'bye\n');
  assert.equal(set.omitted, 0);
});

test('only the runs asked about count, and the list is bounded', () => {
  writeFileSync(join(workspace, 'a.txt'), 'a\n');
  store.create({ label: 'before x', runId: 'other-chat', step: 1 });
  writeFileSync(join(workspace, 'b.txt'), 'b\n');
  store.create({ label: 'before y', runId: 'mine', step: 1 });
  writeFileSync(join(workspace, 'c.txt'), 'c\n');
  writeFileSync(join(workspace, 'd.txt'), 'd\n');
  const baseline = baselineOf(store.list(), new Set(['mine']));
  const set = changesSince(store, baseline!, { maxFiles: 1 });
  assert.deepEqual(set.files.map((file) => file.path), ['c.txt']);
  assert.equal(set.omitted, 1);
  assert.equal(baselineOf(store.list(), new Set(['nobody'])), undefined);
});
