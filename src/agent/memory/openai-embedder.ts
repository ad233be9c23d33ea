import OpenAI from 'openai';
import { CancelledError, ConfigurationError } from '../errors';
import { messageOf } from '../format';
import { registerCredential } from '../safety/known-credentials';
import { unitVector, type Embedder } from './embedder';

export interface OpenAIEmbedderOptions {
  readonly baseURL?: string;
  readonly apiKey: string;
  readonly model: string;
  /** Texts per request; endpoints cap the batch (OpenAI at 2,048). */
  readonly batchSize?: number;
}

/** Embeddings through the official SDK, so any OpenAI-compatible server works. */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly #client: OpenAI;
  readonly #batchSize: number;

  constructor(options: OpenAIEmbedderOptions) {
    if (!options.model) throw new ConfigurationError('An embeddings model name is needed (glassbox.memory.embeddingsModel).');
    this.model = options.model;
    this.#batchSize = options.batchSize ?? 256;
    registerCredential(options.apiKey);
    this.#client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, maxRetries: 2, timeout: 30_000 });
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      const batch = texts.slice(start, start + this.#batchSize);
      let response: OpenAI.Embeddings.CreateEmbeddingResponse;
      try {
        response = await this.#client.embeddings.create({ model: this.model, input: batch, encoding_format: 'float' }, { signal });
      } catch (error) {
        if (signal?.aborted) throw new CancelledError();
        throw new Error(`Embeddings request to model "${this.model}" failed: ${messageOf(error)}`);
      }
      const ordered = [...response.data].sort((a, b) => a.index - b.index);
      if (ordered.length !== batch.length) {
        throw new Error(`The embeddings endpoint returned ${ordered.length} vectors for ${batch.length} texts.`);
      }
      for (const item of ordered) vectors.push(unitVector(Float32Array.from(item.embedding)));
    }
    return vectors;
  }
}
