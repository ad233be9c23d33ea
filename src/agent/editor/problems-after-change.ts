import { createPathRules, type PathRuleSettings } from '../safety/path-rules';
import { redactSecrets } from '../safety/redact';
import { messageOf } from '../format';
import type { AnyTool, ToolContext, ToolResult } from '../tool';
import type { EditorPort, Problem, ProblemSnapshot } from './editor-port';
import { compareProblems, formatProblemReport, type ProblemReport } from './problem-report';

/** The longest a change waits for the language servers (ends early once they have settled). */
export const PROBLEMS_WAIT_MS = 2_000;
/** A command may change many files; only this many are opened and checked. */
export const MAX_CHECKED_FILES = 10;

export interface ProblemsAfterChangeOptions extends PathRuleSettings {
  readonly timeoutMs?: number;
}

/**
 * Which files a call changes: known from its arguments (a file tool's `path`), or `watch` for a
 * command, whose changed files are noted while it runs.
 */
export type ChangedFiles = ((args: unknown, ctx: ToolContext) => Promise<readonly string[]>) | 'watch';

/**
 * The tool, with what its change did to the Problems panel added to its result: after it ran,
 * the changed files' problems are awaited (bounded, ending once the servers settle) and
 * compared with those before. The comparison also travels as `ToolResult.diagnostics`, which the
 * loop turns into a `diagnostics` event for the chat, the trace and the CLI. Sensitive files
 * are left out (a problem's message can quote the line). A check that fails never fails the
 * change: the person already approved it and it happened.
 */
export function withProblemsAfterChange(
  tool: AnyTool,
  editor: EditorPort,
  changedFiles: ChangedFiles,
  options: ProblemsAfterChangeOptions = {},
): AnyTool {
  const rules = createPathRules(options);
  const timeoutMs = options.timeoutMs ?? PROBLEMS_WAIT_MS;
  // The tool's own timeout must leave room for the wait.
  const toolTimeoutMs = tool.timeoutMs === undefined ? undefined : tool.timeoutMs + timeoutMs;
  return {
    ...tool,
    ...(toolTimeoutMs !== undefined ? { timeoutMs: toolTimeoutMs } : {}),
    async execute(args, ctx) {
      const watcher = changedFiles === 'watch' ? editor.watchChanges() : undefined;
      let known: readonly string[] = [];
      let before: ProblemSnapshot;
      let absent: readonly string[] = [];
      try {
        known = changedFiles === 'watch' ? [] : (await changedFiles(args, ctx)).filter((path) => !rules.isSensitive(path));
        before = editor.snapshot(changedFiles === 'watch' ? 'all' : known);
        // A file that does not exist yet has no problems before: new ones are all new.
        absent = (await Promise.all(known.map(async (path) => ((await ctx.fs.exists(path)) ? undefined : path)))).filter(
          (path): path is string => path !== undefined,
        );
      } catch (error) {
        void watcher?.stop();
        ctx.log.debug(`Problems before ${tool.name} could not be read: ${messageOf(error)}`);
        return tool.execute(args, ctx);
      }

      let result: string | ToolResult;
      try {
        result = await tool.execute(args, ctx);
      } finally {
        known = watcher ? (await watcher.stop()).filter((path) => !rules.isSensitive(path)) : known;
      }
      const { output, taintSource } = typeof result === 'string' ? { output: result, taintSource: undefined } : result;
      const files = known.slice(0, MAX_CHECKED_FILES);
      if (files.length === 0) return result;
      try {
        const after = await editor.settledProblems(files, { timeoutMs, signal: ctx.signal });
        const report = redactReport(
          compareProblems(files, { problems: before.problems, checked: [...before.checked, ...absent] }, after),
        );
        const more = known.length > files.length ? `\n(${known.length - files.length} more changed files were not checked.)` : '';
        return {
          output: `${output}\n\n${formatProblemReport(report)}${more}`,
          ...(taintSource ? { taintSource } : {}),
          diagnostics: report,
        };
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        ctx.log.warn(`Problems after ${tool.name} could not be read: ${messageOf(error)}`);
        return result;
      }
    },
  };
}

/** The paths a file tool changes: its `path` argument, as the workspace names it. */
export const pathArgument: ChangedFiles = async (args, ctx) => {
  const path = (args as { path?: unknown }).path;
  return typeof path === 'string' ? [await ctx.fs.normalize(path)] : [];
};

function redactReport(report: ProblemReport): ProblemReport {
  const clean = (problem: Problem): Problem => ({ ...problem, message: redactSecrets(problem.message).text });
  return { ...report, added: report.added.map(clean), fixed: report.fixed.map(clean) };
}
