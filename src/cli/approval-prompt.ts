import { createInterface } from 'node:readline/promises';
import type { ApprovalDecision, ApprovalHandler, ApprovalRequest } from '../agent/safety/approval';
import { allowancePatternFor, taintReason } from '../agent/safety/approval-policy';
import type { ApproveMode } from './args';

/**
 * The CLI's approval: a y/n prompt on the terminal showing exactly what will happen.
 * `allow` auto-approves by risk (set in the run's approval settings) and still asks a person
 * for protected paths and taint-flagged calls; with no terminal those are refused, saying why.
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

export function formatApprovalRequest(request: ApprovalRequest): string {
  const lines = [``, `⚠ ${request.tool} [${request.risk}] wants to: ${request.preview.summary}`];
  for (const line of request.preview.detail.split('\n')) lines.push(`    ${line}`);
  // The ⚑ line below says why a tainted call asks; its reason is not printed twice.
  const taint = request.taintSources && request.taintSources.length > 0 ? taintReason(request.taintSources) : undefined;
  for (const reason of request.reasons) if (reason !== taint) lines.push(`  • ${reason}`);
  if (request.taintSources && request.taintSources.length > 0) {
    lines.push(
      `  ⚑ This action follows content read from ${request.taintSources.join(', ')}: ` +
        'the model may be following instructions hidden in it.',
    );
  }
  return lines.join('\n');
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
  const choices = pattern ? `[y]es once, [a]llow ${request.tool} on ${pattern} for this run, [N]o` : '[y]es, [N]o';
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = (await rl.question(`  Allow? ${choices}: `, { signal })).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return { kind: 'allow-once', reason: 'approved on the terminal' };
    if (pattern && (answer === 'a' || answer === 'all')) {
      return { kind: 'allow-for-chat', pattern, reason: 'approved on the terminal for this run' };
    }
    return { kind: 'deny', reason: 'declined on the terminal' };
  } finally {
    rl.close();
  }
}
