import { z } from 'zod';
import type { EditorPort } from '../agent/editor/editor-port';
import type { PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, editorPath, positionOf } from './editor-places';
import { placeInput } from './go-to-definition';

/** type_at: what the editor's hover shows for a name. */
export const typeAt = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'type_at',
    description:
      'The type and documentation of a name at a place, as the editor\'s hover shows it: inferred types of variables ' +
      'and return values, full signatures, doc comments. Use it instead of reading definitions when you need to know ' +
      'what type something has, especially an inferred one that is written nowhere.',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'Ask about a narrower name to see less.',
    input: z.object(placeInput),
    async execute({ path, line, symbol }, ctx) {
      const target = await editorPath(path, ctx, pathRules);
      const { position, note } = await positionOf(editor, target, line, symbol, ctx.signal);
      const hovers = await editor.hover(position, ctx.signal);
      const prefix = note ? `${note}\n` : '';
      const text = hovers.map((h) => h.trim()).filter((h) => h.length > 0);
      if (text.length === 0) return { output: `${prefix}The language server has no type information for "${symbol}" at ${target}:${position.line}.`, taintSource: LANGUAGE_SERVER_SOURCE };
      return { output: `${prefix}"${symbol}" at ${target}:${position.line}:${position.column}:\n${text.join('\n\n')}`, taintSource: LANGUAGE_SERVER_SOURCE };
    },
  });
