// The instructions events as the chat and the trace fold them: one "Using …" item per turn
// gathering every file in the order they joined; a trace row per event with the text sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentEvent, AgentEventBody, InstructionFileUse } from '../../../src/agent/events';
import { describeInstructionFile } from '../../../src/agent/format';
import { TurnModel } from '../../../src/webview/chat-model';
import { TraceModel } from '../../../src/webview/trace-model';

function run(bodies: (AgentEventBody & { step?: number })[]): AgentEvent[] {
  return bodies.map((body, seq) => ({ step: 0, ...body, runId: 'r1', seq, time: 1_000 + seq * 100 }) as AgentEvent);
}

const root: InstructionFileUse = { path: 'AGENTS.md', reason: { kind: 'root' }, tokens: 12, fileTokens: 12, text: 'ROOT' };
const nested: InstructionFileUse = { path: 'src/api/AGENTS.md', reason: { kind: 'nested', for: 'src/api/x.ts' }, tokens: 9, fileTokens: 9, text: 'NESTED' };
const cut: InstructionFileUse = { path: 'CLAUDE.md', reason: { kind: 'root' }, tokens: 4000, fileTokens: 9000, text: 'BIG [… cut]' };

const events = run([
  { type: 'run-start', task: 'q', model: 'm', tools: [], limits: { maxSteps: 5 } as never },
  { type: 'instructions', files: [root, cut], budgetTokens: 4000 },
  { type: 'instructions', step: 2, files: [nested], budgetTokens: 4000, notes: ['.cursorrules: left out'] },
]);

test('the chat gathers every file of the turn into one item, in the order they joined', () => {
  const turn = new TurnModel('r1', 'q');
  for (const event of events) turn.apply(event);
  const items = turn.items.filter((item) => item.kind === 'instructions');
  assert.equal(items.length, 1);
  assert.deepEqual(items[0].kind === 'instructions' && items[0].files.map((f) => f.path), ['AGENTS.md', 'CLAUDE.md', 'src/api/AGENTS.md']);
});

test('the trace has a row per event, with the files, the notes and the text sent', () => {
  const trace = new TraceModel();
  for (const event of events) trace.apply(event);
  const rows = trace.rows.filter((row) => row.kind === 'instructions');
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((row) => row.kind === 'instructions' && [row.step, row.files.map((f) => f.text), row.notes]), [
    [0, ['ROOT', 'BIG [… cut]'], []],
    [2, ['NESTED'], ['.cursorrules: left out']],
  ]);
});

test('each file is described with why and its tokens; a cut one says of how many', () => {
  assert.equal(describeInstructionFile(root), 'AGENTS.md (root, 12 tokens)');
  assert.equal(describeInstructionFile(nested), 'src/api/AGENTS.md (nested for src/api/x.ts, 9 tokens)');
  assert.equal(describeInstructionFile(cut), 'CLAUDE.md (root, 4000 of 9000 tokens, cut)');
  assert.equal(describeInstructionFile({ ...root, path: '.github/instructions/ts.instructions.md', reason: { kind: 'applyTo', glob: 'src/**/*.ts', for: 'src/x.ts' } }), '.github/instructions/ts.instructions.md (applyTo src/**/*.ts for src/x.ts, 12 tokens)');
  assert.equal(describeInstructionFile({ ...root, reason: { kind: 'agent', name: 'reviewer' } }), 'AGENTS.md (agent reviewer, 12 tokens)');
});
