/**
 * Long-term memory inside a real VS Code.
 *
 * The extension's own FactStore is not reachable from here: `activate` exports nothing, adding
 * a fact takes an input box and a quick pick, and forgetting asks with a modal, none of which
 * the extension host can answer. So (1) the extension's memory commands and view are checked
 * as registered and working, and (2) the memory flow runs on the same classes the extension
 * wires together (FactStore as MemoryAccess opens it, the real remember/recall tools, the run
 * controller's recall hook) through the real OpenAI SDK against the scripted model; the forget
 * is the store call the view's Forget makes once confirmed. The clicks themselves (add, the
 * Forget button and its modal) are the `memory-forget` UI scenario.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent, EventOf } from '../../../src/agent/events';
import { ChatHistory } from '../../../src/agent/history/chat-history';
import { InMemoryKeyValueStore } from '../../../src/agent/history/key-value-store';
import { silentLogger } from '../../../src/agent/logger';
import { FactStore } from '../../../src/agent/memory/fact-store';
import { NodeSearcher } from '../../../src/agent/workspace/search/node-searcher';
import { ApiKeyStore } from '../../../src/host/providers/api-key';
import { ProposedContentProvider } from '../../../src/host/approvals/proposed-content';
import { RunController } from '../../../src/host/run/run-controller';
import { Settings } from '../../../src/host/settings/settings';
import { createTools } from '../../../src/tools';
import { startScriptedServer, textTurn, toolCallTurn, type ScriptedServer } from '../../support/scripted-server';

const FACT = 'Integration tests need docker compose up before they run.';
const RELATED_TASK = 'How do I run the integration tests?';

/** Nothing is read from it: the scripted endpoint is local and needs no key. */
const noSecrets: vscode.SecretStorage = {
  onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
  get: () => Promise.resolve(undefined),
  keys: () => Promise.resolve([]),
  store: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

describe('memory: remember, recall, forget', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('the extension registers its memory commands and shows its Memory view', async () => {
    const extension = vscode.extensions.getExtension('glassbox.glassbox');
    assert.ok(extension, 'the Glassbox extension is not loaded');
    await extension.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['glassbox.showMemory', 'glassbox.memory.add', 'glassbox.memory.forget', 'glassbox.forgetAllMemory', 'glassbox.memory.search']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
    // Runs the extension's own command (focusing its tree view): rejects if the view is missing.
    await vscode.commands.executeCommand('glassbox.showMemory');
  });

  it('a remembered fact is recalled for a related task, and after Forget neither the store nor recall has it', async () => {
    const server = await startScriptedServer([
      toolCallTurn('remember', { fact: FACT, tags: ['testing'] }),
      textTurn('Noted.'),
      textTurn('Start docker compose first, then run them.'),
      textTurn('Run them with the test script.'),
    ]);
    cleanups.push(() => server.close());
    const workspaceState = new InMemoryKeyValueStore();
    const globalState = new InMemoryKeyValueStore();
    const settings = new Settings(() => undefined);
    cleanups.push(() => settings.dispose());
    const { memory } = settings.current;
    // As MemoryAccess opens it (no embeddings model is configured by default).
    const openStore = () =>
      new FactStore({ workspace: workspaceState, global: globalState, maxFacts: memory.maxFacts, recallCount: memory.recallCount, recallThreshold: memory.recallThreshold });
    const store = openStore();
    const run = await runner(server, store);
    cleanups.push(run.dispose);

    // 1. The model remembers the fact through the real `remember` tool (auto-approved by default).
    const first = await run.ask('Remember that integration tests need docker compose up.');
    assert.equal(first.end.reason, 'answered');
    const result = first.events.find((e): e is EventOf<'tool-result'> => e.type === 'tool-result' && e.tool === 'remember');
    assert.ok(result?.ok, `remember failed: ${result?.output}`);
    const [fact] = store.list();
    assert.equal(store.size, 1);
    assert.equal(fact.text, FACT);

    // 2. A related task recalls it: the run shows it, and the model is sent it.
    const second = await run.ask(RELATED_TASK);
    const recalled = second.events.find((e): e is EventOf<'memory-recalled'> => e.type === 'memory-recalled');
    assert.deepEqual(recalled?.facts.map((f) => f.id), [fact.id]);
    // (Requests 1 and 2 were the first run's: the remember call, then its answer.)
    assert.ok(systemPromptOf(server, 3).includes(FACT), 'the recalled fact is not in the model request');

    // 3. Forget: what the Memory view's Forget does once its modal is confirmed.
    assert.equal(store.forget(fact.id), true);
    await store.flush();
    assert.equal(store.get(fact.id), undefined);
    assert.equal(store.size, 0);
    assert.deepEqual(await store.recallForTask(RELATED_TASK, new AbortController().signal), []);
    // Saved: a store reopened on the same workspaceState (a window reload) has it gone too.
    assert.equal(openStore().get(fact.id), undefined);

    // 4. The next related run recalls nothing, and the model is not sent the fact.
    const third = await run.ask(RELATED_TASK);
    const recalledAfter = third.events.find((e): e is EventOf<'memory-recalled'> => e.type === 'memory-recalled');
    assert.deepEqual(recalledAfter?.facts ?? [], []);
    assert.ok(!systemPromptOf(server, 4).includes(FACT), 'a forgotten fact was still sent to the model');
  });
});

/** A run controller wired like the extension's: real tools with memory, and its recall hook. */
async function runner(server: ScriptedServer, store: FactStore) {
  const config = vscode.workspace.getConfiguration('glassbox');
  const before = config.inspect<string>('baseUrl')?.globalValue;
  await config.update('baseUrl', server.baseURL, vscode.ConfigurationTarget.Global);
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-memory-'));
  const history = new ChatHistory({ dir, index: new InMemoryKeyValueStore(), maxChatBytes: 1 << 20, maxTotalBytes: 1 << 24, indexDelayMs: 0 });
  const settings = new Settings(() => undefined);
  const proposed = new ProposedContentProvider('glassbox-proposed-memory-test');
  const controller = new RunController({
    settings,
    apiKeys: new ApiKeyStore(noSecrets),
    logger: silentLogger,
    proposed,
    history: () => history,
    state: new InMemoryKeyValueStore(),
    buildTools: async (fs) => createTools({ searcher: new NodeSearcher(fs), memory: store }),
    recall: (current) => (current.memory.recallCount === 0 ? undefined : (task, signal) => store.recallForTask(task, signal)),
  });
  const events: AgentEvent[] = [];
  const listener = controller.onDidEvent(({ event }) => events.push(event));
  return {
    async ask(question: string) {
      const from = events.length;
      const runId = await controller.ask(question);
      assert.ok(runId, `"${question}" did not start`);
      const end = await until(() => events.slice(from).find((e): e is EventOf<'run-end'> => e.type === 'run-end' && e.runId === runId));
      await until(() => !controller.isRunning() || undefined);
      return { end, events: events.slice(from) };
    },
    async dispose() {
      await controller.stopAll();
      listener.dispose();
      controller.dispose();
      proposed.dispose();
      settings.dispose();
      await config.update('baseUrl', before, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The system message of the n-th (1-based) model request. */
function systemPromptOf(server: ScriptedServer, n: number): string {
  const request = server.requests[n - 1];
  assert.ok(request, `no model request #${n} (${server.requests.length} made)`);
  const system = request.messages.find((message) => message.role === 'system');
  return typeof system?.content === 'string' ? system.content : JSON.stringify(system?.content ?? '');
}
