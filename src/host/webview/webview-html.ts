import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

// The one HTML shell of both webviews (chat view, trace panel). The Content Security Policy
// allows nothing by default; scripts run only with this render's fresh nonce (so a script tag
// smuggled in through model text can never run), styles and fonts only from the extension's
// own files, images only from those and data: URIs. No 'unsafe-eval', no 'unsafe-inline'
// script. All text the page shows arrives later as messages; the shell embeds none of it.

export interface WebviewPage {
  readonly title: string;
  /** The bundle under dist/webview/, e.g. `chat.js`. */
  readonly script: string;
  /** Style sheets under media/, e.g. `codicon.css`, `chat.css`. */
  readonly styles: readonly string[];
}

export interface HtmlParts {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUris: readonly string[];
  readonly title: string;
}

/** 128 random bits, base64: unguessable per render. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function buildWebviewHtml(parts: HtmlParts): string {
  const styles = parts.styleUris.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>${escapeText(parts.title)}</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
  </body>
</html>`;
}

/** Options of both webviews: scripts on, and only dist/ and media/ reachable. */
export function webviewOptions(extensionUri: vscode.Uri, joinPath: (base: vscode.Uri, ...segments: string[]) => vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [joinPath(extensionUri, 'dist'), joinPath(extensionUri, 'media')],
  };
}

/** Renders `page` for `webview` with a fresh nonce. */
export function renderWebview(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  joinPath: (base: vscode.Uri, ...segments: string[]) => vscode.Uri,
  page: WebviewPage,
): string {
  return buildWebviewHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    title: page.title,
    scriptUri: webview.asWebviewUri(joinPath(extensionUri, 'dist', 'webview', page.script)).toString(),
    styleUris: page.styles.map((name) => webview.asWebviewUri(joinPath(extensionUri, 'media', name)).toString()),
  });
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
