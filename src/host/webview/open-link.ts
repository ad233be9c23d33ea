import * as vscode from 'vscode';
import type { Logger } from '../../agent/logger';
import { isOpenableLink } from './link-rules';

/**
 * Opens a link a person clicked in a webview, in the browser, for http(s) only: a page
 * rendering model text must not be able to launch `command:`, `file:` or `vscode:` URIs.
 */
export async function openLinkSafely(href: string, logger: Logger): Promise<boolean> {
  if (!isOpenableLink(href)) {
    logger.warn(`Refused to open a link that is not http(s): ${href.slice(0, 200)}`);
    void vscode.window.showWarningMessage('Glassbox only opens http and https links.');
    return false;
  }
  return vscode.env.openExternal(vscode.Uri.parse(href, true));
}
