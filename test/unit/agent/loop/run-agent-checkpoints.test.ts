/**
 * The loop records the workspace before each risky call (after its approval, before it runs),
 * reports it as a `checkpoint-created` event, and a restore from that event undoes what a
 * real shell command did, deletions and mode changes included.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CheckpointStore } from '../../../../src/agent/checkpoints/checkpoint-store';
import { storeCheckpointer, type Checkpointer } from '../../../../src/agent/checkpoints/checkpointer';
import { InMemoryKeyValueStore } from '../../../../src/agent/history/key-value-store';
import { FactStore } from '../../../../src/agent/memory/fact-store';
import { remember } from '../../../../src/tools/remember';
import { readFile } from '../../../../src/tools/read-file';
import { runCommand } from '../../../../src/tools/run-command';
import { runScripted } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { snapshotTree } from '../../../support/tree-snapshot';

const allowAll = { autoApprove: { read: true, write: true, execute: true, network: true } };

function prepare(workspace: string): void {
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src/app.ts'), 'export const version = 1;\n');
  writeFileSync(join(workspace, 'notes.md'), '# Notes\nkeep me\n');
  writeFileSync(join(workspace, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(workspace, 'run.sh'), 0o755);
}

test('a command that deletes and edits files is restored exactly from the checkpoint made before it', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-ckpt-run-'));
  const storeDir = mkdtempSync(join(tmpdir(), 'glassbox-ckpt-store-'));
  try {
    prepare(workspace);
    const before = snapshotTree(workspace);
    const store = new CheckpointStore({ storeDir, workspace });
    const command = 'rm notes.md && echo "export const version = 2;" > src/app.ts && chmod 600 run.sh && mkdir out && echo built > out/app.js';
    const run = await runScripted(
      [toolCallTurn({ name: 'read_file', args: { path: 'src/app.ts' }, id: 'r1' }), toolCallTurn({ name: 'run_command', args: { command }, id: 'c1' }), textTurn('Done.')],
      {
        tools: [readFile, runCommand],
        // The read taints the run, so the command asks a person: they say yes.
        approve: async () => ({ kind: 'allow-once' }),
        checkpoints: storeCheckpointer(store),
        keepWorkspace: workspace,
      },
    );
    assert.equal(run.end.reason, 'answered', JSON.stringify(run.of('tool-result')));
    const created = run.of('checkpoint-created');
    assert.equal(created.length, 1, 'one checkpoint: before the command, none before the read');
    assert.equal(created[0].callId, 'c1');
    assert.equal(created[0].tool, 'run_command');
    assert.equal(created[0].step, 2);
    const order = run.events.filter((e) => e.type === 'checkpoint-created' || (e.type === 'tool-result' && e.callId === 'c1')).map((e) => e.type);
    assert.deepEqual(order, ['checkpoint-created', 'tool-result'], 'recorded before the command ran');
    assert.notDeepEqual(snapshotTree(workspace), before, 'the command changed the workspace');

    const listed = store.get(created[0].checkpointId);
    assert.equal(listed.runId, run.end.runId);
    assert.match(listed.label, /^before run_command: rm notes\.md/);
    store.restore(created[0].checkpointId);
    assert.deepEqual(snapshotTree(workspace), before, 'content, modes and folders as before the command');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(storeDir, { recursive: true, force: true });
  }
});

test('no checkpoint before a call that was denied, nor before a write tool that touches no workspace file', async () => {
  const made: string[] = [];
  const counting: Checkpointer = {
    async create(request) {
      made.push(request.tool);
      return { checkpointId: `cp-${made.length}`, files: 0, addedBytes: 0, skippedFiles: 0, durationMs: 0 };
    },
  };
  const memory = new FactStore({ workspace: new InMemoryKeyValueStore(), global: new InMemoryKeyValueStore() });
  const run = await runScripted(
    [
      toolCallTurn({ name: 'run_command', args: { command: 'echo no' }, id: 'c1' }),
      toolCallTurn({ name: 'remember', args: { fact: 'Tests run with npm test.' }, id: 'm1' }),
      textTurn('ok'),
    ],
    { tools: [runCommand, remember(memory)], approvalSettings: { autoApprove: { read: true, write: false, execute: false, network: false }, autoApproveTools: ['remember'] }, checkpoints: counting },
  );
  assert.equal(run.end.reason, 'answered');
  assert.deepEqual(made, [], 'denied command and remember: no checkpoint');
});

test('a checkpoint that cannot be made is a visible warning, and the approved call still runs', async () => {
  const failing: Checkpointer = {
    async create() {
      throw new Error('disk full');
    },
  };
  const run = await runScripted([toolCallTurn({ name: 'run_command', args: { command: 'echo ran' }, id: 'c1' }), textTurn('ok')], {
    tools: [runCommand],
    approvalSettings: allowAll,
    checkpoints: failing,
  });
  const warning = run.of('warning').find((w) => /checkpoint/i.test(w.message));
  assert.match(String(warning?.message), /No checkpoint could be made before run_command \(disk full\): restoring to before this step will not be possible/);
  assert.equal(run.of('tool-result')[0].ok, true);
});
