import * as vscode from 'vscode';

export interface EditorSelection {
  /** Workspace-relative, prefixed with the folder's name in a multi-root workspace (the form tools take). */
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly languageId: string;
  readonly text: string;
}

/**
 * The selection of the editor the person was last in. When the chat view has focus there is
 * no active editor, so the first visible one with a selection stands in.
 */
export function currentSelection(): EditorSelection | undefined {
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const editor = candidates.find((candidate) => candidate && !candidate.selection.isEmpty);
  if (!editor) return undefined;
  const { selection, document } = editor;
  // A selection ending at column 0 of a line does not really include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  return {
    path: document.uri.scheme === 'untitled' ? document.uri.path : vscode.workspace.asRelativePath(document.uri, multiRoot),
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    languageId: document.languageId,
    text: document.getText(selection),
  };
}

/**
 * The selection a question is asked about (the Ask About Selection command, the chat's attach
 * button); when there is none, the person is told how to make one.
 */
export function selectionToAttach(): EditorSelection | undefined {
  const selection = currentSelection();
  if (!selection) void vscode.window.showInformationMessage('Glassbox: select some code in an editor first, then ask about it.');
  return selection;
}
