/**
 * Text search and file listing over the workspace, behind one interface with two engines:
 * RipgrepSearcher (fast; spawns `rg`) and NodeSearcher (pure Node over WorkspaceFs, for
 * when no rg is found). Both promise the same output for the same tree:
 *   - files ignored by .gitignore/.ignore/.rgignore inside the workspace, hidden files and
 *     folders (dot-names, so `.git` and `.env` too) and symbolic links are skipped;
 *   - a file whose first 64 KB hold a NUL byte is binary and not searched;
 *   - results come in walk order: depth-first, entries sorted by name (compareNames), roots
 *     in order; ripgrep runs in parallel and its output is put into this order afterwards;
 *   - a match is one matching line (the first match on it places the clip window);
 *   - paths are workspace-relative with forward slashes (root-prefixed with several roots).
 */
import { ToolError } from '../../errors';

export interface SearchQuery {
  readonly pattern: string;
  /** false: `pattern` is literal text. true: a regular expression (ripgrep syntax; JS syntax in the fallback). */
  readonly isRegex: boolean;
  readonly caseSensitive: boolean;
  /**
   * Only files matching this glob, relative to each workspace folder. Without a slash it
   * matches a file name at any depth (`*.ts`); with one it is anchored (`src/**\/*.ts`).
   */
  readonly include?: string;
  /** Matches returned at most; the rest are only counted. */
  readonly maxResults: number;
  /**
   * Files (by workspace path) whose content and name must not be shown, e.g. sensitive
   * ones: they are neither searched nor listed, only counted in `leftOut`.
   */
  readonly exclude?: (workspacePath: string) => boolean;
}

export interface SearchMatch {
  /** Workspace-relative path. */
  readonly path: string;
  /** 1-based line number. */
  readonly line: number;
  /** The line, clipped around the first match when long (see clipAroundMatch). */
  readonly text: string;
}

export interface SearchResult {
  readonly matches: readonly SearchMatch[];
  /** Matching lines found beyond `maxResults`. */
  readonly moreNotShown: number;
  /** True when counting stopped at OVERFLOW_COUNT_LIMIT, so `moreNotShown` is a lower bound. */
  readonly countStoppedEarly: boolean;
  /** Files read (binary ones included); undefined when counting stopped early. */
  readonly filesSearched?: number;
  /** Files `exclude` left out that had matches (ripgrep) or would have been read (Node); absent when none. */
  readonly leftOut?: number;
}

export interface FileListQuery {
  /** Same glob rules as SearchQuery.include. */
  readonly include?: string;
  readonly maxResults: number;
  /** As SearchQuery.exclude. */
  readonly exclude?: (workspacePath: string) => boolean;
}

export interface FileListResult {
  /** Workspace-relative paths in walk order. */
  readonly files: readonly string[];
  /** Files beyond `maxResults` (always counted exactly). */
  readonly moreNotShown: number;
  /** Files `exclude` left out; absent when none. */
  readonly leftOut?: number;
}

export interface TextSearcher {
  /** 'ripgrep' or 'node': shown in logs and the trace. */
  readonly engine: string;
  /** Rejects with ToolError for a bad pattern or glob, CancelledError once `signal` aborts. */
  search(query: SearchQuery, signal: AbortSignal): Promise<SearchResult>;
  listFiles(query: FileListQuery, signal: AbortSignal): Promise<FileListResult>;
}

/**
 * How many matching lines past the cap are counted before the search stops: enough for a
 * useful "N more", bounded so a pattern matching everything does not scan a huge tree.
 */
export const OVERFLOW_COUNT_LIMIT = 10_000;

/** Both engines treat a NUL byte in this many leading bytes as "binary" (ripgrep's first read buffer). */
export const BINARY_SNIFF_BYTES = 64 * 1024;

/** Longest line shown; longer ones are cut to this many characters around the first match. */
export const MAX_LINE_CHARS = 300;

/** Refuses queries both engines would otherwise treat differently or pointlessly. */
export function validateSearchQuery(query: SearchQuery): void {
  if (query.pattern.length === 0) throw new ToolError('The search pattern is empty; give the text or regular expression to find.');
  if (/[\r\n]/.test(query.pattern)) {
    throw new ToolError('Searches match within one line, so the pattern cannot contain a line break. Search for one line of it.');
  }
  if (!Number.isInteger(query.maxResults) || query.maxResults < 1) throw new ToolError('maxResults must be a positive whole number.');
  if (query.include !== undefined) normalizeGlob(query.include);
}

/**
 * The glob both engines receive: leading `./` or `/` removed (a slash anywhere already
 * anchors it). Negations are refused: the glob selects files, it does not exclude them.
 */
export function normalizeGlob(glob: string | undefined): string | undefined {
  if (glob === undefined) return undefined;
  const trimmed = glob.trim();
  if (trimmed === '' || trimmed === '**' || trimmed === '**/*' || trimmed === '*') return undefined;
  if (trimmed.startsWith('!')) throw new ToolError(`The glob "${glob}" starts with "!"; give a glob of the files to include.`);
  if (trimmed.includes('\0')) throw new ToolError('The glob contains a NUL byte.');
  if (/(^|[\\/])\.\.([\\/]|$)/.test(trimmed)) throw new ToolError(`The glob "${glob}" contains ".."; globs are relative to the workspace folder.`);
  const unbalanced = unbalancedBracket(trimmed);
  if (unbalanced) throw new ToolError(`The glob "${glob}" has an unclosed "${unbalanced}".`);
  return trimmed.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** ripgrep rejects `a[` or `{a,b`; picomatch would quietly read them literally. Check first so both agree. */
function unbalancedBracket(glob: string): string | undefined {
  let inClass = false;
  let braces = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '{') braces++;
    else if (char === '}') braces = Math.max(0, braces - 1);
  }
  return inClass ? '[' : braces > 0 ? '{' : undefined;
}

/**
 * Shows `line` whole when short; otherwise MAX_LINE_CHARS characters starting a little
 * before the match, with an ellipsis on each cut side. A trailing CR is dropped.
 */
export function clipAroundMatch(line: string, matchIndex: number): string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.length <= MAX_LINE_CHARS) return text;
  const lead = Math.floor(MAX_LINE_CHARS / 3);
  const start = Math.max(0, Math.min(matchIndex - lead, text.length - MAX_LINE_CHARS));
  const end = start + MAX_LINE_CHARS;
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * Order of names within a folder: UTF-16 code units, not locale (stable on every machine;
 * it differs from byte order only for characters beyond U+FFFF).
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A key whose plain string order is walk order for root-relative paths: separators become
 * NUL, which sorts before every character a name can hold, so `a/z` comes before `a-c`.
 */
export function walkOrderKey(relativePath: string): string {
  return relativePath.replaceAll('/', '\0');
}

/** `relative` inside root `rootName`, in the workspace form (prefixed only with several roots). */
export function workspacePathOf(rootName: string, relative: string, rootCount: number): string {
  return rootCount > 1 ? `${rootName}/${relative}` : relative;
}
