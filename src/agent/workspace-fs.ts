/**
 * The only way tools touch files. Every path a tool passes is workspace-relative (or
 * absolute inside a root) and is confined by the implementation: `..` escapes, absolute
 * paths outside every root, and symlinks whose real path lies outside are refused with a
 * PathOutsideWorkspaceError before anything is read or written.
 *
 * Two implementations keep one set of rules: Node `fs` for the CLI (node-workspace-fs.ts)
 * and `vscode.workspace.fs` in the extension (src/host).
 */

import { FileNotFoundError } from './errors';

export type FileKind = 'file' | 'directory' | 'other';

export interface FileStat {
  readonly kind: FileKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface WorkspaceRoot {
  /** Folder name; in a multi-root workspace a path may start with it (`api/src/x.ts`). */
  readonly name: string;
  /** Where it lives, for display (a file system path or a URI string). */
  readonly location: string;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly kind: FileKind;
}

export interface WorkspaceFs {
  readonly roots: readonly WorkspaceRoot[];
  /**
   * The canonical workspace-relative form of `path` (forward slashes; prefixed with the
   * root's name when there are several roots). Throws PathOutsideWorkspaceError when the
   * path, or the real path behind a symlink, leaves the workspace.
   */
  normalize(path: string): Promise<string>;
  stat(path: string): Promise<FileStat>;
  /** Whether `path` exists (inside the workspace). Never throws for a missing file. */
  exists(path: string): Promise<boolean>;
  /** Whole file. Refuses (FileTooLargeError) files over `maxBytes` when given. */
  readFile(path: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<Uint8Array>;
  /** The file in chunks, so large files are never held whole in memory. */
  readStream(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  /** Creates or overwrites; creates missing parent folders. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Deletes a file (or an empty folder); `useTrash` where the platform has one. */
  delete(path: string, options?: { useTrash?: boolean }): Promise<void>;
  /**
   * The absolute local-disk path behind `path` (confined like every other call), for
   * processes such as ripgrep or a shell; undefined on remote or virtual file systems.
   */
  localPath(path: string): Promise<string | undefined>;
}

/** `exists` for any implementation: a stat that finds nothing is false; other errors throw. */
export async function existsByStat(fs: Pick<WorkspaceFs, 'stat'>, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (error) {
    if (error instanceof FileNotFoundError) return false;
    throw error;
  }
}
