import { join } from 'node:path';
import type * as vscode from 'vscode';
import { ChatHistory } from '../../agent/history/chat-history';
import type { Logger } from '../../agent/logger';
import type { Settings } from '../settings/settings';

/**
 * This workspace's saved chats, opened on first use: constructing the history reads its index,
 * which activation must not do. Disposing saves what is still buffered.
 */
export class WorkspaceChatHistory implements vscode.Disposable {
  #history: ChatHistory | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly settings: Settings,
    private readonly logger: Logger,
  ) {}

  open(): ChatHistory {
    const storage = this.context.storageUri ?? this.context.globalStorageUri;
    this.#history ??= new ChatHistory({
      dir: join(storage.fsPath, 'chats'),
      index: this.context.workspaceState,
      maxChatBytes: this.settings.current.history.maxChatBytes,
      maxTotalBytes: this.settings.current.history.maxTotalBytes,
      logger: this.logger,
    });
    return this.#history;
  }

  dispose(): void {
    void this.#history?.flush();
  }
}
