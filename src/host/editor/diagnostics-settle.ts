import * as vscode from 'vscode';

/**
 * Waiting for the language servers after a change. VS Code does not say when a server is done
 * with a file; what it does say is each time a file's diagnostics change. So a file counts as
 * settled once its diagnostics have changed after the change and then stayed quiet for
 * QUIET_MS (TypeScript sends syntax, then semantic, then suggestion diagnostics in quick
 * succession), or, for a language no server has reported on, once NO_SERVER_MS have passed
 * without a word (a Markdown file should not cost the whole bound).
 */
export const QUIET_MS = 300;
export const NO_SERVER_MS = 400;

/**
 * Languages with diagnostics: those VS Code ships servers for, plus any seen reporting this
 * session (a linter extension, a Python server), so their files get the whole wait.
 */
const languagesWithDiagnostics = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonc', 'css', 'scss', 'less', 'html']);

export function noteLanguagesWithDiagnostics(): void {
  for (const document of vscode.workspace.textDocuments) {
    if (vscode.languages.getDiagnostics(document.uri).length > 0) languagesWithDiagnostics.add(document.languageId);
  }
}

/** Resolves true once every document has settled, false when `timeoutMs` ran out first. */
export function waitForDiagnostics(
  documents: readonly { readonly uri: vscode.Uri; readonly languageId: string | undefined }[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (documents.length === 0) return Promise.resolve(true);
  const started = performance.now();
  const lastChange = new Map<string, number>();
  const keys = new Set(documents.map((d) => d.uri.toString()));
  return new Promise<boolean>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (settled: boolean) => {
      clearTimeout(timer);
      listener.dispose();
      signal.removeEventListener('abort', onAbort);
      resolve(settled);
    };
    const onAbort = () => finish(false);
    const check = () => {
      const now = performance.now();
      if (now - started >= timeoutMs) return finish(false);
      let wait = 0;
      for (const document of documents) {
        const changed = lastChange.get(document.uri.toString());
        const expectsServer = document.languageId !== undefined && languagesWithDiagnostics.has(document.languageId);
        // Deleted files (no language) have nothing more to say once their entry is gone.
        const remaining = changed !== undefined ? QUIET_MS - (now - changed) : expectsServer ? timeoutMs - (now - started) : NO_SERVER_MS - (now - started);
        wait = Math.max(wait, remaining);
      }
      if (wait <= 0) return finish(true);
      timer = setTimeout(check, Math.min(wait, timeoutMs - (now - started)) + 1);
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      let ours = false;
      for (const uri of event.uris) {
        if (!keys.has(uri.toString())) continue;
        lastChange.set(uri.toString(), performance.now());
        ours = true;
      }
      if (ours) {
        clearTimeout(timer);
        check();
      }
    });
    signal.addEventListener('abort', onAbort, { once: true });
    check();
  });
}
