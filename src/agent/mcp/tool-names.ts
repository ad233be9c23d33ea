import { createHash } from 'node:crypto';

/** OpenAI-compatible endpoints accept tool names of at most 64 of these characters. */
const MAX_NAME = 64;

/** `<server>__<tool>` with characters outside [A-Za-z0-9_-] replaced by `_`. */
export function mcpToolName(server: string, tool: string): string {
  const name = `${sanitize(server)}__${sanitize(tool)}`;
  return name.length <= MAX_NAME ? name : withSuffix(name, hash(`${server}\0${tool}`));
}

function sanitize(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/gu, '_');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

function withSuffix(name: string, suffix: string): string {
  return `${name.slice(0, MAX_NAME - suffix.length - 1)}_${suffix}`;
}

/**
 * Gives every (server, tool) pair a distinct name that no name in `taken` (the built-ins,
 * and tools already named) uses. A clash gets a short hash of the pair's raw names, so the
 * same pair keeps the same name from run to run; a built-in is never shadowed.
 */
export function assignToolNames(
  pairs: readonly { readonly server: string; readonly tool: string }[],
  taken: Iterable<string>,
): string[] {
  const used = new Set(taken);
  return pairs.map(({ server, tool }) => {
    let name = mcpToolName(server, tool);
    for (let attempt = 0; used.has(name); attempt++) {
      name = withSuffix(mcpToolName(server, tool).slice(0, MAX_NAME - 7), hash(`${server}\0${tool}\0${attempt}`));
    }
    used.add(name);
    return name;
  });
}
