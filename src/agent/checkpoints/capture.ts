/**
 * Records a workspace folder into the object store as a tree. Honours .gitignore (in every
 * folder, plus .git/info/exclude beside a .git) and never reads or records any `.git` folder
 * or file: the user's repositories, nested ones and submodules included, are left entirely
 * alone (their working files are captured like any other). Symbolic links are not followed
 * or recorded. Files above `maxFileBytes` are listed as skipped, with their size.
 *
 * A file whose size, mtime and ctime match the previous checkpoint's entry reuses its hash
 * without being read, so a checkpoint after a small change costs a walk and a stat per file.
 * Synchronous on purpose: it is a tight loop of small system calls, which the async API would
 * spread over the thread pool at several times the cost.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { IgnoreRules, type IgnoreSource } from '../workspace/search/ignore-rules';
import type { ObjectStore } from './object-store';
import type { Tree, TreeEntry, TreeReader } from './tree';

export interface CaptureOptions {
  readonly objects: ObjectStore;
  readonly trees: TreeReader;
  /**
   * Ignore rules kept from the last capture, per folder: the `ignore` package caches its
   * answers per path, so unchanged rules answer a repeated walk almost for free.
   */
  readonly rulesCache?: Map<string, CachedRules>;
  readonly maxFileBytes: number;
  /** Absolute folders never captured (the store itself, when it lives inside the workspace). */
  readonly exclude?: readonly string[];
}

export interface CaptureResult {
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
  /** Bytes newly written to the store (0 when nothing changed). */
  readonly addedBytes: number;
  /** Files read and hashed (the rest were known from the previous checkpoint). */
  readonly filesRead: number;
  readonly skipped: readonly { readonly path: string; readonly size: number }[];
  /** Folders holding a `.git` (repositories, nested ones, submodules): left out of checkpoints. */
  readonly repositories: readonly string[];
}

export function captureWorkspace(workspace: string, previousRoot: string | undefined, options: CaptureOptions): CaptureResult {
  const state = { files: 0, bytes: 0, addedBytes: 0, filesRead: 0, skipped: [] as { path: string; size: number }[], repositories: [] as string[] };
  const exclude = new Set(options.exclude ?? []);

  const rulesCache = options.rulesCache ?? new Map<string, CachedRules>();
  const captureFolder = (absolute: string, relative: string, rules: IgnoreRules, previous: string | undefined): string => {
    const dirents = readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const local = folderRules(absolute, relative, dirents, rules, rulesCache);
    const before = new Map<string, TreeEntry>();
    const previousTree = previous ? options.trees.read(previous) : undefined;
    if (previousTree) for (const entry of previousTree) before.set(entry.n, entry);
    const entries: TreeEntry[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      if (name === '.git') {
        state.repositories.push(relative || '.');
        continue;
      }
      if (dirent.isSymbolicLink()) continue;
      const path = relative ? `${relative}/${name}` : name;
      const full = `${absolute}${sep}${name}`;
      if (dirent.isDirectory()) {
        if (exclude.has(full) || local.verdict(path, true) === 'ignore') continue;
        const old = before.get(name);
        entries.push({ n: name, k: 'd', h: captureFolder(full, path, local, old?.k === 'd' ? old.h : undefined) });
        continue;
      }
      if (!dirent.isFile() || local.verdict(path, false) === 'ignore') continue;
      const stat = lstatSync(full);
      if (stat.size > options.maxFileBytes) {
        state.skipped.push({ path, size: stat.size });
        entries.push({ n: name, k: 's', s: stat.size });
        continue;
      }
      const old = before.get(name);
      let hash: string;
      if (old?.k === 'f' && old.s === stat.size && old.t === stat.mtimeMs && old.c === stat.ctimeMs) {
        hash = old.h;
      } else {
        const stored = options.objects.put(readFileSync(full));
        hash = stored.hash;
        state.addedBytes += stored.added;
        state.filesRead++;
      }
      state.files++;
      state.bytes += stat.size;
      entries.push({ n: name, k: 'f', h: hash, m: stat.mode & 0o7777, s: stat.size, t: stat.mtimeMs, c: stat.ctimeMs });
    }
    // Unchanged folder: the previous listing and its hash stand (no re-serializing, no hashing).
    if (previous && previousTree && sameEntries(previousTree, entries)) return previous;
    const written = options.trees.write(entries satisfies Tree);
    state.addedBytes += written.added;
    return written.hash;
  };

  const root = captureFolder(workspace, '', IgnoreRules.none, previousRoot);
  return { root, ...state };
}

export interface CachedRules {
  readonly parent: IgnoreRules;
  readonly texts: string;
  readonly rules: IgnoreRules;
}

function sameEntries(a: Tree, b: readonly TreeEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.n !== y.n || x.k !== y.k) return false;
    if (x.k === 'd' && y.k === 'd' && x.h !== y.h) return false;
    if (x.k === 's' && y.k === 's' && x.s !== y.s) return false;
    if (x.k === 'f' && y.k === 'f' && (x.h !== y.h || x.m !== y.m || x.s !== y.s || x.t !== y.t || x.c !== y.c)) return false;
  }
  return true;
}

/** The folder's ignore rules: its .gitignore, and .git/info/exclude when it holds a repository. */
function folderRules(absolute: string, relative: string, dirents: readonly Dirent[], rules: IgnoreRules, cache: Map<string, CachedRules>): IgnoreRules {
  const files = new Map<IgnoreSource, string>();
  for (const dirent of dirents) {
    if (dirent.name === '.gitignore' && dirent.isFile()) files.set('.gitignore', readFileSync(join(absolute, '.gitignore'), 'utf8'));
    if (dirent.name === '.git' && dirent.isDirectory()) {
      const exclude = join(absolute, '.git', 'info', 'exclude');
      // Read only: the repository's own ignore list decides what its working tree shows.
      if (existsSync(exclude)) files.set('.git/info/exclude', readFileSync(exclude, 'utf8'));
    }
  }
  if (files.size === 0) return rules;
  const texts = JSON.stringify([...files]);
  const cached = cache.get(relative);
  if (cached && cached.parent === rules && cached.texts === texts) return cached.rules;
  const local = rules.within(relative, files);
  cache.set(relative, { parent: rules, texts, rules: local });
  return local;
}
