/**
 * The run controller inside a real VS Code: runs against the project's scripted
 * OpenAI-compatible server through the real SDK, with the real settings service, chat history
 * on disk and event fan-out. Only the SecretStorage is the test's own (an extension context is
 * needed for the real one, and the endpoint is local, so no key is read).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent } from '../../../src/agent/events';
import { ChatHistory } from '../../../src/agent/history/chat-history';
import { InMemoryKeyValueStore } from '../../../src/agent/history/key-value-store';
import { silentLogger } from '../../../src/agent/logger';
import { ApiKeyStore } from '../../../src/host/providers/api-key';
import { ProposedContentProvider } from '../../../src/host/approvals/proposed-content';
import { RunController } from '../../../src/host/run/run-controller';
import { Settings } from '../../../src/host/settings/settings';
import { slowTextTurn, startScriptedServer, textTurn, type ScriptedServer } from '../../support/scripted-server';

/** SecretStorage kept in memory: enough for a local endpoint, which needs no key. */
class MemorySecrets implements vscode.SecretStorage {
  readonly #values = new Map<string, string>();
  readonly #changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.#changed.event;
  get(key: string) {
    return Promise.resolve(this.#values.get(key));
  }
  keys() {
    return Promise.resolve([...this.#values.keys()]);
  }
  store(key: string, value: string) {
    this.#values.set(key, value);
    this.#changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string) {
    this.#values.delete(key);
    this.#changed.fire({ key });
    return Promise.resolve();
  }
}

interface Setup {
  readonly server: ScriptedServer;
  readonly controller: RunController;
  readonly events: AgentEvent[];
  readonly dispose: () => Promise<void>;
  readonly history: ChatHistory;
  readonly index: InMemoryKeyValueStore;
  readonly state: InMemoryKeyValueStore;
  readonly dir: string;
}

/** `reuse`: the storage of an earlier setup, as a window reload would find it. */
async function setUp(server: ScriptedServer, reuse?: { index: InMemoryKeyValueStore; state: InMemoryKeyValueStore; dir: string }): Promise<Setup> {
  const config = vscode.workspace.getConfiguration('glassbox');
  const before = config.inspect<string>('baseUrl')?.globalValue;
  await config.update('baseUrl', server.baseURL, vscode.ConfigurationTarget.Global);
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'glassbox-runs-'));
  const index = reuse?.index ?? new InMemoryKeyValueStore();
  const history = new ChatHistory({ dir, index, maxChatBytes: 1 << 20, maxTotalBytes: 1 << 24, indexDelayMs: 0 });
  const state = reuse?.state ?? new InMemoryKeyValueStore();
  const settings = new Settings(() => undefined);
  const proposed = new ProposedContentProvider('glassbox-proposed-test');
  const controller = new RunController({
    settings,
    apiKeys: new ApiKeyStore(new MemorySecrets()),
    logger: silentLogger,
    proposed,
    history: () => history,
    state,
    buildTools: async () => [],
  });
  const events: AgentEvent[] = [];
  const listener = controller.onDidEvent(({ event }) => events.push(event));
  return {
    server,
    controller,
    events,
    history,
    index,
    state,
    dir,
    dispose: async () => {
      await controller.stopAll();
      await history.flush();
      listener.dispose();
      controller.dispose();
      proposed.dispose();
      settings.dispose();
      await config.update('baseUrl', before, vscode.ConfigurationTarget.Global);
    },
  };
}

function runEnd(events: readonly AgentEvent[], timeoutMs = 10_000): Promise<Extract<AgentEvent, { type: 'run-end' }>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const end = events.find((event): event is Extract<AgentEvent, { type: 'run-end' }> => event.type === 'run-end');
      if (end) {
        clearInterval(poll);
        resolve(end);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no run-end within ${timeoutMs} ms; saw ${events.map((e) => e.type).join(', ')}`));
      }
    }, 10);
  });
}

/** The run-end event comes first; the run counts as over once its records are flushed. */
async function whenIdle(controller: RunController): Promise<void> {
  const started = Date.now();
  while (controller.isRunning()) {
    if (Date.now() - started > 2_000) throw new Error('the run stayed "running" 2 s after its run-end event');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('host: run controller', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('answers a question, streams every event, records the chat, and a follow-up sees the first turn', async () => {
    const server = await startScriptedServer([textTurn('Paris.', { promptTokens: 20, completionTokens: 2 }), textTurn('About 2.1 million.')]);
    const setup = await setUp(server);
    cleanups.push(() => server.close(), setup.dispose, () => rmSync(setup.dir, { recursive: true, force: true }));

    const runId = await setup.controller.ask('What is the capital of France?');
    assert.ok(runId);
    const end = await runEnd(setup.events);
    assert.equal(end.reason, 'answered');
    assert.equal(end.answer, 'Paris.');
    assert.equal(setup.events[0].type, 'run-start');
    assert.ok(setup.events.some((event) => event.type === 'text-delta'));
    await whenIdle(setup.controller);

    const state = await setup.controller.chatState();
    assert.equal(state.turns.length, 1);
    assert.equal(state.turns[0].question, 'What is the capital of France?');
    assert.equal(state.runningRunId, undefined);
    assert.equal(state.configured, true, 'a local endpoint needs no key');
    assert.equal(state.totals.inputTokens, 20);
    assert.deepEqual(state.pastChats.map((chat) => chat.id), [state.chatId]);

    setup.events.length = 0;
    assert.ok(await setup.controller.ask('And its population?'), 'a follow-up starts once the first run is over');
    assert.equal((await runEnd(setup.events)).answer, 'About 2.1 million.');
    const sent = server.requests[1].messages.map((message) => `${message.role}:${typeof message.content === 'string' ? message.content : ''}`);
    assert.ok(sent.includes('user:What is the capital of France?'), sent.join(' | '));
    assert.ok(sent.includes('assistant:Paris.'), sent.join(' | '));

    await setup.history.flush();
    const loaded = await setup.history.load(state.chatId);
    assert.equal(loaded.messages.filter((message) => message.role === 'user').length, 2);
  });

  it('Stop ends a slow answer within a second, and only one run goes at a time per chat', async () => {
    const server = await startScriptedServer([slowTextTurn('one two three four five six seven eight nine ten eleven twelve', 400)]);
    const setup = await setUp(server);
    cleanups.push(() => server.close(), setup.dispose, () => rmSync(setup.dir, { recursive: true, force: true }));

    await setup.controller.ask('Count slowly');
    while (!setup.events.some((event) => event.type === 'text-delta')) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(setup.controller.isRunning(), true);
    assert.equal(await setup.controller.ask('Another question meanwhile'), undefined, 'a second run in the same chat is refused');

    const stopped = Date.now();
    await setup.controller.stop();
    const end = await runEnd(setup.events, 2_000);
    assert.equal(end.reason, 'cancelled');
    assert.ok(Date.now() - stopped < 1_000, `stopped after ${Date.now() - stopped} ms`);
    assert.equal(setup.controller.isRunning(), false);
  });

  it('reopens the last chat after a reload, with its turns and conversation', async () => {
    const server = await startScriptedServer([textTurn('Blue.'), textTurn('Still blue.')]);
    const first = await setUp(server);
    cleanups.push(() => server.close(), () => rmSync(first.dir, { recursive: true, force: true }));
    await first.controller.ask('What colour is the sky?');
    await runEnd(first.events);
    await whenIdle(first.controller);
    const chatId = first.controller.current?.chatId;
    await first.dispose();

    const second = await setUp(server, first);
    cleanups.push(second.dispose);
    const restored = await second.controller.restore();
    assert.equal(restored?.chatId, chatId);
    assert.deepEqual(restored?.turns.map((turn) => turn.question), ['What colour is the sky?']);
    await second.controller.ask('Are you sure?');
    await runEnd(second.events);
    const sent = server.requests[1].messages.map((message) => message.role);
    assert.deepEqual(sent.filter((role) => role !== 'system'), ['user', 'assistant', 'user'], 'the restored conversation was sent');
  });

  it('New Chat starts over: the next question opens a new chat without the old turns', async () => {
    const server = await startScriptedServer([textTurn('A.'), textTurn('B.')]);
    const setup = await setUp(server);
    cleanups.push(() => server.close(), setup.dispose, () => rmSync(setup.dir, { recursive: true, force: true }));
    await setup.controller.ask('first');
    await runEnd(setup.events);
    await whenIdle(setup.controller);
    const firstChat = setup.controller.current?.chatId;
    setup.controller.newChat();
    assert.equal((await setup.controller.chatState()).chatId, '');
    setup.events.length = 0;
    await setup.controller.ask('second');
    await runEnd(setup.events);
    assert.notEqual(setup.controller.current?.chatId, firstChat);
    assert.deepEqual(server.requests[1].messages.filter((m) => m.role === 'user').length, 1);
    assert.equal((await setup.controller.chatState()).pastChats.length, 2);
  });
});
