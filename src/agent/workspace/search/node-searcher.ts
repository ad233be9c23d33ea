/**
 * TextSearcher in plain Node over WorkspaceFs, for when no ripgrep is found (or the
 * workspace is not on a local disk). It walks and filters exactly as RipgrepSearcher's
 * flags make rg do (see text-searcher.ts), so the two give the same output; patterns are
 * JavaScript regular expressions here (with the `u` flag) rather than Rust ones.
 */
import picomatch from 'picomatch';
import { CancelledError, FileTooLargeError, ToolError } from '../../errors';
import { messageOf } from '../../format';
import type { WorkspaceFs } from '../../workspace-fs';
import { IGNORE_SOURCES, IgnoreRules, type IgnoreSource } from './ignore-rules';
import {
  BINARY_SNIFF_BYTES,
  OVERFLOW_COUNT_LIMIT,
  clipAroundMatch,
  compareNames,
  normalizeGlob,
  validateSearchQuery,
  workspacePathOf,
  type FileListQuery,
  type FileListResult,
  type SearchMatch,
  type SearchQuery,
  type SearchResult,
  type TextSearcher,
} from './text-searcher';

/** Files up to this size are read whole; larger ones are streamed chunk by chunk. */
const WHOLE_READ_BYTES = 8 * 1024 * 1024;
/** Reads in flight while walking: hides I/O latency without flooding the disk. */
const READ_AHEAD = 16;

interface WalkedFile {
  /** Workspace form, for results. */
  readonly path: string;
  /** What to pass to the WorkspaceFs (root-prefixed with several roots). */
  readonly fsPath: string;
}

/** Finds matching lines in one line of text: the index of the first match, or -1. */
type LineMatcher = (line: string) => number;

export class NodeSearcher implements TextSearcher {
  readonly engine = 'node';

  constructor(private readonly fs: WorkspaceFs) {}

  async search(query: SearchQuery, signal: AbortSignal): Promise<SearchResult> {
    validateSearchQuery(query);
    const { matchLine, mayContain } = compileMatcher(query);
    const matches: SearchMatch[] = [];
    let moreNotShown = 0;
    let filesSearched = 0;
    let leftOut = 0;
    const walked = this.#walk(normalizeGlob(query.include), signal);

    for await (const { file, lines } of this.#readAhead(walked, signal)) {
      filesSearched++;
      if (lines === undefined) continue; // binary or vanished meanwhile
      // As with ripgrep: an excluded file is searched, and only counted if it matches.
      const excluded = query.exclude?.(file.path) ?? false;
      let matchedExcluded = false;
      for await (const chunk of lines) {
        if (matchedExcluded) break;
        if (!mayContain(chunk.text)) continue;
        const split = chunk.text.split('\n');
        for (let index = 0; index < split.length; index++) {
          const at = matchLine(split[index]);
          if (at < 0) continue;
          if (excluded) {
            leftOut++;
            matchedExcluded = true;
            break;
          }
          if (matches.length < query.maxResults) {
            matches.push({ path: file.path, line: chunk.firstLine + index, text: clipAroundMatch(split[index], at) });
          } else if (moreNotShown < OVERFLOW_COUNT_LIMIT) {
            moreNotShown++;
          } else {
            // One match past the limit: there are more than we will count.
            return { matches, moreNotShown, countStoppedEarly: true, filesSearched: undefined, ...(leftOut > 0 ? { leftOut } : {}) };
          }
        }
      }
    }
    return { matches, moreNotShown, countStoppedEarly: false, filesSearched, ...(leftOut > 0 ? { leftOut } : {}) };
  }

  async listFiles(query: FileListQuery, signal: AbortSignal): Promise<FileListResult> {
    const files: string[] = [];
    let moreNotShown = 0;
    let leftOut = 0;
    for await (const file of this.#walk(normalizeGlob(query.include), signal, () => leftOut++, query.exclude)) {
      if (files.length < query.maxResults) files.push(file.path);
      else moreNotShown++;
    }
    return { files, moreNotShown, ...(leftOut > 0 ? { leftOut } : {}) };
  }

