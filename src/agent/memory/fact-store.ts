import { randomBytes } from 'node:crypto';
import { CancelledError } from '../errors';
import { messageOf } from '../format';
import type { RecalledFact } from '../events';
import type { KeyValueStore } from '../history/key-value-store';
import { silentLogger, type Logger } from '../logger';
import { isOnlySecret, redactSecrets } from '../safety/redact';
import type { Embedder } from './embedder';
import { MemoryRefusedError, fromStored, toStored, type Fact, type FactMatch } from './fact';
import { explainMatch, rankHybrid } from './hybrid-rank';
import { LexicalIndex } from './lexical-index';
import { normalizeFactText, termsOf } from './terms';
import { InMemoryVectorCache, vectorKey, type VectorCache } from './vector-cache';

export interface FactStoreOptions {
  /** This workspace's facts (workspaceState in VS Code). */
  readonly workspace: KeyValueStore;
  /** Facts recalled everywhere (globalState in VS Code). */
  readonly global: KeyValueStore;
  /** Per scope; past it the least recently used fact is evicted. Default 2,000. */
  readonly maxFacts?: number;
  /** When set, recall is hybrid: lexical plus vector similarity. */
  readonly embedder?: Embedder;
  /** Where vectors are kept (a file beside the index in VS Code); in memory when absent. */
  readonly vectors?: VectorCache;
  /** Facts `recallForTask` returns at most. Default 3. */
  readonly recallCount?: number;
  /** Score (0…1) a fact needs to be recalled for a task. Default 0.3. */
  readonly recallThreshold?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export interface RememberOptions {
  readonly tags?: readonly string[];
  readonly global?: boolean;
  readonly sourceChat?: string;
  readonly signal?: AbortSignal;
}

export interface RememberResult {
  readonly fact: Fact;
  /** True when an existing (same or near-same) fact was updated instead of a new one added. */
  readonly merged: boolean;
  /** Secrets replaced by `[redacted:…]` markers before storing. */
  readonly redactions: number;
}

const FACTS_KEY = 'glassbox.memory.facts';
const MAX_FACT_CHARS = 1_000;
/** Facts sharing this share of their distinct words are the same fact reworded. */
const NEAR_DUPLICATE = 0.8;
/** Facts embedded per search when some lack vectors (remembered while no endpoint was set). */
const EMBED_BACKLOG_PER_SEARCH = 256;

/**
 * Long-term memory: facts per workspace (and global ones), recalled by a lexical ranker and,
 * when an embeddings endpoint is configured, by vector similarity as well. Secrets are
 * redacted before anything is stored; a fact that is only a secret is refused.
 */
export class FactStore {
  readonly #options: FactStoreOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #facts = new Map<string, Fact>();
  readonly #index = new LexicalIndex();
  readonly #vectorCache: VectorCache;
  /** Vectors of current facts by fact id (kept so a search never hashes every fact text). */
  readonly #vectors = new Map<string, Float32Array>();
  /** How many facts have each text, so a vector is dropped only with the last of them. */
  readonly #textCounts = new Map<string, number>();
  #globalCount = 0;
  readonly #listeners = new Set<() => void>();
  readonly #dirty = new Set<'workspace' | 'global'>();
  #saveTimer: NodeJS.Timeout | undefined;

  constructor(options: FactStoreOptions) {
    this.#options = options;
    this.#log = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#vectorCache = options.vectors ?? new InMemoryVectorCache();
    for (const fact of [...fromStored(options.workspace.get(FACTS_KEY), false), ...fromStored(options.global.get(FACTS_KEY), true)]) {
      this.#put(fact);
    }
  }

  get size(): number {
    return this.#facts.size;
  }

