import * as vscode from 'vscode';
import type { ApprovalDecision, ApprovalRequest } from '../../agent/tool';
import type { Logger } from '../../agent/logger';
import { ALLOW_FOR_CHAT, ALLOW_ONCE, approvalText, canAllowForChat } from './approval-text';
import type { ProposedContentProvider } from './proposed-content';

export interface ApprovalDialogDeps {
  readonly proposed: ProposedContentProvider;
  /** The file behind a workspace-relative path, when it exists on disk (left side of the diff). */
  readonly existingFileUri: (path: string) => Promise<vscode.Uri | undefined>;
  /** The "Allow for this chat" scope for a request (approval-policy's allowancePatternFor). */
  readonly allowancePattern: (request: ApprovalRequest) => string | undefined;
  readonly logger: Logger;
  /** Checkpoints are on: a command's dialog says what a restore can and cannot bring back. */
  readonly checkpoints?: { readonly maxFileBytes: number };
}

/**
 * The ApprovalHandler of the extension: a modal dialog the host owns (approvals never travel
 * through a webview, which a page could forge). For writes, the proposed change opens in a
 * diff beside the dialog and closes after. Escape or closing the dialog denies.
 *
 * The decision's `allow-for-chat` carries the pattern; the caller records it in the
 * conversation (see run-controller), since only it knows which chat is running.
 */
export function createApprovalDialog(deps: ApprovalDialogDeps) {
  return async function requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    if (signal.aborted) return { kind: 'deny', reason: 'The run was stopped.' };
    const pattern = canAllowForChat(request) ? deps.allowancePattern(request) : undefined;
    const text = approvalText(request, pattern, deps.checkpoints);
    const diff = request.preview.diff ? await openDiff(deps, request).catch((error: unknown) => {
      deps.logger.warn(`Could not show the proposed change of ${request.tool}: ${String(error)}`);
      return undefined;
    }) : undefined;
    let onStop: (() => void) | undefined;
    try {
      const items: vscode.MessageItem[] = text.choices.map((title) => ({ title, isCloseAffordance: title === 'Deny' }));
      const shown = vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, ...items);
      // A stopped run must not wait on a dialog nobody answers; the dialog itself cannot be
      // closed from here, and its late answer is ignored.
      const stopped = new Promise<'stopped'>((resolve) => {
        onStop = () => resolve('stopped');
        signal.addEventListener('abort', onStop, { once: true });
      });
      const choice = await Promise.race([shown, stopped]);
      if (choice === 'stopped') return { kind: 'deny', reason: 'The run was stopped while the dialog was open.' };
      switch (choice?.title) {
        case ALLOW_ONCE:
          return { kind: 'allow-once', reason: 'Allowed once by you.' };
        case ALLOW_FOR_CHAT:
          if (pattern !== undefined) return { kind: 'allow-for-chat', pattern, reason: `Allowed for this chat on ${pattern} by you.` };
          return { kind: 'allow-once', reason: 'Allowed once by you.' };
        default:
          return { kind: 'deny', reason: 'Denied by you.' };
      }
    } finally {
      if (onStop) signal.removeEventListener('abort', onStop);
      await diff?.close();
    }
  };
}

async function openDiff(deps: ApprovalDialogDeps, request: ApprovalRequest): Promise<{ close: () => Promise<void> } | undefined> {
  const change = request.preview.diff;
  if (!change) return undefined;
  const right = deps.proposed.add(change.path, change.after, 'proposed');
  const existing = change.before === '' ? undefined : await deps.existingFileUri(change.path);
  const left = existing ? undefined : deps.proposed.add(change.path, change.before, 'current');
  const leftUri = existing ?? left?.uri ?? right.uri;
  const title = `${change.path}: proposed by Glassbox (${existing ? 'current ↔ proposed' : 'new file'})`;
  await vscode.commands.executeCommand('vscode.diff', leftUri, right.uri, title, {
    preview: true,
    preserveFocus: true,
    // Beside the editor the person works in; with none open, in the empty editor area.
    viewColumn: vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
  });
  return {
    close: async () => {
      const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) =>
        tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === right.uri.toString(),
      );
      if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
      right.dispose();
      left?.dispose();
    },
  };
}
