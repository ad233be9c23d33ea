import { createHash } from 'node:crypto';
import type { Tool as RemoteTool } from '@modelcontextprotocol/sdk/types.js';

/** Per tool name, a hash of what the model is told about it (description, schema, annotations). */
export type ToolDigest = Readonly<Record<string, string>>;

export function digestTools(tools: readonly RemoteTool[]): ToolDigest {
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      createHash('sha256')
        .update(JSON.stringify([tool.title ?? '', tool.description ?? '', tool.inputSchema, tool.annotations ?? {}]))
        .digest('hex')
        .slice(0, 16),
    ]),
  );
}

/** What a person is shown when a trusted server's tools are no longer what they accepted. */
export interface ToolChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Tools whose description, schema or annotations changed. */
  readonly changed: readonly string[];
}

export function diffTools(accepted: ToolDigest, now: ToolDigest): ToolChanges {
  const added = Object.keys(now).filter((name) => !(name in accepted));
  const removed = Object.keys(accepted).filter((name) => !(name in now));
  const changed = Object.keys(now).filter((name) => name in accepted && accepted[name] !== now[name]);
  return { added, removed, changed };
}

export function hasChanges(changes: ToolChanges): boolean {
  return changes.added.length + changes.removed.length + changes.changed.length > 0;
}

export function describeChanges(changes: ToolChanges): string {
  const parts: string[] = [];
  if (changes.added.length > 0) parts.push(`added: ${changes.added.join(', ')}`);
  if (changes.removed.length > 0) parts.push(`removed: ${changes.removed.join(', ')}`);
  if (changes.changed.length > 0) parts.push(`description or schema changed: ${changes.changed.join(', ')}`);
  return parts.join('; ');
}
