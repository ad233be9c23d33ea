import * as vscode from 'vscode';
import { CancelledError } from '../../agent/errors';
import {
  EditorTimeoutError,
  type EditorLocation,
  type EditorPort,
  type EditorPosition,
  type OutlineSymbol,
  type Problem,
  type ProblemScope,
  type ProblemSeverity,
  type ProblemSnapshot,
  type SettledProblems,
  type TerminalCommand,
  type WorkspaceSymbol,
} from '../../agent/editor/editor-port';
import type { VscodeWorkspaceFs } from '../workspace/vscode-workspace-fs';
import { waitForDiagnostics, noteLanguagesWithDiagnostics } from './diagnostics-settle';
import { EditorPaths } from './editor-paths';
import type { TerminalReader } from './terminal-reader';

/** How long one language-server request may take before the tool is told it did not answer. */
export const LANGUAGE_SERVER_TIMEOUT_MS = 8_000;
/** A command's changed files arrive from the file watcher a little after it ends. */
const WATCH_GRACE_MS = 300;

export interface VscodeEditorPortOptions {
  readonly requestTimeoutMs?: number;
  readonly terminal?: TerminalReader;
}

/**
 * The editor port over VS Code's own commands (`vscode.executeDefinitionProvider` and the
 * like), which ask every language server registered for the file, and over
 * `vscode.languages.getDiagnostics`, the Problems panel's source. Paths are confined by the
 * workspace file system before any URI is made.
 */
export class VscodeEditorPort implements EditorPort {
  readonly #paths = new EditorPaths();
  readonly #timeoutMs: number;

  constructor(
    private readonly fs: VscodeWorkspaceFs,
    options: VscodeEditorPortOptions = {},
  ) {
    this.#timeoutMs = options.requestTimeoutMs ?? LANGUAGE_SERVER_TIMEOUT_MS;
    if (options.terminal) this.lastTerminalCommand = (signal) => options.terminal!.lastCommand(signal);
  }

  lastTerminalCommand?: (signal: AbortSignal) => Promise<TerminalCommand | undefined>;

  problems(scope: ProblemScope): readonly Problem[] {
    const all = this.#allProblems();
    if (scope.kind === 'workspace') return all;
    const prefix = scope.path === '.' ? '' : `${scope.path.replace(/\/+$/, '')}/`;
    return all.filter((p) => p.path === scope.path || prefix === '' || p.path.startsWith(prefix));
  }

  snapshot(paths: readonly string[] | 'all'): ProblemSnapshot {
    const checked = this.#checkedPaths();
    if (paths === 'all') return { problems: this.#allProblems(), checked: [...checked] };
    const wanted = new Set(paths);
    return { problems: this.#allProblems().filter((p) => wanted.has(p.path)), checked: paths.filter((p) => checked.has(p)) };
  }

  async settledProblems(paths: readonly string[], options: { timeoutMs: number; signal: AbortSignal }): Promise<SettledProblems> {
    const started = performance.now();
    noteLanguagesWithDiagnostics();
    const documents: { uri: vscode.Uri; languageId: string | undefined }[] = [];
    const shown = this.#shownPaths();
    for (const path of paths) {
      const uri = await this.fs.uriOf(path);
      const document = (await this.fs.exists(path)) ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : undefined;
      // TypeScript checks only files shown in a tab (unless project diagnostics are on), so a
      // changed file is shown, as a preview that keeps the focus where the person has it.
      if (document && !shown.has(path)) {
        await vscode.window.showTextDocument(document, { preview: paths.length === 1, preserveFocus: true }).then(undefined, () => undefined);
      }
      documents.push({ uri, languageId: document?.languageId });
    }
    const settled = await waitForDiagnostics(documents, Math.max(0, options.timeoutMs - (performance.now() - started)), options.signal);
    if (options.signal.aborted) throw new CancelledError();
    const wanted = new Set(paths);
    const checked = this.#checkedPaths();
    return {
      problems: this.#allProblems().filter((p) => wanted.has(p.path)),
      checked: paths.filter((p) => checked.has(p)),
      settled,
      waitedMs: performance.now() - started,
    };
  }

  async workspaceSymbols(query: string, signal: AbortSignal): Promise<readonly WorkspaceSymbol[]> {
    const found = await this.#ask<vscode.SymbolInformation[] | undefined>('for workspace symbols', signal, 'vscode.executeWorkspaceSymbolProvider', query);
    return (found ?? []).map((symbol) => ({
      name: symbol.name,
      kind: kindName(symbol.kind),
      ...(symbol.containerName ? { container: symbol.containerName } : {}),
      location: this.#paths.locationOf(symbol.location.uri, symbol.location.range),
    }));
  }

  async definitions(position: EditorPosition, signal: AbortSignal): Promise<readonly EditorLocation[]> {
    const { uri, at } = await this.#position(position);
    const found = await this.#ask<(vscode.Location | vscode.LocationLink)[] | undefined>('for definitions', signal, 'vscode.executeDefinitionProvider', uri, at);
    return (found ?? []).map((item) => this.#location(item));
  }

  async references(position: EditorPosition, signal: AbortSignal): Promise<readonly EditorLocation[]> {
    const { uri, at } = await this.#position(position);
    const found = await this.#ask<vscode.Location[] | undefined>('for usages', signal, 'vscode.executeReferenceProvider', uri, at);
    return (found ?? []).map((item) => this.#location(item));
  }

  async hover(position: EditorPosition, signal: AbortSignal): Promise<readonly string[]> {
    const { uri, at } = await this.#position(position);
    const found = await this.#ask<vscode.Hover[] | undefined>('with hover information', signal, 'vscode.executeHoverProvider', uri, at);
    return (found ?? []).flatMap((hover) => hover.contents.map(hoverText));
  }

  async documentSymbols(path: string, signal: AbortSignal): Promise<readonly OutlineSymbol[]> {
    const uri = await this.fs.uriOf(path);
    await vscode.workspace.openTextDocument(uri);
    const found = await this.#ask<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>(
      'with the outline',
      signal,
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    return (found ?? []).map(outlineOf);
  }

  async lines(path: string, signal: AbortSignal): Promise<readonly string[]> {
    const uri = await this.fs.uriOf(path);
    const document = await vscode.workspace.openTextDocument(uri);
    signal.throwIfAborted();
    return document.getText().split(/\r?\n/);
  }

  watchChanges(): { stop(): Promise<readonly string[]> } {
    const changed = new Set<string>();
    const watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*')));
    const note = (uri: vscode.Uri) => {
      const path = this.#paths.workspacePathOf(uri);
      if (path !== undefined && !path.split('/').some((segment) => segment === '.git')) changed.add(path);
    };
    const listeners = watchers.flatMap((watcher) => [watcher.onDidChange(note), watcher.onDidCreate(note), watcher.onDidDelete(note)]);
    return {
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, WATCH_GRACE_MS));
        for (const disposable of [...listeners, ...watchers]) disposable.dispose();
        // Folders come as changes too; only files have problems.
        const files: string[] = [];
        for (const path of changed) if ((await this.fs.stat(path).then((s) => s.kind, () => 'file')) === 'file') files.push(path);
        return files.sort();
      },
    };
  }

  async #position(position: EditorPosition): Promise<{ uri: vscode.Uri; at: vscode.Position }> {
    const uri = await this.fs.uriOf(position.path);
    // The providers answer for documents VS Code has loaded; loading it is what the editor does too.
    await vscode.workspace.openTextDocument(uri);
    return { uri, at: new vscode.Position(position.line - 1, position.column - 1) };
  }

