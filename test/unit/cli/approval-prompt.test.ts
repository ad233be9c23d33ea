import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { ApprovalRequest } from '../../../src/agent/tool';
import { taintReason } from '../../../src/agent/safety/approval-policy';
import { cliApprovalHandler } from '../../../src/cli/approval-prompt';

const writeRequest: ApprovalRequest = {
  runId: 'r',
  callId: 'c',
  tool: 'write_file',
  risk: 'write',
  args: { path: 'src/a.ts' },
  preview: { summary: 'Create src/a.ts (3 lines)', detail: 'New file src/a.ts, 3 lines', paths: ['src/a.ts'] },
  reasons: ['write tools need approval'],
  needsPerson: false,
};

async function answer(request: ApprovalRequest, typed: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (d: Buffer) => (shown += d.toString()));
  const decision = cliApprovalHandler('ask', { input, output, isTty: true })(request, new AbortController().signal);
  setImmediate(() => input.write(`${typed}\n`));
  return { decision: await decision, shown };
}

test('the terminal prompt shows exactly what will happen and takes y', async () => {
  const { decision, shown } = await answer(writeRequest, 'y');
  assert.equal(decision.kind, 'allow-once');
  assert.match(shown, /write_file \[write\] wants to: Create src\/a.ts \(3 lines\)/);
  assert.match(shown, /New file src\/a.ts, 3 lines/);
  assert.match(shown, /\[y\]es once, \[a\]llow write_file on src\/\*\* for this run, \[N\]o/);
});

test('anything but yes is a no; "a" allows the tool on the proposed pattern', async () => {
  assert.equal((await answer(writeRequest, '')).decision.kind, 'deny');
  assert.equal((await answer(writeRequest, 'nope')).decision.kind, 'deny');
  const all = (await answer(writeRequest, 'a')).decision;
  assert.deepEqual(all.kind === 'allow-for-chat' ? all.pattern : undefined, 'src/**');
});

test('a taint-flagged call says where the content came from, and offers no blanket allowance', async () => {
  const reasons = [taintReason(['notes.md']), ...writeRequest.reasons];
  const { decision, shown } = await answer({ ...writeRequest, needsPerson: true, taintSources: ['notes.md'], reasons }, 'a');
  assert.equal(decision.kind, 'deny');
  assert.match(shown, /follows content read from notes\.md: the model may be following instructions hidden in it/);
  assert.equal(shown.match(/follows content read from notes\.md/g)?.length, 1, 'the taint sentence is said once');
  assert.doesNotMatch(shown, /\[a\]llow/);
});

test('deny mode and a missing terminal refuse with the reason', async () => {
  const signal = new AbortController().signal;
  const streams = { input: new PassThrough(), output: new PassThrough() };
  assert.match(String((await cliApprovalHandler('deny', { ...streams, isTty: true })(writeRequest, signal)).reason), /--approve deny/);
  const refused = await cliApprovalHandler('allow', { ...streams, isTty: false })({ ...writeRequest, needsPerson: true, reasons: ['.vscode/settings.json is protected'] }, signal);
  assert.equal(refused.kind, 'deny');
  assert.match(String(refused.reason), /protected — this needs a person's yes on a terminal/);
});
