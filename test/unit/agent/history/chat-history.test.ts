import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatHistory, type ChatHistoryOptions } from '../../../../src/agent/history/chat-history';
import { ChatRecorder, recordRun } from '../../../../src/agent/history/chat-recorder';
import { InMemoryKeyValueStore } from '../../../../src/agent/history/key-value-store';
import { Conversation } from '../../../../src/agent/loop/conversation';
import type { AgentEvent, AgentEventBody, Totals } from '../../../../src/agent/events';
import type { ChatMessage } from '../../../../src/agent/model/model';
import { distTestRoot } from '../../../support/paths';

const MB = 1024 * 1024;
const zeroTotals: Totals = { inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0, toolCalls: 0 };

let seq = 0;
function event(body: AgentEventBody, runId = 'run-1', step = 1): AgentEvent {
  return { ...body, runId, seq: seq++, time: 1_700_000_000_000 + seq, step } as AgentEvent;
}

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'glassbox-history-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function newHistory(dir: string, index = new InMemoryKeyValueStore(), options: Partial<ChatHistoryOptions> = {}) {
  return new ChatHistory({ dir, index, maxChatBytes: 20 * MB, maxTotalBytes: 500 * MB, indexDelayMs: 10, ...options });
}

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

test('a chat written in one session loads whole in the next: messages, events, totals', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const first = newHistory(dir, index);
  const chat = await first.create('Fix the login bug');
  const usage = event({ type: 'usage', inputTokens: 120, outputTokens: 30, estimated: false, costUsd: 0.002, durationMs: 5, totals: zeroTotals });
  const records = [
    event({ type: 'text-delta', text: 'Looking' }),
    usage,
    event({ type: 'final-answer', text: 'Done.' }),
  ];
  first.append(chat.id, { kind: 'message', message: user('Why does login fail?') });
  for (const e of records) first.append(chat.id, { kind: 'event', event: e });
  first.append(chat.id, { kind: 'message', message: assistant('Because the token expired.') });
  const secondUsage = event({ type: 'usage', inputTokens: 10, outputTokens: 5, estimated: false, costUsd: 0.001, durationMs: 5, totals: zeroTotals });
  first.append(chat.id, { kind: 'event', event: secondUsage });
  await first.flush();

  const second = newHistory(dir, index);
  const [summary] = second.list();
  assert.equal(summary.id, chat.id);
  assert.equal(summary.title, 'Fix the login bug');
  assert.equal(summary.messageCount, 2);
  assert.equal(summary.inputTokens, 130);
  assert.equal(summary.outputTokens, 35);
  assert.ok(Math.abs(summary.costUsd - 0.003) < 1e-12);
  assert.equal(summary.bytes, (await fs.stat(join(dir, `${chat.id}.jsonl`))).size);

  const loaded = await second.load(chat.id);
  assert.deepEqual(loaded.messages, [user('Why does login fail?'), assistant('Because the token expired.')]);
  assert.deepEqual(loaded.events.slice(0, 3), records);
  assert.equal(loaded.events.length, 4);
  assert.deepEqual(loaded.warnings, []);
});

test('records appended in one tick keep their order and land in one append', async (t) => {
  const dir = await tempDir(t);
  const history = newHistory(dir);
  const chat = await history.create('order');
  const appendsBefore = (await fs.readFile(join(dir, `${chat.id}.jsonl`), 'utf8')).split('\n').length;
  for (let i = 0; i < 500; i++) history.append(chat.id, { kind: 'message', message: user(`message ${i}`) });
  await history.flush();
  const loaded = await history.load(chat.id);
  assert.deepEqual(loaded.messages.map((m) => m.content), Array.from({ length: 500 }, (_, i) => `message ${i}`));
  const lines = (await fs.readFile(join(dir, `${chat.id}.jsonl`), 'utf8')).split('\n');
  assert.equal(lines.length, appendsBefore + 500);
});

