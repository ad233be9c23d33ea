import { z } from 'zod';
import type { EditorLocation, EditorPort } from '../agent/editor/editor-port';
import type { PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { clip, plural } from '../agent/format';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, editorPath, leftOutNote, positionOf, withoutSensitive } from './editor-places';
import { placeInput } from './go-to-definition';

type WorkspaceLocation = Extract<EditorLocation, { kind: 'workspace' }>;

/** find_usages: every reference to one symbol, grouped by file. */
export const findUsages = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'find_usages',
    description:
      'Every place a function, class, type or variable is used, as the editor\'s Find All References finds them: only ' +
      'that symbol (not other things with the same name, not comments or strings), grouped by file with each line. ' +
      'Use it instead of search_text before renaming or changing a symbol\'s signature, to know what else must change.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'Raise max_files or ask about a narrower symbol to see the rest.',
    input: z.object({
      ...placeInput,
      max_files: z.number().int().min(1).max(200).default(30).describe('Most files to list (default 30); the rest are counted.'),
      max_per_file: z.number().int().min(1).max(100).default(10).describe('Most lines to show per file (default 10).'),
    }),
    async execute({ path, line, symbol, max_files, max_per_file }, ctx) {
      const target = await editorPath(path, ctx, pathRules);
      const { position, note } = await positionOf(editor, target, line, symbol, ctx.signal);
      const found = (await editor.references(position, ctx.signal)).map((location) => ({ location }));
      const { kept, leftOut } = withoutSensitive(found, pathRules);
      const prefix = note ? `${note}\n` : '';
      const inside = kept.map((k) => k.location).filter((l): l is WorkspaceLocation => l.kind === 'workspace');
      const external = kept.length - inside.length;
      if (inside.length === 0) {
        return { output: `${prefix}No usages of "${symbol}" found in the workspace.${leftOutNote(leftOut)}`, taintSource: LANGUAGE_SERVER_SOURCE };
      }
      const byFile = new Map<string, WorkspaceLocation[]>();
      for (const location of inside) byFile.set(location.path, [...(byFile.get(location.path) ?? []), location]);
      const files = [...byFile.entries()].sort(([a], [b]) => a.localeCompare(b));
      const parts: string[] = [];
      for (const [file, locations] of files.slice(0, max_files)) {
        const lines = await editor.lines(file, ctx.signal);
        const sorted = [...locations].sort((a, b) => a.line - b.line || a.column - b.column);
        const shown = sorted.slice(0, max_per_file).map((l) => `  ${l.line}: ${clip((lines[l.line - 1] ?? '').trim(), 160)}`);
        const more = sorted.length > shown.length ? [`  … ${sorted.length - shown.length} more in this file`] : [];
        parts.push(`${file} (${sorted.length}):`, ...shown, ...more);
      }
      const moreFiles = files.length > max_files ? `\n[${plural(files.length - max_files, 'more file')} not shown.]` : '';
      const outside = external > 0 ? `\n(${plural(external, 'usage')} outside the workspace, not read.)` : '';
      return {
        output:
          `${prefix}${plural(inside.length, 'usage')} of "${symbol}" in ${plural(files.length, 'file')}:\n${parts.join('\n')}` +
          `${moreFiles}${outside}${leftOutNote(leftOut)}`,
        taintSource: LANGUAGE_SERVER_SOURCE,
      };
    },
  });
