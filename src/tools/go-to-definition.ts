import { z } from 'zod';
import type { EditorPort } from '../agent/editor/editor-port';
import type { PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { plural } from '../agent/format';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, editorPath, formatLocation, leftOutNote, numberedLines, positionOf, withoutSensitive } from './editor-places';

/** Lines shown before and after each definition. */
const CONTEXT_LINES = 3;
/** Definitions shown with their lines; the rest are only named. */
const MAX_WITH_CONTEXT = 5;

export const placeInput = {
  path: z.string().min(1).describe('Workspace-relative file where the name appears.'),
  line: z.number().int().min(1).describe('1-based line where the name appears (as read_file or search_text show it).'),
  symbol: z.string().min(1).max(200).describe('The name as written on that line, e.g. "parseConfig"; the column is found from it.'),
};

/** go_to_definition: from a use of a name to where it is defined, through imports. */
export const goToDefinition = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'go_to_definition',
    description:
      'Jump from a name used in a file to its definition, the way the editor\'s Go to Definition does: follows imports, ' +
      're-exports and overloads exactly, and returns each definition\'s "path:line" with a few lines around it. Use it ' +
      'instead of search_text when you know where a name is used and want where it is defined (search_text would also ' +
      'find same-named things elsewhere). Definitions outside the workspace (libraries) are named, not read.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    input: z.object(placeInput),
    async execute({ path, line, symbol }, ctx) {
      const target = await editorPath(path, ctx, pathRules);
      const { position, note } = await positionOf(editor, target, line, symbol, ctx.signal);
      const found = (await editor.definitions(position, ctx.signal)).map((location) => ({ location }));
      const { kept, leftOut } = withoutSensitive(found, pathRules);
      const prefix = note ? `${note}\n` : '';
      if (kept.length === 0) {
        return { output: `${prefix}No definition found for "${symbol}" at ${target}:${position.line}.${leftOutNote(leftOut)}`, taintSource: LANGUAGE_SERVER_SOURCE };
      }
      const parts: string[] = [];
      for (const [index, { location }] of kept.entries()) {
        if (location.kind === 'external' || index >= MAX_WITH_CONTEXT) {
          parts.push(formatLocation(location));
          continue;
        }
        const lines = await editor.lines(location.path, ctx.signal);
        parts.push(`${formatLocation(location)}:\n${numberedLines(lines, location.line - CONTEXT_LINES, location.endLine + CONTEXT_LINES)}`);
      }
      return {
        output: `${prefix}${plural(kept.length, 'definition')} of "${symbol}" (${target}:${position.line}:${position.column}):\n${parts.join('\n\n')}${leftOutNote(leftOut)}`,
        taintSource: LANGUAGE_SERVER_SOURCE,
      };
    },
  });
