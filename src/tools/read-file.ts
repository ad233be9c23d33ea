import { z } from 'zod';
import { ToolError } from '../agent/errors';
import { defineTool, type ApprovalPreview } from '../agent/tool';
import type { WorkspaceFs } from '../agent/workspace-fs';
import { formatBytes, plural } from '../agent/format';

/** Larger files must be read as a line range. */
export const MAX_WHOLE_READ_BYTES = 256 * 1024;
/** A range stops early once its output reaches this size, saying where to continue. */
export const MAX_RANGE_OUTPUT_BYTES = 256 * 1024;
/** Longer lines are shown cut, with their full length. */
export const MAX_LINE_CHARS = 2000;
/** A NUL byte in this many leading bytes marks a file as binary. */
const BINARY_SNIFF_BYTES = 8192;
/** After a range, newlines are counted on to give the file's total, up to this many bytes. */
const COUNT_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * read_file: a text file, or a line range of one, with line numbers. Whole reads are limited
 * to MAX_WHOLE_READ_BYTES; a range is read by streaming, so a large file is never held in
 * memory, and the output of one call is bounded too.
 */
export const readFile = defineTool({
  name: 'read_file',
  description:
    'Read a text file in the workspace, with line numbers. Use it to look at code or documents before answering ' +
    'about them or editing them. For a file over 256 KB, or when you need only part of a file, give start_line ' +
    'and end_line (1-based, inclusive): find the lines first with search_text. Binary files are refused.',
  risk: 'read',
  truncationHint: 'Read the cut part with read_file and start_line/end_line.',
  input: z
    .object({
      path: z.string().min(1).describe('Workspace-relative path of the file, e.g. "src/app.ts".'),
      start_line: z.number().int().min(1).optional().describe('First line to show (1-based). Default: 1.'),
      end_line: z.number().int().min(1).optional().describe('Last line to show (inclusive). Default: the end.'),
    })
    .refine((args) => args.start_line === undefined || args.end_line === undefined || args.end_line >= args.start_line, {
      message: 'end_line must not be before start_line',
      path: ['end_line'],
    }),
  async preview({ path, start_line, end_line }, ctx): Promise<ApprovalPreview> {
    const target = await ctx.fs.normalize(path);
    const range = describeRange(start_line, end_line);
    return { summary: `Read ${target}${range}`, detail: `Reads ${target}${range} and shows it to the model.`, paths: [target] };
  },
  async execute({ path, start_line, end_line }, ctx) {
    const target = await ctx.fs.normalize(path);
    const stat = await ctx.fs.stat(target);
    if (stat.kind === 'directory') throw new ToolError(`"${target}" is a folder; use list_files to see what it holds.`);
    const hasRange = start_line !== undefined || end_line !== undefined;
    if (!hasRange && stat.size > MAX_WHOLE_READ_BYTES) {
      throw new ToolError(
        `"${target}" is ${formatBytes(stat.size)} (${stat.size} bytes), over the ${formatBytes(MAX_WHOLE_READ_BYTES)} limit for ` +
          'reading a whole file. Read part of it with start_line and end_line (e.g. 1 and 200), or find the lines you ' +
          'need with search_text first.',
      );
    }
    const lines = hasRange
      ? await readRange(ctx.fs, target, start_line ?? 1, end_line, stat.size, ctx.signal)
      : readWhole(target, await ctx.fs.readFile(target, { maxBytes: MAX_WHOLE_READ_BYTES, signal: ctx.signal }), stat.size);
    return { output: formatLines(target, lines), taintSource: target };
  },
});

interface ShownLine {
  /** The line without its end of line; at most MAX_LINE_CHARS + 1 characters are kept. */
  readonly text: string;
  /** Its full length in characters. */
  readonly length: number;
}

interface ReadLines {
  readonly first: number;
  readonly lines: readonly ShownLine[];
  /** Lines in the file, when the read got to its end. */
  readonly total?: number;
  /** Set when a range stopped before end_line because the output grew too large. */
  readonly stoppedForSize?: boolean;
}

function readWhole(path: string, data: Uint8Array, size: number): ReadLines {
  refuseBinary(path, data, size);
  const text = new TextDecoder('utf-8').decode(data);
  const lines = text === '' ? [] : text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { first: 1, lines: lines.map((line) => stripCr(line)).map((line) => shown(line, line.length)), total: lines.length };
}

/**
 * Streams the file, keeping only lines start..end (each cut to MAX_LINE_CHARS + 1 characters,
 * so one enormous line cannot fill memory), then counts newlines on, without decoding, to
 * give the file's total when that takes at most COUNT_AHEAD_BYTES.
 */
