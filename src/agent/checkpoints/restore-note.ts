import type { EventOf } from '../events';

/**
 * What the model is told, at the start of its next question, about restores the person made
 * since its last answer. Without it the model believes its changes are still there (the
 * conversation says "I added one line") and builds on files that were put back.
 */
export function restoreNote(restores: readonly EventOf<'checkpoint-restored'>[]): string | undefined {
  if (restores.length === 0) return undefined;
  const lines = restores.map((event) => {
    const files = event.paths && event.paths.length > 0 ? event.paths.join(', ') : `${event.changedFiles} file(s)`;
    return event.undoOfRestore
      ? `- The person undid a restore: ${files} ${event.paths?.length === 1 ? 'is' : 'are'} back as ${event.paths?.length === 1 ? 'it was' : 'they were'} before that restore.`
      : `- The person restored ${files} to ${event.paths?.length === 1 ? 'its' : 'their'} content before step ${event.step} of an earlier run: changes made from that step on are gone.`;
  });
  return (
    `[Glassbox note, not from the person's message] Since your last answer the workspace was restored from a checkpoint:\n${lines.join('\n')}\n` +
    'Do not assume your earlier changes to these files are still there: read them again before relying on them.'
  );
}
