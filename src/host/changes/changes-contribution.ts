import * as vscode from 'vscode';
import type { ChangedFile } from '../../agent/changes/changed-files';
import type { Hunk } from '../../agent/changes/hunks';
import type { Logger } from '../../agent/logger';
import { describeEvent } from '../../agent/describe-event';
import type { ProposedContentProvider } from '../approvals/proposed-content';
import type { CheckpointRestorer } from '../checkpoints/checkpoint-restore';
import { Disposable } from '../common/disposable';
import type { HostCommands } from '../common/host-commands';
import type { RunController } from '../run/run-controller';
import { ChangeReview } from './change-review';
import { ChangesView } from './changes-view';
import { HunkLenses } from './hunk-lenses';

/**
 * Reviewing what the current chat changed: the Changes view, Keep / Undo per hunk in the file's
 * editor, Keep All / Undo All per file and for the chat, and `glassbox.showChanges` (which the
 * chat's "N files changed" line opens). The list is recomputed after each run's writes and
 * commands, on a chat switch and on saves; one recomputation at a time, a request meanwhile
 * folded into one more.
 */
export class ChangesContribution extends Disposable {
  readonly review: ChangeReview;
  #refreshing: Promise<void> | undefined;
  #again = false;

  constructor(
    commands: HostCommands,
    runs: RunController,
    checkpoints: CheckpointRestorer,
    private readonly proposed: ProposedContentProvider,
    private readonly logger: Logger,
  ) {
    super();
    this.review = this.register(
      new ChangeReview({
        store: () => checkpoints.store(),
        runIds: () => runs.currentRunIds(),
        noteUndo: (undo) => void runs.noteUndo(undo),
      }),
    );
    this.register(new ChangesView(this.review));
    this.register(new HunkLenses(this.review));
    this.register(runs.onDidChangeChat(() => this.refresh()));
    this.register(
      runs.onDidEvent(({ event }) => {
        if (event.type === 'changes-undone') this.logger.info(describeEvent(event) ?? '');
        if (event.type === 'tool-result' || event.type === 'run-end' || event.type === 'checkpoint-restored') this.refresh();
      }),
    );
    this.register(vscode.workspace.onDidSaveTextDocument(() => this.refresh()));
    this.register(vscode.workspace.onDidDeleteFiles(() => this.refresh()));
    this.register(vscode.workspace.onDidCreateFiles(() => this.refresh()));

    const review = this.review;
    const withDocument = async (uri: vscode.Uri, run: (document: vscode.TextDocument) => unknown) => run(await vscode.workspace.openTextDocument(uri));
    const entries: [string, (...args: never[]) => unknown][] = [
      ['glassbox.showChanges', async () => {
        await this.refresh();
        await vscode.commands.executeCommand('glassbox.changes.focus');
      }],
      ['glassbox.changes.refresh', () => this.refresh()],
      ['glassbox.changes.openDiff', (file?: ChangedFile) => this.#openDiff(file)],
      ['glassbox.changes.keepHunk', (uri: vscode.Uri, hunk: Hunk) => withDocument(uri, (document) => review.keepHunk(document, hunk))],
      ['glassbox.changes.undoHunk', (uri: vscode.Uri, hunk: Hunk) => withDocument(uri, (document) => review.undoHunk(document, hunk))],
      ['glassbox.changes.keepFile', (file?: ChangedFile) => this.#withFile(file, (chosen) => review.keepFile(chosen))],
      ['glassbox.changes.undoFile', (file?: ChangedFile) => this.#withFile(file, (chosen) => review.undoFile(chosen))],
      ['glassbox.changes.keepAll', () => review.keepAll()],
      ['glassbox.changes.undoAll', () => this.#undoAll()],
    ];
    for (const [id, run] of entries) this.register(commands.register(id, run));
    // No refresh here: this runs during activation, and a refresh opens the chat history and
    // compares the workspace with a checkpoint (a walk of the folder). The first one comes when
    // the chat is shown or changes, a run's step ends, or the person opens the Changes.
  }

  /** Recomputes the list; calls while one runs fold into a single one after it. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          await this.review.refresh();
        } while (this.#again);
      } catch (error) {
        this.logger.warn(`Changes: could not list the chat's changes: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Before the chat's first change ↔ the file now (binary files: revealed instead; a deleted one: its old text). */
  async #openDiff(file: ChangedFile | undefined): Promise<void> {
    if (!file) return;
    const uri = this.review.uriOf(file);
    if (file.binary) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      void vscode.window.showInformationMessage(`Glassbox: ${file.path} is binary: it is listed, not diffed. Undo All puts it back as it was.`);
      return;
    }
    const before = this.proposed.add(file.path, this.review.beforeText(file), 'checkpoint');
    const after = file.kind === 'deleted' ? this.proposed.add(file.path, '', 'current').uri : uri;
    await vscode.commands.executeCommand('vscode.diff', before.uri, after, `${file.path} (before this chat ↔ now)`, { preview: true });
  }

  async #withFile(file: ChangedFile | undefined, run: (file: ChangedFile) => unknown): Promise<void> {
    const chosen = file ?? this.review.fileFor(vscode.window.activeTextEditor?.document.uri ?? vscode.Uri.file(''));
    if (chosen) await run(chosen);
  }

  async #undoAll(): Promise<void> {
    const count = this.review.files.length;
    if (count === 0) return;
    const choice = await vscode.window.showWarningMessage(`Undo the changes this chat made to ${count} file${count === 1 ? '' : 's'}?`, { modal: true }, 'Undo All');
    if (choice === 'Undo All') await this.review.undoAll();
  }
}
