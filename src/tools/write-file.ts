import { z } from 'zod';
import type { ChangeJournal } from '../agent/workspace/change-journal';
import { FileNotFoundError, ToolError } from '../agent/errors';
import { type ApprovalPreview, defineTool } from '../agent/tool';
import type { WorkspaceFs } from '../agent/workspace-fs';
import { formatBytes, plural } from '../agent/format';

// write_file: creates or overwrites a whole file. Also home of the small text helpers the
// other file-changing tools share (reading the old text, counting changed lines).

/** Larger files are not read whole for a diff or an edit. */
export const MAX_TEXT_FILE_BYTES = 5 * 1024 * 1024;

export const writeFile = (journal?: ChangeJournal) =>
  defineTool({
    name: 'write_file',
    description:
      'Create a new file, or replace a whole file, with the given content; missing folders are created. ' +
      'Use it for new files or complete rewrites. To change part of an existing file use edit_file instead, ' +
      'which is safer and shows a smaller diff.',
    risk: 'write',
    input: z.object({
      path: z.string().min(1).describe('Workspace-relative path of the file to write, e.g. "src/app.ts".'),
      content: z.string().describe('The complete new content of the file.'),
    }),
    async preview({ path, content }, ctx) {
      const target = await ctx.fs.normalize(path);
      const old = await readOldText(ctx.fs, target, ctx.signal);
      return describeWrite(target, old, content);
    },
    async execute({ path, content }, ctx) {
      const target = await ctx.fs.normalize(path);
      const old = await readOldText(ctx.fs, target, ctx.signal);
      ctx.signal.throwIfAborted();
      await journal?.recordBefore(target);
      await ctx.fs.writeFile(target, new TextEncoder().encode(content));
      const lines = plural(countLines(content), 'line');
      if (old.kind === 'missing') return `Created ${target} (${lines}).`;
      if (old.kind === 'opaque') return `Overwrote ${target} (was a ${old.why} file of ${formatBytes(old.bytes)}) with ${lines}.`;
      const { added, removed } = lineChanges(old.text, content);
      return `Overwrote ${target} with ${lines} (+${added} −${removed} lines).`;
    },
  });

/** A file's content before a change, as far as a person can be shown it. */
export type OldText =
  | { readonly kind: 'missing' }
  | { readonly kind: 'text'; readonly text: string; readonly bytes: number }
  /** Binary, or too large to read whole: only its size is known. */
  | { readonly kind: 'opaque'; readonly bytes: number; readonly why: 'binary' | 'large' };

export async function readOldText(fs: WorkspaceFs, path: string, signal?: AbortSignal): Promise<OldText> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    if (error instanceof FileNotFoundError) return { kind: 'missing' };
    throw error;
  }
  if (stat.kind === 'directory') throw new ToolError(`"${path}" is a folder, not a file.`);
  if (stat.size > MAX_TEXT_FILE_BYTES) return { kind: 'opaque', bytes: stat.size, why: 'large' };
  const data = await fs.readFile(path, { maxBytes: MAX_TEXT_FILE_BYTES, signal });
  const text = decodeText(data);
  return text === undefined ? { kind: 'opaque', bytes: data.byteLength, why: 'binary' } : { kind: 'text', text, bytes: data.byteLength };
}

/** UTF-8 text, or undefined for binary data (a NUL byte, or bytes that are not UTF-8). */
export function decodeText(data: Uint8Array): string | undefined {
  if (data.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return undefined;
  }
}

function describeWrite(path: string, old: OldText, content: string): ApprovalPreview {
  const lines = countLines(content);
  const size = formatBytes(Buffer.byteLength(content));
  if (old.kind === 'missing') {
    return {
      summary: `Create ${path} (${plural(lines, 'line')})`,
      detail: `New file ${path}: ${plural(lines, 'line')}, ${size}.`,
      paths: [path],
      diff: { path, before: '', after: content },
    };
  }
  if (old.kind === 'opaque') {
    return {
      summary: `Overwrite ${path} (${old.why} file, ${formatBytes(old.bytes)}) with ${plural(lines, 'line')}`,
      detail: `Replaces ${path}, a ${old.why} file of ${formatBytes(old.bytes)}, with ${plural(lines, 'line')} (${size}).`,
      paths: [path],
    };
  }
  const { added, removed } = lineChanges(old.text, content);
  return {
    summary: `Overwrite ${path} (+${added} −${removed} lines)`,
    detail:
      `Replaces ${path} (${plural(countLines(old.text), 'line')}, ${formatBytes(old.bytes)}) ` +
      `with ${plural(lines, 'line')} (${size}): ${added} added, ${removed} removed.`,
    paths: [path],
    diff: { path, before: old.text, after: content },
  };
}

export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** Beyond this many differing lines the exact count costs more than it tells: an upper bound is given. */
const MAX_EDIT_DISTANCE = 4000;

/**
 * Lines added and removed between two texts, as a line diff would count them (Myers' O(ND)
 * edit distance after trimming the common head and tail). Very different texts get the
 * upper bound "all old lines removed, all new ones added" of their differing middle.
 */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0) return { added: m, removed: n };

  // Lines become small integers so the inner loop compares numbers, not strings.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const x = Int32Array.from(a.slice(start, endA), idOf);
  const y = Int32Array.from(b.slice(start, endB), idOf);

  const limit = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  for (let d = 0; d <= limit; d++) {
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) {
        const common = (n + m - d) / 2;
        return { added: m - common, removed: n - common };
      }
    }
  }
  return { added: m, removed: n };
}

function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
