// Short, locale-neutral spellings for what a person reads in the chat, the trace, the CLI and
// the model's tool results: one spelling each, wherever it shows. Browser-safe (no Node
// built-ins), so the webviews import it too.

/** "850 ms", "1.5 s", "12 s", "1 min", "1 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1_000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 3_600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.round((totalSeconds % 3_600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** "512 B", "1.5 KB", "2 MB", "1.2 GB" (binary units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trimZero(value.toFixed(1))} ${units[unit]}`;
}

/** "1 file", "3 files". */
export function plural(count: number, noun: string): string {
  return `${count} ${nounFor(count, noun)}`;
}

/** "file" for one, "files" for any other count. */
export function nounFor(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

/** `text` cut to at most `max` characters, the cut marked with "…". */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `text` on one line (runs of white space folded), cut to `max` characters. */
export function clipLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/**
 * Why an instructions file went into a run: "root", "user", "nested for src/api/x.ts",
 * "applyTo src/**\/*.ts for src/x.ts". (Typed by shape: this file imports nothing; the type is
 * events.ts's InstructionReason.)
 */
export function describeInstructionReason(reason: { readonly kind: string; readonly for?: string; readonly glob?: string; readonly name?: string }): string {
  if (reason.kind === 'agent') return `agent ${reason.name ?? '?'}`;
  if (reason.kind === 'nested') return `nested for ${reason.for ?? '?'}`;
  if (reason.kind === 'applyTo') return `applyTo ${reason.glob ?? '?'}${reason.for ? ` for ${reason.for}` : ''}`;
  return reason.kind;
}

/** "AGENTS.md (root, 120 tokens)"; a cut file says of how many. */
export function describeInstructionFile(file: {
  readonly path: string;
  readonly reason: { readonly kind: string; readonly for?: string; readonly glob?: string; readonly name?: string };
  readonly tokens: number;
  readonly fileTokens: number;
}): string {
  const tokens = file.tokens < file.fileTokens ? `${file.tokens} of ${file.fileTokens} tokens, cut` : `${file.tokens} tokens`;
  return `${file.path} (${describeInstructionReason(file.reason)}, ${tokens})`;
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Ends a switch that must cover every case: adding a case without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

function trimZero(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** "1 hunk in src/a.ts", "the changes to 3 files": what a `changes-undone` event put back, for every reader. */
export function undoneText(event: { readonly paths: readonly string[]; readonly hunks: number; readonly scope: 'hunk' | 'file' | 'chat' }): string {
  const where = event.paths.length === 1 ? event.paths[0] : plural(event.paths.length, 'file');
  return event.scope === 'hunk' ? `${plural(event.hunks, 'hunk')} in ${where}` : `the changes to ${where}`;
}
