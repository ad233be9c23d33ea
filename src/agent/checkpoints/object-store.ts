/**
 * Content-addressed storage for checkpoints: every file's bytes and every folder listing are
 * kept once, under the SHA-256 of their content (`objects/ab/cdef…`), so checkpoints share
 * whatever did not change between them. Writes go to a temporary name and are renamed into
 * place, so a crash never leaves a half-written object under a real hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ObjectStore {
  readonly #dir: string;
  /** Hashes known to be on disk, so a shared object is not stat-ed again each checkpoint. */
  readonly #known = new Set<string>();
  readonly #folders = new Set<string>();
  #temp = 0;

  constructor(storeDir: string) {
    this.#dir = join(storeDir, 'objects');
    mkdirSync(this.#dir, { recursive: true });
  }

  /** Stores `bytes` (once) and returns its hash and how many bytes this call added. */
  put(bytes: Uint8Array): { hash: string; added: number } {
    const hash = hashBytes(bytes);
    if (this.#known.has(hash)) return { hash, added: 0 };
    const path = this.#path(hash);
    if (existsSync(path)) {
      this.#known.add(hash);
      return { hash, added: 0 };
    }
    const prefix = hash.slice(0, 2);
    if (!this.#folders.has(prefix)) {
      mkdirSync(join(this.#dir, prefix), { recursive: true });
      this.#folders.add(prefix);
    }
    // Unique per process and call: a crash leaves at most a stray .tmp, which sweep() removes.
    const temp = `${path}.${process.pid}-${this.#temp++}.tmp`;
    writeFileSync(temp, bytes);
    renameSync(temp, path);
    this.#known.add(hash);
    return { hash, added: bytes.byteLength };
  }

  get(hash: string): Buffer {
    const bytes = readFileSync(this.#path(hash));
    // A damaged store must not restore wrong bytes silently.
    if (hashBytes(bytes) !== hash) throw new Error(`checkpoint object ${hash.slice(0, 12)} is damaged (its content does not match its hash)`);
    return bytes;
  }

  /** Deletes every object not in `keep`; returns the bytes still stored. */
  sweep(keep: ReadonlySet<string>): { keptBytes: number; removedBytes: number } {
    let keptBytes = 0;
    let removedBytes = 0;
    for (const prefix of readdirSync(this.#dir)) {
      const folder = join(this.#dir, prefix);
      for (const name of readdirSync(folder)) {
        const path = join(folder, name);
        const size = statSync(path).size;
        const hash = `${prefix}${name}`;
        if (keep.has(hash)) {
          keptBytes += size;
        } else {
          rmSync(path, { force: true });
          this.#known.delete(hash);
          removedBytes += size;
        }
      }
    }
    return { keptBytes, removedBytes };
  }

  #path(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a checkpoint object hash: ${hash}`);
    return join(this.#dir, hash.slice(0, 2), hash.slice(2));
  }
}
