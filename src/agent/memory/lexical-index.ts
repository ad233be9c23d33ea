import { termsOf } from './terms';

export interface LexicalHit {
  readonly id: string;
  /** Okapi BM25: how well the fact answers the query, on an open scale. */
  readonly bm25: number;
  /**
   * The share of the fact's own weight the query matched, 0…1: the BM25 score divided by
   * the score the fact would get against itself. Comparable across queries, so a threshold
   * means the same thing for a one-word search and a long task.
   */
  readonly relevance: number;
  /** The query terms found in the fact. */
  readonly matched: readonly string[];
}

interface IndexedDoc {
  readonly termCounts: ReadonlyMap<string, number>;
  readonly length: number;
}

const K1 = 1.2;
/** Candidates (best by BM25) whose relevance is computed; see `search`. */
const RELEVANCE_POOL = 300;
const B = 0.75;

/**
 * An inverted index ranked by BM25. Our own rather than a library's because recall needs the
 * per-fact relevance above (a fact-side normalisation libraries do not expose) and the
 * matched terms for "why was this recalled"; it is small, and over 10,000 facts a query
 * touches only the postings of its own terms.
 */
export class LexicalIndex {
  readonly #docs = new Map<string, IndexedDoc>();
  /** term → (fact id → occurrences). */
  readonly #postings = new Map<string, Map<string, number>>();
  #totalLength = 0;

  get size(): number {
    return this.#docs.size;
  }

  add(id: string, text: string): void {
    this.remove(id);
    const termCounts = new Map<string, number>();
    const terms = termsOf(text);
    for (const term of terms) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
    this.#docs.set(id, { termCounts, length: terms.length });
    this.#totalLength += terms.length;
    for (const [term, count] of termCounts) {
      let posting = this.#postings.get(term);
      if (!posting) this.#postings.set(term, (posting = new Map()));
      posting.set(id, count);
    }
  }

  remove(id: string): void {
    const doc = this.#docs.get(id);
    if (!doc) return;
    this.#docs.delete(id);
    this.#totalLength -= doc.length;
    for (const term of doc.termCounts.keys()) {
      const posting = this.#postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.#postings.delete(term);
    }
  }

  clear(): void {
    this.#docs.clear();
    this.#postings.clear();
    this.#totalLength = 0;
  }

  /**
   * Facts whose distinct terms overlap `text`'s by at least `minJaccard` (|A∩B| / |A∪B|),
   * most similar first. Counted from the postings, so no fact text is re-tokenised.
   */
  similarTo(text: string, minJaccard: number): { id: string; jaccard: number }[] {
    const terms = new Set(termsOf(text));
    if (terms.size === 0) return [];
    const shared = new Map<string, number>();
    for (const term of terms) {
      for (const id of this.#postings.get(term)?.keys() ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    // Jaccard ≥ j needs at least j·|A| shared terms: most candidates are dropped on that count alone.
    const needed = Math.ceil(minJaccard * terms.size);
    const similar: { id: string; jaccard: number }[] = [];
    for (const [id, count] of shared) {
      if (count < needed) continue;
      const size = this.#docs.get(id)?.termCounts.size ?? 0;
      const jaccard = count / (terms.size + size - count);
      if (jaccard >= minJaccard) similar.push({ id, jaccard });
    }
    return similar.sort((a, b) => b.jaccard - a.jaccard);
  }

  /** Best first by relevance (then BM25); only facts matching at least one query term. */
  search(query: string, limit: number, accept: (id: string) => boolean = () => true): LexicalHit[] {
    const queryTerms = [...new Set(termsOf(query))];
    const scores = new Map<string, { bm25: number; matched: string[] }>();
    for (const term of queryTerms) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const idf = this.#idf(posting.size);
      for (const [id, count] of posting) {
        if (!accept(id)) continue;
        const part = idf * this.#saturate(count, this.#docs.get(id)?.length ?? 0);
        const entry = scores.get(id);
        if (entry) {
          entry.bm25 += part;
          entry.matched.push(term);
        } else scores.set(id, { bm25: part, matched: [term] });
      }
    }
    // Relevance needs each fact's self-score; computing it for the best BM25 candidates only
    // keeps long queries (which touch thousands of facts) fast, and the best by relevance are
    // among them in practice.
    let candidates = [...scores];
    if (candidates.length > RELEVANCE_POOL) {
      candidates.sort((a, b) => b[1].bm25 - a[1].bm25);
      candidates = candidates.slice(0, RELEVANCE_POOL);
    }
    const hits: LexicalHit[] = [];
    for (const [id, { bm25, matched }] of candidates) {
      const self = this.#selfScore(id);
      hits.push({ id, bm25, matched, relevance: self > 0 ? Math.min(1, bm25 / self) : 0 });
    }
    hits.sort((a, b) => b.relevance - a.relevance || b.bm25 - a.bm25);
    return hits.slice(0, limit);
  }

  #idf(documentFrequency: number): number {
    const n = this.#docs.size;
    return Math.log(1 + (n - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  #saturate(count: number, length: number): number {
    const averageLength = this.#docs.size > 0 ? this.#totalLength / this.#docs.size : 1;
    return (count * (K1 + 1)) / (count + K1 * (1 - B + (B * length) / Math.max(averageLength, 1)));
  }

  /** The BM25 score of the fact against a query made of its own terms. */
  #selfScore(id: string): number {
    const doc = this.#docs.get(id);
    if (!doc) return 0;
    let score = 0;
    for (const [term, count] of doc.termCounts) {
      score += this.#idf(this.#postings.get(term)?.size ?? 1) * this.#saturate(count, doc.length);
    }
    return score;
  }
}
