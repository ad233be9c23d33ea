/**
 * Ids for runs and chats: time-ordered (they sort as they were made, which the history's
 * listing relies on) with a random tail so two made in one millisecond differ.
 */
function newId(prefix: string, now: number): string {
  return `${prefix}-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const newRunId = (now = Date.now()): string => newId('run', now);
/** `now` for stores with their own clock (the history's is injectable for tests). */
export const newChatId = (now = Date.now()): string => newId('chat', now);
