// Plan first follows the repository's instructions too: the planning run and each step's run
// get the root AGENTS.md in their system prompts, like a plain run.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { INSTRUCTION_NAMES } from '../../../../src/agent/instructions/instruction-settings';
import { runPlannedScripted } from '../../../support/plan-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';

test('a planned run: the planning request and the step\'s request both carry the root instructions', async () => {
  const run = await runPlannedScripted(
    (role, turn) => {
      if (role.kind === 'planning') {
        return turn === 0 ? toolCallTurn('submit_plan', { goal: 'Answer', steps: [{ id: 'look', title: 'Look around', readOnly: true }] }) : textTurn('Plan submitted.');
      }
      return textTurn('Looked.');
    },
    {
      task: 'What is here?',
      instructions: { enabled: true, names: [...INSTRUCTION_NAMES], trustRepository: true },
      prepare: (ws) => writeFileSync(join(ws, 'AGENTS.md'), 'ROOT-AGENTS: be brief.'),
      decidePlan: async (proposal) => ({ kind: 'approve', plan: proposal.plan }),
    },
  );
  assert.equal(run.end.reason, 'answered', run.end.answer);
  const systems = run.requests.map((request) => String(request.messages[0].content));
  assert.ok(systems.length >= 2);
  for (const [i, system] of systems.entries()) assert.match(system, /<instructions file="AGENTS.md" why="root">\nROOT-AGENTS: be brief\./, `request ${i + 1}`);
});
