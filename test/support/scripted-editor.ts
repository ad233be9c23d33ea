/**
 * An EditorPort for unit tests of the core and the tools, over a real folder on disk: a file's
 * problems come from a tiny checker (a `: number = "…"` line is TypeScript's 2322, a `any` a
 * warning), computed from the file as it is when it gets "checked" (opened); navigation answers
 * are given by the test. The real language servers are tested in the extension host
 * (test/integration/suite/editor-port.test.ts); this one lets the loop's side be tested in Node.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  EditorLocation,
  EditorPort,
  EditorPosition,
  OutlineSymbol,
  Problem,
  ProblemScope,
  ProblemSnapshot,
  SettledProblems,
  TerminalCommand,
  WorkspaceSymbol,
} from '../../src/agent/editor/editor-port';

export class ScriptedEditor implements EditorPort {
  /** Files the "language server" has checked, with their problems then. */
  readonly checked = new Map<string, Problem[]>();
  readonly asked: { method: string; position?: EditorPosition; query?: string }[] = [];
  /** What the next settle reports; `false` plays a server that did not finish in time. */
  settles = true;
  /** Files `watchChanges` reports (a command's changes). */
  changedByCommand: string[] = [];
  symbols: WorkspaceSymbol[] = [];
  definitionsAt: EditorLocation[] = [];
  referencesAt: EditorLocation[] = [];
  hovers: string[] = [];
  outline: OutlineSymbol[] = [];
  terminal: TerminalCommand | undefined;

  constructor(private readonly root: string) {}

  /** Marks a file open and checks it as it is on disk now. */
  open(path: string): void {
    this.checked.set(path, this.#check(path));
  }

  problems(scope: ProblemScope): readonly Problem[] {
    const all = [...this.checked.values()].flat();
    if (scope.kind === 'workspace') return all;
    return all.filter((p) => p.path === scope.path || p.path.startsWith(`${scope.path}/`));
  }

  snapshot(paths: readonly string[] | 'all'): ProblemSnapshot {
    const wanted = paths === 'all' ? [...this.checked.keys()] : paths;
    return { problems: wanted.flatMap((p) => this.checked.get(p) ?? []), checked: wanted.filter((p) => this.checked.has(p)) };
  }

  async settledProblems(paths: readonly string[], options: { timeoutMs: number; signal: AbortSignal }): Promise<SettledProblems> {
    options.signal.throwIfAborted();
    this.asked.push({ method: 'settledProblems' });
    for (const path of paths) {
      if (existsSync(join(this.root, path))) this.open(path);
      else this.checked.delete(path);
    }
    return { ...this.snapshot(paths), settled: this.settles, waitedMs: this.settles ? 120 : options.timeoutMs };
  }

  async workspaceSymbols(query: string): Promise<readonly WorkspaceSymbol[]> {
    this.asked.push({ method: 'workspaceSymbols', query });
    return this.symbols;
  }

  async definitions(position: EditorPosition): Promise<readonly EditorLocation[]> {
    this.asked.push({ method: 'definitions', position });
    return this.definitionsAt;
  }

  async references(position: EditorPosition): Promise<readonly EditorLocation[]> {
    this.asked.push({ method: 'references', position });
    return this.referencesAt;
  }

  async hover(position: EditorPosition): Promise<readonly string[]> {
    this.asked.push({ method: 'hover', position });
    return this.hovers;
  }

  async documentSymbols(): Promise<readonly OutlineSymbol[]> {
    return this.outline;
  }

  async lines(path: string): Promise<readonly string[]> {
    return readFileSync(join(this.root, path), 'utf8').split(/\r?\n/);
  }

  watchChanges(): { stop(): Promise<readonly string[]> } {
    return { stop: async () => this.changedByCommand };
  }

  async lastTerminalCommand(): Promise<TerminalCommand | undefined> {
    return this.terminal;
  }

  #check(path: string): Problem[] {
    const file = join(this.root, path);
    if (!existsSync(file) || !path.endsWith('.ts')) return [];
    const problems: Problem[] = [];
    for (const [index, text] of readFileSync(file, 'utf8').split('\n').entries()) {
      const string = /:\s*number\s*=\s*"/.exec(text);
      if (string) {
        problems.push({ path, line: index + 1, column: string.index + 1, severity: 'error', message: "Type 'string' is not assignable to type 'number'.", source: 'ts', code: '2322' });
      }
      const any = /:\s*any\b/.exec(text);
      if (any) problems.push({ path, line: index + 1, column: any.index + 3, severity: 'warning', message: 'Unexpected any.', source: 'eslint', code: 'no-explicit-any' });
    }
    return problems;
  }
}
