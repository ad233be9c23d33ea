/** What a checkpoint records about itself (its tree of files lives in the object store). */
export interface Checkpoint {
  /** Sorts by creation time: base-36 milliseconds, a dash, random hex. */
  readonly id: string;
  readonly createdAt: number;
  /** `before-step`: made before a risky tool call; `before-restore`: makes a restore undoable. */
  readonly reason: 'before-step' | 'before-restore';
  /** One line for lists: "before run_command: npm test" or "before restoring 3k9…". */
  readonly label: string;
  readonly runId?: string;
  readonly step?: number;
  readonly callId?: string;
  readonly tool?: string;
  /** The checkpoint a before-restore checkpoint was taken for. */
  readonly restoring?: string;
  /** Hash of the root folder's listing. */
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
  /** Bytes this checkpoint added to the store (what it did not share with earlier ones). */
  readonly addedBytes: number;
  /** Files above the per-file limit: never stored, so never restored (first 50 of them). */
  readonly skipped: readonly { readonly path: string; readonly size: number }[];
  readonly skippedCount: number;
  /** Folders holding a `.git`: their repository data is never captured or touched. */
  readonly repositories: readonly string[];
}

export interface CheckpointMeta {
  readonly label: string;
  readonly runId?: string;
  readonly step?: number;
  readonly callId?: string;
  readonly tool?: string;
}
