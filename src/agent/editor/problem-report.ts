import { countTextTokens } from '../model/token-estimate';
import { plural } from '../format';
import { formatProblem, type ProblemReport } from '../problems';
import type { Problem, ProblemSeverity, ProblemSnapshot, SettledProblems } from './editor-port';

export { formatProblem, type ProblemReport };

const SEVERITY_ORDER: Readonly<Record<ProblemSeverity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * Compares the problems before and after a change. Problems are matched by what they say
 * (file, severity, source, code, message), not by line: an edit above a problem moves it, and a
 * moved problem is neither new nor fixed. Hints are left out: they are editor styling (unused
 * code greyed), not something the model should act on.
 */
export function compareProblems(files: readonly string[], before: ProblemSnapshot, after: SettledProblems): ProblemReport {
  const visible = (problems: readonly Problem[]) => problems.filter((p) => p.severity !== 'hint');
  const inFiles = (problems: readonly Problem[]) => visible(problems).filter((p) => files.includes(p.path));
  const now = inFiles(after.problems);
  const earlier = inFiles(before.problems);
  const remaining = new Map<string, number>();
  for (const problem of earlier) remaining.set(keyOf(problem), (remaining.get(keyOf(problem)) ?? 0) + 1);
  const added: Problem[] = [];
  for (const problem of now) {
    const key = keyOf(problem);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else added.push(problem);
  }
  const stillThere = new Map<string, number>();
  for (const problem of now) stillThere.set(keyOf(problem), (stillThere.get(keyOf(problem)) ?? 0) + 1);
  const fixed: Problem[] = [];
  for (const problem of earlier) {
    const key = keyOf(problem);
    const left = stillThere.get(key) ?? 0;
    if (left > 0) stillThere.set(key, left - 1);
    else fixed.push(problem);
  }
  return {
    files,
    added: sortProblems(added),
    fixed: sortProblems(fixed),
    errors: now.filter((p) => p.severity === 'error').length,
    warnings: now.filter((p) => p.severity === 'warning').length,
    unknownBefore: files.filter((path) => !before.checked.includes(path)),
    settled: after.settled,
    waitedMs: Math.round(after.waitedMs),
  };
}

function keyOf(problem: Problem): string {
  return JSON.stringify([problem.path, problem.severity, problem.source ?? '', problem.code ?? '', problem.message]);
}

/** Errors first, then warnings…; within a severity by file and line. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.path.localeCompare(b.path) ||
      a.line - b.line ||
      a.column - b.column,
  );
}

/**
 * Lines of problems within `maxTokens`, in the given order (errors first when sorted), then
 * "N more" for what did not fit. At least one line is always kept.
 */
export function boundedProblemLines(problems: readonly Problem[], maxTokens: number, indent = '  '): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const [index, problem] of problems.entries()) {
    const line = `${indent}${formatProblem(problem)}`;
    const cost = countTextTokens(line) + 1;
    if (index > 0 && used + cost > maxTokens) {
      const rest = problems.slice(index);
      const errors = rest.filter((p) => p.severity === 'error').length;
      lines.push(`${indent}… ${rest.length} more${errors > 0 ? ` (${plural(errors, 'error')})` : ''} not shown.`);
      break;
    }
    lines.push(line);
    used += cost;
  }
  return lines;
}

/** Tokens a report may add to a write's result. */
export const PROBLEM_REPORT_TOKENS = 400;

/**
 * The text added to a change's result: new problems and fixed ones, bounded. Nothing changed
 * in a settled check gives one short line, so the model knows it was checked.
 */
export function formatProblemReport(report: ProblemReport, maxTokens = PROBLEM_REPORT_TOKENS): string {
  const files = report.files.length === 1 ? report.files[0] : plural(report.files.length, 'file');
  const totals = `now ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`;
  const unsettled = report.settled ? '' : ` (the language servers had not finished after ${(report.waitedMs / 1000).toFixed(1)} s; get_problems shows later results)`;
  if (report.added.length === 0 && report.fixed.length === 0) {
    return `Problems in ${files}: no new problems, ${totals}${unsettled}.`;
  }
  const lines = [`Problems in ${files} after this change (${totals})${unsettled}:`];
  // Most of the budget to what is new: that is what the model has to act on.
  const newBudget = report.fixed.length > 0 ? Math.floor(maxTokens * 0.75) : maxTokens;
  if (report.added.length > 0) {
    const older = report.unknownBefore.length > 0 ? ` (${report.unknownBefore.join(', ')} had not been checked before, so some may be older)` : '';
    lines.push(`New${older}:`, ...boundedProblemLines(report.added, newBudget));
  }
  if (report.fixed.length > 0) {
    lines.push('Fixed:', ...boundedProblemLines(report.fixed, Math.max(40, maxTokens - newBudget)));
  }
  return lines.join('\n');
}
