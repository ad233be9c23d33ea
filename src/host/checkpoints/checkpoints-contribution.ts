import * as vscode from 'vscode';
import type { HostCommands } from '../common/host-commands';
import { Disposable } from '../common/disposable';
import type { CheckpointRestorer } from './checkpoint-restore';

/** Restore to a Checkpoint: the one given (a button in the chat or trace), else one picked. */
export class CheckpointsContribution extends Disposable {
  constructor(
    commands: HostCommands,
    private readonly checkpoints: CheckpointRestorer,
  ) {
    super();
    this.register(commands.register('glassbox.restoreCheckpoint', (id?: unknown) => (typeof id === 'string' ? checkpoints.restore(id) : this.#pickAndRestore())));
  }

  async #pickAndRestore(): Promise<void> {
    const list = this.checkpoints.store()?.list().reverse() ?? [];
    if (list.length === 0) {
      void vscode.window.showInformationMessage('Glassbox: no checkpoints yet — one is made before each write or command.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      list.map((checkpoint) => ({ label: checkpoint.label, description: new Date(checkpoint.createdAt).toLocaleString(), id: checkpoint.id })),
      { title: 'Glassbox: Restore to a Checkpoint', placeHolder: 'The workspace as it was before…' },
    );
    if (picked) await this.checkpoints.restore(picked.id);
  }
}
