import { z } from 'zod';
import type { SearchResult, TextSearcher } from '../agent/workspace/search/text-searcher';
import { defineTool } from '../agent/tool';
import { createPathRules, type PathRuleSettings } from '../agent/safety/path-rules';
import { plural } from '../agent/format';

export const DEFAULT_MATCH_LIMIT = 100;
export const MAX_MATCH_LIMIT = 1000;

/** search_text: matching lines across the workspace, as `path:line: text`. */
export const searchText = (searcher: TextSearcher, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'search_text',
    description:
      'Search the workspace\'s files for text or a regular expression; returns matching lines as "path:line: text". ' +
      'Use it to find where something is defined or used before reading files, and to find the line numbers to ' +
      'give read_file. Files ignored by .gitignore, hidden files and binary files are not searched. Narrow a search ' +
      'with a glob: without "/" it matches file names at any depth ("*.ts"), with "/" it is relative to the workspace ' +
      'folder ("src/**").',
    risk: 'read',
    truncationHint: 'Narrow the pattern or glob to see the rest.',
    input: z.object({
      pattern: z.string().min(1).describe('Text to find, or a regular expression when regex is true. Matches within one line.'),
      regex: z.boolean().default(false).describe('Treat pattern as a regular expression (ripgrep/Rust syntax). Default: literal text.'),
      case_sensitive: z.boolean().default(false).describe('Match letter case exactly. Default: ignore case.'),
      glob: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
      max_results: z
        .number()
        .int()
        .min(1)
        .max(MAX_MATCH_LIMIT)
        .default(DEFAULT_MATCH_LIMIT)
        .describe(`Most matching lines to return (default ${DEFAULT_MATCH_LIMIT}); the rest are only counted.`),
    }),
    async execute({ pattern, regex, case_sensitive, glob, max_results }, ctx) {
      // Sensitive files (keys, .env…) show nothing here: read_file asks the person first.
      const exclude = createPathRules(pathRules).isSensitive;
      const result = await searcher.search(
        { pattern, isRegex: regex, caseSensitive: case_sensitive, include: glob, maxResults: max_results, exclude },
        ctx.signal,
      );
      return { output: formatSearchResult(pattern, glob, result), taintSource: 'search results' };
    },
  });

export function formatSearchResult(pattern: string, glob: string | undefined, result: SearchResult): string {
  const scope = glob ? ` in files matching "${glob}"` : '';
  const searched = result.filesSearched !== undefined ? ` (${plural(result.filesSearched, 'file')} searched)` : '';
  const leftOut = result.leftOut
    ? `\n[${plural(result.leftOut, 'sensitive file')} (keys, .env and the like) also matched and ${result.leftOut === 1 ? 'is' : 'are'} not shown; ` +
      'read_file can show one after the user allows it.]'
    : '';
  if (result.matches.length === 0) return `No matches for "${pattern}"${scope}${searched}.${leftOut}`;
  const files = new Set(result.matches.map((match) => match.path)).size;
  const count = plural(result.matches.length, 'matching line');
  const shown = result.moreNotShown > 0 ? `First ${count}` : count;
  const lines = [`${shown} in ${plural(files, 'file')}${scope}${searched}:`];
  for (const match of result.matches) lines.push(`${match.path}:${match.line}: ${match.text}`);
  if (result.moreNotShown > 0) {
    const more = result.countStoppedEarly ? `At least ${result.moreNotShown}` : String(result.moreNotShown);
    lines.push(`[${more} more ${result.moreNotShown === 1 ? 'match' : 'matches'} not shown; narrow the search with a glob or a more specific pattern.]`);
  }
  return lines.join('\n') + leftOut;
}
