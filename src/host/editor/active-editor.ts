import * as vscode from 'vscode';

/** Where the person is looking when nothing is selected: the file, its language, the lines on screen. */
export interface ActiveEditorContext {
  /** Workspace-relative (with the folder's name in a multi-root workspace), as the tools take it. */
  readonly path: string;
  readonly languageId: string;
  /** 1-based, inclusive: the first and last line visible. */
  readonly firstVisibleLine: number;
  readonly lastVisibleLine: number;
}

/**
 * The editor the person was last in (the chat has focus, so the first visible editor stands in
 * when none is active). Only the place is given, never the text: the model reads it with
 * read_file if it needs to, under the usual rules (a sensitive file asks first).
 */
export function activeEditorContext(): ActiveEditorContext | undefined {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.scheme === 'file');
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
  if (!folder) return undefined;
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const visible = editor.visibleRanges[0] ?? new vscode.Range(0, 0, 0, 0);
  return {
    path: vscode.workspace.asRelativePath(editor.document.uri, multiRoot),
    languageId: editor.document.languageId,
    firstVisibleLine: visible.start.line + 1,
    lastVisibleLine: Math.max(visible.start.line, visible.end.line) + 1,
  };
}

/** The question with where the person is looking appended, for the model. */
export function questionWithActiveEditor(question: string, context: ActiveEditorContext): string {
  return `${question}\n\nOpen in the editor (nothing selected): ${context.path} (${context.languageId}), lines ${context.firstVisibleLine}–${context.lastVisibleLine} visible.`;
}
