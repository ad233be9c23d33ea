/** Turns texts into vectors; an OpenAI-compatible `/embeddings` endpoint in real use. */
export interface Embedder {
  /** Names the vector space: vectors from different models are never compared. */
  readonly model: string;
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** Scales to length 1 (in place), so cosine similarity is a plain dot product. */
export function unitVector(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const length = Math.sqrt(sum);
  if (length > 0) for (let i = 0; i < vector.length; i++) vector[i] /= length;
  return vector;
}

export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function vectorToBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function vectorFromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh, aligned buffer: Buffer slices may start at any byte offset.
  const copy = new Uint8Array(bytes.byteLength - (bytes.byteLength % 4));
  copy.set(bytes.subarray(0, copy.byteLength));
  return new Float32Array(copy.buffer);
}
