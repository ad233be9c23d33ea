/**
 * The question plus the selection it is about, as the model reads it: the path and line
 * range first (so it can re-read the file around it), then the text fenced so its content
 * cannot pass for the question.
 */
export function questionWithSelection(
  question: string,
  selection: { path: string; startLine: number; endLine: number; languageId: string; text: string },
): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(selection.text) + 1));
  return `${question}\n\nSelected in ${selection.path} (${linesOf(selection)}):\n${fence}${selection.languageId}\n${selection.text}\n${fence}`;
}

/** "line 7" or "lines 3–5": how a selection's lines are named to the model and the person. */
export function linesOf(selection: { startLine: number; endLine: number }): string {
  return selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}–${selection.endLine}`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}