async function readRange(
  fs: WorkspaceFs,
  path: string,
  start: number,
  end: number | undefined,
  size: number,
  signal: AbortSignal,
): Promise<ReadLines> {
  const decoder = new TextDecoder('utf-8');
  const kept: ShownLine[] = [];
  let keptChars = 0;
  let line = 1; // the line being assembled
  let partial = ''; // its text so far (cut)
  let partialLength = 0; // its full length so far
  let rangeDone = false; // past end_line, or stopped for size: only counting from here
  let stoppedForSize = false;
  let newlinesAfterRange = 0;
  let lastByte = -1;
  let bytesRead = 0;
  let countingCutShort = false;

  const isWanted = () => line >= start && (end === undefined || line <= end);
  const append = (text: string) => {
    partialLength += text.length;
    if (isWanted() && partial.length <= MAX_LINE_CHARS) partial += text.slice(0, MAX_LINE_CHARS + 1 - partial.length);
  };
  const finishLine = () => {
    if (isWanted()) {
      if (keptChars >= MAX_RANGE_OUTPUT_BYTES) {
        stoppedForSize = true;
        rangeDone = true;
      } else {
        const text = stripCr(partial);
        kept.push(shown(text, partialLength - (partial.length - text.length)));
        keptChars += partial.length + 1;
      }
    }
    line++;
    partial = '';
    partialLength = 0;
    if (end !== undefined && line > end) rangeDone = true;
  };

  for await (const chunk of fs.readStream(path, signal)) {
    if (bytesRead === 0) refuseBinary(path, chunk, size);
    bytesRead += chunk.byteLength;
    if (chunk.byteLength > 0) lastByte = chunk[chunk.byteLength - 1];
    if (rangeDone) {
      newlinesAfterRange += countNewlines(chunk);
      if (bytesRead > COUNT_AHEAD_BYTES) {
        countingCutShort = true;
        break;
      }
      continue;
    }
    const text = decoder.decode(chunk, { stream: true });
    let from = 0;
    for (let at = text.indexOf('\n'); at >= 0 && !rangeDone; at = text.indexOf('\n', from)) {
      append(text.slice(from, at));
      finishLine();
      from = at + 1;
    }
    if (rangeDone) newlinesAfterRange += countNewlines(Buffer.from(text.slice(from), 'utf8'));
    else append(text.slice(from));
  }

  let total: number | undefined;
  if (!rangeDone) {
    append(decoder.decode());
    if (partialLength > 0) finishLine();
    total = line - 1;
  } else if (!countingCutShort) {
    // Lines finished, newlines seen after the range, and a last line without a newline.
    total = line - 1 + newlinesAfterRange + (lastByte !== 0x0a ? 1 : 0);
  }
  if (total !== undefined && total > 0 && start > total) {
    throw new ToolError(`"${path}" has only ${plural(total, 'line')}; start_line ${start} is past its end.`);
  }
  return { first: start, lines: kept, total, stoppedForSize };
}

function formatLines(path: string, read: ReadLines): string {
  if (read.lines.length === 0) return `${path} (empty file)`;
  const last = read.first + read.lines.length - 1;
  const of = read.total !== undefined ? ` of ${read.total}` : ' (the file goes on)';
  const header = `${path} — lines ${read.first}–${last}${of}`;
  const width = String(last).length;
  const body = read.lines.map((line, index) => `${String(read.first + index).padStart(width)}\t${clipLine(line)}`);
  if (read.stoppedForSize) {
    body.push(`[Stopped after line ${last}: the output reached ${formatBytes(MAX_RANGE_OUTPUT_BYTES)}. Continue with start_line ${last + 1}.]`);
  }
  return [header, ...body].join('\n');
}

function refuseBinary(path: string, head: Uint8Array, size: number): void {
  if (head.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    throw new ToolError(`"${path}" is a binary file (${formatBytes(size)}, ${size} bytes); read_file shows text files only.`);
  }
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

const shown = (text: string, length: number): ShownLine => ({ text: text.slice(0, MAX_LINE_CHARS + 1), length });

function clipLine(line: ShownLine): string {
  if (line.length <= MAX_LINE_CHARS && line.text.length <= MAX_LINE_CHARS) return line.text;
  return `${line.text.slice(0, MAX_LINE_CHARS)}… [line cut: ${line.length} characters]`;
}

function countNewlines(data: Uint8Array): number {
  let count = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, at + 1)) count++;
  return count;
}

function describeRange(start: number | undefined, end: number | undefined): string {
  if (start === undefined && end === undefined) return '';
  if (end === undefined) return ` from line ${start}`;
  return ` lines ${start ?? 1}–${end}`;
}
