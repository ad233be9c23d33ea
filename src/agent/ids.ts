/**
 * Ids for runs and chats: time-ordered (they sort as they were made, which the history's
 * listing relies on) with a random tail so two made in one millisecond differ.
 */
function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export const newRunId = (): string => newId('run');
export const newChatId = (): string => newId('chat');
