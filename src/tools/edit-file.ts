import { z } from 'zod';
import type { ChangeJournal } from '../agent/workspace/change-journal';
import { ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import type { WorkspaceFs } from '../agent/workspace-fs';
import { lineChanges, readOldText } from './write-file';
import { plural } from '../agent/format';

export const editFile = (journal?: ChangeJournal) =>
  defineTool({
    name: 'edit_file',
    description:
      'Change part of an existing file: replaces old_text, which must occur exactly once in the file, with ' +
      'new_text. Use it for targeted edits; copy old_text exactly from read_file output (same indentation, ' +
      'without the line numbers) and include enough surrounding lines to make it unique. To create a file ' +
      'or rewrite one completely, use write_file.',
    risk: 'write',
    input: z.object({
      path: z.string().min(1).describe('Workspace-relative path of the file to change.'),
      old_text: z.string().min(1).describe('The exact text to replace; must occur exactly once.'),
      new_text: z.string().describe('The text to put in its place (empty to delete it).'),
    }),
    async preview(args, ctx) {
      const target = await ctx.fs.normalize(args.path);
      const edit = planEdit(target, await readEditable(ctx.fs, target, ctx.signal), args.old_text, args.new_text);
      const { added, removed } = lineChanges(edit.before, edit.after);
      return {
        summary: `Edit ${target} (+${added} −${removed} lines)`,
        detail: `Replaces ${lineRange(edit.startLine, edit.endLine)} of ${target} with ${plural(edit.newLineCount, 'line')}.`,
        paths: [target],
        diff: { path: target, before: edit.before, after: edit.after },
      };
    },
    async execute(args, ctx) {
      const target = await ctx.fs.normalize(args.path);
      const edit = planEdit(target, await readEditable(ctx.fs, target, ctx.signal), args.old_text, args.new_text);
      ctx.signal.throwIfAborted();
      await journal?.recordBefore(target);
      await ctx.fs.writeFile(target, new TextEncoder().encode(edit.after));
      const newEnd = edit.startLine + Math.max(edit.newLineCount, 1) - 1;
      return (
        `Edited ${target}: ${lineRange(edit.startLine, edit.endLine)} replaced by ${plural(edit.newLineCount, 'line')}. ` +
        `Now at ${lineRange(edit.startLine, newEnd)}:\n${numberedExcerpt(edit.after, edit.startLine - 2, newEnd + 2)}`
      );
    },
  });

async function readEditable(fs: WorkspaceFs, path: string, signal: AbortSignal): Promise<string> {
  const old = await readOldText(fs, path, signal);
  if (old.kind === 'missing') throw new ToolError(`No file at "${path}". To create a new file, use write_file.`);
  if (old.kind === 'opaque') {
    throw new ToolError(`"${path}" is a ${old.why} file; edit_file changes text files of up to 5 MB.`);
  }
  return old.text;
}

export interface PlannedEdit {
  readonly before: string;
  readonly after: string;
  /** 1-based lines of the replaced text in `before`. */
  readonly startLine: number;
  readonly endLine: number;
  readonly newLineCount: number;
}

/**
 * Where `oldText` sits in `text` and what the file becomes. Throws a ToolError the model can
 * act on when it is missing (naming the most similar lines) or not unique (naming where).
 */
export function planEdit(path: string, text: string, oldText: string, newText: string): PlannedEdit {
  if (oldText === newText) throw new ToolError('old_text and new_text are the same; there is nothing to change.');
  let search = oldText;
  let replacement = newText;
  let found = occurrences(text, search);
  // Models write "\n"; a Windows file says "\r\n". Match and write in the file's own style.
  if (found.length === 0 && text.includes('\r\n') && !oldText.includes('\r')) {
    search = oldText.replace(/\n/g, '\r\n');
    replacement = newText.replace(/\r?\n/g, '\r\n');
    found = occurrences(text, search);
  }
  if (found.length === 0) throw new ToolError(notFoundMessage(path, text, oldText));
  if (found.length > 1) {
    const lines = found.slice(0, 10).map((index) => lineAt(text, index));
    const more = found.length > 10 ? ` and ${found.length - 10} more` : '';
    throw new ToolError(
      `old_text occurs ${found.length} times in ${path} (starting at lines ${lines.join(', ')}${more}). ` +
        'Include more surrounding lines in old_text so that it matches exactly one place.',
    );
  }
  const index = found[0];
  const startLine = lineAt(text, index);
  const endLine = startLine + newlineCount(search.replace(/\r?\n$/, ''));
  return {
    before: text,
    after: text.slice(0, index) + replacement + text.slice(index + search.length),
    startLine,
    endLine,
    newLineCount: replacement.length === 0 ? 0 : newlineCount(replacement.replace(/\r?\n$/, '')) + 1,
  };
}

function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + search.length)) found.push(i);
  return found;
}

