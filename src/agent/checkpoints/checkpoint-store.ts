/**
 * Checkpoints of one workspace folder, kept outside it (the extension's storage, or the CLI's
 * state folder): create one before a risky step, list them, preview a restore, restore. The
 * user's `.git` folders are never read beyond their ignore list, never written, renamed or
 * locked, and nothing here runs git, so it works where git is not installed.
 *
 * A restore first checkpoints the current state (so it can be undone), then writes a journal,
 * applies the changes (each file written to a temporary name and renamed over the old one)
 * and removes the journal. If the process dies half-way, the next store opened on the folder
 * finds the journal and finishes the restore: the workspace ends in the new state, never a mix.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AgentError } from '../errors';
import { captureWorkspace, type CachedRules } from './capture';
import type { Checkpoint, CheckpointMeta } from './checkpoint';
import { ObjectStore } from './object-store';
import { planRestore, type FileChange, type RestorePlan } from './restore-plan';
import { TreeReader } from './tree';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_STORE_BYTES = 1024 * 1024 * 1024;

export interface CheckpointStoreOptions {
  /** This workspace's own folder in the store (one per workspace folder). */
  readonly storeDir: string;
  readonly workspace: string;
  /** Files larger than this are listed but not stored (default 5 MB). */
  readonly maxFileBytes?: number;
  /** The store's size cap; past it the oldest checkpoints are deleted first (default 1 GB). */
  readonly maxStoreBytes?: number;
}

export class CheckpointNotFoundError extends AgentError {
  readonly recoverable = false;
  constructor(readonly id: string) {
    super(`No checkpoint "${id}" in this workspace. \`glassbox checkpoints\` lists them.`);
  }
}

export interface CreateReport {
  readonly checkpoint: Checkpoint;
  readonly durationMs: number;
  /** Files read and hashed; the rest were unchanged since the last checkpoint. */
  readonly filesRead: number;
  /** Checkpoints deleted (oldest first) to stay under the store's cap. */
  readonly dropped: readonly string[];
}

export interface RestorePreview {
  readonly checkpoint: Checkpoint;
  readonly plan: RestorePlan;
  readonly maxFileBytes: number;
}

export interface RestoreReport {
  readonly checkpoint: Checkpoint;
  /** The state just before the restore: restoring it undoes the restore. */
  readonly undo: Checkpoint;
  readonly changes: readonly FileChange[];
  readonly failed: readonly { readonly path: string; readonly reason: string }[];
  readonly leftAlone: RestorePlan['leftAlone'];
  readonly durationMs: number;
}

interface Journal {
  readonly target: string;
  readonly root: string;
  readonly undo: string;
}

export class CheckpointStore {
  readonly workspace: string;
  readonly maxFileBytes: number;
  readonly maxStoreBytes: number;
  readonly #dir: string;
  readonly #objects: ObjectStore;
  readonly #trees: TreeReader;
  readonly #rules = new Map<string, CachedRules>();
  #usage: number | undefined;

