import type { Risk } from '../tool';

/** Groups a custom agent or a prompt file may name instead of each tool: the tools of that risk. */
const GROUPS: readonly Risk[] = ['read', 'write', 'execute', 'network'];

/**
 * Whether a custom agent's (or prompt file's) `tools` list lets it use `tool`: by its name, by
 * its risk as a group (`read`, `write`, `execute`, `network`), or, for an MCP server's tools, by
 * `server/*` or `server/tool`. A tool the list does not name is not offered at all, so a call to
 * it is refused like a call to a tool that does not exist.
 */
export function allowsTool(entries: readonly string[], tool: { readonly name: string; readonly risk: Risk; readonly server?: string }): boolean {
  return entries.some((entry) => {
    if (entry === tool.name) return true;
    if ((GROUPS as readonly string[]).includes(entry)) return tool.risk === entry;
    const slash = entry.indexOf('/');
    if (slash < 0 || tool.server === undefined) return false;
    const server = entry.slice(0, slash);
    const name = entry.slice(slash + 1);
    return server === tool.server && (name === '*' || tool.name.endsWith(`__${name}`));
  });
}

/** Entries that name no tool there is (shown as a warning: a typo leaves the agent without it). */
export function unknownEntries(entries: readonly string[], tools: readonly { readonly name: string; readonly risk: Risk; readonly server?: string }[]): string[] {
  return entries.filter((entry) => !tools.some((tool) => allowsTool([entry], tool)));
}
