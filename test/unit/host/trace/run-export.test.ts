import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgentEvent } from '../../../../src/agent/events';
import { runAsJsonl } from '../../../../src/host/trace/run-export';

test('an exported run is one valid JSON event per line, in order, with secrets redacted', () => {
  const key = `sk-proj-${'a1B2c3D4e5'.repeat(4)}`;
  const events = [
    { type: 'text-delta', text: 'hello', runId: 'r', seq: 0, time: 1, step: 1 },
    { type: 'tool-result', callId: 'c', tool: 'read_file', ok: true, output: `OPENAI_API_KEY=${key}\nother line`, durationMs: 3, truncatedChars: 0, runId: 'r', seq: 1, time: 2, step: 1 },
  ] as AgentEvent[];
  const text = runAsJsonl(events);
  assert.ok(text.endsWith('\n'));
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const parsed = lines.map((line) => JSON.parse(line) as AgentEvent);
  assert.deepEqual(parsed.map((e) => e.seq), [0, 1]);
  assert.ok(!text.includes(key), 'the key is gone');
  assert.match((parsed[1] as Extract<AgentEvent, { type: 'tool-result' }>).output, /redacted/);
  assert.match((parsed[1] as Extract<AgentEvent, { type: 'tool-result' }>).output, /other line/);
});

test('an empty run exports as an empty file', () => {
  assert.equal(runAsJsonl([]), '');
});
