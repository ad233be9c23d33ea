/**
 * What the editor knows, as the core sees it: the language servers' problems, symbols,
 * definitions, usages and hover types, and the person's terminal. The core is plain Node, so
 * this is only an interface; the VS Code host implements it (src/host/editor/) and the CLI has
 * none, so the tools built on it are not offered there.
 *
 * Every path in and out is workspace-relative with `/` separators and every line and column is
 * 1-based, as the model reads them elsewhere. A location outside the workspace (a library's
 * .d.ts, the runtime's lib files) comes back as `external` with a display name and is never
 * read. Every method honours its signal and settles within its own bound (a provider that never
 * answers gives `EditorTimeoutError`, never a hang).
 */
import { ToolError } from '../errors';
import type { Problem } from '../problems';

export type { Problem, ProblemSeverity } from '../problems';

/** Where a symbol is: inside the workspace (a path) or outside it (only named). */
export type EditorLocation =
  | { readonly kind: 'workspace'; readonly path: string; readonly line: number; readonly column: number; readonly endLine: number }
  | {
      readonly kind: 'external';
      /** A short name for it ("node_modules/zod/lib/types.d.ts", "lib.es5.d.ts"); never read. */
      readonly name: string;
      readonly line: number;
    };

export interface WorkspaceSymbol {
  readonly name: string;
  /** "function", "class", "interface", "variable"… */
  readonly kind: string;
  readonly container?: string;
  readonly location: EditorLocation;
}

export interface OutlineSymbol {
  readonly name: string;
  readonly kind: string;
  /** Extra text the server gives (a signature, a type). */
  readonly detail?: string;
  readonly line: number;
  readonly endLine: number;
  readonly children: readonly OutlineSymbol[];
}

/** A position in a workspace file. */
export interface EditorPosition {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** Files whose problems are wanted: one file, a folder (and below), or the whole workspace. */
export type ProblemScope = { readonly kind: 'workspace' } | { readonly kind: 'path'; readonly path: string };

/** Problems of some files at one moment, and which files' problems were known then. */
export interface ProblemSnapshot {
  readonly problems: readonly Problem[];
  /**
   * Files the language servers had checked (open as documents). For any other file an empty
   * list means "not known", not "no problems".
   */
  readonly checked: readonly string[];
}

export interface SettledProblems extends ProblemSnapshot {
  /** False when the bound ran out before every file's language servers had answered. */
  readonly settled: boolean;
  readonly waitedMs: number;
}

/** A finished command in a terminal, read through shell integration. */
export interface TerminalCommand {
  readonly terminal: string;
  readonly command: string;
  readonly cwd?: string;
  readonly exitCode?: number;
  readonly output: string;
}

export interface EditorPort {
  /** The Problems panel for a file, a folder or the workspace, as it stands. */
  problems(scope: ProblemScope): readonly Problem[];
  /** The problems of `paths` (or of every file) now, before a change, and which files were checked. */
  snapshot(paths: readonly string[] | 'all'): ProblemSnapshot;
  /**
   * After `paths` changed: makes sure the language servers look at them (opening them as
   * documents when needed) and waits until their problems have settled, at most `timeoutMs`.
   */
  settledProblems(paths: readonly string[], options: { readonly timeoutMs: number; readonly signal: AbortSignal }): Promise<SettledProblems>;
  /** Workspace symbols matching `query` (the servers' own fuzzy match). */
  workspaceSymbols(query: string, signal: AbortSignal): Promise<readonly WorkspaceSymbol[]>;
  definitions(position: EditorPosition, signal: AbortSignal): Promise<readonly EditorLocation[]>;
  references(position: EditorPosition, signal: AbortSignal): Promise<readonly EditorLocation[]>;
  /** The hover texts at a position (markdown as the server wrote it). */
  hover(position: EditorPosition, signal: AbortSignal): Promise<readonly string[]>;
  documentSymbols(path: string, signal: AbortSignal): Promise<readonly OutlineSymbol[]>;
  /** A workspace file's lines as the editor has them (unsaved changes included). */
  lines(path: string, signal: AbortSignal): Promise<readonly string[]>;
  /**
   * Starts noting which workspace files change (for a command, whose files are not known in
   * advance); `stop` returns them, workspace-relative.
   */
  watchChanges(): { stop(): Promise<readonly string[]> };
  /** The last finished command of the person's active terminal; undefined when none is known. */
  lastTerminalCommand?(signal: AbortSignal): Promise<TerminalCommand | undefined>;
}

/** A language server did not answer within its bound: the model is told, the run goes on. */
export class EditorTimeoutError extends ToolError {
  constructor(readonly what: string, readonly ms: number) {
    super(
      `The language server did not answer ${what} within ${Math.round(ms / 100) / 10} s. ` +
        'It may still be loading the project; try again shortly, or use search_text.',
    );
  }
}
