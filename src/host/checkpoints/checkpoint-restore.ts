import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CheckpointStore, type RestorePreview } from '../../agent/checkpoints/checkpoint-store';
import type { FileChange } from '../../agent/checkpoints/restore-plan';
import { describeEvent } from '../../agent/describe-event';
import type { Logger } from '../../agent/logger';
import { formatBytes, plural } from '../../agent/format';
import type { ProposedContentProvider } from '../approvals/proposed-content';
import { restoredEvent } from '../../agent/checkpoints/restored-event';
import type { EventOf } from '../../agent/events';

/**
 * "Restore to before this step" in VS Code: a preview (a quick pick listing each file that
 * will change; picking one opens its diff, checkpoint ↔ now), then the restore, then a message
 * offering to undo it. The store lives in the extension's workspace storage, one per folder.
 */
export class CheckpointRestorer {
  #store: CheckpointStore | undefined;

  /** Told of every restore made (the chat records it, the trace shows it, the model is told next). */
  onRestored: (event: EventOf<'checkpoint-restored'>, runId: string | undefined) => void = () => undefined;

  constructor(
    private readonly storageDir: string | undefined,
    private readonly proposed: ProposedContentProvider,
    private readonly logger: Logger,
  ) {}

  /** The first local workspace folder's store (opened on first use, finishing an interrupted restore). */
  store(): CheckpointStore | undefined {
    if (this.#store) return this.#store;
    const folder = vscode.workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file');
    if (!folder || !this.storageDir) return undefined;
    const id = createHash('sha256').update(folder.uri.fsPath).digest('hex').slice(0, 16);
    this.#store = new CheckpointStore({ storeDir: join(this.storageDir, 'checkpoints', id), workspace: folder.uri.fsPath });
    const finished = this.#store.recover();
    if (finished) this.logger.warn(`Finished restoring checkpoint ${finished}, which was interrupted.`);
    return this.#store;
  }

  /** @param runId the run the restore belongs to when the checkpoint names none (an undo of a restore). */
  async restore(checkpointId: string, runId?: string): Promise<void> {
    const store = this.store();
    if (!store) throw new Error('checkpoints need a workspace folder on disk.');
    const preview = store.preview(checkpointId);
    if (preview.plan.changes.length === 0) {
      void vscode.window.showInformationMessage('Glassbox: nothing to restore — the files already match that checkpoint.');
      return;
    }
    if (!(await this.#confirm(store, preview))) return;
    const report = store.restore(preview.checkpoint.id);
    const event = restoredEvent(report);
    const belongsTo = report.checkpoint.runId ?? runId;
    this.onRestored(event, belongsTo);
    this.logger.info(describeEvent(event) ?? '');
    for (const failure of report.failed) this.logger.warn(`Could not restore ${failure.path}: ${failure.reason}`);
    const failed = report.failed.length > 0 ? ` ${report.failed.length} could not be restored (see the Glassbox output).` : '';
    const choice = await vscode.window.showInformationMessage(
      `Glassbox: restored ${plural(event.changedFiles, 'file')} to before this step.${failed}`,
      'Undo Restore',
    );
    if (choice === 'Undo Restore') await this.restore(report.undo.id, belongsTo);
  }

  /** The preview: each file (click for its diff) and what a restore leaves alone; true to restore. */
  async #confirm(store: CheckpointStore, preview: RestorePreview): Promise<boolean> {
    type Item = vscode.QuickPickItem & { readonly change?: FileChange; readonly restore?: true };
    const count = preview.plan.changes.length;
    const restoreItem: Item = { label: `$(discard) Restore ${plural(count, 'file')}`, detail: 'A restore can itself be undone.', restore: true };
    const items: Item[] = [
      restoreItem,
      { label: 'Files that will change (pick one to see its diff)', kind: vscode.QuickPickItemKind.Separator },
      ...preview.plan.changes.map((change) => ({ label: change.path, description: DESCRIPTIONS[change.kind], change })),
      { label: 'Not restored', kind: vscode.QuickPickItemKind.Separator },
      ...preview.plan.leftAlone.map(({ path, size }) => ({
        label: `$(circle-slash) ${path}`,
        description: `${formatBytes(size)}: over the ${formatBytes(preview.maxFileBytes)} per-file limit, left as it is`,
      })),
      ...(preview.checkpoint.repositories.length > 0
        ? [{ label: '$(repo) .git folders', description: `never touched: ${preview.checkpoint.repositories.join(', ')}` }]
        : []),
      { label: '$(globe) Anything outside this folder', description: 'other folders, databases, services, pushed commits' },
    ];
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = `Glassbox: restore to before this step — ${preview.checkpoint.label}`;
    pick.placeholder = `${plural(count, 'file')} will change. Pick a file to see its diff, or "Restore" to go ahead.`;
    pick.items = items;
    pick.ignoreFocusOut = true;
    pick.matchOnDescription = true;
    return new Promise<boolean>((resolve) => {
      let restore = false;
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen?.restore) {
          restore = true;
          pick.hide();
        } else if (chosen?.change) {
          void this.#showDiff(store, chosen.change);
        }
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve(restore);
      });
      pick.show();
    });
  }

  async #showDiff(store: CheckpointStore, change: FileChange): Promise<void> {
    const before = change.hash ? store.content(change.hash).toString('utf8') : '';
    const now = change.currentHash ? store.content(change.currentHash).toString('utf8') : '';
    const left = this.proposed.add(change.path, now, 'current');
    const right = this.proposed.add(change.path, before, 'checkpoint');
    await vscode.commands.executeCommand('vscode.diff', left.uri, right.uri, `${change.path}: now ↔ after restore`, { preview: true, preserveFocus: true });
  }
}

const DESCRIPTIONS: Readonly<Record<FileChange['kind'], string>> = {
  create: 'deleted since: brought back',
  modify: 'changed since: reverted',
  delete: 'created since: removed',
};