  #location(item: vscode.Location | vscode.LocationLink): EditorLocation {
    return 'targetUri' in item ? this.#paths.locationOf(item.targetUri, item.targetSelectionRange ?? item.targetRange) : this.#paths.locationOf(item.uri, item.range);
  }

  /** A command under the request bound and the caller's signal: a server that never answers costs at most the bound. */
  async #ask<T>(what: string, signal: AbortSignal, command: string, ...args: unknown[]): Promise<T> {
    signal.throwIfAborted();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EditorTimeoutError(what, this.#timeoutMs)), this.#timeoutMs);
      onAbort = () => reject(new CancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)), bound]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
      bound.catch(() => undefined);
    }
  }

  #allProblems(): Problem[] {
    const problems: Problem[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const path = this.#paths.workspacePathOf(uri);
      if (path === undefined) continue;
      for (const diagnostic of diagnostics) problems.push(problemOf(path, diagnostic));
    }
    return problems;
  }

  /**
   * Files whose problems are known: those shown in a tab (every server checks them) and those
   * with problems reported (a server that checks more than the open files).
   */
  #checkedPaths(): Set<string> {
    const checked = this.#shownPaths();
    for (const [uri] of vscode.languages.getDiagnostics()) {
      const path = this.#paths.workspacePathOf(uri);
      if (path !== undefined) checked.add(path);
    }
    return checked;
  }

  #shownPaths(): Set<string> {
    const shown = new Set<string>();
    for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
      const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
      const path = uri && this.#paths.workspacePathOf(uri);
      if (path !== undefined) shown.add(path);
    }
    return shown;
  }
}

const SEVERITIES: Readonly<Record<vscode.DiagnosticSeverity, ProblemSeverity>> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function problemOf(path: string, diagnostic: vscode.Diagnostic): Problem {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    path,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    severity: SEVERITIES[diagnostic.severity],
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined && code !== '' ? { code: String(code) } : {}),
  };
}

function kindName(kind: vscode.SymbolKind): string {
  const name = vscode.SymbolKind[kind] ?? 'symbol';
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function hoverText(content: vscode.MarkdownString | vscode.MarkedString): string {
  if (typeof content === 'string') return content;
  if (content instanceof vscode.MarkdownString) return content.value;
  return `\`\`\`${content.language}\n${content.value}\n\`\`\``;
}

function outlineOf(symbol: vscode.DocumentSymbol | vscode.SymbolInformation): OutlineSymbol {
  if ('children' in symbol) {
    return {
      name: symbol.name,
      kind: kindName(symbol.kind),
      ...(symbol.detail ? { detail: symbol.detail } : {}),
      line: symbol.range.start.line + 1,
      endLine: symbol.range.end.line + 1,
      children: symbol.children.map(outlineOf),
    };
  }
  return { name: symbol.name, kind: kindName(symbol.kind), line: symbol.location.range.start.line + 1, endLine: symbol.location.range.end.line + 1, children: [] };
}
