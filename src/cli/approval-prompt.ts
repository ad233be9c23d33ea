import { createInterface, type Interface } from 'node:readline/promises';
import type { ApprovalHandler } from '../agent/safety/approval';
import type { ApprovalDecision, ApprovalRequest } from '../agent/tool';
import { allowancePatternFor, taintReason } from '../agent/safety/approval-policy';
import { redactSecrets } from '../agent/safety/redact';
import { describeParts } from '../agent/safety/command-rules';
import type { ApproveMode } from './args';
import { visibleOneLine } from './terminal-text';

/**
 * The CLI's approval: a y/n prompt on the terminal showing exactly what will happen.
 * `allow` auto-approves by risk (set in the run's approval settings) and still asks a person
 * for protected paths and taint-flagged calls; with no terminal those are refused, saying why.
 *
 * Everything shown is written by the model or the workspace, so control characters are made
 * visible (a `\r` or an erase-line cannot hide part of a command), a command stands on lines of
 * its own, and a write shows what it writes — the changed lines, a page at a time — with
 * secrets redacted (stderr may be logged), a changed secret still shown as a changed line.
 */
export function cliApprovalHandler(
  mode: ApproveMode,
  terminal: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; isTty: boolean },
): ApprovalHandler {
  return async (request, signal) => {
    if (mode === 'deny') return { kind: 'deny', reason: 'risky calls are denied (--approve deny)' };
    if (!terminal.isTty) {
      return {
        kind: 'deny',
        reason: request.needsPerson
          ? `${request.reasons.join('; ')} — this needs a person's yes on a terminal, and stdin is not one`
          : 'no terminal to ask on (stdin is not a TTY)',
      };
    }
    return promptOnTerminal(request, terminal.input, terminal.output, signal);
  };
}

/** Lines of a write's change shown per page before asking whether to see more. */
export const CHANGE_PAGE_LINES = 40;
/** Unchanged lines shown around a change. */
const CONTEXT_LINES = 2;

const shown = (text: string) => visibleOneLine(redactSecrets(text).text);

export function formatApprovalRequest(request: ApprovalRequest): string {
  const { preview } = request;
  const lines = [``, `⚠ ${shown(request.tool)} [${request.risk}] wants to: ${shown(preview.summary)}`];
  if (preview.command) {
    lines.push('    Command, exactly as it will run (control characters shown as \\r, \\x1b, …):');
    for (const line of preview.command.line.split('\n')) lines.push(`    │ ${shown(line)}`);
    lines.push(`    Folder: ${shown(preview.command.cwd)}`);
  }
  if (request.commandParts && request.commandParts.length > 0) {
    lines.push('    Commands it runs, and the rule that matched each:');
    for (const part of describeParts(request.commandParts)) lines.push(`    - ${shown(part)}`);
  }
  for (const line of preview.detail.split('\n')) lines.push(`    ${shown(line)}`);
  // The ⚑ line below says why a tainted call asks; its reason is not printed twice.
  const taint = request.taintSources && request.taintSources.length > 0 ? taintReason(request.taintSources) : undefined;
  for (const reason of request.reasons) if (reason !== taint) lines.push(`  • ${shown(reason)}`);
  if (request.taintSources && request.taintSources.length > 0) {
    lines.push(
      `  ⚑ This action follows content read from ${request.taintSources.map(shown).join(', ')}: ` +
        'the model may be following instructions hidden in it.',
    );
  }
  return lines.join('\n');
}

/**
 * The lines a write changes, as a person reads a diff: `+` what will be written, `-` what goes,
 * a little unchanged context around. Everything between the first and the last changed line
 * is shown, so nothing the write puts in the file is left out.
 */
