import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { confinePath, isCaseInsensitivePlatform, joinInsideRoot, type ConfineRoot, type PathPlatform } from '../../agent/workspace/confine-path';
import { CancelledError, FileNotFoundError, FileTooLargeError, PathOutsideWorkspaceError, ToolError } from '../../agent/errors';
import { existsByStat, type DirectoryEntry, type FileKind, type FileStat, type WorkspaceFs, type WorkspaceRoot } from '../../agent/workspace-fs';
import { canonicalWorkspacePath, isStillInside, realPathInside } from '../../agent/workspace/real-path';
import { STREAM_CHUNK_BYTES, streamFileChunks } from '../../agent/workspace/stream-file-chunks';


interface Resolved {
  readonly workspacePath: string;
  /** The URI VS Code knows the file by (editors, documents): root URI + clean relative path. */
  readonly uri: vscode.Uri;
  /** For `file:` roots, the real location after the symlink check. */
  readonly realPath?: string;
  /** Where it really is, in workspace form (through links inside the workspace). */
  readonly canonicalPath: string;
  readonly rootIndex: number;
  readonly relative: string;
}

/**
 * WorkspaceFs over `vscode.workspace.fs`, for every workspace folder (multi-root: a path may
 * start with its folder's name). Paths go through the same rules as the CLI's NodeWorkspaceFs
 * (confine-path.ts), plus a real-path check for `file:` folders so links leading outside are
 * refused. Remote and virtual folders get the lexical rules (their providers have no links
 * Glassbox can resolve), and `localPath` is undefined there, so commands refuse clearly.
 *
 * Writes go through a WorkspaceEdit, so a person can Undo them: existing text files are
 * changed as a whole-document replace (then saved, so the next read sees the change), new
 * files are created with their contents.
 */
export class VscodeWorkspaceFs implements WorkspaceFs {
  readonly roots: readonly WorkspaceRoot[];
  readonly #folders: readonly vscode.WorkspaceFolder[];
  readonly #confineRoots: readonly ConfineRoot[];
  readonly #platform: PathPlatform;
  readonly #caseInsensitive: boolean;

