/**
 * The hunks between a file as it was before a chat's first change and as it is now: each one
 * knows where it sits in the current text (character offsets, so an editor can replace exactly
 * that span) and what it replaces there. Computed against the current text every time, so the
 * person's own edits made afterwards are part of "now" and an Undo never overwrites them.
 */
import { diffLines } from 'diff';

export interface Hunk {
  /** First line of the hunk in the current text (0-based); for a pure removal, the line it sits before. */
  readonly line: number;
  /** Lines the hunk spans now (0 for a pure removal). */
  readonly lineCount: number;
  /** The span in the current text: replacing [start, end) with `before` undoes the hunk. */
  readonly start: number;
  readonly end: number;
  /** The text as it was before the change (what Undo puts back). */
  readonly before: string;
  readonly added: number;
  readonly removed: number;
}

/** Beyond this edit distance (lines) the texts are one hunk: a full diff would stall the host. */
export const MAX_EDIT_LINES = 5000;

export function computeHunks(before: string, now: string, maxEditLength = MAX_EDIT_LINES): Hunk[] {
  if (before === now) return [];
  const parts = diffLines(before, now, { maxEditLength });
  if (!parts) return [wholeFile(before, now)];
  const hunks: Hunk[] = [];
  let offset = 0;
  let line = 0;
  let pending: { line: number; start: number; end: number; lineCount: number; before: string; added: number; removed: number } | undefined;
  const flush = () => {
    if (pending) hunks.push(pending);
    pending = undefined;
  };
  for (const part of parts) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      line += part.count;
      continue;
    }
    pending ??= { line, start: offset, end: offset, lineCount: 0, before: '', added: 0, removed: 0 };
    if (part.removed) {
      pending.before += part.value;
      pending.removed += part.count;
    } else {
      offset += part.value.length;
      line += part.count;
      pending.end = offset;
      pending.lineCount += part.count;
      pending.added += part.count;
    }
  }
  flush();
  return hunks;
}

/** The current text with one hunk put back as it was. */
export function undoHunk(now: string, hunk: Hunk): string {
  return now.slice(0, hunk.start) + hunk.before + now.slice(hunk.end);
}

/** Lines added and removed between two texts, for lists ("+12 −3"). */
export function lineCounts(before: string, now: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const hunk of computeHunks(before, now)) {
    added += hunk.added;
    removed += hunk.removed;
  }
  return { added, removed };
}

function wholeFile(before: string, now: string): Hunk {
  const lines = (text: string) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  return { line: 0, lineCount: lines(now), start: 0, end: now.length, before, added: lines(now), removed: lines(before) };
}

/** Text files are diffed; a NUL byte in the first 8 KB (as git decides) makes a file binary. */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
