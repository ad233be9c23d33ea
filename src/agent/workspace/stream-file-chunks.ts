import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { CancelledError } from '../errors';

/** Chunk size for streamed reads: large files are never held whole in memory. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Yields a local file (by path, or an open handle the stream then owns) in chunks; an abort
 * becomes CancelledError. Shared by both WorkspaceFs implementations for `file:` folders.
 */
export async function* streamFileChunks(source: string | FileHandle, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const stream =
    typeof source === 'string'
      ? createReadStream(source, { highWaterMark: STREAM_CHUNK_BYTES, signal })
      : createReadStream('', { fd: source, highWaterMark: STREAM_CHUNK_BYTES, signal });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    stream.destroy();
  }
}
