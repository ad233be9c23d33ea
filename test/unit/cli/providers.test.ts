/**
 * `--provider NAME` and `glassbox providers` as a user runs them: the built dist/cli.js in a
 * child process, against scripted servers on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, textTurn, toolCallTurn } from '../../support/scripted-server';
import { runCli as runCliIn, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-providers-'));
  writeFileSync(join(workspace, 'notes.txt'), 'The launch code is 4711.\n');
});
after(() => rmSync(workspace, { recursive: true, force: true }));

function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return runCliIn(args, { cwd: workspace, env });
}

test('--provider azure reads a file and answers through the deployment URL with the api-key header', async (t) => {
  const server = await startScriptedServer([toolCallTurn('read_file', { path: 'notes.txt' }), textTurn('The code is 4711.')]);
  t.after(() => server.close());
  const endpoint = new URL(server.baseURL).origin;
  const result = await runCli(
    ['ask', 'What is the launch code?', '--provider', 'azure', '--azure-endpoint', endpoint, '--deployment', 'gpt4o', '--api-version', '2024-06-01'],
    { AZURE_OPENAI_API_KEY: 'az-secret' },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'The code is 4711.');
  assert.deepEqual(server.requestUrls, ['/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01', '/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01']);
  assert.equal(server.requestHeaders[0]['api-key'], 'az-secret');
  assert.equal(server.requestHeaders[0].authorization, undefined);
  assert.match(JSON.stringify(server.requests[1].messages), /launch code is 4711/, 'the file reached the model');
});

test('--provider takes the key from its own variable and sends its headers', async (t) => {
  const server = await startScriptedServer([textTurn('Routed.')]);
  t.after(() => server.close());
  const result = await runCli(['ask', 'hi', '--provider', 'openrouter', '--base-url', server.baseURL], { OPENROUTER_API_KEY: 'or-key' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(server.requestHeaders[0].authorization, 'Bearer or-key');
  assert.equal(server.requestHeaders[0]['x-title'], 'Glassbox');
  assert.equal(server.requests[0].model, 'openai/gpt-4o-mini', "the preset's default model");
});

test('--provider problems exit 2 saying what to give', async () => {
  const noKey = await runCli(['ask', 'hi', '--provider', 'groq']);
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /Groq needs an API key \(get one at https:\/\/console\.groq\.com\/keys\)/);
  const noModel = await runCli(['ask', 'hi', '--provider', 'ollama']);
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /Ollama has no default model: pass --model NAME \(`glassbox providers` lists/);
  const unknown = await runCli(['ask', 'hi', '--provider', 'bedrock']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--provider must be one of openai, azure, ollama, lmstudio, vllm, llamacpp, openrouter, groq, deepseek, mistral, gemini, custom, not "bedrock"/);
  const azure = await runCli(['ask', 'hi', '--provider', 'azure', '--api-key', 'k']);
  assert.equal(azure.code, 2);
  assert.match(azure.stderr, /Azure OpenAI needs your resource endpoint/);
});

test('glassbox providers lists the presets and the servers found on the given loopback ports, with their models', async (t) => {
  const server = await startScriptedServer({ modelEntries: [{ id: 'Qwen/Qwen3-8B', object: 'model', owned_by: 'vllm', max_model_len: 40960 }] });
  t.after(() => server.close());
  const closed = createServer();
  await new Promise<void>((ready) => closed.listen(0, '127.0.0.1', ready));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  const port = new URL(server.baseURL).port;
  const result = await runCli(['providers', '--ports', `${port},${closedPort}`, '--timeout', '10']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^ {2}azure +Azure OpenAI \(key: AZURE_OPENAI_API_KEY\)$/m);
  assert.match(result.stdout, /^ {2}ollama +Ollama — http:\/\/127\.0\.0\.1:11434\/v1 \(no key\)$/m);
  assert.match(result.stdout, new RegExp(`vLLM on 127\\.0\\.0\\.1:${port} \\(1 model\\) — ${server.baseURL.replaceAll('.', '\\.')}`));
  assert.match(result.stdout, new RegExp(`Qwen/Qwen3-8B \\(40,960 tokens\\) +--provider vllm --base-url ${server.baseURL.replaceAll('.', '\\.')} --model Qwen/Qwen3-8B`));
  assert.doesNotMatch(result.stdout, new RegExp(`:${closedPort}`));

  const none = await runCli(['providers', '--ports', String(closedPort)]);
  assert.match(none.stdout, /No model server answered on 127\.0\.0\.1/);
  const bad = await runCli(['providers', '--ports', 'x']);
  assert.equal(bad.code, 2);
});

test('an endpoint that does not answer: the CLI asks whether the server runs and names the local servers that do', async (t) => {
  const running = await startScriptedServer({ modelEntries: [{ id: 'Qwen/Qwen3-8B', owned_by: 'vllm' }] });
  t.after(() => running.close());
  const closed = createServer();
  await new Promise<void>((ready) => closed.listen(0, '127.0.0.1', ready));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  const runningPort = new URL(running.baseURL).port;
  const result = await runCli(['ask', 'hi', '--base-url', `http://127.0.0.1:${closedPort}/v1`, '--model', 'm'], {
    GLASSBOX_DISCOVERY_PORTS: `${closedPort},${runningPort}`,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, new RegExp(`Is the server at http://127\\.0\\.0\\.1:${closedPort}/v1 running\\? Model servers running here`));
  assert.match(result.stderr, new RegExp(`vLLM on 127\\.0\\.0\\.1:${runningPort} \\(1 model\\): --provider vllm --base-url http://127\\.0\\.0\\.1:${runningPort}/v1`));
});
