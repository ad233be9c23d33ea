import { FileNotFoundError } from '../errors';
import type { WorkspaceFs } from '../workspace-fs';

/**
 * Bytes read of one instructions file at most. The token budget is far smaller; this only
 * keeps a runaway file (a log committed as AGENTS.md) from being read whole into memory.
 */
export const MAX_INSTRUCTION_BYTES = 64 * 1024;

export interface ReadInstruction {
  readonly text: string;
  /** Bytes of the file that were not read (over MAX_INSTRUCTION_BYTES). */
  readonly unreadBytes: number;
}

/**
 * A file's text through the WorkspaceFs (so paths stay confined like a tool's); undefined when
 * it does not exist or is not a file.
 */
export async function readInstructionFile(fs: WorkspaceFs, path: string, signal?: AbortSignal): Promise<ReadInstruction | undefined> {
  let size: number;
  try {
    const stat = await fs.stat(path);
    if (stat.kind !== 'file') return undefined;
    size = stat.size;
  } catch (error) {
    if (error instanceof FileNotFoundError) return undefined;
    throw error;
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  for await (const chunk of fs.readStream(path, signal)) {
    const room = MAX_INSTRUCTION_BYTES - read;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    read += Math.min(chunk.length, room);
    if (read >= MAX_INSTRUCTION_BYTES) break;
  }
  // A multi-byte character cut at the end decodes to U+FFFD, dropped below.
  const text = new TextDecoder().decode(Buffer.concat(chunks)).replace(/\uFFFD$/, '');
  return { text, unreadBytes: Math.max(0, size - read) };
}