  constructor(options: CheckpointStoreOptions) {
    this.workspace = resolve(options.workspace);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxStoreBytes = options.maxStoreBytes ?? DEFAULT_MAX_STORE_BYTES;
    this.#dir = options.storeDir;
    mkdirSync(join(this.#dir, 'checkpoints'), { recursive: true });
    this.#objects = new ObjectStore(this.#dir);
    this.#trees = new TreeReader(this.#objects);
  }

  /** Finishes a restore a crash interrupted. Returns the checkpoint it completed, if any. */
  recover(): string | undefined {
    const journal = this.#readJournal();
    if (!journal) return undefined;
    const now = this.#capture(this.#latest()?.root);
    this.#apply(planRestore(this.#trees, journal.root, now.root));
    rmSync(this.#journalPath, { force: true });
    return journal.target;
  }

  /** Records the workspace as it is now. */
  create(meta: CheckpointMeta, reason: Checkpoint['reason'] = 'before-step', restoring?: string): CreateReport {
    const started = performance.now();
    const captured = this.#capture(this.#latest()?.root);
    const checkpoint: Checkpoint = {
      id: `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      createdAt: Date.now(),
      reason,
      ...meta,
      ...(restoring ? { restoring } : {}),
      root: captured.root,
      files: captured.files,
      bytes: captured.bytes,
      addedBytes: captured.addedBytes,
      skipped: captured.skipped.slice(0, 50),
      skippedCount: captured.skipped.length,
      repositories: captured.repositories.slice(0, 50),
    };
    const text = JSON.stringify(checkpoint);
    const path = join(this.#dir, 'checkpoints', `${checkpoint.id}.json`);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    this.#addUsage(captured.addedBytes + text.length);
    const dropped = this.#prune(checkpoint.id);
    return { checkpoint, durationMs: performance.now() - started, filesRead: captured.filesRead, dropped };
  }

  /** Every checkpoint, oldest first. */
  list(): Checkpoint[] {
    const folder = join(this.#dir, 'checkpoints');
    return readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as Checkpoint)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** A checkpoint by id, or by a prefix only it has. */
  get(id: string): Checkpoint {
    const matches = this.list().filter((checkpoint) => checkpoint.id === id || (id.length >= 4 && checkpoint.id.startsWith(id)));
    if (matches.length !== 1) throw new CheckpointNotFoundError(id);
    return matches[0];
  }

  /** What restoring `id` would change now, without changing anything. */
  preview(id: string): RestorePreview {
    const checkpoint = this.get(id);
    const now = this.#capture(this.#latest()?.root);
    return { checkpoint, plan: planRestore(this.#trees, checkpoint.root, now.root), maxFileBytes: this.maxFileBytes };
  }

  /** Files that differ between two checkpoints (`to` absent: the workspace now). */
  changesBetween(from: string, to?: string): RestorePlan {
    const root = to ? this.get(to).root : this.#capture(this.#latest()?.root).root;
    return planRestore(this.#trees, root, this.get(from).root);
  }

  /** A stored file's bytes (for the preview's diffs). */
  content(hash: string): Buffer {
    return this.#objects.get(hash);
  }

  /**
   * Puts the workspace back to checkpoint `id`. `afterEachChange` is called after each file is
   * written or deleted (progress; tests use it to crash half-way).
   */
  restore(id: string, options: { afterEachChange?: (change: FileChange) => void } = {}): RestoreReport {
    const started = performance.now();
    const checkpoint = this.get(id);
    const undo = this.create({ label: `before restoring ${checkpoint.id}` }, 'before-restore', checkpoint.id).checkpoint;
    const plan = planRestore(this.#trees, checkpoint.root, undo.root);
    const journal: Journal = { target: checkpoint.id, root: checkpoint.root, undo: undo.id };
    writeFileSync(`${this.#journalPath}.tmp`, JSON.stringify(journal));
    renameSync(`${this.#journalPath}.tmp`, this.#journalPath);
    const failed = this.#apply(plan, options.afterEachChange);
    rmSync(this.#journalPath, { force: true });
    return { checkpoint, undo, changes: plan.changes, failed, leftAlone: plan.leftAlone, durationMs: performance.now() - started };
  }

  get #journalPath(): string {
    return join(this.#dir, 'restore-in-progress.json');
  }

  #readJournal(): Journal | undefined {
    if (!existsSync(this.#journalPath)) return undefined;
    return JSON.parse(readFileSync(this.#journalPath, 'utf8')) as Journal;
  }

  #latest(): Checkpoint | undefined {
    return this.list().at(-1);
  }

  #capture(previousRoot: string | undefined) {
    const inside = this.#dir.startsWith(`${this.workspace}/`) ? [this.#dir] : [];
    return captureWorkspace(this.workspace, previousRoot, {
      objects: this.#objects,
      trees: this.#trees,
      maxFileBytes: this.maxFileBytes,
      exclude: inside,
      rulesCache: this.#rules,
    });
  }

  /** Deletes, removes emptied folders, creates folders, then writes; returns what failed. */
  #apply(plan: RestorePlan, afterEachChange?: (change: FileChange) => void): { path: string; reason: string }[] {
    const failed: { path: string; reason: string }[] = [];
    const at = (path: string) => join(this.workspace, ...path.split('/'));
    for (const change of plan.changes) {
      if (change.kind !== 'delete') continue;
      try {
        unlinkSync(at(change.path));
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') failed.push({ path: change.path, reason: String(error) });
      }
      afterEachChange?.(change);
    }
    for (const folder of plan.removeFolders) {
      try {
        rmdirSync(at(folder));
      } catch {
        // Still holds files the checkpoint does not list (ignored, or too large): it stays.
      }
    }
    for (const folder of plan.createFolders) mkdirSync(at(folder), { recursive: true });
    for (const change of plan.changes) {
      if (change.kind === 'delete' || !change.hash) continue;
      const target = at(change.path);
      try {
        mkdirSync(dirname(target), { recursive: true });
        const temp = join(dirname(target), `.${basename(target)}.glassbox-restore`);
        writeFileSync(temp, this.#objects.get(change.hash));
        chmodSync(temp, change.mode ?? 0o644);
        renameSync(temp, target);
      } catch (error) {
        failed.push({ path: change.path, reason: String(error) });
      }
      afterEachChange?.(change);
    }
    return failed;
  }

  #addUsage(bytes: number): void {
    this.#usage = this.#currentUsage() + bytes;
    writeFileSync(join(this.#dir, 'usage.json'), JSON.stringify({ bytes: this.#usage }));
  }

  #currentUsage(): number {
    if (this.#usage !== undefined) return this.#usage;
    try {
      this.#usage = (JSON.parse(readFileSync(join(this.#dir, 'usage.json'), 'utf8')) as { bytes: number }).bytes;
    } catch {
      this.#usage = this.#measure(this.list());
    }
    return this.#usage;
  }

  /** Keeps only what `kept` reaches; returns the bytes the store holds after. */
  #measure(kept: readonly Checkpoint[]): number {
    const reachable = new Set<string>();
    for (const checkpoint of kept) this.#trees.collect(checkpoint.root, reachable);
    const { keptBytes } = this.#objects.sweep(reachable);
    return keptBytes + kept.reduce((sum, checkpoint) => sum + JSON.stringify(checkpoint).length, 0);
  }

  /** Over the cap: deletes the oldest checkpoints (never `keep`) and the content only they held. */
  #prune(keep: string): string[] {
    const dropped: string[] = [];
    if (this.#currentUsage() <= this.maxStoreBytes) return dropped;
    const remaining = this.list();
    let usage = this.#currentUsage();
    while (usage > this.maxStoreBytes && remaining.length > 1) {
      const oldest = remaining[0].id === keep ? remaining.splice(1, 1)[0] : remaining.shift()!;
      rmSync(join(this.#dir, 'checkpoints', `${oldest.id}.json`), { force: true });
      dropped.push(oldest.id);
      usage = this.#measure(remaining);
    }
    this.#usage = usage;
    writeFileSync(join(this.#dir, 'usage.json'), JSON.stringify({ bytes: usage }));
    return dropped;
  }
}

function codeOf(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
