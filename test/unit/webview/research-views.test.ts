import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { TracePrinter } from '../../../src/cli/trace-printer';
import { readFile } from '../../../src/tools/read-file';
import { research } from '../../../src/tools/research';
import { TurnModel, addUsage, type ToolItem } from '../../../src/webview/chat-model';
import { TraceModel, withChildRows, type ToolRow } from '../../../src/webview/trace-model';
import { routed } from '../../support/routed-run';
import { textTurn, toolCallTurn } from '../../support/scripted-server';

/** One real run with a research helper, through the real loop and SDK, for every view to reduce. */
async function helperRun() {
  return routed(
    (role, turn) => {
      if (role.kind === 'parent') {
        if (turn === 0) return toolCallTurn({ id: 'call_r', name: 'research', args: { question: 'What is in notes.txt?' } });
        return textTurn('Notes say: ship it.', { promptTokens: 200, completionTokens: 20 });
      }
      if (turn === 0) return [...toolCallTurn({ id: 'c_read', name: 'read_file', args: { path: 'notes.txt' } }), { kind: 'usage', promptTokens: 50, completionTokens: 5 }];
      return textTurn('notes.txt: "ship it".', { promptTokens: 80, completionTokens: 7 });
    },
    {
      tools: [readFile, research],
      prepare: (ws) => writeFileSync(join(ws, 'notes.txt'), 'ship it\n'),
      price: { inputPerMillion: 1, outputPerMillion: 2 },
    },
  );
}

test('chat: the helper\'s steps and answer nest under the research call, and its spend is the chat\'s', async () => {
  const run = await helperRun();
  const turn = new TurnModel(run.end.runId, 'q');
  const meter = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const event of run.events) {
    turn.apply(event);
    addUsage(meter, event);
  }
  const call = turn.items.find((i): i is ToolItem => i.kind === 'tool' && i.callId === 'call_r');
  assert.ok(call?.child, 'the research call carries its child');
  assert.equal(call.child.turn.question, 'What is in notes.txt?');
  assert.deepEqual(call.child.turn.items.map((i) => (i.kind === 'tool' ? `${i.tool}:${i.result?.ok}` : i.kind)), ['read_file:true']);
  assert.equal(call.child.turn.answer, 'notes.txt: "ship it".');
  assert.equal(call.child.ended?.reason, 'answered');
  // The parent's own items hold only its call: the child's read is not flattened into it.
  assert.deepEqual(turn.items.filter((i) => i.kind === 'tool').map((i) => (i as ToolItem).tool), ['research']);
  assert.equal(turn.answer, 'Notes say: ship it.');
  assert.equal(meter.inputTokens, 200 + 50 + 80 + run.of('usage')[0].inputTokens);
  assert.equal(run.end.totals.inputTokens, meter.inputTokens);
});

test('trace: the research row holds the helper\'s own rows, totals and bars on the parent\'s time axis', async () => {
  const run = await helperRun();
  const trace = new TraceModel();
  for (const event of run.events) trace.apply(event);
  const row = trace.rows.find((r): r is ToolRow => r.kind === 'tool' && r.callId === 'call_r');
  assert.ok(row?.child);
  assert.equal(row.child.trace.runId, run.of('child-started')[0].childRunId);
  assert.deepEqual(row.child.trace.rows.map((r) => r.kind), ['run-start', 'model-call', 'tool', 'model-call', 'text', 'run-end']);
  const childCalls = row.child.trace.rows.filter((r) => r.kind === 'model-call');
  assert.equal(childCalls.length, 2);
  assert.equal(row.child.ended?.totals.inputTokens, 130);
  assert.equal(row.child.trace.totals?.modelCalls, 2);
  // The timeline walks into the child: parent calls + child calls + tools.
  const all = [...withChildRows(trace.rows)];
  assert.equal(all.filter((r) => r.kind === 'model-call').length, 4);
  const childRead = all.find((r): r is ToolRow => r.kind === 'tool' && r.tool === 'read_file');
  assert.ok(childRead && childRead.time >= row.time && (childRead.end ?? 0) <= (row.end ?? 0), 'the child\'s read lies inside its call\'s span');
});

test('CLI: the readable trace indents the helper\'s lines under the research call', async () => {
  const run = await helperRun();
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  const printer = new TracePrinter(sink, false);
  for (const event of run.events) printer.print(event);
  const lines = out.split('\n');
  const started = lines.findIndex((l) => l.includes('Research helper') && l.includes('What is in notes.txt?'));
  const ended = lines.findIndex((l) => /Research helper \S+ ended: answered/.test(l));
  assert.ok(started >= 0 && ended > started, out);
  const inside = lines.slice(started + 1, ended);
  assert.ok(inside.length >= 4);
  for (const line of inside) assert.match(line, /^ {2}│ /, `not indented: ${line}`);
  assert.ok(inside.some((l) => l.startsWith('  │ [step 2] ')), 'the child\'s own steps are shown');
  assert.ok(inside.some((l) => l.includes('→ read_file')));
});
