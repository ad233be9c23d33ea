/**
 * TextSearcher that runs ripgrep once per workspace folder (cwd = the folder, no path
 * arguments, so globs and .gitignore rules are relative to it) and streams its output.
 * rg walks in parallel, so its output order varies; every match up to the overflow limit is
 * kept, then put into walk order and cut to the cap, which makes results the same from run
 * to run (and the same as NodeSearcher's). rg is killed once the overflow limit is reached,
 * or when the signal aborts.
 *
 * Output format `--null --line-number --column`: `path\0line:column:text\n` per matching
 * line, then (with `--stats`) a few summary lines without a NUL, read for "N files searched".
 */
import { spawn } from 'node:child_process';
import { CancelledError, ConfigurationError, ToolError } from '../../errors';
import { withoutCredentials } from '../../safety/known-credentials';
import type { WorkspaceFs } from '../../workspace-fs';
import {
  OVERFLOW_COUNT_LIMIT,
  clipAroundMatch,
  normalizeGlob,
  validateSearchQuery,
  walkOrderKey,
  workspacePathOf,
  type FileListQuery,
  type FileListResult,
  type SearchMatch,
  type SearchQuery,
  type SearchResult,
  type TextSearcher,
} from './text-searcher';

/**
 * Flags that make rg walk exactly as NodeSearcher does: only ignore files inside the
 * folder count (not ones above it, not the user's global excludes or rg config), and
 * .gitignore applies even outside a git repository. No `--sort`: it would make rg walk on one
 * thread (about 2× slower on two cores, far more on big machines); results are ordered here.
 */
export const RIPGREP_WALK_FLAGS: readonly string[] = [
  '--no-config',
  '--no-ignore-parent',
  '--no-ignore-global',
  '--no-require-git',
  '--color=never',
];

/** Flags for a text search with the given query (exported so the benchmark can run raw rg the same way). */
export function ripgrepSearchArgs(query: SearchQuery): string[] {
  const glob = normalizeGlob(query.include);
  return [
    ...RIPGREP_WALK_FLAGS,
    '--null',
    '--line-number',
    '--column',
    '--no-heading',
    '--with-filename',
    '--stats',
    query.caseSensitive ? '--case-sensitive' : '--ignore-case',
    ...(query.isRegex ? [] : ['--fixed-strings']),
    ...(glob ? ['--glob', glob] : []),
    '--regexp',
    query.pattern,
  ];
}

export class RipgrepSearcher implements TextSearcher {
  readonly engine = 'ripgrep';

  constructor(
    private readonly fs: WorkspaceFs,
    private readonly rgPath: string,
  ) {}

