// Must come first: it makes `require('vscode')` in the host modules return a recording fake.
import { recorded } from '../../../support/fake-vscode';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { endpointProblemOf, readableEndpointMessage } from '../../../../src/agent/model/endpoint-problem';
import type { ChatHistory, ChatSummary } from '../../../../src/agent/history/chat-history';
import { silentLogger } from '../../../../src/agent/logger';
import type { ApiKeyStore } from '../../../../src/host/providers/api-key';
import type { ProposedContentProvider } from '../../../../src/host/approvals/proposed-content';
import { RunController } from '../../../../src/host/run/run-controller';
import type { Settings } from '../../../../src/host/settings/settings';
import { parseSettings } from '../../../../src/host/settings/settings-values';
import { errorTurn, startScriptedServer, textTurn, type ScriptStep, type ScriptedServer } from '../../../support/scripted-server';

/**
 * Each failure a person can fix, as the real servers put it on the wire, through a whole run
 * in the RunController: the error message shown carries the server's own words and the button
 * that fixes it, and clicking the button runs that command.
 */

class MemoryHistory {
  readonly #chats = new Map<string, ChatSummary>();
  list = () => [...this.#chats.values()];
  get = (id: string) => this.#chats.get(id);
  async create(title: string): Promise<ChatSummary> {
    const summary: ChatSummary = { id: `chat-${this.#chats.size + 1}`, title, created: 0, updated: 0, messageCount: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, bytes: 0 };
    this.#chats.set(summary.id, summary);
    return summary;
  }
  append(): void {}
  flush = async () => undefined;
}

const servers: ScriptedServer[] = [];
after(async () => Promise.all(servers.map((server) => server.close())));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Runs one question against `raw` settings; resolves with the error message shown for it. */
async function noticeAfterRun(raw: Record<string, unknown>, click?: string) {
  const { settings } = parseSettings((key) => raw[key]);
  const controller = new RunController({
    settings: { current: settings, onDidChange: () => ({ dispose: () => undefined }) } as unknown as Settings,
    apiKeys: {
      keyForRun: async () => ({ key: 'sk-test', usable: true }),
      get: async () => 'sk-test',
      onDidChange: () => ({ dispose: () => undefined }),
    } as unknown as ApiKeyStore,
    logger: silentLogger,
    proposed: {} as ProposedContentProvider,
    history: () => new MemoryHistory() as unknown as ChatHistory,
    state: { get: () => undefined, update: async () => undefined },
    buildTools: async () => [],
  });
  recorded.errors.length = 0;
  recorded.commands.length = 0;
  recorded.nextErrorChoice = click;
  const runId = await controller.ask('What does this project do?');
  assert.ok(runId, `the run did not start: ${recorded.messages.join(' ')}`);
  for (let waited = 0; recorded.errors.length === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 20)); // the click's command runs after the message resolves
  controller.dispose();
  return { shown: recorded.errors[0], commands: [...recorded.commands] };
}

async function serverAnswering(...turns: ScriptStep[][]): Promise<ScriptedServer> {
  const server = await startScriptedServer(turns);
  servers.push(server);
  return server;
}

