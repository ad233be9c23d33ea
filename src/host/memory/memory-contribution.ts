import type * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import type { Logger } from '../../agent/logger';
import { Disposable, toDisposable } from '../common/disposable';
import type { HostCommands } from '../common/host-commands';
import type { MemoryAccess } from './memory-access';
import { MemoryView } from './memory-view';

/**
 * Long-term memory: the Memory view and its commands (Show Memory, Forget All Memory, the
 * tree's actions), built again on the new store when the memory settings reopen it.
 */
export class MemoryContribution extends Disposable {
  #view: vscode.Disposable | undefined;

  /**
   * Opening the store reads workspaceState (and, with embeddings on, the vectors file); it is
   * awaited so that an activation caused by one of memory's commands finds it registered.
   */
  static async create(commands: HostCommands, memory: MemoryAccess, logger: Logger): Promise<MemoryContribution> {
    const contribution = new MemoryContribution(commands, memory, logger);
    await contribution.#show();
    return contribution;
  }

  private constructor(
    private readonly commands: HostCommands,
    private readonly memory: MemoryAccess,
    private readonly logger: Logger,
  ) {
    super();
    this.register(memory.onDidReopen(() => void this.#show()));
    this.register(toDisposable(() => this.#view?.dispose()));
  }

  async #show(): Promise<void> {
    this.#view?.dispose();
    this.#view = undefined;
    try {
      const view = new MemoryView(await this.memory.get(), this.commands);
      // Deactivated while the store was opening: the view must not outlive its owner.
      if (this.isDisposed) view.dispose();
      else this.#view = view;
    } catch (error) {
      this.logger.error(`Long-term memory is unavailable: ${messageOf(error)}`);
    }
  }
}
