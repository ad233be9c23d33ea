import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import type { ParseResult } from '../../shared/protocol';
import { reportFailure } from '../common/report-failure';
import { renderWebview, webviewOptions, type WebviewPage } from './webview-html';

export interface WebviewMessages<M extends { readonly type: string }> {
  /** How the view is named in the log ("Chat view", "Trace panel"). */
  readonly name: string;
  /** The protocol's parser for what this page may send. */
  readonly parse: (raw: unknown) => ParseResult<M>;
  readonly handle: (message: M) => Promise<void>;
  readonly logger: Logger;
}

/**
 * Sets up one of our webviews (the chat view, the trace panel): only dist/ and media/
 * reachable, the page rendered with a fresh nonce, and what the page sends parsed against the
 * protocol before anything acts on it (anything else is dropped and logged). A handler that
 * fails goes through the host's one error path. Dispose the result with the view.
 */
export function hostWebview<M extends { readonly type: string }>(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPage,
  messages: WebviewMessages<M>,
): vscode.Disposable {
  webview.options = webviewOptions(extensionUri, vscode.Uri.joinPath);
  webview.html = renderWebview(webview, extensionUri, vscode.Uri.joinPath, page);
  return webview.onDidReceiveMessage((raw: unknown) => {
    const parsed = messages.parse(raw);
    if (!parsed.ok) {
      messages.logger.warn(`${messages.name}: dropped an invalid message (${parsed.error}).`);
      return;
    }
    messages.handle(parsed.message).catch((error: unknown) => reportFailure(messages.logger, `${messages.name}: "${parsed.message.type}"`, error));
  });
}