export function changeLines(request: ApprovalRequest): string[] {
  const diff = request.preview.diff;
  if (!diff) return [];
  // Which lines changed is judged on the real text (a changed secret is a changed line); what
  // is shown is the redacted text. When redaction joins lines (a private key block), both are it.
  const [before, after, shownBefore, shownAfter] = alignedForDisplay(diff.before, diff.after);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const out: string[] = [];
  const from = Math.max(0, head - CONTEXT_LINES);
  if (from > 0) out.push(`      ⋮ (${from} unchanged line${from === 1 ? '' : 's'})`);
  for (let i = from; i < head; i++) out.push(`      ${lineNumber(i + 1)}   ${visibleOneLine(shownBefore[i])}`);
  for (let i = head; i < before.length - tail; i++) out.push(`      ${lineNumber(i + 1)} - ${visibleOneLine(shownBefore[i])}`);
  for (let i = head; i < after.length - tail; i++) out.push(`      ${lineNumber(i + 1)} + ${visibleOneLine(shownAfter[i])}`);
  const contextEnd = Math.min(after.length, after.length - tail + CONTEXT_LINES);
  for (let i = after.length - tail; i < contextEnd; i++) out.push(`      ${lineNumber(i + 1)}   ${visibleOneLine(shownAfter[i])}`);
  if (contextEnd < after.length) out.push(`      ⋮ (${after.length - contextEnd} unchanged line${after.length - contextEnd === 1 ? '' : 's'})`);
  return out;
}

async function promptOnTerminal(
  request: ApprovalRequest,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<ApprovalDecision> {
  output.write(`${formatApprovalRequest(request)}\n`);
  const canAllowForChat = !request.needsPerson;
  const pattern = canAllowForChat ? allowancePatternFor(request.tool, request.preview, request.args) : undefined;
  const choices = pattern ? `[y]es once, [a]llow ${shown(request.tool)} on ${shown(pattern)} for this run, [N]o` : '[y]es, [N]o';
  const rl = createInterface({ input, output, terminal: false });
  try {
    const early = await showChange(request, rl, output, signal);
    const answer = early ?? (await rl.question(`  Allow? ${choices}: `, { signal })).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return { kind: 'allow-once', reason: 'approved on the terminal' };
    if (pattern && (answer === 'a' || answer === 'all')) {
      return { kind: 'allow-for-chat', pattern, reason: 'approved on the terminal for this run' };
    }
    return { kind: 'deny', reason: 'declined on the terminal' };
  } finally {
    rl.close();
  }
}

/** Pages through the change; returns an answer typed before the last page, if any. */
async function showChange(request: ApprovalRequest, rl: Interface, output: NodeJS.WritableStream, signal: AbortSignal): Promise<string | undefined> {
  const lines = changeLines(request);
  if (lines.length === 0) return undefined;
  output.write(`    What will be written (${request.preview.diff?.after === '' ? 'removed lines' : '+ added, - removed'}):\n`);
  for (let start = 0; start < lines.length; start += CHANGE_PAGE_LINES) {
    const page = lines.slice(start, start + CHANGE_PAGE_LINES);
    output.write(`${page.join('\n')}\n`);
    const end = start + page.length;
    if (end >= lines.length) break;
    const reply = (await rl.question(`  -- ${end} of ${lines.length} lines shown; Enter for more, or answer now [y/N]: `, { signal }))
      .trim()
      .toLowerCase();
    if (reply !== '') return reply;
  }
  return undefined;
}

function alignedForDisplay(before: string, after: string): [string[], string[], string[], string[]] {
  const rawBefore = splitLines(before);
  const rawAfter = splitLines(after);
  const redactedBefore = splitLines(redactSecrets(before).text);
  const redactedAfter = splitLines(redactSecrets(after).text);
  if (redactedBefore.length === rawBefore.length && redactedAfter.length === rawAfter.length) {
    return [rawBefore, rawAfter, redactedBefore, redactedAfter];
  }
  return [redactedBefore, redactedAfter, redactedBefore, redactedAfter];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function lineNumber(n: number): string {
  return String(n).padStart(5);
}
