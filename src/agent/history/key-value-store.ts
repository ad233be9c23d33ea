/**
 * A small persistent map. A `vscode.Memento` (workspaceState, globalState) satisfies it, so
 * the core stores indexes and facts without importing `vscode`; tests and the CLI pass an
 * in-memory or file-backed one.
 *
 * Every `update` of a Memento rewrites its whole store, so what goes in here must stay
 * small (indexes, facts): never transcripts.
 */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * Holds values in memory but round-trips them through JSON on every write, as a Memento
 * does, so tests see what would really be stored (and `serializedBytes` can be measured).
 */
export class InMemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, string>();
  /** How many times `update` was called: lets tests check writes are debounced. */
  writes = 0;

  get<T>(key: string): T | undefined {
    const json = this.#values.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    if (value === undefined) this.#values.delete(key);
    else this.#values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }

  keys(): string[] {
    return [...this.#values.keys()];
  }

  /** The JSON text stored under `key` (what a Memento would write to disk). */
  raw(key: string): string | undefined {
    return this.#values.get(key);
  }

  /** Total bytes of every stored value as JSON, the size of the whole Memento. */
  serializedBytes(): number {
    let total = 0;
    for (const [key, json] of this.#values) total += Buffer.byteLength(key) + Buffer.byteLength(json);
    return total;
  }
}
