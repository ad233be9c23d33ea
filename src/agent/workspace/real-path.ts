import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import { isInsideRealRoot, joinInsideRoot } from './confine-path';
import { PathOutsideWorkspaceError } from '../errors';

/**
 * The symlink half of confinement for `file:` workspace folders (confine-path.ts does the
 * lexical half). Resolves the deepest existing ancestor of `relative` with realpath and
 * refuses when it lies outside the root's real path, so a linked file or folder pointing
 * outside is refused for reads and writes alike, the same rule as NodeWorkspaceFs. Pure
 * Node (no `vscode`): NodeWorkspaceFs and the VS Code implementation share it.
 *
 * @returns the real location: the ancestor's real path plus the segments not created yet.
 */
export async function realPathInside(
  rootPath: string,
  relative: string,
  workspacePath: string,
  options: { caseInsensitive: boolean; realRoot?: string },
): Promise<string> {
  const realRoot = options.realRoot ?? (await fs.realpath(rootPath));
  const segments = relative === '' ? [] : relative.split('/');
  for (let existing = segments.length; existing >= 0; existing--) {
    const candidate = joinInsideRoot(rootPath, segments.slice(0, existing).join('/'));
    let realAncestor: string;
    try {
      realAncestor = await fs.realpath(candidate);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ELOOP') throw new PathOutsideWorkspaceError(workspacePath, 'goes through a symbolic link loop');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      // A dangling link could be followed to create a file anywhere: refuse it.
      if (await isSymbolicLink(candidate)) throw new PathOutsideWorkspaceError(workspacePath, 'goes through a broken symbolic link');
      continue;
    }
    if (!isInsideRealRoot(realAncestor, realRoot, { caseInsensitive: options.caseInsensitive })) {
      throw new PathOutsideWorkspaceError(workspacePath, 'leads outside the workspace through a symbolic link');
    }
    return existing === segments.length ? realAncestor : nodePath.join(realAncestor, ...segments.slice(existing));
  }
  return realRoot;
}

/** Whether `folder` still really lies inside the root (re-checked after creating folders). */
export async function isStillInside(rootPath: string, folder: string, options: { caseInsensitive: boolean }): Promise<boolean> {
  const [realRoot, realFolder] = await Promise.all([fs.realpath(rootPath), fs.realpath(folder)]);
  return isInsideRealRoot(realFolder, realRoot, { caseInsensitive: options.caseInsensitive });
}

export async function isSymbolicLink(path: string): Promise<boolean> {
  try {
    return (await fs.lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * The workspace-relative form of where a path really is. A link inside the workspace
 * (`cfg -> .vscode`) makes `cfg/tasks.json` really `.vscode/tasks.json`: approval rules
 * (protected and sensitive paths) must judge the latter, so `normalize()` returns it.
 */
export function canonicalWorkspacePath(
  realRoot: string,
  realPath: string,
  asWritten: { readonly workspacePath: string; readonly relative: string; readonly rootName: string; readonly rootCount: number },
): string {
  const relative = nodePath.relative(realRoot, realPath).split(nodePath.sep).join('/');
  if (relative === asWritten.relative) return asWritten.workspacePath;
  if (relative === '') return asWritten.rootCount > 1 ? asWritten.rootName : '.';
  return asWritten.rootCount > 1 ? `${asWritten.rootName}/${relative}` : relative;
}
