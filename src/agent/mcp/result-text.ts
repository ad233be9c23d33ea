import { formatBytes } from '../format';

/**
 * Turns an MCP tool result into the text the model reads. Nothing is dropped silently: an
 * image or audio clip the model cannot see is described (type, size), embedded resources show
 * their text, and structured content is given as JSON when the text does not already hold it.
 */

interface ContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly data?: string;
  readonly mimeType?: string;
  readonly uri?: string;
  readonly name?: string;
  readonly description?: string;
  readonly resource?: { readonly uri?: string; readonly mimeType?: string; readonly text?: string; readonly blob?: string };
}

export interface McpCallResult {
  readonly content?: readonly ContentBlock[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  /** Old servers (protocol 2024-10-07) answer with `toolResult` instead of content. */
  readonly toolResult?: unknown;
}

export function resultText(result: McpCallResult): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) parts.push(blockText(block));
  if (result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent, null, 2);
    // Servers are asked to repeat structured content as text; say it once. It is left out only
    // when the text already carries it whole, or every value in it.
    const said = parts.join('\n');
    const repeated = parts.some((p) => sameJson(p, result.structuredContent)) || (parts.length > 0 && leaves(result.structuredContent).every((leaf) => said.includes(leaf)));
    if (!repeated) parts.push(`Structured content:\n${json}`);
  }
  if (result.content === undefined && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult, null, 2));
  return parts.length > 0 ? parts.join('\n') : '(the tool returned no content)';
}

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text ?? '';
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType ?? 'unknown type'}, ${formatBytes(base64Bytes(block.data))}; not shown to the model as text]`;
    case 'resource': {
      const resource = block.resource ?? {};
      if (typeof resource.text === 'string') return `[resource ${resource.uri ?? ''}${resource.mimeType ? ` (${resource.mimeType})` : ''}]\n${resource.text}`;
      return `[resource ${resource.uri ?? ''}: ${resource.mimeType ?? 'binary'}, ${formatBytes(base64Bytes(resource.blob))}; binary, not shown]`;
    }
    case 'resource_link':
      return `[resource link ${block.uri ?? ''}${block.name ? ` "${block.name}"` : ''}${block.description ? `: ${block.description}` : ''}]`;
    default:
      return `[content of type "${block.type}" not shown]`;
  }
}

function leaves(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).flatMap(leaves);
  return [String(value)];
}

function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

function base64Bytes(data: string | undefined): number {
  if (!data) return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}