const cases: {
  name: string;
  turn: ScriptStep[];
  said: RegExp;
  about: RegExp;
  button: string;
  command: [string, unknown[]];
  model?: string;
}[] = [
  {
    name: 'a rejected key (OpenAI 401) → Set API Key',
    turn: [{ kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error' }],
    about: /Custom OpenAI-compatible endpoint rejected the API key/,
    said: /Incorrect API key provided: sk-test\./,
    button: 'Set API Key',
    command: ['glassbox.setApiKey', []],
  },
  {
    name: 'an unknown model (Ollama 404) → Select Model',
    turn: errorTurn(404, 'model "llama9" not found, try pulling it first'),
    model: 'llama9',
    about: /does not know the model "llama9"/,
    said: /model "llama9" not found, try pulling it first/,
    button: 'Select Model',
    command: ['glassbox.selectModel', []],
  },
  {
    name: 'a context window exceeded (OpenAI 400 context_length_exceeded) → the window setting',
    turn: errorTurn(
      400,
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9105 tokens. Please reduce the length of the messages.",
    ),
    about: /no longer fits the model's context window \(glassbox\.contextWindow is 128,000 tokens\)/,
    said: /maximum context length is 8192 tokens/,
    button: 'Open Context Window Setting',
    command: ['workbench.action.openSettings', ['glassbox.contextWindow']],
  },
  {
    name: 'an account out of credit (OpenRouter 402) → Select Provider',
    turn: errorTurn(402, 'Insufficient credits. Add more using https://openrouter.ai/settings/credits'),
    about: /says the account's quota or credit is used up/,
    said: /Insufficient credits\. Add more using https:\/\/openrouter\.ai\/settings\/credits/,
    button: 'Select Provider',
    command: ['glassbox.selectProvider', []],
  },
];

for (const kind of cases) {
  test(`the failed run's message says what to do: ${kind.name}`, async () => {
    const server = await serverAnswering(kind.turn);
    const { shown, commands } = await noticeAfterRun({ baseUrl: server.baseURL, model: kind.model ?? 'scripted-model' }, kind.button);
    assert.ok(shown, 'no error message was shown');
    assert.match(shown.message, kind.about);
    assert.match(shown.message, kind.said, "the server's own words are in the message");
    assert.doesNotMatch(shown.message, /status code \(no body\)/);
    assert.ok(shown.items.includes(kind.button), `buttons: ${shown.items.join(', ')}`);
    assert.deepEqual(commands, [kind.command], 'clicking the button runs its command');
  });
}

test('an endpoint that does not answer: the URL, "is the server running?", and the local servers that do answer', async () => {
  const running = await startScriptedServer({ models: ['qwen2.5-coder:7b'] });
  servers.push(running);
  const closed = await freePort();
  const runningPort = Number(new URL(running.baseURL).port);
  const { shown, commands } = await noticeAfterRun(
    { baseUrl: `http://127.0.0.1:${closed}/v1`, model: 'qwen2.5-coder:7b', discoveryPorts: [closed, runningPort] },
    'Select Provider',
  );
  assert.ok(shown);
  assert.match(shown.message, new RegExp(`could not reach http://127\\.0\\.0\\.1:${closed}/v1\\. Is the server running\\?`));
  assert.match(shown.message, new RegExp(`Model servers running here: An OpenAI-compatible server on 127\\.0\\.0\\.1:${runningPort} \\(1 model\\) at ${running.baseURL.replaceAll('.', '\\.')}`));
  assert.deepEqual(shown.items, ['Select Provider']);
  assert.deepEqual(commands, [['glassbox.selectProvider', []]]);
});

test('a run stopped by its cost cap says so with the budget setting', async () => {
  const server = await serverAnswering(textTurn('never sent'));
  const { shown, commands } = await noticeAfterRun({ baseUrl: server.baseURL, model: 'gpt-4o', maxCostUsd: 0.000001 }, 'Open Budget Setting');
  assert.ok(shown);
  assert.match(shown.message, /stopped at its cost cap \(glassbox\.maxCostUsd: \$0\.000001\)/);
  assert.deepEqual(commands, [['workbench.action.openSettings', ['glassbox.maxCostUsd']]]);
  assert.equal(server.requestCount, 0, 'the call that would go over was never sent');
});

test('a failure with no fix to offer shows no button notice; a quota 429 does; the SDK placeholder is never shown as is', () => {
  assert.equal(endpointProblemOf({ code: 'endpoint', status: 500, message: 'HTTP 500: boom' }), undefined);
  assert.equal(endpointProblemOf({ code: 'rate-limited', status: 429, message: 'Rate limit reached for requests' }), undefined);
  assert.equal(
    endpointProblemOf({ code: 'rate-limited', status: 429, message: 'Last error: HTTP 429: You exceeded your current quota, please check your plan and billing details.' }),
    'quota',
  );
  assert.equal(endpointProblemOf({ code: 'endpoint', status: 400, message: 'the request (8200 tokens) exceeds the available context size (8192 tokens)' }), 'context-exceeded');
  assert.equal(endpointProblemOf({ code: 'endpoint', status: 400, message: 'The model `gpt-9` does not exist or you do not have access to it.' }), 'unknown-model');
  assert.equal(
    readableEndpointMessage('The endpoint http://x/v1 refused the request (HTTP 400): status code (no body)'),
    'The endpoint http://x/v1 refused the request (HTTP 400): the server sent no error message',
  );
});
