/**
 * Checkpoints from the CLI, as a user runs it (the built dist/cli.js): `glassbox ask` records
 * the workspace before a command, says how to undo the run, `glassbox checkpoints` lists it,
 * and `glassbox restore ID` previews, refuses without a terminal or --yes, and restores exactly.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, textTurn, toolCallTurn } from '../../support/scripted-server';
import { snapshotTree } from '../../support/tree-snapshot';
import { runCli, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;
let stateDir: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-ckpt-'));
  stateDir = mkdtempSync(join(tmpdir(), 'glassbox-cli-ckpt-state-'));
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src/app.ts'), 'export const version = 1;\n');
  writeFileSync(join(workspace, 'CHANGELOG.md'), '# Changes\n');
  writeFileSync(join(workspace, 'deploy.sh'), '#!/bin/sh\n');
  chmodSync(join(workspace, 'deploy.sh'), 0o755);
});
after(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

function cli(args: string[]): Promise<ProcessResult> {
  return runCli(args, { cwd: workspace, env: { GLASSBOX_STATE_DIR: stateDir } });
}

test('a command run by glassbox ask is undone by glassbox restore: listed, previewed, refused without --yes, restored exactly', async () => {
  const before = snapshotTree(workspace);
  const command = 'rm CHANGELOG.md && echo "export const version = 2;" > src/app.ts && chmod 644 deploy.sh && echo new > added.txt';
  const server = await startScriptedServer([toolCallTurn({ name: 'run_command', args: { command }, id: 'c1' }), textTurn('Bumped.')]);
  let checkpointId: string;
  try {
    const run = await cli(['ask', 'Bump the version', '--base-url', server.baseURL, '--approve', 'allow', '--jsonl']);
    assert.equal(run.code, 0, run.stderr);
    const created = run.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((event) => event.type === 'checkpoint-created');
    assert.equal(created.length, 1);
    checkpointId = created[0].checkpointId;
    assert.match(run.stderr, new RegExp(`Files this run changed \\(answered\\): .*CHANGELOG\\.md.*\\nUndo all of it with: glassbox restore ${checkpointId}`));
  } finally {
    await server.close();
  }
  assert.notDeepEqual(snapshotTree(workspace), before);

  const listed = await cli(['checkpoints']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^${checkpointId}  \\S+  run-\\S+ step 1  before run_command: rm CHANGELOG\\.md.* — 4 files changed since\\n$`));

  const refused = await cli(['restore', checkpointId]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /bring back\s+CHANGELOG\.md/);
  assert.match(refused.stderr, /remove \(created since\)\s+added\.txt/);
  assert.match(refused.stderr, /revert\s+deploy\.sh/);
  assert.match(refused.stderr, /Not covered: anything outside this folder/);
  assert.match(refused.stderr, /not restored: stdin is not a terminal.*--yes/);
  assert.notDeepEqual(snapshotTree(workspace), before, 'nothing restored without a yes');

  const restored = await cli(['restore', checkpointId.slice(0, 10), '--yes']);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stderr, /Restored 4 files to checkpoint .*Undo this restore with: glassbox restore (\S+)/);
  assert.deepEqual(snapshotTree(workspace), before, 'content and modes exactly as before the command');

  const undoId = /Undo this restore with: glassbox restore (\S+)/.exec(restored.stderr)![1];
  const undone = await cli(['restore', undoId, '--yes']);
  assert.equal(undone.code, 0, undone.stderr);
  assert.equal(existsSync(join(workspace, 'added.txt')), true, 'the restore itself was undone');
});

test('an unknown checkpoint id is a usage error (exit 2) with a pointer to the list', async () => {
  const result = await cli(['restore', 'zzzzzzzz']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /No checkpoint "zzzzzzzz" in this workspace\. `glassbox checkpoints` lists them\./);
});
