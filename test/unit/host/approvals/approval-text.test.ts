import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApprovalRequest } from '../../../../src/agent/tool';
import { taintReason } from '../../../../src/agent/safety/approval-policy';
import { ALLOW_FOR_CHAT, ALLOW_ONCE, DENY, approvalText, changeSize } from '../../../../src/host/approvals/approval-text';

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    runId: 'run-1',
    callId: 'call-1',
    tool: 'write_file',
    risk: 'write',
    args: { path: 'src/a.ts', content: 'x' },
    preview: { summary: 'Overwrite src/a.ts (+1 −1 lines)', detail: 'Writes 3 lines to src/a.ts.', paths: ['src/a.ts'] },
    reasons: ['write tools need approval'],
    needsPerson: false,
    ...overrides,
  };
}

test('the dialog says what will happen, why it asks, and offers all three choices', () => {
  const text = approvalText(request(), 'src/**');
  assert.equal(text.message, 'Glassbox: Overwrite src/a.ts (+1 −1 lines)');
  assert.match(text.detail, /^Writes 3 lines to src\/a\.ts\./);
  assert.match(text.detail, /Why you are asked:\n• write tools need approval/);
  assert.match(text.detail, /"Allow for this chat" lets write_file run on src\/\*\* without asking/);
  assert.deepEqual(text.choices, [ALLOW_ONCE, ALLOW_FOR_CHAT, DENY]);
});

test('a call following untrusted content carries the exact warning line', () => {
  const text = approvalText(request({ taintSources: ['notes.md'], needsPerson: true }), 'src/**');
  assert.ok(
    text.detail.includes('This action follows content read from notes.md: the model may be following instructions hidden in it.'),
    text.detail,
  );
});

test('the taint sentence is said once, not again under "Why you are asked"', () => {
  // The reasons as the policy builds them for a tainted call.
  const text = approvalText(
    request({ taintSources: ['notes.md'], needsPerson: true, reasons: [taintReason(['notes.md']), 'write tools need approval'] }),
  );
  assert.equal(text.detail.match(/follows content read from notes\.md/g)?.length, 1, text.detail);
  assert.match(text.detail, /Why you are asked:\n• write tools need approval/);
});

test('several taint sources are named, duplicates once', () => {
  const text = approvalText(request({ taintSources: ['a.md', 'https://x.test', 'a.md'], needsPerson: true }));
  assert.ok(text.detail.includes('content read from a.md and https://x.test:'), text.detail);
});

test('requests that need a person every time are never offered a standing allowance', () => {
  const text = approvalText(request({ needsPerson: true, protectedPaths: ['.vscode/settings.json'] }), '.vscode/**');
  assert.deepEqual(text.choices, [ALLOW_ONCE, DENY]);
  assert.doesNotMatch(text.detail, /Allow for this chat/);
  assert.match(text.detail, /Protected path: \.vscode\/settings\.json\./);
});

test('without a proposed scope only Allow once and Deny are offered', () => {
  assert.deepEqual(approvalText(request()).choices, [ALLOW_ONCE, DENY]);
});

test('a command shows its exact line and folder even when the tool detail omits them', () => {
  const text = approvalText(
    request({
      tool: 'run_command',
      risk: 'execute',
      preview: { summary: 'Run a command', detail: 'Runs with /bin/sh.', command: { line: 'npm test -- --grep "x"', cwd: '/ws/app' } },
      reasons: ['commands need approval'],
    }),
    'npm test -- --grep "x"',
  );
  assert.match(text.detail, /Command: npm test -- --grep "x"\nFolder: \/ws\/app/);
});

test('a command already spelled out in the detail is not repeated', () => {
  const text = approvalText(
    request({ tool: 'run_command', risk: 'execute', preview: { summary: 'Run ls', detail: 'Command: ls -la\nFolder: /ws', command: { line: 'ls -la', cwd: '/ws' } } }),
  );
  assert.equal(text.detail.split('ls -la').length - 1, 1);
});

test('sensitive reads are flagged as possibly holding secrets', () => {
  const text = approvalText(request({ tool: 'read_file', risk: 'read', sensitivePaths: ['.env'], preview: { summary: 'Read .env', detail: '' } }));
  assert.match(text.detail, /Sensitive path \(may hold secrets\): \.env\./);
});

test('a write whose tool gave no detail still states the change size, from the diff', () => {
  const diff = { path: 'a.ts', before: 'a\nb\nc\n', after: 'a\nB\nc\nd\n' };
  const text = approvalText(request({ preview: { summary: 'Edit a.ts', detail: '', diff } }));
  assert.match(text.detail, /^Change: \+2 −1 lines \(3 → 4 lines\)\./);
  const described = approvalText(request({ preview: { summary: 'Edit a.ts', detail: 'Replaces 3 lines with 4: 2 added, 1 removed.', diff } }));
  assert.doesNotMatch(described.detail, /Change:/, 'not repeated when the tool already says it');
});

test('change sizes: new files, pure additions, pure removals', () => {
  assert.equal(changeSize('', 'one\ntwo\n'), 'New file, 2 lines (8 characters).');
  assert.equal(changeSize('a\n', 'a\nb\n'), 'Change: +1 −0 lines (1 → 2 lines).');
  assert.equal(changeSize('a\nb\nc', 'a'), 'Change: +0 −2 lines (3 → 1 lines).');
});

test('an empty summary still says which tool wants what', () => {
  const text = approvalText(request({ tool: 'fetch_url', risk: 'network', preview: { summary: ' ', detail: 'GET https://x.test' } }));
  assert.equal(text.message, 'Glassbox: fetch_url wants to use the network');
});

test('with checkpoints on, a command\'s dialog says what a restore can and cannot bring back', () => {
  const command = request({
    tool: 'run_command',
    risk: 'execute',
    args: { command: 'npm run migrate' },
    preview: { summary: 'Run npm run migrate', detail: 'Command: npm run migrate\nFolder: .', command: { line: 'npm run migrate', cwd: '.' } },
  });
  const text = approvalText(command, undefined, { maxFileBytes: 5 * 1024 * 1024 });
  assert.match(text.detail, /Restore to before this step brings back: files in this workspace \(not ones \.gitignore leaves out, nor files over 5 MB\)/);
  assert.match(text.detail, /cannot bring back: anything outside the workspace — other folders, databases, services, packages installed elsewhere, a git push/);
  assert.doesNotMatch(approvalText(command).detail, /Restore to before this step/, 'not said when there are no checkpoints');
  assert.doesNotMatch(approvalText(request(), undefined, { maxFileBytes: 1 }).detail, /Restore to before this step/, 'commands only');
});

test('a command dialog lists every part the line runs and the rule that matched it', () => {
  const commandParts = [
    { text: 'git status', verdict: 'allowed' as const, why: 'allow: git status' },
    { text: 'rm -rf x', verdict: 'denied' as const, why: 'deny: rm' },
  ];
  const { detail } = approvalText(
    request({ tool: 'run_command', risk: 'execute', needsPerson: true, preview: { summary: 'Run', detail: '', command: { line: 'git status && rm -rf x', cwd: '.' } }, commandParts }),
    undefined,
  );
  assert.match(detail, /Commands it runs, and the rule that matched each:\n• git status — allowed \(allow: git status\)\n• rm -rf x — DENIED \(deny: rm\)/);
});