function lineAt(text: string, index: number): number {
  return newlineCount(text.slice(0, index)) + 1;
}

function newlineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function lineRange(start: number, end: number): string {
  return end > start ? `lines ${start}–${end}` : `line ${start}`;
}

function numberedExcerpt(text: string, from: number, to: number, maxLines = 40): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, from);
  const last = Math.min(lines.length, to, first + maxLines - 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let line = first; line <= last; line++) out.push(`${String(line).padStart(width)}| ${lines[line - 1]}`);
  if (to > last && last < lines.length) out.push(`${' '.repeat(width)}| …`);
  return out.join('\n');
}

// ---- "Did you mean": the window of lines most like old_text -------------------------------

/**
 * Above this many line comparisons, similarity is judged coarsely: equal trimmed lines, or lines
 * with the same letters and digits once punctuation and spacing are dropped.
 */
const MAX_FUZZY_COMPARISONS = 2_000_000;
const MAX_COMPARED_LINE = 300;

function notFoundMessage(path: string, text: string, oldText: string): string {
  const wanted = oldText.replace(/\r?\n$/, '').split(/\r?\n/);
  const lines = text.split(/\r?\n/);
  let message = `old_text was not found in ${path}.`;
  if (wanted.length > 0 && wanted.every((line) => /^\s*\d+\s*[|:\t]/.test(line) || line.trim() === '')) {
    message += ' It seems to include line numbers; old_text must be the file text alone.';
  }
  const best = mostSimilarWindow(lines, wanted);
  if (!best || best.score < 0.3) {
    return `${message} Nothing in the file is similar to it; read the file again and copy the text exactly.`;
  }
  const end = best.start + best.length - 1;
  const whitespaceOnly = wanted.every((line, i) => line.trim() === (lines[best.start - 1 + i] ?? '').trim());
  message +=
    ` The most similar text is at ${lineRange(best.start, end)} (${Math.round(best.score * 100)}% similar):\n` +
    numberedExcerpt(text, best.start, end, 30) +
    '\n' +
    (whitespaceOnly
      ? 'It differs only in whitespace or indentation: copy the text exactly as the file has it.'
      : 'Copy old_text exactly from the file as it is now (read it again if it may have changed).');
  return message;
}

function mostSimilarWindow(lines: readonly string[], wanted: readonly string[]): { start: number; length: number; score: number } | undefined {
  if (lines.length === 0 || wanted.length === 0) return undefined;
  const length = Math.min(wanted.length, lines.length);
  const windows = lines.length - length + 1;
  const fuzzy = windows * length <= MAX_FUZZY_COMPARISONS;
  const wantedKeys = wanted.map((line) => line.trim());
  const wantedGrams = fuzzy ? wantedKeys.map(bigrams) : [];
  const lineKeys = lines.map((line) => line.trim());
  const lineGrams = fuzzy ? lineKeys.map(bigrams) : [];
  const wantedLoose = fuzzy ? [] : wantedKeys.map(looseKey);
  const lineLoose = fuzzy ? [] : lineKeys.map(looseKey);
  let best: { start: number; length: number; score: number } | undefined;
  for (let start = 0; start < windows; start++) {
    let total = 0;
    for (let j = 0; j < length; j++) {
      const a = wantedKeys[j];
      const b = lineKeys[start + j];
      if (a === b) total += 1;
      else if (fuzzy) total += dice(wantedGrams[j], lineGrams[start + j]);
      else if (wantedLoose[j] === lineLoose[start + j]) total += 0.9; // same words and numbers, other punctuation
    }
    // Lines of old_text beyond the file's end count as misses.
    const score = total / wanted.length;
    if (!best || score > best.score) best = { start: start + 1, length, score };
  }
  return best;
}

function looseKey(line: string): string {
  return line.replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
}

/** Sorted character-pair codes of a line, for a Dice coefficient by merging. */
function bigrams(line: string): Float64Array {
  const text = line.slice(0, MAX_COMPARED_LINE);
  const grams = new Float64Array(Math.max(0, text.length - 1));
  for (let i = 0; i < grams.length; i++) grams[i] = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
  return grams.sort();
}

function dice(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}
