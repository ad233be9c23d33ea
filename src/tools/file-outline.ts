import { z } from 'zod';
import type { EditorPort, OutlineSymbol } from '../agent/editor/editor-port';
import type { PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { clip, plural } from '../agent/format';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, editorPath } from './editor-places';

/** Outline lines listed; a bigger outline ends with how many were left out. */
const MAX_OUTLINE_LINES = 400;

/** file_outline: a file's declarations as an indented tree, with their lines. */
export const fileOutline = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'file_outline',
    description:
      'The outline of a source file: its classes, functions, methods, interfaces and variables as an indented tree with ' +
      'their line ranges, from the language server. Use it before read_file on a large file, to read only the part you ' +
      'need (read_file with start_line/end_line), instead of reading all of it or searching it.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'Read the part you need with read_file and a line range.',
    input: z.object({
      path: z.string().min(1).describe('Workspace-relative path of the file.'),
      depth: z.number().int().min(1).max(10).default(3).describe('How deep to list nested symbols (default 3).'),
    }),
    async execute({ path, depth }, ctx) {
      const target = await editorPath(path, ctx, pathRules);
      const symbols = await editor.documentSymbols(target, ctx.signal);
      if (symbols.length === 0) return { output: `No outline for ${target}: the language server lists no symbols in it.`, taintSource: LANGUAGE_SERVER_SOURCE };
      // A large file's whole tree would cost more than reading it: shallower until it fits.
      let shown = outlineLines(symbols, depth);
      let used = depth;
      while (shown.lines.length > MAX_OUTLINE_LINES && used > 1) shown = outlineLines(symbols, --used);
      const shallower = used < depth ? ` (to depth ${used}: deeper symbols were left out to fit; ask for a part with read_file)` : '';
      const listed = shown.lines.slice(0, MAX_OUTLINE_LINES);
      const more = shown.lines.length > listed.length ? `\n[${shown.lines.length - listed.length} more symbols not shown.]` : '';
      return {
        output: `Outline of ${target} (${plural(shown.total, 'symbol')}, lines as "start–end")${shallower}:\n${listed.join('\n')}${more}`,
        taintSource: LANGUAGE_SERVER_SOURCE,
      };
    },
  });

/** The outline's lines down to `depth` levels, and how many symbols the file has in all. */
function outlineLines(symbols: readonly OutlineSymbol[], depth: number): { lines: string[]; total: number } {
  const lines: string[] = [];
  let total = 0;
  const walk = (list: readonly OutlineSymbol[], level: number) => {
    for (const symbol of [...list].sort((a, b) => a.line - b.line)) {
      total++;
      if (level < depth) {
        const range = symbol.endLine > symbol.line ? `${symbol.line}–${symbol.endLine}` : `${symbol.line}`;
        const detail = symbol.detail ? ` ${clip(symbol.detail.replace(/\s+/g, ' '), 80)}` : '';
        lines.push(`${'  '.repeat(level)}${symbol.kind} ${symbol.name}${detail} (${range})`);
      }
      walk(symbol.children, level + 1);
    }
  };
  walk(symbols, 0);
  return { lines, total };
}
