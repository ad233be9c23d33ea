import type { EventOf } from '../events';
import type { RestoreReport } from './checkpoint-store';

/**
 * The `checkpoint-restored` event for a restore made outside a run (the CLI's `glassbox
 * restore`, the chat's "Restore to before this step"): the same event a consumer of the run's
 * stream would see, so the log and `--jsonl` describe it the one way.
 */
export function restoredEvent(report: RestoreReport, now = Date.now()): EventOf<'checkpoint-restored'> {
  return {
    type: 'checkpoint-restored',
    runId: report.checkpoint.runId ?? 'restore',
    seq: 0,
    time: now,
    step: report.checkpoint.step ?? 0,
    checkpointId: report.checkpoint.id,
    undoCheckpointId: report.undo.id,
    changedFiles: report.changes.length - report.failed.length,
    failedFiles: report.failed.length,
    leftAloneFiles: report.leftAlone.length,
    durationMs: report.durationMs,
    paths: report.changes.map((change) => change.path).filter((path) => !report.failed.some((failure) => failure.path === path)),
    ...(report.checkpoint.reason === 'before-restore' ? { undoOfRestore: true } : {}),
  };
}
