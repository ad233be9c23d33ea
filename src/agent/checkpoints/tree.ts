/**
 * A checkpoint is a tree of folder listings, like git's: each folder's entries (sorted by
 * name) are stored as one object under its hash, and a folder holds the hash of each
 * sub-folder's listing. Unchanged folders therefore share one object across checkpoints, and
 * two checkpoints are compared by walking only the folders whose hashes differ.
 */
import type { ObjectStore } from './object-store';

export type TreeEntry =
  /** A file: content hash, permission bits, size, and the times used to skip re-reading it. */
  | { readonly n: string; readonly k: 'f'; readonly h: string; readonly m: number; readonly s: number; readonly t: number; readonly c: number }
  /** A folder: the hash of its own listing. */
  | { readonly n: string; readonly k: 'd'; readonly h: string }
  /** A file larger than the store's per-file limit: listed, never stored, never restored or deleted. */
  | { readonly n: string; readonly k: 's'; readonly s: number };

export type Tree = readonly TreeEntry[];

/** Reads listings back, keeping recent ones parsed (checkpoints mostly re-read the same ones). */
export class TreeReader {
  readonly #cache = new Map<string, Tree>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly maxCached = 20_000,
  ) {}

  read(hash: string): Tree {
    const cached = this.#cache.get(hash);
    if (cached) return cached;
    const tree = JSON.parse(this.objects.get(hash).toString('utf8')) as Tree;
    if (this.#cache.size >= this.maxCached) this.#cache.clear();
    this.#cache.set(hash, tree);
    return tree;
  }

  /** Stores a listing and returns its hash (and the bytes that added, 0 when shared). */
  write(tree: Tree): { hash: string; added: number } {
    const result = this.objects.put(Buffer.from(JSON.stringify(tree)));
    this.#cache.set(result.hash, tree);
    return result;
  }

  /** Every object hash a tree reaches (its listings and file contents), for cleanup. */
  collect(hash: string, into: Set<string>): void {
    if (into.has(hash)) return;
    into.add(hash);
    for (const entry of this.read(hash)) {
      if (entry.k === 'f') into.add(entry.h);
      else if (entry.k === 'd') this.collect(entry.h, into);
    }
  }

  /** Files (not folders) in a tree, for counts. */
  countFiles(hash: string): number {
    let count = 0;
    for (const entry of this.read(hash)) {
      if (entry.k === 'f') count++;
      else if (entry.k === 'd') count += this.countFiles(entry.h);
    }
    return count;
  }
}