test('the list is newest first and never reads a transcript', async (t) => {
  const dir = await tempDir(t);
  let clock = 1000;
  const history = newHistory(dir, undefined, { now: () => clock });
  const older = await history.create('older');
  clock = 2000;
  const newer = await history.create('newer');
  await fs.rm(join(dir, `${older.id}.jsonl`));
  assert.deepEqual(history.list().map((c) => c.title), ['newer', 'older']);
  clock = 3000;
  history.append(older.id, { kind: 'message', message: user('bump') });
  assert.deepEqual(history.list().map((c) => c.id), [older.id, newer.id]);
});

test('a torn last line is skipped with a warning and the rest is kept; later appends start a new line', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index);
  const chat = await history.create('torn');
  history.append(chat.id, { kind: 'message', message: user('first') });
  history.append(chat.id, { kind: 'message', message: assistant('second') });
  await history.flush();
  const path = join(dir, `${chat.id}.jsonl`);
  await fs.appendFile(path, '{"kind":"message","message":{"role":"user","cont');

  const reopened = newHistory(dir, index);
  const loaded = await reopened.load(chat.id);
  assert.deepEqual(loaded.messages, [user('first'), assistant('second')]);
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0], /Line 4 .*damaged/);

  reopened.append(chat.id, { kind: 'message', message: user('third') });
  await reopened.flush();
  const again = await newHistory(dir, index).load(chat.id);
  assert.deepEqual(again.messages.map((m) => m.content), ['first', 'second', 'third']);
  assert.equal(again.warnings.length, 1, 'only the torn line is lost');
});

test('a file cut mid-line (process killed while writing) loads every whole record before the cut', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index);
  const chat = await history.create('cut');
  for (let i = 0; i < 50; i++) history.append(chat.id, { kind: 'message', message: user(`m${i} ${'x'.repeat(40)}`) });
  await history.flush();
  const path = join(dir, `${chat.id}.jsonl`);
  const text = await fs.readFile(path, 'utf8');
  const lines = text.split('\n');
  // Keep the title line, 30 whole messages, and half of the 31st.
  const keep = lines.slice(0, 31).join('\n').length + 1 + Math.floor(lines[31].length / 2);
  await fs.truncate(path, keep);

  const loaded = await newHistory(dir, index).load(chat.id);
  assert.equal(loaded.messages.length, 30);
  assert.equal(loaded.messages[29].content, `m29 ${'x'.repeat(40)}`);
  assert.equal(loaded.warnings.length, 1);
  assert.equal(loaded.summary.messageCount, 30, 'the index is corrected from the file');
});

