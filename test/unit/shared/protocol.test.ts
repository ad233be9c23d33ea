import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_LIMITS, parseChatViewMessage, parseTracePanelMessage } from '../../../src/shared/protocol';

test('every chat-view message the UI sends parses', () => {
  const messages = [
    { type: 'ready' },
    { type: 'ask', text: 'Why does the build fail?' },
    { type: 'ask', text: 'Explain this', attachSelection: true },
    { type: 'stop' },
    { type: 'newChat' },
    { type: 'openChat', chatId: 'chat-1' },
    { type: 'renameChat', chatId: 'chat-1', title: 'Build failure' },
    { type: 'deleteChat', chatId: 'chat-1' },
    { type: 'showTrace' },
    { type: 'showTrace', runId: 'run-7' },
    { type: 'openLink', href: 'https://example.com/a?b=c' },
    { type: 'copy', text: '' },
    { type: 'insertCode', code: 'const x = 1;\n' },
    { type: 'revokeAllowance', tool: 'write_file', pattern: 'src/**' },
    { type: 'restoreCheckpoint', checkpointId: 'mx4c1a2b-3f9e01' },
    { type: 'showChanges' },
  ];
  for (const message of messages) {
    const result = parseChatViewMessage(message);
    assert.equal(result.ok, true, `${JSON.stringify(message)} should parse: ${result.ok ? '' : result.error}`);
    if (result.ok) assert.equal(result.message.type, message.type);
  }
});

test('every trace-panel message the UI sends parses', () => {
  for (const message of [
    { type: 'ready' },
    { type: 'selectRun', runId: 'run-1' },
    { type: 'exportRun', runId: 'run-1' },
    { type: 'openLink', href: 'https://example.com' },
    { type: 'restoreCheckpoint', checkpointId: 'mx4c1a2b-3f9e01' },
  ]) {
    assert.equal(parseTracePanelMessage(message).ok, true, JSON.stringify(message));
  }
  assert.equal(parseTracePanelMessage({ type: 'restoreCheckpoint', checkpointId: '' }).ok, false, 'an empty checkpoint id is refused');
});

test('malformed or oversized chat messages are rejected with the offending field named', () => {
  const cases: [unknown, RegExp][] = [
    [null, /message/],
    ['ask', /message/],
    [{}, /type/],
    [{ type: 'launchMissiles' }, /type/],
    [{ type: 'ask' }, /text/],
    [{ type: 'ask', text: '   ' }, /text/],
    [{ type: 'ask', text: 42 }, /text/],
    [{ type: 'ask', text: 'x'.repeat(PROTOCOL_LIMITS.questionChars + 1) }, /text/],
    [{ type: 'ask', text: 'hi', attachSelection: 'yes' }, /attachSelection/],
    [{ type: 'openChat' }, /chatId/],
    [{ type: 'openChat', chatId: '' }, /chatId/],
    [{ type: 'openChat', chatId: 'c'.repeat(PROTOCOL_LIMITS.idChars + 1) }, /chatId/],
    [{ type: 'renameChat', chatId: 'c', title: '' }, /title/],
    [{ type: 'renameChat', chatId: 'c', title: 't'.repeat(PROTOCOL_LIMITS.titleChars + 1) }, /title/],
    [{ type: 'openLink', href: '' }, /href/],
    [{ type: 'copy', text: 'x'.repeat(PROTOCOL_LIMITS.clipboardChars + 1) }, /text/],
    [{ type: 'revokeAllowance', tool: 'write_file' }, /pattern/],
  ];
  for (const [message, field] of cases) {
    const result = parseChatViewMessage(message);
    assert.equal(result.ok, false, `${JSON.stringify(message)?.slice(0, 80)} should be rejected`);
    if (!result.ok) assert.match(result.error, field);
  }
});

test('a trace message is not accepted by the chat view and the reverse', () => {
  assert.equal(parseChatViewMessage({ type: 'selectRun', runId: 'r' }).ok, false);
  assert.equal(parseTracePanelMessage({ type: 'ask', text: 'hi' }).ok, false);
  assert.equal(parseTracePanelMessage({ type: 'exportRun' }).ok, false);
});

test('questions are trimmed before they reach the host', () => {
  const result = parseChatViewMessage({ type: 'ask', text: '  hello \n' });
  assert.ok(result.ok);
  assert.equal(result.message.type === 'ask' && result.message.text, 'hello');
});