  async search(query: SearchQuery, signal: AbortSignal): Promise<SearchResult> {
    validateSearchQuery(query);
    const args = ripgrepSearchArgs(query);
    const keepAtMost = query.maxResults + OVERFLOW_COUNT_LIMIT;
    const found: SearchMatch[] = [];
    let filesSearched: number | undefined = 0;
    let stoppedEarly = false;
    const leftOut = new Set<string>();

    for (const root of await this.#localRoots()) {
      if (stoppedEarly) break;
      const fromRoot: Array<{ key: string; match: SearchMatch }> = [];
      const run = await this.#run(args, root.localPath, signal, (line, stop) => {
        if (found.length + fromRoot.length >= keepAtMost) {
          stoppedEarly = true;
          return stop();
        }
        const match = parseMatchLine(line);
        if (!match || !isPlainRelativePath(match.path)) return;
        const path = workspacePathOf(root.name, match.path, this.fs.roots.length);
        if (query.exclude?.(path)) {
          leftOut.add(path);
          return;
        }
        fromRoot.push({ key: walkOrderKey(match.path), match: { ...match, path } });
      });
      if (run.exitCode === 2 && !stoppedEarly) failOnRipgrepError(run.stderr, run.summary, query.pattern);
      fromRoot.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.match.line - b.match.line));
      for (const { match } of fromRoot) found.push(match);
      const searched = /^(\d+) files searched$/m.exec(run.summary)?.[1];
      filesSearched = searched !== undefined && filesSearched !== undefined ? filesSearched + Number(searched) : undefined;
    }
    return {
      matches: found.slice(0, query.maxResults),
      moreNotShown: Math.max(0, found.length - query.maxResults),
      countStoppedEarly: stoppedEarly,
      filesSearched: stoppedEarly ? undefined : filesSearched,
      ...(leftOut.size > 0 ? { leftOut: leftOut.size } : {}),
    };
  }

  async listFiles(query: FileListQuery, signal: AbortSignal): Promise<FileListResult> {
    const glob = normalizeGlob(query.include);
    const args = [...RIPGREP_WALK_FLAGS, '--files', '--null', ...(glob ? ['--glob', glob] : [])];
    const files: string[] = [];
    let leftOut = 0;
    for (const root of await this.#localRoots()) {
      const fromRoot: Array<{ key: string; path: string }> = [];
      const run = await this.#run(args, root.localPath, signal, (record) => {
        const relative = record.toString('utf8');
        if (!isPlainRelativePath(relative)) return;
        if (query.exclude?.(workspacePathOf(root.name, relative, this.fs.roots.length))) leftOut++;
        else fromRoot.push({ key: walkOrderKey(relative), path: relative });
      }, 0);
      if (run.exitCode === 2 && fromRoot.length === 0) failOnRipgrepError(run.stderr, '', '');
      fromRoot.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const { path } of fromRoot) files.push(workspacePathOf(root.name, path, this.fs.roots.length));
    }
    return {
      files: files.slice(0, query.maxResults),
      moreNotShown: Math.max(0, files.length - query.maxResults),
      ...(leftOut > 0 ? { leftOut } : {}),
    };
  }

  async #localRoots(): Promise<Array<{ name: string; localPath: string }>> {
    const several = this.fs.roots.length > 1;
    return Promise.all(
      this.fs.roots.map(async (root) => {
        const localPath = await this.fs.localPath(several ? root.name : '.');
        if (localPath === undefined) {
          throw new ConfigurationError(`"${root.name}" is not on the local disk, so ripgrep cannot search it; use the Node searcher.`);
        }
        return { name: root.name, localPath };
      }),
    );
  }

  /**
   * Spawns rg in `cwd` and hands each output record (split on `separator`) to `onRecord`,
   * which may call `stop()` to kill rg. Resolves when rg has exited.
   */
  #run(
    args: readonly string[],
    cwd: string,
    signal: AbortSignal,
    onRecord: (record: Buffer, stop: () => void) => void,
    separator = 0x0a,
  ): Promise<{ exitCode: number | null; stderr: string; summary: string }> {
    if (signal.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const child = spawn(this.rgPath, args, { cwd, env: withoutCredentials(process.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        child.stdout.pause();
        child.kill();
      };
      const onAbort = () => stop();
      signal.addEventListener('abort', onAbort, { once: true });

      // A record is assembled from the chunks it spans, joined once when it ends, and only its
      // first MAX_RECORD_BYTES are kept: a 50 MB minified line costs one pass, not one
      // re-concatenation per chunk (which made long lines quadratic).
      let pieces: Buffer[] = [];
      let pendingBytes = 0;
      const summary: string[] = [];
      const record = (line: Buffer) => {
        if (separator === 0x0a && line.indexOf(0) < 0) summary.push(line.toString('utf8'));
        else if (line.length > 0) onRecord(line, stop);
      };
      const keep = (part: Buffer) => {
        const room = MAX_RECORD_BYTES - pendingBytes;
        if (room <= 0 || part.length === 0) return;
        // Copied, so the big chunk it came from can be freed.
        const kept = Buffer.from(part.subarray(0, room));
        pieces.push(kept);
        pendingBytes += kept.length;
      };
      child.stdout.on('data', (chunk: Buffer) => {
        let from = 0;
        while (!stopped) {
          const end = chunk.indexOf(separator, from);
          if (end < 0) break;
          let line = chunk.subarray(from, Math.min(end, from + MAX_RECORD_BYTES));
          if (pieces.length > 0) {
            keep(chunk.subarray(from, end));
            line = Buffer.concat(pieces);
            pieces = [];
            pendingBytes = 0;
          }
          record(line);
          from = end + 1;
        }
        if (!stopped && from < chunk.length) keep(chunk.subarray(from));
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 8_192) stderr += chunk.toString('utf8');
      });
      child.on('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(new ConfigurationError(`Could not run ripgrep at "${this.rgPath}": ${error.message}`));
      });
      child.on('close', (exitCode) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return reject(new CancelledError());
        if (!stopped && pieces.length > 0) record(Buffer.concat(pieces));
        resolve({ exitCode, stderr, summary: summary.join('\n') });
      });
    });
  }
}

/** Bytes of one rg output record kept: enough for any path, line number and the shown part of a line. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** `path\0line:column:text` → a match (text clipped around the column). */
function parseMatchLine(line: Buffer): SearchMatch | undefined {
  const nul = line.indexOf(0);
  if (nul < 0) return undefined;
  const firstColon = line.indexOf(0x3a, nul + 1);
  const secondColon = firstColon < 0 ? -1 : line.indexOf(0x3a, firstColon + 1);
  if (secondColon < 0) return undefined;
  const lineNumber = Number(line.subarray(nul + 1, firstColon).toString('latin1'));
  const columnBytes = Number(line.subarray(firstColon + 1, secondColon).toString('latin1'));
  const textBytes = line.subarray(secondColon + 1);
  // rg's column counts bytes; the clip needs a character index.
  const matchIndex = textBytes.subarray(0, Math.max(0, columnBytes - 1)).toString('utf8').length;
  return {
    path: line.subarray(0, nul).toString('utf8'),
    line: lineNumber,
    text: clipAroundMatch(textBytes.toString('utf8'), matchIndex),
  };
}

/** rg is run without path arguments, so anything else would be a surprise: drop it. */
function isPlainRelativePath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && !/^[a-zA-Z]:/.test(path) && !/(^|[\\/])\.\.([\\/]|$)/.test(path);
}

function failOnRipgrepError(stderr: string, summary: string, pattern: string): void {
  if (/regex parse error|is not allowed in a regex/i.test(stderr)) {
    const detail = /^error: (.*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n').at(-1) ?? '';
    throw new ToolError(`Invalid regular expression "${pattern}": ${detail}. Fix it, or search for literal text.`);
  }
  if (/error parsing glob/i.test(stderr)) throw new ToolError(`Invalid glob: ${stderr.trim().split('\n')[0]}`);
  // Exit code 2 also reports unreadable files after a complete search; only fail when it did not finish.
  if (!/files searched/.test(summary) && stderr.trim() !== '') throw new ToolError(`ripgrep failed: ${stderr.trim().slice(0, 500)}`);
}