  constructor(folders: readonly vscode.WorkspaceFolder[] = vscode.workspace.workspaceFolders ?? []) {
    this.#folders = folders;
    const allLocal = folders.every((folder) => folder.uri.scheme === 'file');
    // Local folders keep the platform's path syntax; anything else is addressed by URI path.
    this.#platform = allLocal && process.platform === 'win32' ? 'win32' : 'posix';
    this.#caseInsensitive = allLocal && isCaseInsensitivePlatform();
    const names = uniqueNames(folders.map((folder) => folder.name));
    this.#confineRoots = folders.map((folder, index) => ({
      name: names[index],
      path: allLocal ? folder.uri.fsPath : folder.uri.path,
    }));
    this.roots = folders.map((folder, index) => ({
      name: names[index],
      location: folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.toString(),
    }));
  }

  async normalize(path: string): Promise<string> {
    return (await this.#resolve(path)).canonicalPath;
  }

  /** The URI of a workspace path (confined), e.g. to open it in an editor. */
  async uriOf(path: string): Promise<vscode.Uri> {
    return (await this.#resolve(path)).uri;
  }

  async stat(path: string): Promise<FileStat> {
    const resolved = await this.#resolve(path);
    const stat = await this.#call(resolved, () => vscode.workspace.fs.stat(this.#target(resolved)));
    return { kind: kindOf(stat.type), size: stat.size, mtimeMs: stat.mtime };
  }

  exists(path: string): Promise<boolean> {
    return existsByStat(this, path);
  }

  async readFile(path: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const resolved = await this.#resolve(path);
    const target = this.#target(resolved);
    const stat = await this.#call(resolved, () => vscode.workspace.fs.stat(target));
    if (stat.type & vscode.FileType.Directory) throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw new FileTooLargeError(resolved.workspacePath, stat.size, options.maxBytes);
    }
    if (options.signal?.aborted) throw new CancelledError();
    const data = await this.#call(resolved, () => vscode.workspace.fs.readFile(target));
    if (options.signal?.aborted) throw new CancelledError();
    return data;
  }

  async *readStream(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const resolved = await this.#resolve(path);
    const stat = await this.#call(resolved, () => vscode.workspace.fs.stat(this.#target(resolved)));
    if (stat.type & vscode.FileType.Directory) throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
    if (resolved.realPath !== undefined) {
      // Local files stream from disk in chunks; vscode.workspace.fs has no streaming read.
      yield* streamFileChunks(resolved.realPath, signal);
      return;
    }
    const data = await this.#call(resolved, () => vscode.workspace.fs.readFile(resolved.uri));
    for (let offset = 0; offset < data.length; offset += STREAM_CHUNK_BYTES) {
      if (signal?.aborted) throw new CancelledError();
      yield data.subarray(offset, offset + STREAM_CHUNK_BYTES);
    }
  }

  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    const resolved = await this.#resolve(path);
    const entries = await this.#call(resolved, () => vscode.workspace.fs.readDirectory(this.#target(resolved)));
    // Links are 'other' and never followed, as in NodeWorkspaceFs and ripgrep's walk.
    return entries.map(([name, type]) => ({ name, kind: type & vscode.FileType.SymbolicLink ? 'other' : kindOf(type) }));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const resolved = await this.#resolve(path);
    if (resolved.relative === '') throw new ToolError(`"${resolved.workspacePath}" is a workspace folder, not a file.`);
    const parent = vscode.Uri.joinPath(resolved.uri, '..');
    await this.#call(resolved, () => vscode.workspace.fs.createDirectory(parent));
    if (resolved.realPath !== undefined) await this.#assertStillInside(resolved, joinInsideRoot(this.#confineRoots[resolved.rootIndex].path, parentOf(resolved.relative), this.#platform));

    const existing = await statOrUndefined(resolved.uri);
    if (existing && existing.type & vscode.FileType.Directory) throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
    const text = existing ? decodeText(data) : undefined;
    const edit = new vscode.WorkspaceEdit();
    const metadata: vscode.WorkspaceEditEntryMetadata = { label: `Glassbox: write ${resolved.workspacePath}`, needsConfirmation: false };
    let document: vscode.TextDocument | undefined;
    if (existing && text !== undefined) {
      // A text edit on the document: Undo in the editor restores the old content.
      document = await vscode.workspace.openTextDocument(resolved.uri);
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      edit.replace(resolved.uri, whole, text, metadata);
    } else {
      edit.createFile(resolved.uri, { overwrite: true, contents: data }, metadata);
    }
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
    if (!applied) throw new ToolError(`VS Code did not apply the change to "${resolved.workspacePath}" (the file may be read-only or locked).`);
    if (document && !(await document.save())) {
      throw new ToolError(`The change to "${resolved.workspacePath}" is in the editor but could not be saved.`);
    }
  }

  async delete(path: string, options: { useTrash?: boolean } = {}): Promise<void> {
    const resolved = await this.#resolve(path);
    if (resolved.relative === '') throw new ToolError(`"${resolved.workspacePath}" is a workspace folder; it cannot be deleted.`);
    const stat = await this.#call(resolved, () => vscode.workspace.fs.stat(resolved.uri));
    if (stat.type & vscode.FileType.Directory) {
      const children = await this.#call(resolved, () => vscode.workspace.fs.readDirectory(resolved.uri));
      if (children.length > 0) throw new ToolError(`"${resolved.workspacePath}" is a folder that is not empty; delete its files first.`);
    }
    const useTrash = options.useTrash ?? true;
    try {
      await vscode.workspace.fs.delete(resolved.uri, { recursive: false, useTrash });
    } catch (error) {
      // Some file systems (remote, virtual) have no trash: delete for real, as asked.
      if (!useTrash || isNotFound(error)) throw this.#translate(resolved, error);
      await this.#call(resolved, () => vscode.workspace.fs.delete(resolved.uri, { recursive: false, useTrash: false }));
    }
  }

  async localPath(path: string): Promise<string | undefined> {
    const resolved = await this.#resolve(path);
    return resolved.uri.scheme === 'file' ? resolved.uri.fsPath : undefined;
  }

  async #resolve(input: string): Promise<Resolved> {
    const confined = confinePath(input, this.#confineRoots, { platform: this.#platform, caseInsensitive: this.#caseInsensitive });
    const folder = this.#folders[confined.rootIndex];
    const segments = confined.relative === '' ? [] : confined.relative.split('/');
    const uri = segments.length === 0 ? folder.uri : vscode.Uri.joinPath(folder.uri, ...segments);
    const base = { workspacePath: confined.workspacePath, uri, rootIndex: confined.rootIndex, relative: confined.relative };
    if (folder.uri.scheme !== 'file') return { ...base, canonicalPath: confined.workspacePath };
    try {
      const realRoot = await fs.realpath(folder.uri.fsPath);
      const realPath = await realPathInside(folder.uri.fsPath, confined.relative, confined.workspacePath, {
        caseInsensitive: this.#caseInsensitive,
        realRoot,
      });
      const canonicalPath = canonicalWorkspacePath(realRoot, realPath, {
        ...confined,
        rootName: this.#confineRoots[confined.rootIndex].name,
        rootCount: this.#confineRoots.length,
      });
      return { ...base, realPath, canonicalPath };
    } catch (error) {
      if (isNotFound(error)) throw new FileNotFoundError(folder.uri.fsPath);
      throw error;
    }
  }

  /**
   * Reads and stats go to the real location (links already checked), so a link swapped in
   * after the check is not followed blindly; edits keep the URI editors know the file by.
   */
  #target(resolved: Resolved): vscode.Uri {
    return resolved.realPath !== undefined ? vscode.Uri.file(resolved.realPath) : resolved.uri;
  }

  async #assertStillInside(resolved: Resolved, folder: string): Promise<void> {
    const rootPath = this.#folders[resolved.rootIndex].uri.fsPath;
    if (!(await isStillInside(rootPath, folder, { caseInsensitive: this.#caseInsensitive }))) {
      throw new PathOutsideWorkspaceError(resolved.workspacePath, 'changed into a symbolic link while being used');
    }
  }

  async #call<T>(resolved: Resolved, action: () => Thenable<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw this.#translate(resolved, error);
    }
  }

  #translate(resolved: Resolved, error: unknown): Error {
    if (isNotFound(error)) return new FileNotFoundError(resolved.workspacePath);
    if (error instanceof vscode.FileSystemError) {
      if (error.code === 'FileIsADirectory') return new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
      if (error.code === 'FileNotADirectory') return new ToolError(`"${resolved.workspacePath}" is a file, not a folder.`);
      if (error.code === 'NoPermissions') return new ToolError(`No permission to use "${resolved.workspacePath}".`);
      return new ToolError(`"${resolved.workspacePath}": ${error.message}`);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function kindOf(type: vscode.FileType): FileKind {
  if (type & vscode.FileType.Directory) return 'directory';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

function isNotFound(error: unknown): boolean {
  if (error instanceof vscode.FileSystemError) return error.code === 'FileNotFound' || error.code === 'EntryNotFound';
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function statOrUndefined(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The text of `data` when it is UTF-8 without NUL bytes; undefined for binary content. */
function decodeText(data: Uint8Array): string | undefined {
  if (data.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}

function parentOf(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash < 0 ? '' : relative.slice(0, slash);
}

/** Folder names must be unique for `name/…` paths; duplicates get `-2`, `-3`, … */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}
