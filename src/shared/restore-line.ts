import type { EventOf } from '../agent/events';
import { plural } from '../agent/format';

/** For the chat and the trace: "Restored 1 file to before step 2 (notes.md)", "Undid the restore: 1 file put back as it was (notes.md)". */
export function restoreLine(event: EventOf<'checkpoint-restored'>): string {
  const files = event.paths && event.paths.length > 0 ? ` (${event.paths.slice(0, 3).join(', ')}${event.paths.length > 3 ? ', …' : ''})` : '';
  const failed = event.failedFiles > 0 ? `; ${plural(event.failedFiles, 'file')} could not be restored` : '';
  if (event.undoOfRestore) return `Undid the restore: ${plural(event.changedFiles, 'file')} put back as ${event.changedFiles === 1 ? 'it was' : 'they were'}${files}${failed}.`;
  return `Restored ${plural(event.changedFiles, 'file')} to before step ${event.step}${files}${failed}.`;
}