  /** Every file rg would search, in walk order (see text-searcher.ts). */
  async *#walk(
    glob: string | undefined,
    signal: AbortSignal,
    onLeftOut: () => void = () => undefined,
    exclude?: (path: string) => boolean,
  ): AsyncGenerator<WalkedFile> {
    const isIncluded = glob === undefined ? undefined : picomatch(glob, { basename: !glob.includes('/'), dot: true, windows: false });
    const several = this.fs.roots.length > 1;
    for (const root of this.fs.roots) {
      const prefix = several ? `${root.name}/` : '';
      for await (const file of this.#walkFolder(prefix, '', IgnoreRules.none, isIncluded, root.name, signal)) {
        if (exclude?.(file.path)) onLeftOut();
        else yield file;
      }
    }
  }

  async *#walkFolder(
    fsPrefix: string,
    relative: string,
    parentRules: IgnoreRules,
    isIncluded: ((path: string) => boolean) | undefined,
    rootName: string,
    signal: AbortSignal,
  ): AsyncGenerator<WalkedFile> {
    if (signal.aborted) throw new CancelledError();
    const folderFsPath = relative === '' ? fsPrefix.replace(/\/$/, '') || '.' : `${fsPrefix}${relative}`;
    const entries = await this.fs.readDirectory(folderFsPath);
    const rules = parentRules.within(relative, await this.#ignoreFileContents(folderFsPath, entries.map((entry) => entry.name)));
    const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));

    for (const entry of sorted) {
      if (entry.kind === 'other') continue; // links are never followed, as by rg
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const isDirectory = entry.kind === 'directory';
      if (!isWalked(path, entry.name, isDirectory, rules, isIncluded)) continue;
      if (isDirectory) {
        yield* this.#walkFolder(fsPrefix, path, rules, isIncluded, rootName, signal);
      } else {
        yield { path: workspacePathOf(rootName, path, this.fs.roots.length), fsPath: `${fsPrefix}${path}` };
      }
    }
  }

  async #ignoreFileContents(folderFsPath: string, names: readonly string[]): Promise<Map<IgnoreSource, string>> {
    const prefix = folderFsPath === '.' ? '' : `${folderFsPath}/`;
    const contents = new Map<IgnoreSource, string>();
    for (const source of IGNORE_SOURCES) {
      const present = source === '.git/info/exclude' ? names.includes('.git') : names.includes(source);
      if (!present) continue;
      try {
        contents.set(source, Buffer.from(await this.fs.readFile(`${prefix}${source}`, { maxBytes: 1024 * 1024 })).toString('utf8'));
      } catch (error) {
        // A missing exclude file is normal; an unreadable or huge ignore file is skipped, as rg does.
        if (!(error instanceof ToolError)) throw error;
      }
    }
    return contents;
  }

  /**
   * Opens up to READ_AHEAD files ahead of the consumer, yielding them in walk order, each as
   * text chunks of whole lines (undefined for binary files).
   */
  async *#readAhead(files: AsyncIterable<WalkedFile>, signal: AbortSignal) {
    const queue: Array<Promise<{ file: WalkedFile; lines: LineSource | undefined }>> = [];
    const iterator = files[Symbol.asyncIterator]();
    let exhausted = false;
    const fill = async () => {
      while (!exhausted && queue.length < READ_AHEAD) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else {
          const opened = this.#open(next.value, signal).then((lines) => ({ file: next.value, lines }));
          // Handled when its turn comes; until then a rejection must not count as unhandled.
          opened.catch(() => undefined);
          queue.push(opened);
        }
      }
    };
    try {
      await fill();
      while (queue.length > 0) {
        const item = await queue.shift()!;
        yield item;
        if (signal.aborted) throw new CancelledError();
        await fill();
      }
    } finally {
      await iterator.return?.();
    }
  }

  /** The file as chunks of whole lines, or undefined if binary or gone. */
  async #open(file: WalkedFile, signal: AbortSignal): Promise<LineSource | undefined> {
    let data: Uint8Array;
    try {
      data = await this.fs.readFile(file.fsPath, { maxBytes: WHOLE_READ_BYTES, signal });
    } catch (error) {
      if (error instanceof FileTooLargeError) return this.#streamLines(file, signal);
      if (error instanceof CancelledError || signal.aborted) throw new CancelledError();
      return undefined; // vanished or unreadable: skipped, as rg skips it
    }
    if (hasNul(data, BINARY_SNIFF_BYTES)) return undefined;
    if (data.byteLength === 0) return []; // no lines at all, so not even `^` matches
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    return [{ text: withoutFinalNewline(text), firstLine: 1 }];
  }

  /** Large files: read the head to sniff for binary, then stream the rest in line-aligned chunks. */
  async #streamLines(file: WalkedFile, signal: AbortSignal): Promise<LineSource | undefined> {
    const stream = this.fs.readStream(file.fsPath, signal)[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < BINARY_SNIFF_BYTES) {
      const next = await stream.next();
      if (next.done) break;
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    if (hasNul(Buffer.concat(head), BINARY_SNIFF_BYTES)) {
      await stream.return?.();
      return undefined;
    }
    return linesOf(head, stream);
  }
}

