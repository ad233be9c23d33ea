// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { lastContext, recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { AgentEvent } from '../../../../src/agent/events';
import type { ChatHistory, ChatSummary } from '../../../../src/agent/history/chat-history';
import { silentLogger } from '../../../../src/agent/logger';
import type { ApiKeyStore } from '../../../../src/host/providers/api-key';
import type { ProposedContentProvider } from '../../../../src/host/approvals/proposed-content';
import { RunController } from '../../../../src/host/run/run-controller';
import type { Settings } from '../../../../src/host/settings/settings';
import { parseSettings } from '../../../../src/host/settings/settings-values';
import { delay, errorTurn, startScriptedServer, text, type ScriptedServer } from '../../../support/scripted-server';

/** A history whose flush waits until the test lets it go: a slow disk. */
class SlowHistory {
  readonly #chats = new Map<string, ChatSummary>();
  #release: () => void = () => undefined;
  #gate = new Promise<void>((resolve) => (this.#release = resolve));
  flushes = 0;

  release(): void {
    this.#release();
  }

  list(): ChatSummary[] {
    return [...this.#chats.values()];
  }
  get(id: string): ChatSummary | undefined {
    return this.#chats.get(id);
  }
  async create(title: string): Promise<ChatSummary> {
    const summary: ChatSummary = { id: `chat-${this.#chats.size + 1}`, title, created: 0, updated: 0, messageCount: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, bytes: 0 };
    this.#chats.set(summary.id, summary);
    return summary;
  }
  append(): void {}
  flush(): Promise<void> {
    this.flushes++;
    return this.#gate;
  }
}

const servers: ScriptedServer[] = [];
after(async () => Promise.all(servers.map((server) => server.close())));

async function controllerFor(turns: Parameters<typeof startScriptedServer>[0]) {
  const server = await startScriptedServer(turns);
  servers.push(server);
  const { settings } = parseSettings((key) => ({ baseUrl: server.baseURL, model: 'scripted-model' })[key]);
  const history = new SlowHistory();
  const controller = new RunController({
    settings: { current: settings, onDidChange: () => ({ dispose: () => undefined }) } as unknown as Settings,
    apiKeys: {
      keyForRun: async () => ({ key: 'test-key', usable: true }),
      get: async () => 'test-key',
      onDidChange: () => ({ dispose: () => undefined }),
    } as unknown as ApiKeyStore,
    logger: silentLogger,
    proposed: {} as ProposedContentProvider,
    history: () => history as unknown as ChatHistory,
    state: { get: () => undefined, update: async () => undefined },
    buildTools: async () => [],
  });
  const ends: string[] = [];
  const runEnded = new Map<string, Promise<AgentEvent>>();
  const waiters = new Map<string, (event: AgentEvent) => void>();
  controller.onDidEvent(({ runId, event }) => {
    if (event.type !== 'run-end') return;
    ends.push(runId);
    waiters.get(runId)?.(event);
  });
  const endOf = (runId: string) => {
    let promise = runEnded.get(runId);
    if (!promise) {
      promise = new Promise<AgentEvent>((resolve) => waiters.set(runId, resolve));
      runEnded.set(runId, promise);
    }
    return promise;
  };
  return { controller, history, endOf, ends };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('the running context key goes false at run-end, without waiting for the history to reach the disk', async () => {
  const { controller, history, endOf } = await controllerFor([[delay(50), text('Hello.')]]);
  const runId = await controller.ask('Say hello');
  assert.ok(runId);
  const ended = endOf(runId);
  assert.equal(controller.isRunning(), true);
  assert.equal(lastContext('glassbox.running'), true);

  await ended;
  await settle();
  assert.ok(history.flushes > 0, 'the record is being flushed (and the flush is held)');
  assert.equal(controller.isRunning(), false, 'the run is over for the person');
  assert.equal(controller.runningRunId(), undefined);
  assert.equal(lastContext('glassbox.running'), false, 'Stop disappears from the title bar');
  assert.equal((await controller.chatState()).runningRunId, undefined, 'the view is not told it still runs');
  history.release();
});

test('a question asked while the last run is still being written starts, and that run finishing later leaves it running', async () => {
  const { controller, history, endOf } = await controllerFor([[text('First.')], [delay(300), text('Second.')]]);
  const first = await controller.ask('One');
  assert.ok(first);
  await endOf(first);
  await settle();

  recorded.messages.length = 0;
  const second = await controller.ask('Two');
  assert.ok(second, `the second question was refused: ${recorded.messages.join(' ')}`);
  const secondEnded = endOf(second);

  history.release(); // the first run's record reaches the disk while the second runs
  await settle();
  assert.equal(controller.runningRunId(), second, 'the first run cleaning up must not drop the second');
  assert.equal(lastContext('glassbox.running'), true);

  await secondEnded;
  await settle();
  assert.equal(controller.isRunning(), false);
  assert.equal(lastContext('glassbox.running'), false);
});

test('a restore joins the chat of its run (after its run-end), and the next model request names the files put back', async () => {
  const { controller, history, endOf } = await controllerFor([[text('Done — I added one line.')], [text('Noted.')]]);
  history.release();
  const first = await controller.ask('Add a line to notes.md');
  assert.ok(first);
  await endOf(first);
  await settle();
  const seen: AgentEvent[] = [];
  controller.onDidEvent(({ event }) => seen.push(event));
  const recorded = controller.recordRestore({
    type: 'checkpoint-restored', runId: 'restore', seq: 0, time: Date.now(), step: 2, checkpointId: 'cp-1', undoCheckpointId: 'cp-2',
    changedFiles: 1, failedFiles: 0, leftAloneFiles: 0, durationMs: 1, paths: ['notes.md'],
  }, first);
  assert.ok(recorded, 'the chat holding the run took the restore');
  assert.equal(recorded.runId, first);
  const events = controller.current!.eventsOf(first);
  assert.ok(recorded.seq > events.find((event) => event.type === 'run-end')!.seq, 'it continues the run, after its end');
  assert.equal(seen.length, 1, 'the views are told (chat and trace)');
  assert.equal(controller.recordRestore(recorded, 'no-such-run'), undefined);

  const second = await controller.ask('What next?');
  assert.ok(second);
  await endOf(second);
  const start = controller.current!.eventsOf(second).find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.match(start.task, /restored notes\.md to its content before step 2/);
  assert.match(start.task, /What next\?$/);
  assert.equal(controller.current!.turns.at(-1)?.question, 'What next?', 'the person sees their question, not the note');
  assert.deepEqual(controller.current!.restoresSinceLastRun(), [], 'told once');
});

test('asking before any model is ready starts no run and asks for no key: the chat offers the server running here', async () => {
  const { settings } = parseSettings(() => undefined);
  const ollama = { port: 11434, baseURL: 'http://127.0.0.1:11434/v1', provider: 'ollama' as const, models: [{ id: 'qwen2.5-coder:7b' }] };
  let keyAsked = false;
  const controller = new RunController({
    settings: { current: settings, onDidChange: () => ({ dispose: () => undefined }) } as unknown as Settings,
    apiKeys: {
      keyForRun: async () => {
        keyAsked = true;
        return { key: undefined, usable: false };
      },
      get: async () => undefined,
      onDidChange: () => ({ dispose: () => undefined }),
    } as unknown as ApiKeyStore,
    logger: silentLogger,
    proposed: {} as ProposedContentProvider,
    history: () => new SlowHistory() as unknown as ChatHistory,
    state: { get: () => undefined, update: async () => undefined },
    buildTools: async () => [],
    discover: async () => [ollama],
  });
  controller.chatVisible = true;
  const before = await controller.chatState();
  assert.equal(before.configured, false);
  await controller.setup.settled();
  const runId = await controller.ask('What is this project?');
  assert.equal(runId, undefined);
  assert.equal(keyAsked, false, 'no "needs an API key for OpenAI" prompt');
  const state = await controller.chatState();
  assert.equal(state.setup?.asked, true);
  assert.deepEqual(state.setup?.offers.map((offer) => offer.label), ['Use Ollama at 127.0.0.1:11434 — qwen2.5-coder:7b']);
  assert.equal(state.turns.length, 0, 'no empty chat is left behind');
});

test('a run\'s problem shows in the visible chat, not as a notification, and a later fix takes it away', async () => {
  const server = await startScriptedServer([errorTurn(401, 'Incorrect API key provided')]);
  servers.push(server);
  const { settings } = parseSettings((key) => ({ baseUrl: server.baseURL, model: 'scripted-model' })[key]);
  let settingsChanged: () => void = () => undefined;
  const controller = new RunController({
    settings: { current: settings, onDidChange: (listener: () => void) => ((settingsChanged = listener), { dispose: () => undefined }) } as unknown as Settings,
    apiKeys: { keyForRun: async () => ({ key: 'k', usable: true }), get: async () => 'k', onDidChange: () => ({ dispose: () => undefined }) } as unknown as ApiKeyStore,
    logger: silentLogger,
    proposed: {} as ProposedContentProvider,
    history: () => {
      const history = new SlowHistory();
      history.release();
      return history as unknown as ChatHistory;
    },
    state: { get: () => undefined, update: async () => undefined },
    buildTools: async () => [],
  });
  controller.chatVisible = true;
  recorded.messages.length = 0;
  const ended = new Promise<void>((resolve) => controller.onDidEvent(({ event }) => event.type === 'run-end' && resolve()));
  assert.ok(await controller.ask('Hello?'));
  await ended;
  for (let i = 0; i < 50 && !controller.problem; i++) await settle();
  const state = await controller.chatState();
  assert.match(state.problem?.message ?? '', /rejected the API key/);
  assert.deepEqual(state.problem?.actions, [{ label: 'Set API Key' }]);
  assert.ok(!recorded.messages.some((message) => /rejected the API key/.test(message)), 'no notification that would outlive the fix');
  settingsChanged();
  assert.equal((await controller.chatState()).problem, undefined, 'the new settings resolved it');
});
