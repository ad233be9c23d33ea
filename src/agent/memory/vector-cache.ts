import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { silentLogger, type Logger } from '../logger';
import { vectorFromBase64, vectorToBase64 } from './embedder';

/**
 * Embeddings of fact texts, by model and text. Content-addressed, so an unchanged fact is
 * never embedded twice, a fact edited back is found again, and one cache serves workspace
 * and global facts.
 */
export interface VectorCache {
  get(key: string): Float32Array | undefined;
  set(key: string, vector: Float32Array): void;
  delete(key: string): void;
  flush(): Promise<void>;
}

export function vectorKey(model: string, text: string): string {
  return createHash('sha256').update(model).update('\0').update(text).digest('base64url').slice(0, 24);
}

export class InMemoryVectorCache implements VectorCache {
  readonly #vectors = new Map<string, Float32Array>();
  get(key: string): Float32Array | undefined {
    return this.#vectors.get(key);
  }
  set(key: string, vector: Float32Array): void {
    this.#vectors.set(key, vector);
  }
  delete(key: string): void {
    this.#vectors.delete(key);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  get size(): number {
    return this.#vectors.size;
  }
}

/**
 * The cache as an append-only JSONL file beside the memory index (in the extension's
 * storage folder), one `{"k","v"}` line per vector (Float32, base64) and `{"k","d":1}` per
 * deletion; rewritten whole only when dead lines outnumber live ones.
 *
 * Why not the Memento: one 1,536-dimension vector is 8 KB as base64, so 2,000 facts make
 * 16 MB, and every Memento update rewrites its store; appending a line costs only its bytes.
 */
export class FileVectorCache implements VectorCache {
  readonly #vectors = new Map<string, Float32Array>();
  readonly #pending: string[] = [];
  #deadLines = 0;
  /** Set when the file ends in a torn line: the next append must start a line of its own. */
  #needsNewline = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {}

  /** Reads the file (line by line; a damaged line is skipped) or starts empty. */
  static async open(path: string, logger: Logger = silentLogger): Promise<FileVectorCache> {
    const cache = new FileVectorCache(path, logger);
    await cache.#read();
    return cache;
  }

  get size(): number {
    return this.#vectors.size;
  }

  get(key: string): Float32Array | undefined {
    return this.#vectors.get(key);
  }

  set(key: string, vector: Float32Array): void {
    if (this.#vectors.has(key)) this.#deadLines++;
    this.#vectors.set(key, vector);
    this.#pending.push(JSON.stringify({ k: key, v: vectorToBase64(vector) }));
  }

  delete(key: string): void {
    if (!this.#vectors.delete(key)) return;
    this.#deadLines += 2; // the vector's line and this deletion line
    this.#pending.push(JSON.stringify({ k: key, d: 1 }));
  }

  flush(): Promise<void> {
    const lines = this.#pending.splice(0);
    const compact = this.#deadLines > Math.max(100, this.#vectors.size);
    this.#writing = this.#writing.then(async () => {
      try {
        await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
        if (compact) await this.#rewrite();
        else if (lines.length > 0) {
          await fs.appendFile(this.path, `${this.#needsNewline ? '\n' : ''}${lines.join('\n')}\n`, { encoding: 'utf8', mode: 0o600 });
          this.#needsNewline = false;
        }
      } catch (error) {
        this.log.error(`memory: could not write the vector cache ${this.path}: ${String(error)}`);
      }
    });
    if (compact) this.#deadLines = 0;
    return this.#writing;
  }

  /** Writes the live vectors to a new file and renames it over the old, so a crash leaves one or the other. */
  async #rewrite(): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const handle = await fs.open(temporary, 'w', 0o600);
    try {
      for (const [key, vector] of this.#vectors) await handle.write(`${JSON.stringify({ k: key, v: vectorToBase64(vector) })}\n`);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, this.path);
  }

  async #read(): Promise<void> {
    try {
      await fs.access(this.path);
    } catch {
      return;
    }
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let damaged = 0;
    let lastLine = '';
    for await (const line of lines) {
      lastLine = line;
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as { k?: unknown; v?: unknown; d?: unknown };
        if (typeof record.k !== 'string') throw new Error('no key');
        if (record.d === 1) {
          this.#vectors.delete(record.k);
          this.#deadLines += 2;
        } else if (typeof record.v === 'string') {
          if (this.#vectors.has(record.k)) this.#deadLines++;
          this.#vectors.set(record.k, vectorFromBase64(record.v));
        } else throw new Error('no vector');
      } catch {
        damaged++;
      }
    }
    // readline cannot tell whether the last line ended in "\n"; a torn one does not parse.
    this.#needsNewline = lastLine !== '' && !isJson(lastLine);
    if (damaged > 0) this.log.warn(`memory: skipped ${damaged} damaged line(s) in ${this.path}`);
  }
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
