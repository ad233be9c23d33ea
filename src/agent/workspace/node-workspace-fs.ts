/**
 * WorkspaceFs over node:fs for the CLI and tests. Every call confines its path twice: the
 * lexical rules of confine-path.ts, then the real path of the deepest existing ancestor,
 * so a symlinked file or folder leading outside is refused for reads and writes alike.
 *
 * After resolution the call works on the *real* path and opens its last segment with
 * O_NOFOLLOW, so a link swapped in between check and use is not followed. (A folder swapped
 * for a link in that instant is a race this does not close; it needs a local attacker.)
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import {
  assertDistinctRootNames,
  confinePath,
  isCaseInsensitivePlatform,
  isInsideRealRoot,
  joinInsideRoot,
  type ConfineRoot,
} from './confine-path';
import { canonicalWorkspacePath, isSymbolicLink, realPathInside } from './real-path';
import { streamFileChunks } from './stream-file-chunks';
import { CancelledError, FileNotFoundError, FileTooLargeError, PathOutsideWorkspaceError, SpecialFileError, ToolError } from '../errors';
import { existsByStat, type DirectoryEntry, type FileKind, type FileStat, type WorkspaceFs, type WorkspaceRoot } from '../workspace-fs';

// Windows has no O_NOFOLLOW; there the real-path check alone guards the last segment.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO swapped in after the check then fails to open (or opens at once) instead of blocking.
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

interface ResolvedPath {
  /** The path as written, in workspace form, for messages and results. */
  readonly workspacePath: string;
  /** Where it really is, in workspace form (through links inside the workspace). */
  readonly canonicalPath: string;
  /** Root path joined with the clean relative path (what the user would recognise). */
  readonly lexicalPath: string;
  /** The real location: the real path of the deepest existing ancestor plus the missing rest. */
  readonly realPath: string;
  readonly rootIndex: number;
}

export class NodeWorkspaceFs implements WorkspaceFs {
  readonly roots: readonly WorkspaceRoot[];
  readonly #confineRoots: readonly ConfineRoot[];
  readonly #caseInsensitive = isCaseInsensitivePlatform();
  readonly #realRoots = new Map<number, Promise<string>>();

