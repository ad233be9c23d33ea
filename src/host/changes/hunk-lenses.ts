import * as vscode from 'vscode';
import { plural } from '../../agent/format';
import { Disposable } from '../common/disposable';
import type { ChangeReview } from './change-review';

/**
 * Keep and Undo above each changed hunk in the file's own editor, Keep All / Undo All for the
 * file at its top, and the changed lines tinted like the diff editor's, so the marks show where.
 */
export class HunkLenses extends Disposable implements vscode.CodeLensProvider {
  readonly #changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.#changed.event;
  readonly #added = this.register(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
  );

  constructor(private readonly review: ChangeReview) {
    super();
    this.register(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this));
    this.register(review.onDidChange(() => this.#update()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.#decorate()));
    // Only edits of a changed file move its marks; re-rendering lenses on every keystroke
    // anywhere (output channels included) would also swap them under a person's click.
    this.register(vscode.workspace.onDidChangeTextDocument(({ document }) => (this.review.fileFor(document.uri) ? this.#update() : undefined)));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.review.fileFor(document.uri);
    if (!file || file.binary) return [];
    const hunks = this.review.hunksOf(document);
    if (hunks.length === 0) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: `Glassbox: ${plural(hunks.length, 'change')} to review`, command: 'glassbox.showChanges' }),
      new vscode.CodeLens(top, { title: 'Keep All in File', command: 'glassbox.changes.keepFile', arguments: [file] }),
      new vscode.CodeLens(top, { title: 'Undo All in File', command: 'glassbox.changes.undoFile', arguments: [file] }),
    ];
    for (const hunk of hunks) {
      const line = Math.min(hunk.line, document.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const what = hunk.removed > 0 && hunk.added === 0 ? ` (${plural(hunk.removed, 'line')} removed)` : '';
      lenses.push(
        new vscode.CodeLens(range, { title: `Keep${what}`, command: 'glassbox.changes.keepHunk', arguments: [document.uri, hunk] }),
        new vscode.CodeLens(range, { title: 'Undo', command: 'glassbox.changes.undoHunk', arguments: [document.uri, hunk] }),
      );
    }
    return lenses;
  }

  #update(): void {
    this.#changed.fire();
    this.#decorate();
  }

  #decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const ranges = this.review.hunksOf(editor.document).filter((hunk) => hunk.lineCount > 0).map((hunk) => new vscode.Range(hunk.line, 0, hunk.line + hunk.lineCount - 1, 0));
      editor.setDecorations(this.#added, ranges);
    }
  }
}