  /** Every fact, most recently used first. */
  list(): Fact[] {
    return [...this.#facts.values()].sort((a, b) => b.lastUsed - a.lastUsed);
  }

  get(id: string): Fact | undefined {
    return this.#facts.get(id);
  }

  /** Called after any change (for views); returns the unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Stores a fact, or updates the same or a near-same one already known (its text replaced
   * by the newer wording). Throws MemoryRefusedError for an empty, overlong or secret-only fact.
   */
  async remember(text: string, options: RememberOptions = {}): Promise<RememberResult> {
    const { text: clean, redactions } = this.#admit(text);
    const now = this.#now();
    const tags = cleanTags(options.tags);
    const existing = this.#findDuplicate(clean);
    let fact: Fact;
    if (existing) {
      const mergedTags = [...new Set([...(existing.tags ?? []), ...tags])];
      fact = {
        ...existing,
        text: clean,
        lastUsed: now,
        // A fact remembered again as global becomes global; the reverse would hide it elsewhere.
        global: existing.global || options.global === true,
        ...(options.sourceChat ? { sourceChat: options.sourceChat } : {}),
        ...(mergedTags.length > 0 ? { tags: mergedTags } : {}),
      };
      this.#remove(existing.id, clean);
    } else {
      fact = {
        id: `fact-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
        text: clean,
        created: now,
        lastUsed: now,
        global: options.global === true,
        ...(options.sourceChat ? { sourceChat: options.sourceChat } : {}),
        ...(tags.length > 0 ? { tags } : {}),
      };
    }
    this.#put(fact);
    this.#evictOverCap(fact.global);
    this.#changed(existing?.global, fact.global);
    await this.#embedMissing([fact], options.signal);
    return { fact, merged: existing !== undefined, redactions };
  }

  /** Replaces a fact's text (same checks as `remember`). */
  async edit(id: string, text: string, signal?: AbortSignal): Promise<Fact> {
    const old = this.#facts.get(id);
    if (!old) throw new MemoryRefusedError(`No fact with id "${id}".`);
    const { text: clean } = this.#admit(text);
    const fact: Fact = { ...old, text: clean, lastUsed: this.#now() };
    this.#remove(id, clean);
    this.#put(fact);
    this.#changed(fact.global);
    await this.#embedMissing([fact], signal);
    return fact;
  }

  forget(id: string): boolean {
    const fact = this.#facts.get(id);
    if (!fact) return false;
    this.#remove(id);
    this.#changed(fact.global);
    return true;
  }

  /** Forgets this workspace's facts, and the global ones too when `includeGlobal`. Returns how many. */
  forgetAll(includeGlobal: boolean): number {
    let count = 0;
    for (const fact of [...this.#facts.values()]) {
      if (fact.global && !includeGlobal) continue;
      this.#remove(fact.id);
      count++;
    }
    this.#changed(false, includeGlobal ? true : undefined);
    return count;
  }

  /**
   * The `k` facts best matching `query`, best first, with scores and why. `markUsed` counts
   * the results as used (recall by the agent), which keeps them from eviction.
   */
  async recallFacts(query: string, k: number, options: { signal?: AbortSignal; markUsed?: boolean } = {}): Promise<FactMatch[]> {
    const { signal, markUsed = false } = options;
    if (signal?.aborted) throw new CancelledError();
    const lexicalHits = this.#index.search(query, Math.max(50, k));
    let queryVector: Float32Array | undefined;
    const embedder = this.#options.embedder;
    if (embedder && query.trim() !== '') {
      try {
        if (this.#vectors.size < this.#facts.size) {
          const backlog = [...this.#facts.values()].filter((fact) => !this.#vectors.has(fact.id));
          await this.#embedMissing(backlog.slice(0, EMBED_BACKLOG_PER_SEARCH), signal);
        }
        [queryVector] = await embedder.embed([query], signal);
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        this.#log.warn(`memory: vector search skipped, lexical only: ${messageOf(error)}`);
      }
    }
    const ranked = rankHybrid({ lexicalHits, queryVector, vectors: queryVector ? this.#vectors : undefined, limit: k });
    const now = this.#now();
    const matches: FactMatch[] = [];
    for (const hit of ranked) {
      let fact = this.#facts.get(hit.id);
      if (!fact) continue;
      if (markUsed) {
        fact = { ...fact, lastUsed: now };
        this.#facts.set(fact.id, fact);
        this.#dirty.add(fact.global ? 'global' : 'workspace');
      }
      matches.push({ ...hit, fact, why: explainMatch(hit.matchedTerms, hit.similarity) });
    }
    if (markUsed && matches.length > 0) this.#scheduleSave();
    return matches;
  }

  /** For RunOptions.recall: the most relevant facts over the threshold, at most `recallCount`. */
  async recallForTask(task: string, signal: AbortSignal): Promise<RecalledFact[]> {
    const count = this.#options.recallCount ?? 3;
    if (count <= 0 || this.#facts.size === 0) return [];
    const threshold = this.#options.recallThreshold ?? 0.3;
    const candidates = await this.recallFacts(task, count * 3, { signal });
    const chosen = candidates.filter((match) => match.score >= threshold).slice(0, count);
    // Only the facts actually given to the run count as used.
    if (chosen.length > 0) await this.#markUsed(chosen.map((match) => match.fact.id));
    return chosen.map((match) => ({ id: match.fact.id, text: match.fact.text, score: round(match.score), why: match.why }));
  }

  /** Writes pending changes (both stores, and the vector cache). */
  async flush(): Promise<void> {
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const scopes = [...this.#dirty];
    this.#dirty.clear();
    for (const scope of scopes) {
      const facts = [...this.#facts.values()].filter((fact) => fact.global === (scope === 'global')).map(toStored);
      const store = scope === 'global' ? this.#options.global : this.#options.workspace;
      try {
        await store.update(FACTS_KEY, { v: 1, f: facts });
      } catch (error) {
        this.#dirty.add(scope);
        this.#log.error(`memory: could not save ${scope} facts: ${messageOf(error)}`);
      }
    }
    await this.#vectorCache.flush();
  }

  /** Redacts and checks a fact's text; throws MemoryRefusedError with the reason. */
  #admit(text: string): { text: string; redactions: number } {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (trimmed === '') throw new MemoryRefusedError('The fact is empty: state one thing worth remembering.');
    if (isOnlySecret(trimmed)) {
      throw new MemoryRefusedError('Refused: this is only a secret (a key, token or password). Secrets are never stored in memory.');
    }
    const redacted = redactSecrets(trimmed);
    if (redacted.text.length > MAX_FACT_CHARS) {
      throw new MemoryRefusedError(`The fact is ${redacted.text.length} characters; keep it under ${MAX_FACT_CHARS}: one short fact per call.`);
    }
    if (termsOf(redacted.text.replace(/\[redacted:[^\]]*\]/g, ' ')).length === 0) {
      throw new MemoryRefusedError('Refused: once secrets are removed nothing is left worth remembering.');
    }
    return { text: redacted.text, redactions: redacted.count };
  }

  #findDuplicate(text: string): Fact | undefined {
    const normalized = normalizeFactText(text);
    for (const { id } of this.#index.similarTo(text, NEAR_DUPLICATE)) {
      const fact = this.#facts.get(id);
      if (fact) return fact;
    }
    // Same words differently cased or punctuated are caught above; facts without indexable
    // words (all stopwords) can still be exact repeats.
    return termsOf(text).length === 0 ? [...this.#facts.values()].find((fact) => normalizeFactText(fact.text) === normalized) : undefined;
  }

  #evictOverCap(global: boolean): void {
    const max = this.#options.maxFacts ?? 2_000;
    if ((global ? this.#globalCount : this.#facts.size - this.#globalCount) <= max) return;
    const scoped = [...this.#facts.values()].filter((fact) => fact.global === global);
    scoped.sort((a, b) => a.lastUsed - b.lastUsed);
    for (const fact of scoped.slice(0, scoped.length - max)) {
      this.#log.info(`memory: forgetting the least recently used fact (cap ${max}): ${fact.text.slice(0, 80)}`);
      this.#remove(fact.id);
    }
  }

  async #embedMissing(facts: readonly Fact[], signal?: AbortSignal): Promise<void> {
    const embedder = this.#options.embedder;
    if (!embedder || facts.length === 0) return;
    const missing: Fact[] = [];
    for (const fact of facts) {
      const cached = this.#vectorCache.get(vectorKey(embedder.model, fact.text));
      if (cached) this.#vectors.set(fact.id, cached);
      else missing.push(fact);
    }
    if (missing.length === 0) return;
    try {
      const vectors = await embedder.embed(missing.map((fact) => fact.text), signal);
      missing.forEach((fact, i) => {
        // The fact may have been forgotten or edited while the request was out.
        if (this.#facts.get(fact.id)?.text !== fact.text) return;
        this.#vectorCache.set(vectorKey(embedder.model, fact.text), vectors[i]);
        this.#vectors.set(fact.id, vectors[i]);
      });
      void this.#vectorCache.flush();
    } catch (error) {
      if (signal?.aborted) throw new CancelledError();
      // Kept without a vector: found lexically now, embedded on a later search.
      this.#log.warn(`memory: could not embed ${missing.length} fact(s): ${messageOf(error)}`);
    }
  }

  async #markUsed(ids: readonly string[]): Promise<void> {
    const now = this.#now();
    for (const id of ids) {
      const fact = this.#facts.get(id);
      if (!fact) continue;
      this.#facts.set(id, { ...fact, lastUsed: now });
      this.#dirty.add(fact.global ? 'global' : 'workspace');
    }
    this.#scheduleSave();
  }

  #put(fact: Fact): void {
    this.#facts.set(fact.id, fact);
    if (fact.global) this.#globalCount++;
    this.#textCounts.set(fact.text, (this.#textCounts.get(fact.text) ?? 0) + 1);
    this.#index.add(fact.id, fact.text);
    const model = this.#options.embedder?.model;
    const vector = model ? this.#vectorCache.get(vectorKey(model, fact.text)) : undefined;
    if (vector) this.#vectors.set(fact.id, vector);
  }

  /** `nextText`: the text replacing this fact's (an edit or merge), whose vector is kept. */
  #remove(id: string, nextText?: string): void {
    const fact = this.#facts.get(id);
    if (!fact) return;
    this.#facts.delete(id);
    if (fact.global) this.#globalCount--;
    this.#index.remove(id);
    this.#vectors.delete(id);
    const left = (this.#textCounts.get(fact.text) ?? 1) - 1;
    if (left > 0) this.#textCounts.set(fact.text, left);
    else this.#textCounts.delete(fact.text);
    // Forgotten means forgotten: the vector goes too, unless another fact has the same text.
    const model = this.#options.embedder?.model;
    if (model && left === 0 && fact.text !== nextText) this.#vectorCache.delete(vectorKey(model, fact.text));
    this.#dirty.add(fact.global ? 'global' : 'workspace');
  }

  /** Saves soon and tells listeners; `scopes` are marked dirty besides those #remove marked. */
  #changed(...scopes: (boolean | undefined)[]): void {
    for (const global of scopes) if (global !== undefined) this.#dirty.add(global ? 'global' : 'workspace');
    this.#scheduleSave();
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        this.#log.error(`memory: change listener failed: ${messageOf(error)}`);
      }
    }
  }

  #scheduleSave(): void {
    if (this.#saveTimer) return;
    // Each save rewrites the scope's whole fact list, so bursts (a recall marking facts used) share one.
    this.#saveTimer = setTimeout(() => void this.flush(), 1_000);
    this.#saveTimer.unref();
  }
}

function cleanTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0 && tag.length <= 40))].slice(0, 10);
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