  /** `rootPaths`: one or more folders; relative ones resolve against the current directory. */
  constructor(rootPaths: readonly string[]) {
    if (rootPaths.length === 0) throw new ToolError('NodeWorkspaceFs needs at least one root folder.');
    this.#confineRoots = rootPaths.map((rootPath) => {
      const absolute = nodePath.resolve(rootPath);
      return { name: nodePath.basename(absolute) || absolute, path: absolute };
    });
    assertDistinctRootNames(this.#confineRoots);
    this.roots = this.#confineRoots.map(({ name, path }) => ({ name, location: path }));
  }

  async normalize(path: string): Promise<string> {
    return (await this.#resolve(path)).canonicalPath;
  }

  async stat(path: string): Promise<FileStat> {
    const resolved = await this.#resolve(path);
    const stats = await this.#orNotFound(resolved, () => fs.stat(resolved.realPath));
    return { kind: kindOf(stats), size: stats.size, mtimeMs: stats.mtimeMs };
  }

  exists(path: string): Promise<boolean> {
    return existsByStat(this, path);
  }

  async readFile(path: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const resolved = await this.#resolve(path);
    const handle = await this.#openForReading(resolved);
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
      if (options.maxBytes !== undefined && stats.size > options.maxBytes) {
        throw new FileTooLargeError(resolved.workspacePath, stats.size, options.maxBytes);
      }
      throwIfAborted(options.signal);
      return await handle.readFile({ signal: options.signal }).catch((error: unknown) => {
        if (options.signal?.aborted) throw new CancelledError();
        throw error;
      });
    } finally {
      await handle.close();
    }
  }

  async *readStream(path: string, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const resolved = await this.#resolve(path);
    const handle = await this.#openForReading(resolved);
    let handedOver = false;
    try {
      if ((await handle.stat()).isDirectory()) throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
      // The stream owns the handle from here and closes it when it ends or is destroyed.
      handedOver = true;
      yield* streamFileChunks(handle, signal);
    } finally {
      if (!handedOver) await handle.close();
    }
  }

  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    const resolved = await this.#resolve(path);
    const entries = await this.#orNotFound(resolved, () => fs.readdir(resolved.realPath, { withFileTypes: true }));
    // Links are reported as 'other' and never followed, like ripgrep's default walk.
    return entries.map((entry) => ({
      name: entry.name,
      kind: entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other',
    }));
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const resolved = await this.#resolve(path);
    if (resolved.realPath === (await this.#realRoot(resolved.rootIndex))) {
      throw new ToolError(`"${resolved.workspacePath}" is a workspace folder, not a file.`);
    }
    // Missing parents are created under the real, already-confined ancestor.
    await fs.mkdir(nodePath.dirname(resolved.realPath), { recursive: true });
    await this.#assertStillInside(resolved, nodePath.dirname(resolved.realPath));
    await this.#refuseSpecial(resolved);
    const handle = await fs.open(resolved.realPath, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NO_FOLLOW | NON_BLOCKING, 0o666)
      .catch((error: unknown) => {
        if (codeOf(error) === 'ELOOP') throw this.#linkRefusal(resolved);
        if (codeOf(error) === 'EISDIR') throw new ToolError(`"${resolved.workspacePath}" is a folder, not a file.`);
        throw error;
      });
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  }

  async delete(path: string, _options?: { useTrash?: boolean }): Promise<void> {
    // Node has no trash; the Node implementation deletes for real (the CLI says so).
    const resolved = await this.#resolve(path);
    if (resolved.realPath === (await this.#realRoot(resolved.rootIndex))) {
      throw new ToolError(`"${resolved.workspacePath}" is a workspace folder; it cannot be deleted.`);
    }
    // A link is removed itself, never its target; its folder must really be inside too.
    if (await isSymbolicLink(resolved.lexicalPath)) {
      await this.#assertStillInside(resolved, nodePath.dirname(resolved.lexicalPath));
      const realFolder = await fs.realpath(nodePath.dirname(resolved.lexicalPath));
      await fs.unlink(nodePath.join(realFolder, nodePath.basename(resolved.lexicalPath)));
      return;
    }
    const stats = await this.#orNotFound(resolved, () => fs.lstat(resolved.realPath));
    if (stats.isDirectory()) {
      await fs.rmdir(resolved.realPath).catch((error: unknown) => {
        if (codeOf(error) === 'ENOTEMPTY' || codeOf(error) === 'EEXIST') {
          throw new ToolError(`"${resolved.workspacePath}" is a folder that is not empty; delete its files first.`);
        }
        throw error;
      });
    } else {
      await fs.unlink(resolved.realPath);
    }
  }

  async localPath(path: string): Promise<string | undefined> {
    return (await this.#resolve(path)).lexicalPath;
  }

  /** Lexical confinement, then the real path of the deepest existing ancestor. */
  async #resolve(input: string): Promise<ResolvedPath> {
    const confined = confinePath(input, this.#confineRoots, { caseInsensitive: this.#caseInsensitive });
    const root = this.#confineRoots[confined.rootIndex];
    const realRoot = await this.#realRoot(confined.rootIndex);
    const realPath = await realPathInside(root.path, confined.relative, confined.workspacePath, {
      caseInsensitive: this.#caseInsensitive,
      realRoot,
    });
    return {
      workspacePath: confined.workspacePath,
      canonicalPath: canonicalWorkspacePath(realRoot, realPath, {
        ...confined,
        rootName: root.name,
        rootCount: this.#confineRoots.length,
      }),
      lexicalPath: joinInsideRoot(root.path, confined.relative),
      realPath,
      rootIndex: confined.rootIndex,
    };
  }

  #realRoot(index: number): Promise<string> {
    let real = this.#realRoots.get(index);
    if (!real) {
      const rootPath = this.#confineRoots[index].path;
      real = fs.realpath(rootPath).catch((error: unknown) => {
        this.#realRoots.delete(index); // the folder may be created later
        if (codeOf(error) === 'ENOENT') throw new FileNotFoundError(rootPath);
        throw error;
      });
      this.#realRoots.set(index, real);
    }
    return real;
  }

  /** Re-checks a folder after mkdir: a link created meanwhile must not carry the write out. */
  async #assertStillInside(resolved: ResolvedPath, folder: string): Promise<void> {
    const realFolder = await fs.realpath(folder);
    const realRoot = await this.#realRoot(resolved.rootIndex);
    if (!isInsideRealRoot(realFolder, realRoot, { caseInsensitive: this.#caseInsensitive })) throw this.#linkRefusal(resolved);
  }

  async #openForReading(resolved: ResolvedPath): Promise<fs.FileHandle> {
    // Checked before opening: opening a FIFO blocks until a writer comes (and holds the process
    // open), and a device such as /dev/zero reads without end.
    await this.#refuseSpecial(resolved);
    const handle = await this.#orNotFound(resolved, () =>
      fs.open(resolved.realPath, constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING).catch((error: unknown) => {
        if (codeOf(error) === 'ELOOP') throw this.#linkRefusal(resolved);
        throw error;
      }),
    );
    // And again on what was opened, in case it was swapped in between.
    const stats = await handle.stat();
    if (!stats.isFile() && !stats.isDirectory()) {
      await handle.close();
      throw new SpecialFileError(resolved.workspacePath, describeSpecial(stats));
    }
    return handle;
  }

  /** Refuses what is not a regular file or a folder (FIFO, socket, device); a missing path passes. */
  async #refuseSpecial(resolved: ResolvedPath): Promise<void> {
    const stats = await fs.stat(resolved.realPath).catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR' || codeOf(error) === 'ELOOP') return undefined;
      throw error;
    });
    if (stats && !stats.isFile() && !stats.isDirectory()) throw new SpecialFileError(resolved.workspacePath, describeSpecial(stats));
  }

  #linkRefusal(resolved: ResolvedPath): PathOutsideWorkspaceError {
    return new PathOutsideWorkspaceError(resolved.workspacePath, 'changed into a symbolic link while being used');
  }

  async #orNotFound<T>(resolved: ResolvedPath, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileNotFoundError(resolved.workspacePath);
      throw error;
    }
  }
}

function describeSpecial(stats: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function kindOf(stats: { isFile(): boolean; isDirectory(): boolean }): FileKind {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
