import { createInterface } from 'node:readline/promises';
import { ConfigurationError } from '../agent/errors';
import { formatPlan, diffPlans } from '../agent/plan/plan';
import type { PlanDecider, PlanDecision, PlanProposal } from '../agent/plan/run-planned';

/**
 * The CLI's answer to a proposed plan. On a terminal the plan is printed (a revision as a
 * difference from the plan before) and the person approves it or rejects it with a reason.
 * Without one it runs only with --approve-plan; otherwise it is printed and the run ends,
 * saying how to run it.
 */
export function cliPlanDecider(
  approvePlan: boolean,
  terminal: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; isTty: boolean },
): PlanDecider {
  return async (proposal, signal) => {
    terminal.output.write(`\n${describeProposal(proposal)}\n`);
    if (approvePlan) {
      terminal.output.write('  Approved (--approve-plan).\n');
      return { kind: 'approve', plan: proposal.plan };
    }
    if (!terminal.isTty) throw new PlanNotApproved();
    return ask(proposal, terminal.input, terminal.output, signal);
  };
}

/** The run ends: the plan was printed, and no one could approve it. */
export class PlanNotApproved extends ConfigurationError {
  constructor() {
    super('The plan was not run: stdin is not a terminal to approve it on. Pass --approve-plan to run it as proposed.');
  }
}

export function describeProposal(proposal: PlanProposal): string {
  const lines = [proposal.revision === 0 ? 'Proposed plan:' : `Revised plan (revision ${proposal.revision})${proposal.why ? ` — ${proposal.why}` : ''}:`];
  lines.push(...formatPlan(proposal.plan).split('\n').map((l) => `  ${l}`));
  if (proposal.replaces) {
    lines.push('  Changes from the plan before:');
    for (const line of diffPlans(proposal.replaces, proposal.plan)) {
      if (line.kind === 'same') continue;
      const mark = line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : '~';
      lines.push(`    ${mark} [${line.id}] ${line.title}${line.before ? ` (was: ${line.before})` : ''}`);
    }
  }
  return lines.join('\n');
}

async function ask(proposal: PlanProposal, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, signal: AbortSignal): Promise<PlanDecision> {
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = (await rl.question('  Run this plan? [y]es, or type why not (the model revises it): ', { signal })).trim();
    if (/^(y|yes)$/i.test(answer)) return { kind: 'approve', plan: proposal.plan };
    return { kind: 'reject', reason: answer === '' || /^(n|no)$/i.test(answer) ? 'The person rejected the plan without a reason.' : answer };
  } finally {
    rl.close();
  }
}
