/**
 * `glassbox checkpoints` and `glassbox restore ID`: the same store the agent writes before
 * each risky step. A restore first shows exactly which files will change, what it leaves
 * alone and what it cannot bring back, then asks on a terminal (or needs --yes).
 */
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import type { Checkpoint } from '../agent/checkpoints/checkpoint';
import { CheckpointStore, type RestorePreview } from '../agent/checkpoints/checkpoint-store';
import type { CheckpointsCommand, RestoreCommand } from './args';
import { formatBytes, plural } from '../agent/format';
import { checkpointStoreDir } from './state-dir';
import { restoredEvent } from '../agent/checkpoints/restored-event';

export interface Terminal {
  readonly input: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly isTty: boolean;
}

/** Opens the workspace's store, finishing a restore a crash interrupted (and saying so). */
export function openCheckpointStore(workspace: string, stderr: NodeJS.WritableStream): CheckpointStore {
  const root = resolve(workspace);
  const store = new CheckpointStore({ storeDir: checkpointStoreDir(root), workspace: root });
  const finished = store.recover();
  if (finished) stderr.write(`glassbox: finished restoring checkpoint ${finished}, which was interrupted.\n`);
  return store;
}

export function listCheckpoints(command: CheckpointsCommand, terminal: Terminal): number {
  const store = openCheckpointStore(command.workspace, terminal.stderr);
  const checkpoints = store.list();
  if (checkpoints.length === 0) {
    terminal.stderr.write(`No checkpoints for ${store.workspace} yet: one is made before each write or command a run makes.\n`);
    return 0;
  }
  checkpoints.forEach((checkpoint, index) => {
    const next = checkpoints[index + 1];
    const changed = store.changesBetween(checkpoint.id, next?.id).changes.length;
    if (command.jsonl) {
      terminal.stdout.write(`${JSON.stringify({ ...checkpoint, changedSince: changed })}\n`);
      return;
    }
    const where = checkpoint.runId ? `${checkpoint.runId} step ${checkpoint.step ?? 0}` : '(restore)';
    terminal.stdout.write(
      `${checkpoint.id}  ${new Date(checkpoint.createdAt).toISOString()}  ${where}  ${checkpoint.label}  ` +
        `— ${plural(changed, 'file')} changed ${next ? 'before the next checkpoint' : 'since'}\n`,
    );
  });
  return 0;
}

export async function restoreFromCli(command: RestoreCommand, terminal: Terminal): Promise<number> {
  const store = openCheckpointStore(command.workspace, terminal.stderr);
  const preview = store.preview(command.id);
  terminal.stderr.write(`${formatRestorePreview(preview)}\n`);
  const count = preview.plan.changes.length;
  if (count === 0) {
    terminal.stderr.write('Nothing to restore: the files already match this checkpoint.\n');
    return 0;
  }
  if (!command.yes) {
    if (!terminal.isTty) {
      terminal.stderr.write('glassbox: not restored: stdin is not a terminal to ask on; add --yes to restore.\n');
      return 1;
    }
    const rl = createInterface({ input: terminal.input, output: terminal.stderr, terminal: false });
    const answer = (await rl.question(`Restore ${plural(count, 'file')}? [y/N]: `)).trim().toLowerCase();
    rl.close();
    if (answer !== 'y' && answer !== 'yes') {
      terminal.stderr.write('Not restored.\n');
      return 1;
    }
  }
  const report = store.restore(preview.checkpoint.id);
  const event = restoredEvent(report);
  if (command.jsonl) terminal.stdout.write(`${JSON.stringify(event)}\n`);
  for (const failure of report.failed) terminal.stderr.write(`  could not restore ${failure.path}: ${failure.reason}\n`);
  terminal.stderr.write(
    `Restored ${plural(event.changedFiles, 'file')} to checkpoint ${report.checkpoint.id}. ` +
      `Undo this restore with: glassbox restore ${report.undo.id}\n`,
  );
  return report.failed.length > 0 ? 1 : 0;
}

const VERBS = { create: 'bring back', modify: 'revert', delete: 'remove (created since)' } as const;

/** The preview, as the CLI prints it and the tests read it. */
export function formatRestorePreview({ checkpoint, plan, maxFileBytes }: RestorePreview): string {
  const lines = [`Restore to checkpoint ${checkpoint.id} — ${describe(checkpoint)}:`];
  for (const change of plan.changes) lines.push(`  ${VERBS[change.kind].padEnd(22)} ${change.path}`);
  if (plan.leftAlone.length > 0) {
    lines.push(
      `Left as they are (over the ${formatBytes(maxFileBytes)} per-file limit, never stored): ` +
        plan.leftAlone.map(({ path, size }) => `${path} (${formatBytes(size)})`).join(', '),
    );
  }
  if (checkpoint.repositories.length > 0) {
    lines.push(`Never touched: the .git folders of ${checkpoint.repositories.join(', ')} (repository data is not part of checkpoints).`);
  }
  lines.push('Not covered: anything outside this folder (other folders, databases, services, pushed commits, installed tools).');
  return lines.join('\n');
}

function describe(checkpoint: Checkpoint): string {
  const where = checkpoint.runId ? `, run ${checkpoint.runId} step ${checkpoint.step ?? 0}` : '';
  return `${checkpoint.label}${where}, ${new Date(checkpoint.createdAt).toISOString()}`;
}

