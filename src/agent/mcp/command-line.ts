/** What "Add MCP Server" makes of a command line or URL (mcp.json's shape), without a shell. */
export function definitionFromLine(line: string): Record<string, unknown> {
  if (/^https?:\/\//iu.test(line)) return { type: 'http', url: line };
  const words = splitCommandLine(line);
  return { type: 'stdio', command: words[0], args: words.slice(1) };
}

/** A name for the server from its package or host name. */
export function suggestServerName(line: string): string {
  if (/^https?:\/\//iu.test(line)) return new URL(line).hostname.replace(/[^\w.-]/gu, '_');
  const words = splitCommandLine(line);
  const pkg = words.slice(1).reverse().find((w) => !w.startsWith('-')) ?? words[0] ?? 'server';
  return (pkg.split('/').pop() ?? pkg).replace(/^server-|^mcp-server-/u, '').replace(/[^\w.-]/gu, '_').slice(0, 64) || 'server';
}

/** Words split on spaces, with '…' and "…" quoting (no shell: nothing is expanded). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/u.test(ch)) {
      if (started || word) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
    }
  }
  if (started || word) words.push(word);
  return words;
}
