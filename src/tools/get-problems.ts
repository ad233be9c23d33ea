import { z } from 'zod';
import type { EditorPort, Problem } from '../agent/editor/editor-port';
import { boundedProblemLines, sortProblems } from '../agent/editor/problem-report';
import { createPathRules, type PathRuleSettings } from '../agent/safety/path-rules';
import { defineTool } from '../agent/tool';
import { plural } from '../agent/format';
import { EDITOR_TOOL_TIMEOUT_MS, LANGUAGE_SERVER_SOURCE, editorPath } from './editor-places';

/** Tokens the listed problems may take; the rest are counted. */
const PROBLEM_LIST_TOKENS = 2_000;
/** A file not yet checked is opened and awaited this long. */
const CHECK_WAIT_MS = 3_000;

/** get_problems: the Problems panel (errors and warnings of the language servers and linters). */
export const getProblems = (editor: EditorPort, pathRules: PathRuleSettings = {}) =>
  defineTool({
    name: 'get_problems',
    description:
      'The editor\'s Problems panel: compile errors, type errors and lint warnings the language servers report, as ' +
      '"path:line:col severity: message source(code)", errors first. Use it to check whether code compiles or what is ' +
      'wrong in a file, instead of searching for errors or running the compiler. Give a file or folder, or nothing for ' +
      'the whole workspace (only files the language servers have checked, usually the open ones).',
    risk: 'read',
    timeoutMs: EDITOR_TOOL_TIMEOUT_MS,
    truncationHint: 'Ask for one file or folder, or errors only, to see the rest.',
    input: z.object({
      path: z.string().min(1).optional().describe('A workspace file or folder; the whole workspace when omitted.'),
      severity: z.enum(['error', 'warning', 'all']).default('all').describe('"error": errors only; "warning": errors and warnings; "all" also adds infos.'),
    }),
    async execute({ path, severity }, ctx) {
      const isSensitive = createPathRules(pathRules).isSensitive;
      let problems: readonly Problem[];
      let scope = 'the workspace';
      let checking = '';
      if (path === undefined) {
        problems = editor.problems({ kind: 'workspace' });
      } else {
        const target = await editorPath(path, ctx, pathRules);
        scope = target;
        const stat = await ctx.fs.stat(target);
        if (stat.kind === 'file' && !editor.snapshot([target]).checked.includes(target)) {
          // A file no language server has looked at yet: open it and wait for their answer.
          const settled = await editor.settledProblems([target], { timeoutMs: CHECK_WAIT_MS, signal: ctx.signal });
          problems = settled.problems;
          if (!settled.settled) checking = ' (the language servers were still checking it; ask again for later results)';
        } else {
          problems = editor.problems({ kind: 'path', path: target });
        }
      }
      const wanted = problems.filter(
        (p) => p.severity !== 'hint' && (severity === 'all' || p.severity === 'error' || (severity === 'warning' && p.severity === 'warning')),
      );
      const shown = wanted.filter((p) => !isSensitive(p.path));
      const leftOut = wanted.length - shown.length;
      const hidden = leftOut > 0 ? `\n[Problems in ${plural(leftOut, 'sensitive file')} (keys, .env and the like) are not shown.]` : '';
      if (shown.length === 0) return { output: `No ${severity === 'error' ? 'errors' : 'problems'} in ${scope}${checking}.${hidden}`, taintSource: LANGUAGE_SERVER_SOURCE };
      const errors = shown.filter((p) => p.severity === 'error').length;
      const warnings = shown.filter((p) => p.severity === 'warning').length;
      const files = new Set(shown.map((p) => p.path)).size;
      const head = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${shown.length > errors + warnings ? `, ${shown.length - errors - warnings} other` : ''} in ${plural(files, 'file')} (${scope})${checking}:`;
      return {
        output: [head, ...boundedProblemLines(sortProblems(shown), PROBLEM_LIST_TOKENS, '')].join('\n') + hidden,
        taintSource: LANGUAGE_SERVER_SOURCE,
      };
    },
  });