test('a writer killed with SIGKILL leaves a transcript that loads, in order, without gaps', async (t) => {
  const dir = await tempDir(t);
  const modulePath = join(distTestRoot, 'src/agent/history/chat-history.js');
  const storePath = join(distTestRoot, 'src/agent/history/key-value-store.js');
  const script = `
    const { ChatHistory } = require(${JSON.stringify(modulePath)});
    const { InMemoryKeyValueStore } = require(${JSON.stringify(storePath)});
    const history = new ChatHistory({ dir: ${JSON.stringify(dir)}, index: new InMemoryKeyValueStore(), maxChatBytes: 1e9, maxTotalBytes: 1e10 });
    history.create('killed').then((chat) => {
      process.stdout.write(chat.id + '\\n');
      let i = 0;
      const tick = () => { for (let k = 0; k < 50; k++) history.append(chat.id, { kind: 'message', message: { role: 'user', content: 'n' + (i++) + ' ' + 'y'.repeat(200) } }); setImmediate(tick); };
      tick();
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chatId = await new Promise<string>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
  const path = join(dir, `${chatId}.jsonl`);
  while (((await fs.stat(path).catch(() => undefined))?.size ?? 0) < 200_000) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  // The index died with the process; rebuild an entry as a host would find it, then load.
  const index = new InMemoryKeyValueStore();
  await index.update('glassbox.history.index', {
    version: 1,
    chats: [{ id: chatId, title: 'killed', created: 0, updated: 0, messageCount: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, bytes: 0 }],
  });
  const loaded = await newHistory(dir, index).load(chatId);
  assert.ok(loaded.messages.length > 500, `only ${loaded.messages.length} messages survived`);
  loaded.messages.forEach((message, i) => assert.equal(message.content, `n${i} ${'y'.repeat(200)}`));
  assert.ok(loaded.warnings.length <= 1);
});

test('a chat over its size cap stops saving events, keeps messages, and says so once', async (t) => {
  const dir = await tempDir(t);
  const history = newHistory(dir, undefined, { maxChatBytes: 4000 });
  const chat = await history.create('big');
  for (let i = 0; i < 100; i++) {
    history.append(chat.id, { kind: 'event', event: event({ type: 'final-answer', text: `answer ${i} ${'z'.repeat(100)}` }) });
  }
  history.append(chat.id, { kind: 'message', message: user('still kept') });
  history.append(chat.id, { kind: 'event', event: event({ type: 'final-answer', text: 'dropped' }) });
  history.append(chat.id, { kind: 'message', message: assistant('also kept') });
  await history.flush();

  const loaded = await history.load(chat.id);
  assert.ok(loaded.events.length > 10 && loaded.events.length < 100, `${loaded.events.length} events`);
  assert.ok(!loaded.events.some((e) => e.type === 'final-answer' && e.text === 'dropped'));
  assert.deepEqual(loaded.messages, [user('still kept'), assistant('also kept')]);
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0], /size limit/);
  const text = await fs.readFile(join(dir, `${chat.id}.jsonl`), 'utf8');
  assert.equal(text.match(/"kind":"capped"/g)?.length, 1);
});

test('over the total cap, whole chats are deleted oldest first and the newest stays', async (t) => {
  const dir = await tempDir(t);
  let clock = 1;
  const history = newHistory(dir, undefined, { maxTotalBytes: 10_000, now: () => clock });
  const ids: string[] = [];
  for (let c = 0; c < 4; c++) {
    clock = 1000 * (c + 1);
    const chat = await history.create(`chat ${c}`);
    ids.push(chat.id);
    for (let i = 0; i < 30; i++) history.append(chat.id, { kind: 'message', message: user(`${c}:${i} ${'w'.repeat(60)}`) });
    await history.flush();
  }
  const left = history.list().map((c) => c.id);
  assert.ok(left.length < 4, 'something was deleted');
  assert.deepEqual(left, ids.slice(4 - left.length).reverse(), 'the survivors are the newest, newest first');
  assert.ok(history.totalBytes() <= 10_000);
  const files = (await fs.readdir(dir)).sort();
  assert.deepEqual(files, left.map((id) => `${id}.jsonl`).sort(), 'deleted chats leave no file');
});

test('the index holds summaries only, never transcript text, and its writes are debounced', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index, { indexDelayMs: 60_000 });
  const chat = await history.create('A title');
  const writesAfterCreate = index.writes;
  for (let i = 0; i < 200; i++) {
    history.append(chat.id, { kind: 'message', message: user(`SECRET-PLAN-${i} the transcript body`) });
    history.append(chat.id, { kind: 'event', event: event({ type: 'text-delta', text: `TRACE-TEXT-${i}` }) });
  }
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(index.writes, writesAfterCreate, 'no index write per record');
  await history.flush();
  assert.equal(index.writes, writesAfterCreate + 1);
  const raw = index.raw('glassbox.history.index') ?? '';
  assert.doesNotMatch(raw, /SECRET-PLAN|TRACE-TEXT|transcript body/);
  assert.match(raw, /A title/);
  assert.ok(raw.length < 400, `index is ${raw.length} bytes for one chat`);
});

test('rename, delete and clear change the index and the files, and survive a reload', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index);
  const a = await history.create('first');
  const b = await history.create('second');
  const c = await history.create('third');
  await history.rename(a.id, 'renamed\nwith a newline');
  await history.delete(b.id);
  assert.deepEqual(newHistory(dir, index).list().map((s) => s.title).sort(), ['renamed with a newline', 'third']);
  await assert.rejects(history.load(b.id), /No chat/);
  await assert.rejects(fs.stat(join(dir, `${b.id}.jsonl`)));
  assert.equal(history.get(c.id)?.title, 'third');

  await fs.writeFile(join(dir, 'chat-orphan-1.jsonl'), '{"kind":"title","title":"lost"}\n');
  await fs.writeFile(join(dir, 'not-ours.txt'), 'keep me');
  await history.clear();
  assert.deepEqual(history.list(), []);
  assert.deepEqual(newHistory(dir, index).list(), []);
  assert.deepEqual(await fs.readdir(dir), ['not-ours.txt']);
  history.append(a.id, { kind: 'message', message: user('late record for a deleted chat') });
  await history.flush();
  assert.deepEqual(await fs.readdir(dir), ['not-ours.txt'], 'a deleted chat is not brought back');
});

test('bad chat ids are refused before they can name a file', async (t) => {
  const history = newHistory(await tempDir(t));
  assert.throws(() => history.append('../escape', { kind: 'title', title: 'x' }), /Invalid chat id/);
  await assert.rejects(history.load('a/b'), /Invalid chat id/);
});

test('secrets are redacted before they reach the transcript or the index', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index);
  const key = `sk-proj-${'A1b2C3d4E5'.repeat(5)}`;
  const chat = await history.create(`use ${key}`);
  history.append(chat.id, { kind: 'message', message: user(`my key is ${key}`) });
  history.append(chat.id, { kind: 'event', event: event({ type: 'tool-call', callId: 'c1', tool: 'run_command', args: { env: { OPENAI_API_KEY: key } }, risk: 'execute' }) });
  await history.flush();
  const file = await fs.readFile(join(dir, `${chat.id}.jsonl`), 'utf8');
  assert.ok(!file.includes(key), 'the file holds no key');
  assert.ok(!(index.raw('glassbox.history.index') ?? '').includes(key), 'the index holds no key');
  const loaded = await history.load(chat.id);
  assert.match(loaded.messages[0].content ?? '', /^my key is /);
});

test('the recorder saves a run so the chat resumes where it was, joining streamed text and honouring rollbacks', async (t) => {
  const dir = await tempDir(t);
  const index = new InMemoryKeyValueStore();
  const history = newHistory(dir, index);
  const chat = await history.create('recorded');
  const conversation = new Conversation(chat.id);
  const recorder = new ChatRecorder(history, chat.id, conversation);

  async function* run(): AsyncIterable<AgentEvent> {
    yield event({ type: 'text-delta', text: 'Hel' });
    yield event({ type: 'text-delta', text: 'lo' });
    conversation.append(user('hi'), assistant('Hello'));
    yield event({ type: 'final-answer', text: 'Hello' });
    conversation.append(user('and then?'));
    yield event({ type: 'tool-call', callId: 'c1', tool: 'read_file', args: { path: 'a.ts' }, risk: 'read' }, 'run-1', 2);
    conversation.truncate(2); // the second turn was cancelled and rolled back
    yield event({ type: 'run-end', reason: 'cancelled', answer: 'Cancelled.', durationMs: 1, steps: 1, totals: zeroTotals });
  }
  const seen: AgentEvent[] = [];
  for await (const e of recordRun(run(), recorder)) seen.push(e);
  assert.equal(seen.length, 5, 'events pass through unchanged');

  const loaded = await newHistory(dir, index).load(chat.id);
  assert.deepEqual(loaded.messages, [user('hi'), assistant('Hello')]);
  assert.deepEqual(loaded.events.map((e) => e.type), ['text-delta', 'final-answer', 'tool-call', 'run-end']);
  assert.equal(loaded.events[0].type === 'text-delta' && loaded.events[0].text, 'Hello');

  // Resuming: a new conversation from the loaded messages records only what comes after.
  const resumed = new Conversation(chat.id, loaded.messages);
  const next = new ChatRecorder(history, chat.id, resumed);
  resumed.append(user('next question'));
  await next.close();
  const final = await history.load(chat.id);
  assert.deepEqual(final.messages.map((m) => m.content), ['hi', 'Hello', 'next question']);
});