/**
 * Whether the walk visits an entry, in rg's order of precedence: an include glob decides for
 * files outright and can admit a folder it matches (even an ignored or hidden one); then
 * ignore-file rules, whose `!whitelist` can admit a hidden name; then hidden names are skipped.
 */
function isWalked(
  path: string,
  name: string,
  isDirectory: boolean,
  rules: IgnoreRules,
  isIncluded: ((path: string) => boolean) | undefined,
): boolean {
  if (isIncluded) {
    if (isIncluded(path)) return true;
    if (!isDirectory) return false;
  }
  const verdict = rules.verdict(path, isDirectory);
  if (verdict !== undefined) return verdict === 'whitelist';
  return !name.startsWith('.');
}

/** A file's lines: one chunk for files read whole, a stream of chunks for large ones. */
type LineSource = Iterable<LineChunk> | AsyncIterable<LineChunk>;

interface LineChunk {
  /** Whole lines joined by '\n' (no final newline). */
  readonly text: string;
  readonly firstLine: number;
}

async function* linesOf(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<LineChunk> {
  const decoder = new TextDecoder('utf-8');
  // The unfinished line, in pieces joined once it ends: re-joining (and re-scanning) it per
  // chunk made one long line quadratic.
  let carry: string[] = [];
  let nextLine = 1;
  const emit = function* (text: string, final: boolean): Generator<LineChunk> {
    const at = final ? -1 : text.lastIndexOf('\n');
    if (!final && at < 0) {
      carry.push(text);
      return;
    }
    const before = carry.join('');
    const all = before + text;
    const cut = final ? all.length : before.length + at;
    const complete = final ? withoutFinalNewline(all) : all.slice(0, cut);
    carry = final ? [] : [all.slice(cut + 1)];
    if (complete === '' && final) return;
    yield { text: complete, firstLine: nextLine };
    nextLine += countNewlines(complete) + 1;
  };
  for (const chunk of head) yield* emit(decoder.decode(chunk, { stream: true }), false);
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    yield* emit(decoder.decode(next.value, { stream: true }), false);
  }
  yield* emit(decoder.decode(), true);
}

/**
 * `matchLine` finds the first match on one line; `mayContain` is a cheap test over many
 * lines at once that never misses a line `matchLine` would match (it may pass spuriously).
 */
function compileMatcher(query: SearchQuery): { matchLine: LineMatcher; mayContain: (text: string) => boolean } {
  if (!query.isRegex && query.caseSensitive) {
    const needle = query.pattern;
    return { matchLine: (line) => line.indexOf(needle), mayContain: (text) => text.includes(needle) };
  }
  const source = query.isRegex ? query.pattern : escapeRegExp(query.pattern);
  const flags = `u${query.caseSensitive ? '' : 'i'}`;
  let line: RegExp;
  let many: RegExp;
  try {
    line = new RegExp(source, flags);
    many = new RegExp(source, `${flags}m`);
  } catch (error) {
    throw new ToolError(`Invalid regular expression "${query.pattern}": ${messageOf(error)}. Fix it, or search for literal text.`);
  }
  return {
    matchLine: (text) => {
      const found = line.exec(text);
      return found ? found.index : -1;
    },
    mayContain: (text) => many.test(text),
  };
}

// Only syntax characters: under the `u` flag escaping anything else (`\-`) is an error.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function hasNul(data: Uint8Array, limit: number): boolean {
  return data.subarray(0, limit).indexOf(0) >= 0;
}

/** rg does not count the empty "line" after a final newline; neither do we. */
function withoutFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
