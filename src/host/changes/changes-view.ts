import * as vscode from 'vscode';
import type { ChangedFile } from '../../agent/changes/changed-files';
import { plural } from '../../agent/format';
import { Disposable } from '../common/disposable';
import type { ChangeReview } from './change-review';

const KIND_ICONS: Readonly<Record<ChangedFile['kind'], string>> = { created: 'diff-added', modified: 'diff-modified', deleted: 'diff-removed' };

/** The Changes tree (`glassbox.changes`): the files the current chat's runs changed; a click opens the diff. */
export class ChangesView extends Disposable implements vscode.TreeDataProvider<ChangedFile> {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.#changed.event;
  readonly view: vscode.TreeView<ChangedFile>;

  constructor(private readonly review: ChangeReview) {
    super();
    this.view = this.register(vscode.window.createTreeView('glassbox.changes', { treeDataProvider: this }));
    this.register(review.onDidChange(() => this.#update()));
    this.#update();
  }

  getChildren(element?: ChangedFile): ChangedFile[] {
    return element ? [] : [...this.review.files];
  }

  getTreeItem(file: ChangedFile): vscode.TreeItem {
    const item = new vscode.TreeItem(this.review.uriOf(file), vscode.TreeItemCollapsibleState.None);
    item.id = file.path;
    item.label = file.path;
    item.description = file.binary ? `${file.kind}, binary` : [file.kind, file.added > 0 ? `+${file.added}` : '', file.removed > 0 ? `−${file.removed}` : ''].filter(Boolean).join(' ');
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[file.kind]);
    item.contextValue = `changedFile-${file.kind}`;
    item.command = { command: 'glassbox.changes.openDiff', title: 'Open Changes', arguments: [file] };
    item.accessibilityInformation = { label: `${file.path}, ${item.description as string}` };
    return item;
  }

  #update(): void {
    const count = this.review.files.length;
    this.view.description = count > 0 ? plural(count, 'file') : undefined;
    this.view.message = count === 0 ? 'No changes to review: files the current chat changes are listed here.' : this.review.omitted > 0 ? `${this.review.omitted} more not listed.` : undefined;
    void vscode.commands.executeCommand('setContext', 'glassbox.hasChanges', count > 0);
    this.#changed.fire();
  }
}
