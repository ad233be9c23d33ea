import { z } from 'zod';
import type { TextSearcher } from '../agent/workspace/search/text-searcher';
import { defineTool } from '../agent/tool';
import { createPathRules, type PathRuleSettings } from '../agent/safety/path-rules';
import { plural } from '../agent/format';

export const DEFAULT_LIST_LIMIT = 500;
export const MAX_LIST_LIMIT = 5000;

/** list_files: the workspace's files (as ripgrep would search them), filtered by a glob, capped. */
export const listFiles = (searcher: TextSearcher, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'list_files',
    description:
      'List files in the workspace, optionally only those matching a glob. Use it to learn how a project is laid ' +
      'out or to find files by name; use search_text to find files by their content. Files ignored by .gitignore, ' +
      'hidden files (names starting with ".") and symbolic links are left out. A glob without "/" matches file ' +
      'names at any depth ("*.ts", "README*"); one with "/" is relative to the workspace folder ("src/**/*.test.ts").',
    risk: 'read',
    truncationHint: 'Narrow the pattern or glob to see the rest.',
    input: z.object({
      glob: z.string().optional().describe('Only files matching this glob, e.g. "*.py" or "src/**". Default: all files.'),
      max_results: z
        .number()
        .int()
        .min(1)
        .max(MAX_LIST_LIMIT)
        .default(DEFAULT_LIST_LIMIT)
        .describe(`Most paths to return (default ${DEFAULT_LIST_LIMIT}); the rest are only counted.`),
    }),
    async execute({ glob, max_results }, ctx) {
      // Sensitive files are not named: a key file's name can be as telling as its content.
      const exclude = createPathRules(pathRules).isSensitive;
      const { files, moreNotShown, leftOut } = await searcher.listFiles({ include: glob, maxResults: max_results, exclude }, ctx.signal);
      const scope = glob ? ` matching "${glob}"` : '';
      const left = leftOut ? `\n[${plural(leftOut, 'sensitive file')} (keys, .env and the like) not listed.]` : '';
      if (files.length === 0) return `No files${scope} in the workspace (ignored and hidden files are not listed).${left}`;
      const lines = [`${plural(files.length + moreNotShown, 'file')}${scope}:`, ...files];
      if (moreNotShown > 0) lines.push(`[${moreNotShown} more ${moreNotShown === 1 ? 'file' : 'files'} not shown; narrow the glob to see them.]`);
      return lines.join('\n') + left;
    },
  });
