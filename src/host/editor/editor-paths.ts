import * as vscode from 'vscode';
import type { EditorLocation } from '../../agent/editor/editor-port';

/**
 * Between VS Code's URIs and the workspace paths the model reads. A URI outside every
 * workspace folder, or inside a `node_modules` folder (library code the project does not own),
 * is external: named by its path from `node_modules` on, or by its file name, and never read.
 */
export class EditorPaths {
  readonly #folders: readonly vscode.WorkspaceFolder[];

  constructor(folders: readonly vscode.WorkspaceFolder[] = vscode.workspace.workspaceFolders ?? []) {
    this.#folders = folders;
  }

  /** The workspace path of `uri`, or undefined when it is outside the workspace or a library's. */
  workspacePathOf(uri: vscode.Uri): string | undefined {
    const relative = this.#relative(uri);
    if (relative === undefined || isLibraryPath(relative.path)) return undefined;
    return this.#folders.length > 1 ? `${relative.folder.name}/${relative.path}` : relative.path;
  }

  /** A location the model can be shown (1-based). */
  locationOf(uri: vscode.Uri, range: vscode.Range): EditorLocation {
    const path = this.workspacePathOf(uri);
    if (path !== undefined) {
      return { kind: 'workspace', path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1 };
    }
    return { kind: 'external', name: externalName(uri), line: range.start.line + 1 };
  }

  #relative(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; path: string } | undefined {
    for (const folder of this.#folders) {
      if (folder.uri.scheme !== uri.scheme || folder.uri.authority !== uri.authority) continue;
      const root = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
      if (uri.path.startsWith(root)) return { folder, path: uri.path.slice(root.length) };
    }
    return undefined;
  }
}

function isLibraryPath(path: string): boolean {
  return path.split('/').includes('node_modules');
}

/** "node_modules/zod/lib/types.d.ts" for library files, else the file name ("lib.es5.d.ts"). */
function externalName(uri: vscode.Uri): string {
  const segments = uri.path.split('/');
  const index = segments.lastIndexOf('node_modules');
  if (index >= 0) {
    // A scoped package keeps its scope: node_modules/@types/node/fs.d.ts.
    return segments.slice(index).join('/');
  }
  return segments.at(-1) ?? uri.path;
}
