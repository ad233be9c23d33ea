/**
 * The files a chat's runs (or one run) changed, from the checkpoints: the workspace now compared
 * with the checkpoint taken before the first change. Created, modified, deleted; lines added and
 * removed; binary files listed without counts. Bounded so a huge workspace or a generated file
 * cannot stall whoever asks (the Changes view, `glassbox changes`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../checkpoints/checkpoint';
import type { CheckpointStore } from '../checkpoints/checkpoint-store';
import { isBinary, lineCounts } from './hunks';

export interface ChangedFile {
  /** Relative to the workspace folder, with `/`. */
  readonly path: string;
  readonly kind: 'created' | 'modified' | 'deleted';
  readonly binary: boolean;
  /** Lines added and removed (0 for binary files and for files past the size bound). */
  readonly added: number;
  readonly removed: number;
  /** The content before the first change, in the store (absent for a created file). */
  readonly beforeHash?: string;
}

export interface ChangeSet {
  /** The checkpoint "before" is read from. */
  readonly baseline: Checkpoint;
  readonly files: readonly ChangedFile[];
  /** Files past `maxFiles`, not listed. */
  readonly omitted: number;
}

export interface ChangeSetOptions {
  /** At most this many files are listed (default 500). */
  readonly maxFiles?: number;
  /** Lines are counted only for files up to this size (default 1 MB); larger ones show 0/0. */
  readonly maxCountBytes?: number;
}

/** The earliest before-step checkpoint of any of these runs: the state before the chat's first change. */
export function baselineOf(checkpoints: readonly Checkpoint[], runIds: ReadonlySet<string>): Checkpoint | undefined {
  return checkpoints.find((checkpoint) => checkpoint.reason === 'before-step' && checkpoint.runId !== undefined && runIds.has(checkpoint.runId));
}

/** The run whose checkpoint is newest: "the last run" for `glassbox changes`. */
export function lastRunId(checkpoints: readonly Checkpoint[]): string | undefined {
  return checkpoints.findLast((checkpoint) => checkpoint.reason === 'before-step' && checkpoint.runId)?.runId;
}

export function changesSince(store: CheckpointStore, baseline: Checkpoint, options: ChangeSetOptions = {}): ChangeSet {
  const maxFiles = options.maxFiles ?? 500;
  const maxCountBytes = options.maxCountBytes ?? 1024 * 1024;
  // From the baseline's point of view: `create` is a file that exists now only, `delete` one gone now.
  const { changes } = store.changesBetween(baseline.id);
  const files: ChangedFile[] = [];
  for (const change of changes.slice(0, maxFiles)) {
    const kind = change.kind === 'create' ? 'created' : change.kind === 'delete' ? 'deleted' : 'modified';
    const before = change.currentHash ? store.content(change.currentHash) : Buffer.alloc(0);
    let now: Buffer;
    try {
      now = kind === 'deleted' ? Buffer.alloc(0) : readFileSync(join(store.workspace, ...change.path.split('/')));
    } catch {
      now = Buffer.alloc(0); // gone since the capture a moment ago
    }
    const binary = isBinary(before) || isBinary(now);
    const counted = !binary && before.length <= maxCountBytes && now.length <= maxCountBytes;
    const counts = counted ? lineCounts(before.toString('utf8'), now.toString('utf8')) : { added: 0, removed: 0 };
    files.push({ path: change.path, kind, binary, ...counts, ...(change.currentHash ? { beforeHash: change.currentHash } : {}) });
  }
  return { baseline, files, omitted: Math.max(0, changes.length - maxFiles) };
}
