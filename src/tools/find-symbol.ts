import { z } from 'zod';
import type { EditorPort } from '../agent/editor/editor-port';
import type { PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { plural } from '../agent/format';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, formatLocation, leftOutNote, withoutSensitive } from './editor-places';

/** find_symbol: where functions, classes, types and variables are declared, by name. */
export const findSymbol = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'find_symbol',
    description:
      'Find where a function, class, interface, type, method or variable is declared, by (part of) its name, from the ' +
      'language servers\' index of the whole project: kind, name, container and "path:line". Use it instead of ' +
      'search_text when you look for a declaration rather than any mention of a word.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'Use a longer, more specific name to see the rest.',
    input: z.object({
      query: z.string().min(1).max(200).describe('The name or part of it, e.g. "parseConfig" or "UserService".'),
      max_results: z.number().int().min(1).max(200).default(30).describe('Most declarations to list (default 30).'),
    }),
    async execute({ query, max_results }, ctx) {
      const found = await editor.workspaceSymbols(query, ctx.signal);
      const { kept, leftOut } = withoutSensitive(found, pathRules);
      // Exact names first, then those that start with the query, then the rest, as the servers ordered them.
      // TypeScript names functions "name()".
      const rank = (shown: string, name = shown.replace(/\(\)$/, '')) => (name === query ? 0 : name.toLowerCase() === query.toLowerCase() ? 1 : name.toLowerCase().startsWith(query.toLowerCase()) ? 2 : 3);
      const ordered = kept.map((symbol, index) => ({ symbol, index })).sort((a, b) => rank(a.symbol.name) - rank(b.symbol.name) || a.index - b.index);
      if (ordered.length === 0) return { output: `No symbols match "${query}".${leftOutNote(leftOut)}`, taintSource: LANGUAGE_SERVER_SOURCE };
      const shown = ordered.slice(0, max_results);
      const lines = shown.map(({ symbol }) => `${symbol.kind} ${symbol.name}${symbol.container ? ` (in ${symbol.container})` : ''} — ${formatLocation(symbol.location)}`);
      const more = ordered.length > shown.length ? `\n[${ordered.length - shown.length} more not shown; use a more specific name.]` : '';
      return {
        output: `${plural(ordered.length, 'symbol')} matching "${query}":\n${lines.join('\n')}${more}${leftOutNote(leftOut)}`,
        taintSource: LANGUAGE_SERVER_SOURCE,
      };
    },
  });
