import { ToolError } from '../errors';

/** One thing worth remembering across chats ("The API tests need `docker compose up` first"). */
export interface Fact {
  readonly id: string;
  readonly text: string;
  /** Epoch milliseconds. */
  readonly created: number;
  /** When it was last remembered again or recalled: the cap evicts the least recent. */
  readonly lastUsed: number;
  /** The chat it was remembered in, when known. */
  readonly sourceChat?: string;
  readonly tags?: readonly string[];
  /** Recalled in every workspace (kept in globalState) rather than this one only. */
  readonly global: boolean;
}

/** Memory declined a fact (a secret, empty, too long); the model or person reads why. */
export class MemoryRefusedError extends ToolError {}

/** A fact found by a search, with what made it match. */
export interface FactMatch {
  readonly fact: Fact;
  /** 0…1: the lexical relevance alone, or combined with the vector similarity (see rankHybrid). */
  readonly score: number;
  /** Share of the fact's own term weight the query matched, 0…1. */
  readonly lexical: number;
  /** Cosine similarity of the embeddings; absent when no embeddings endpoint is configured. */
  readonly similarity?: number;
  readonly matchedTerms: readonly string[];
  /** For people and the model: "matched pnpm, lockfile; similarity 0.71". */
  readonly why: string;
}

/** Facts as stored in a KeyValueStore: short keys, because the whole list is rewritten on each save. */
export interface StoredFact {
  readonly i: string;
  readonly t: string;
  readonly c: number;
  readonly u: number;
  readonly s?: string;
  readonly g?: readonly string[];
}

export function toStored(fact: Fact): StoredFact {
  return {
    i: fact.id,
    t: fact.text,
    c: fact.created,
    u: fact.lastUsed,
    ...(fact.sourceChat ? { s: fact.sourceChat } : {}),
    ...(fact.tags && fact.tags.length > 0 ? { g: fact.tags } : {}),
  };
}

/** The facts in a stored value, skipping anything malformed (a value edited or written by an older version). */
export function fromStored(value: unknown, global: boolean): Fact[] {
  const list = (value as { f?: unknown } | undefined)?.f;
  if (!Array.isArray(list)) return [];
  const facts: Fact[] = [];
  for (const item of list as Partial<StoredFact>[]) {
    if (!item || typeof item.i !== 'string' || typeof item.t !== 'string' || typeof item.c !== 'number' || typeof item.u !== 'number') continue;
    const tags = Array.isArray(item.g) ? item.g.filter((tag): tag is string => typeof tag === 'string') : undefined;
    facts.push({
      id: item.i,
      text: item.t,
      created: item.c,
      lastUsed: item.u,
      global,
      ...(typeof item.s === 'string' ? { sourceChat: item.s } : {}),
      ...(tags && tags.length > 0 ? { tags } : {}),
    });
  }
  return facts;
}
