/** The small project every UI scenario's workspace starts with (plus the harness's .env and links). */
export const sampleProject: Readonly<Record<string, string>> = {
  'README.md': '# Sample project\n\nA calculator library. Entry point: src/math.ts.\n',
  'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
  'notes/todo.txt': 'first line\nsecond line\n',
};

/** The text of the last message of a role in a recorded request. */
export function contentOf(message: { content?: unknown } | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join('');
  return '';
}
