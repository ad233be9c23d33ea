// A contract: what the editor's problems look like wherever they travel (the editor port, the
// tool results, the `diagnostics` event, the views). It imports nothing.

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One entry of the Problems panel. */
export interface Problem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** Who reported it: "ts", "eslint", "json"… */
  readonly source?: string;
  /** The rule or error code: "2322", "no-unused-vars". */
  readonly code?: string;
}

/** What a change did to the problems of the files it touched. Carried by `diagnostics` events. */
export interface ProblemReport {
  /** The files looked at (the ones the change touched). */
  readonly files: readonly string[];
  /** Problems there now that were not there before (errors first). */
  readonly added: readonly Problem[];
  /** Problems there before that the change made go away. */
  readonly fixed: readonly Problem[];
  /** Every problem in those files now, by severity. */
  readonly errors: number;
  readonly warnings: number;
  /** Files the editor had not checked before the change: their "new" problems may be older. */
  readonly unknownBefore: readonly string[];
  /** False when the wait ran out before the language servers had answered for every file. */
  readonly settled: boolean;
  readonly waitedMs: number;
}

/** `src/a.ts:3:14 error: Type 'string' is not assignable to type 'number'. ts(2322)` */
export function formatProblem(problem: Problem): string {
  const code = problem.source || problem.code ? ` ${problem.source ?? ''}${problem.code ? `(${problem.code})` : ''}` : '';
  const message = problem.message.replace(/\s*\n\s*/g, ' ');
  return `${problem.path}:${problem.line}:${problem.column} ${problem.severity}: ${message}${code}`;
}
