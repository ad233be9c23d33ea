import type { ApprovalRequest } from '../../agent/tool';
import { taintReason } from '../../agent/safety/approval-policy';
import { describeParts } from '../../agent/safety/command-rules';
import { formatBytes, nounFor, plural } from '../../agent/format';

// The words of the approval dialog, built from the request alone. Pure (no `vscode`), so what
// a person reads before saying yes is unit-tested: the exact change or command, why they are
// asked, and the warning when the call follows content from outside their prompt.

export const ALLOW_ONCE = 'Allow once';
export const ALLOW_FOR_CHAT = 'Allow for this chat';
export const DENY = 'Deny';

export interface ApprovalText {
  /** The modal's headline. */
  readonly message: string;
  /** The modal's body: what will happen, why it asks, warnings. */
  readonly detail: string;
  /** The buttons, in order; Escape or closing the dialog means Deny. */
  readonly choices: readonly string[];
}

const RISK_VERB: Readonly<Record<ApprovalRequest['risk'], string>> = {
  read: 'read',
  write: 'change files',
  execute: 'run a command',
  network: 'use the network',
};

export function taintWarning(sources: readonly string[]): string {
  return `This action follows content read from ${joinSources(sources)}: the model may be following instructions hidden in it.`;
}

/**
 * @param allowancePattern the scope "Allow for this chat" would grant (e.g. `src/**`); absent
 *   when that choice is not offered.
 */
export function approvalText(
  request: ApprovalRequest,
  allowancePattern?: string,
  checkpoints?: { readonly maxFileBytes: number },
): ApprovalText {
  const { preview } = request;
  const summary = preview.summary.trim() || `${request.tool} wants to ${RISK_VERB[request.risk]}`;
  const lines: string[] = [];

  const detail = preview.detail.trim();
  if (detail) lines.push(detail);
  // The command and its folder are shown verbatim even when the tool's own detail omits them:
  // that is the one thing a person must see before letting a shell run.
  if (preview.command) {
    if (!detail.includes(preview.command.line)) lines.push(`Command: ${preview.command.line}`);
    if (!detail.includes(preview.command.cwd)) lines.push(`Folder: ${preview.command.cwd}`);
  }
  // The tool's own detail usually states the change size; say it when it does not.
  if (preview.diff && !detail) lines.push(changeSize(preview.diff.before, preview.diff.after));

  const warnings: string[] = [];
  if (request.taintSources && request.taintSources.length > 0) warnings.push(`⚠ ${taintWarning(request.taintSources)}`);
  if (request.protectedPaths && request.protectedPaths.length > 0) {
    warnings.push(`⚠ Protected ${nounFor(request.protectedPaths.length, 'path')}: ${request.protectedPaths.join(', ')}.`);
  }
  if (request.sensitivePaths && request.sensitivePaths.length > 0) {
    warnings.push(`⚠ Sensitive ${nounFor(request.sensitivePaths.length, 'path')} (may hold secrets): ${request.sensitivePaths.join(', ')}.`);
  }
  if (warnings.length > 0) lines.push('', ...warnings);
  if (request.commandParts && request.commandParts.length > 0) {
    lines.push('', 'Commands it runs, and the rule that matched each:', ...describeParts(request.commandParts).map((part) => `• ${part}`));
  }

  // The taint warning above already says why; its reason is not repeated under "Why you are asked".
  const taint = request.taintSources && request.taintSources.length > 0 ? taintReason(request.taintSources) : undefined;
  const reasons = request.reasons.filter((reason) => reason.trim() !== '' && reason !== taint);
  if (reasons.length > 0) lines.push('', 'Why you are asked:', ...reasons.map((reason) => `• ${reason}`));

  if (checkpoints && request.risk === 'execute') lines.push('', restoreCoverage(checkpoints.maxFileBytes));

  const offerAllowance = canAllowForChat(request) && allowancePattern !== undefined;
  lines.push('', `Tool: ${request.tool} (${request.risk})`);
  if (offerAllowance) lines.push(`"${ALLOW_FOR_CHAT}" lets ${request.tool} run on ${allowancePattern} without asking until this chat ends.`);

  return {
    message: `Glassbox: ${summary}`,
    detail: lines.join('\n'),
    choices: offerAllowance ? [ALLOW_ONCE, ALLOW_FOR_CHAT, DENY] : [ALLOW_ONCE, DENY],
  };
}

/** What "Restore to before this step" can undo after a command, said before it runs. */
export function restoreCoverage(maxFileBytes: number): string {
  const limit = formatBytes(maxFileBytes);
  return (
    'A checkpoint is taken first. Restore to before this step brings back: files in this workspace ' +
    `(not ones .gitignore leaves out, nor files over ${limit}). It cannot bring back: anything outside ` +
    'the workspace — other folders, databases, services, packages installed elsewhere, a git push — nor .git folders.'
  );
}

/**
 * Calls that must have a person's yes each time (protected path, taint flag) are never given a
 * standing allowance: the policy would ignore it anyway, and offering it would mislead.
 */
export function canAllowForChat(request: ApprovalRequest): boolean {
  return !request.needsPerson;
}

/** "+3 −1 lines (12 → 14 lines)" or "new file, 12 lines". */
export function changeSize(before: string, after: string): string {
  const beforeLines = countLines(before);
  const afterLines = countLines(after);
  if (before === '') return `New file, ${plural(afterLines, 'line')} (${after.length} characters).`;
  const { added, removed } = lineDelta(before, after);
  return `Change: +${added} −${removed} lines (${beforeLines} → ${afterLines} lines).`;
}

function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length;
  return text.endsWith('\n') ? breaks - 1 : breaks;
}

/**
 * Lines added and removed, by counting lines as a multiset: exact for edits that change,
 * add or remove lines, cheap on big files, and never worse than a count of changed lines.
 */
function lineDelta(before: string, after: string): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const line of before.split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  let added = 0;
  for (const line of after.split('\n')) {
    const left = counts.get(line) ?? 0;
    if (left > 0) counts.set(line, left - 1);
    else added += 1;
  }
  let removed = 0;
  for (const left of counts.values()) removed += left;
  return { added, removed };
}

function joinSources(sources: readonly string[]): string {
  const unique = [...new Set(sources)];
  if (unique.length <= 1) return unique[0] ?? 'outside your prompt';
  if (unique.length <= 3) return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
  return `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more`;
}
