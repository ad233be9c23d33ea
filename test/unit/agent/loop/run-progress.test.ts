import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunProgress } from '../../../../src/agent/loop/run-progress';
import { defaultLimits } from '../../../../src/agent/loop/run-options';

const call = (name: string, args: unknown) => ({ id: `call_${name}`, name, argumentsJson: JSON.stringify(args) });

test('an answered run answers with the model\'s last text; a turn with only calls does not blank it', () => {
  const progress = new RunProgress();
  progress.noteText('Looking at the file first.');
  progress.noteText('   ');
  assert.equal(progress.answerFor({ reason: 'answered' }, defaultLimits), 'Looking at the file first.');
});

test('a run cut short says why, lists the calls it made (the last ten) and quotes the model\'s last words', () => {
  const progress = new RunProgress();
  for (let i = 1; i <= 12; i++) progress.noteCalls([call('read_file', { path: `f${i}.txt` })]);
  progress.noteText('Still reading.');
  const answer = progress.answerFor({ reason: 'max-steps' }, { ...defaultLimits, maxSteps: 12 });
  const lines = answer.split('\n');
  assert.equal(lines[0], 'Stopped: reached the limit of 12 steps before finishing.');
  assert.equal(lines[1], 'Done so far (12 tool calls):');
  assert.equal(lines[2], '- … 2 earlier call(s)');
  assert.equal(lines[3], '- read_file({"path":"f3.txt"})');
  assert.deepEqual(lines.slice(-3), ['', 'Last message from the model:', 'Still reading.']);
});

test('the calls listed are redacted and clipped; a run without calls says so', () => {
  const progress = new RunProgress();
  assert.equal(progress.answerFor({ reason: 'cancelled' }, defaultLimits), 'Cancelled.\nNo tool calls were made.');
  progress.noteCalls([call('run_command', { command: `curl -H "Authorization: Bearer sk-proj-${'a'.repeat(40)}" ${'x'.repeat(200)}` })]);
  const listed = progress.answerFor({ reason: 'error', detail: 'the endpoint failed' }, defaultLimits).split('\n');
  assert.equal(listed[0], 'The run failed: the endpoint failed');
  assert.ok(!listed[2]!.includes('sk-proj-'), listed[2]);
  assert.ok(listed[2]!.endsWith('…)'), listed[2]);
});
