/**
 * `glassbox ask` as a user runs it (the built dist/cli.js in a child process) against every
 * provider dialect in test/support/dialects: the read-then-answer task completes, the answer on
 * stdout is the answer alone.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDialectServer, type Dialect } from '../../support/dialects/dialect-server';
import { dialectNamed, dialects } from '../../support/dialects/dialects';
import { ANSWER, FILE, FILE_TEXT, TASK } from '../../support/dialects/wire';
import { runCli, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-dialects-'));
  writeFileSync(join(workspace, FILE), FILE_TEXT);
});
after(() => rmSync(workspace, { recursive: true, force: true }));

export async function askDialect(dialect: Dialect, extra: string[] = []): Promise<ProcessResult> {
  const server = await startDialectServer(dialect);
  try {
    const args = ['ask', TASK, '--base-url', server.baseURL, '--model', `${dialect.name}-model`, '--approve', 'deny', ...extra];
    for (const [name, value] of Object.entries(dialect.client?.headers ?? {})) args.push('--header', `${name}:${value}`);
    for (const [name, value] of Object.entries(dialect.client?.query ?? {})) args.push('--query', `${name}=${value}`);
    return await runCli(args, { cwd: workspace });
  } finally {
    await server.close();
  }
}

for (const dialect of dialects) {
  test(`glassbox ask completes the read-then-answer task against ${dialect.name}`, async () => {
    const { code, stdout, stderr } = await askDialect(dialect);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `${ANSWER}\n`);
    assert.match(stderr, /← read_file ok/);
  });
}

test('--verbose prints the model\'s reasoning on stderr, never on stdout', async () => {
  const quiet = await askDialect(dialectNamed('deepseek'));
  assert.doesNotMatch(quiet.stderr, /thinking: I should open notes\.txt\./);
  const verbose = await askDialect(dialectNamed('deepseek'), ['--verbose']);
  assert.match(verbose.stderr, /thinking: I should open notes\.txt\./);
  assert.equal(verbose.stdout, `${ANSWER}\n`);
});

test('the context window is taken from the server: vLLM\'s max_model_len', async () => {
  const { code, stdout } = await askDialect(dialectNamed('vllm'), ['--jsonl']);
  assert.equal(code, 0);
  const start = JSON.parse(stdout.split('\n')[0]) as { type: string; limits: { contextTokens: number } };
  assert.equal(start.type, 'run-start');
  assert.equal(start.limits.contextTokens, 32768);
});

test('the context window is taken from the server: llama.cpp\'s /props n_ctx; --context-tokens wins over it', async () => {
  const found = await askDialect(dialectNamed('llama.cpp'), ['--jsonl']);
  assert.equal((JSON.parse(found.stdout.split('\n')[0]) as { limits: { contextTokens: number } }).limits.contextTokens, 8192);
  const given = await askDialect(dialectNamed('llama.cpp'), ['--jsonl', '--context-tokens', '20000']);
  assert.equal((JSON.parse(given.stdout.split('\n')[0]) as { limits: { contextTokens: number } }).limits.contextTokens, 20000);
});

test('--small-model on offers six tools, read tools first, against any window', async () => {
  const { code, stdout } = await askDialect(dialectNamed('ollama'), ['--jsonl', '--small-model', 'on']);
  assert.equal(code, 0);
  const start = JSON.parse(stdout.split('\n')[0]) as { tools: { name: string }[] };
  assert.deepEqual(start.tools.map((t) => t.name), ['read_file', 'list_files', 'search_text', 'edit_file', 'write_file', 'run_command']);
});
