import { FileNotFoundError } from '../errors';
import { messageOf } from '../format';
import type { WorkspaceFs } from '../workspace-fs';

/**
 * Backups of what a run changes, so its changes can be undone (`glassbox ask --undo`, a
 * "Revert run" button). File tools call `recordBefore` before every write, edit or delete;
 * the first record of a path wins, because undo restores the state before the run, not
 * before the last step. Kept until the run ends and the owner calls `clear()`.
 *
 * In VS Code the host routes writes through a WorkspaceEdit (undoable in the editor); this
 * interface lets the CLI and tests have the same safety net in memory.
 */
export interface ChangeJournal {
  /** Call before changing `path`: remembers its current content, or that it did not exist. */
  recordBefore(path: string): Promise<void>;
  /** Workspace paths changed so far, in the order first changed. */
  changedPaths(): string[];
  /** Puts every recorded path back as it was, newest change first. Never throws per file. */
  undoAll(): Promise<UndoReport>;
  /** Forgets every backup (the run ended and its changes were kept). */
  clear(): void;
}

export interface UndoReport {
  /** Paths written back to their old content. */
  readonly restored: string[];
  /** Paths the run created, removed again (with folders it created, when left empty). */
  readonly removed: string[];
  /** Paths that could not be put back, with why. */
  readonly failed: { readonly path: string; readonly reason: string }[];
}

interface Backup {
  readonly path: string;
  /** The old content; undefined when the file did not exist. */
  readonly before: Uint8Array | undefined;
  /** For a file that did not exist: the folders above it that did not exist either, deepest first. */
  readonly createdFolders: readonly string[];
  /** Set when the old content was too large to keep: undo reports it instead of guessing. */
  readonly skippedBytes?: number;
}

export const DEFAULT_JOURNAL_MAX_BYTES = 64 * 1024 * 1024;

export class InMemoryChangeJournal implements ChangeJournal {
  readonly #backups = new Map<string, Backup>();
  #bytes = 0;

  /**
   * `maxBytes` caps the memory held by backups; a file that would pass it is recorded as
   * changed but not backed up, and undo says so.
   */
  constructor(
    private readonly fs: WorkspaceFs,
    private readonly maxBytes = DEFAULT_JOURNAL_MAX_BYTES,
  ) {}

  async recordBefore(path: string): Promise<void> {
    const key = await this.fs.normalize(path);
    if (this.#backups.has(key)) return;
    let before: Uint8Array | undefined;
    try {
      const stat = await this.fs.stat(key);
      if (stat.kind !== 'file') return; // folders are not backed up; the fs refuses to write them anyway
      if (this.#bytes + stat.size > this.maxBytes) {
        this.#backups.set(key, { path: key, before: undefined, createdFolders: [], skippedBytes: stat.size });
        return;
      }
      before = await this.fs.readFile(key);
    } catch (error) {
      if (!(error instanceof FileNotFoundError)) throw error;
    }
    const createdFolders = before === undefined ? await this.#missingFolders(key) : [];
    this.#bytes += before?.byteLength ?? 0;
    this.#backups.set(key, { path: key, before, createdFolders });
  }

  changedPaths(): string[] {
    return [...this.#backups.keys()];
  }

  async undoAll(): Promise<UndoReport> {
    const report: UndoReport = { restored: [], removed: [], failed: [] };
    for (const backup of [...this.#backups.values()].reverse()) {
      try {
        if (backup.skippedBytes !== undefined) {
          report.failed.push({ path: backup.path, reason: `it was too large to back up (${backup.skippedBytes} bytes)` });
        } else if (backup.before !== undefined) {
          await this.fs.writeFile(backup.path, backup.before);
          report.restored.push(backup.path);
        } else {
          if (await this.fs.exists(backup.path)) await this.fs.delete(backup.path, { useTrash: false });
          report.removed.push(backup.path);
          await this.#removeEmptyFolders(backup.createdFolders);
        }
        this.#backups.delete(backup.path);
      } catch (error) {
        report.failed.push({ path: backup.path, reason: messageOf(error) });
      }
    }
    this.#bytes = [...this.#backups.values()].reduce((sum, b) => sum + (b.before?.byteLength ?? 0), 0);
    return report;
  }

  clear(): void {
    this.#backups.clear();
    this.#bytes = 0;
  }

  /** The folders above `path` that do not exist yet, deepest first. */
  async #missingFolders(path: string): Promise<string[]> {
    const missing: string[] = [];
    const segments = path.split('/');
    for (let depth = segments.length - 1; depth > 0; depth--) {
      const folder = segments.slice(0, depth).join('/');
      try {
        if (await this.fs.exists(folder)) break;
      } catch {
        break; // a root name or a path the fs refuses: nothing more to remove there
      }
      missing.push(folder);
    }
    return missing;
  }

  async #removeEmptyFolders(folders: readonly string[]): Promise<void> {
    for (const folder of folders) {
      if (!(await this.fs.exists(folder))) continue;
      if ((await this.fs.readDirectory(folder)).length > 0) return; // something else lives there now
      await this.fs.delete(folder, { useTrash: false });
    }
  }
}
