import { join } from 'node:path';
import * as vscode from 'vscode';
import { baselineOf, changesSince, type ChangedFile, type ChangeSet } from '../../agent/changes/changed-files';
import { computeHunks, type Hunk } from '../../agent/changes/hunks';
import type { CheckpointStore } from '../../agent/checkpoints/checkpoint-store';
import type { EventOf } from '../../agent/events';
import { Disposable } from '../common/disposable';

/** Which chat the review is about, and where its undos are noted. */
export interface ReviewSource {
  store(): CheckpointStore | undefined;
  /** The current chat's runs, oldest first (empty: a new chat, nothing to review). */
  runIds(): Promise<readonly string[]>;
  /** Notes the person's undo in the chat's trace (the host fills in run, seq, step and time). */
  noteUndo(undo: Pick<EventOf<'changes-undone'>, 'paths' | 'hunks' | 'scope'>): void;
}

/**
 * The review of what the current chat's runs changed: the files (from the checkpoints), each
 * file's hunks against its text now (the open document's, so hand edits count), Keep (clears a
 * mark, nothing else) and Undo (a WorkspaceEdit, so Ctrl+Z takes it back; then saved, so the
 * next run reads the file as it is now). Kept marks are remembered by content: a hunk that
 * changes again shows again.
 */
export class ChangeReview extends Disposable {
  #set: ChangeSet | undefined;
  /** `path\0before\0now` of each kept hunk, and `path\0*` of kept whole files (binary, deleted). */
  readonly #kept = new Set<string>();
  readonly #onDidChange = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.#onDidChange.event;

  constructor(private readonly source: ReviewSource) {
    super();
  }

  /** Recomputes the change set (a capture of the workspace: run it after runs and saves, not per keystroke). */
  async refresh(): Promise<void> {
    const store = this.source.store();
    const runIds = new Set(await this.source.runIds());
    const baseline = store && runIds.size > 0 ? baselineOf(store.list(), runIds) : undefined;
    const set = store && baseline ? changesSince(store, baseline) : undefined;
    const same = JSON.stringify(set) === JSON.stringify(this.#set);
    this.#set = set;
    // Unchanged: no event, so the view and the lenses are not redrawn under a person's click.
    if (!same) this.#onDidChange.fire();
  }

  /** Files with something left to review (fully kept ones drop out). */
  get files(): readonly ChangedFile[] {
    return (this.#set?.files ?? []).filter((file) => !this.#isFileKept(file));
  }

  get omitted(): number {
    return this.#set?.omitted ?? 0;
  }

  get workspace(): string | undefined {
    return this.source.store()?.workspace;
  }

  uriOf(file: ChangedFile): vscode.Uri {
    return vscode.Uri.file(join(this.workspace ?? '', ...file.path.split('/')));
  }

  fileFor(uri: vscode.Uri): ChangedFile | undefined {
    return this.files.find((file) => this.uriOf(file).fsPath === uri.fsPath);
  }

  /** The file's text before the chat's first change ('' for a file the chat created). */
  beforeText(file: ChangedFile): string {
    const store = this.source.store();
    return file.beforeHash && store ? store.content(file.beforeHash).toString('utf8') : '';
  }

  /** The hunks still to review in this document, computed against its text now. */
  hunksOf(document: vscode.TextDocument): readonly Hunk[] {
    const file = this.fileFor(document.uri);
    if (!file || file.binary) return [];
    const now = document.getText();
    return computeHunks(this.beforeText(file), now).filter((hunk) => !this.#kept.has(hunkKey(file.path, hunk, now)));
  }

  keepHunk(document: vscode.TextDocument, hunk: Hunk): void {
    const file = this.fileFor(document.uri);
    if (!file) return;
    this.#kept.add(hunkKey(file.path, hunk, document.getText()));
    // Its last hunk kept: the file leaves the list too.
    if (this.hunksOf(document).length === 0) this.#kept.add(`${file.path}\0*`);
    this.#onDidChange.fire();
  }

  keepFile(file: ChangedFile): void {
    this.#kept.add(`${file.path}\0*`);
    this.#onDidChange.fire();
  }

  keepAll(): void {
    for (const file of this.files) this.#kept.add(`${file.path}\0*`);
    this.#onDidChange.fire();
  }

  /** Puts one hunk back as it was: an edit of the document (undoable), then saved. */
  async undoHunk(document: vscode.TextDocument, hunk: Hunk): Promise<void> {
    const file = this.fileFor(document.uri);
    if (!file) return;
    // The hunk was computed against the text now; if it moved on since (a keystroke), recompute.
    const current = computeHunks(this.beforeText(file), document.getText()).find((candidate) => candidate.start === hunk.start && candidate.end === hunk.end && candidate.before === hunk.before);
    if (!current) throw new Error(`that change in ${file.path} is no longer there; the marks have been refreshed.`);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(current.start), document.positionAt(current.end)), current.before);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${file.path}.`);
    await document.save();
    this.source.noteUndo({ paths: [file.path], hunks: 1, scope: 'hunk' });
    await this.refresh();
  }

  /** Puts a whole file back: its old text, a deleted file brought back, a created one removed. */
  async undoFile(file: ChangedFile): Promise<void> {
    await this.#undoFiles([file]);
    this.source.noteUndo({ paths: [file.path], hunks: 0, scope: 'file' });
    await this.refresh();
  }

  async undoAll(): Promise<void> {
    const files = this.files;
    if (files.length === 0) return;
    await this.#undoFiles(files);
    this.source.noteUndo({ paths: files.map((file) => file.path), hunks: 0, scope: 'chat' });
    await this.refresh();
  }

  async #undoFiles(files: readonly ChangedFile[]): Promise<void> {
    const store = this.source.store();
    if (!store) return;
    const edit = new vscode.WorkspaceEdit();
    const binaries: { uri: vscode.Uri; bytes: Uint8Array }[] = [];
    const saveAfter: vscode.Uri[] = [];
    for (const file of files) {
      const uri = this.uriOf(file);
      if (file.kind === 'created') {
        edit.deleteFile(uri, { ignoreIfNotExists: true });
      } else if (file.binary) {
        binaries.push({ uri, bytes: store.content(file.beforeHash!) });
      } else if (file.kind === 'deleted') {
        edit.createFile(uri, { contents: store.content(file.beforeHash!), overwrite: true });
      } else {
        const document = await vscode.workspace.openTextDocument(uri);
        edit.replace(uri, new vscode.Range(new vscode.Position(0, 0), document.positionAt(document.getText().length)), this.beforeText(file));
        saveAfter.push(uri);
      }
    }
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit that undoes these changes.');
    for (const uri of saveAfter) await vscode.workspace.textDocuments.find((document) => document.uri.fsPath === uri.fsPath)?.save();
    // Binary content is not a text edit: written back as it was.
    for (const { uri, bytes } of binaries) await vscode.workspace.fs.writeFile(uri, bytes);
  }

  #isFileKept(file: ChangedFile): boolean {
    return this.#kept.has(`${file.path}\0*`);
  }
}

/** A kept hunk is remembered by what it replaced and what it says now, not by its place. */
function hunkKey(path: string, hunk: Hunk, now: string): string {
  return `${path}\0${hunk.before}\0${now.slice(hunk.start, hunk.end)}`;
}
