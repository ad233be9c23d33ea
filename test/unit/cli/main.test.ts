/**
 * The headless CLI as a user runs it: the built dist/cli.js in a child process, against the
 * scripted server, with stdin not a terminal (as in CI).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startScriptedServer, slowTextTurn, textTurn, toolCallTurn, type ScriptTurn } from '../../support/scripted-server';
import { runCli as runCliIn, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;
let stateDir: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-'));
  stateDir = mkdtempSync(join(tmpdir(), 'glassbox-cli-state-'));
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src', 'greet.ts'), 'export function greet(name: string) {\n  return `Hello, ${name}!`;\n}\n');
});
after(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (pid: number) => void): Promise<ProcessResult> {
  // Checkpoints go to a state folder of the test's own, not the real home's.
  return runCliIn(args, { cwd: workspace, env: { GLASSBOX_STATE_DIR: stateDir, ...env }, onSpawn });
}

async function withServer(turns: ScriptTurn[], body: (baseURL: string) => Promise<void>) {
  const server = await startScriptedServer(turns);
  try {
    await body(server.baseURL);
  } finally {
    await server.close();
  }
  return server;
}

test('glassbox ask answers through tool calls: the trace on stderr, the answer on stdout, exit 0', async () => {
  const server = await withServer(
    [toolCallTurn('read_file', { path: 'src/greet.ts' }), textTurn('`greet` returns "Hello, <name>!" (src/greet.ts:2).')],
    async (baseURL) => {
      const result = await runCli(['ask', 'What does greet return?', '--base-url', baseURL, '--model', 'scripted-model']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '`greet` returns "Hello, <name>!" (src/greet.ts:2).\n');
      assert.match(result.stderr, /\[step 1\] → read_file \{"path":"src\/greet.ts"\} \[read\]/);
      assert.match(result.stderr, /\[step 1\] ← read_file ok/);
      assert.match(result.stderr, /Run ended: answered after 2 step\(s\)/);
      // No editor in the CLI: said once, in the start line, and its tools are not offered.
      const startLine = result.stderr.split('\n').find((line) => line.startsWith('Run '));
      assert.match(startLine ?? '', /started with .*; editor tools \(get_problems, find_symbol, go_to_definition, find_usages, type_at, file_outline, terminal_output\) and problems after edits are unavailable outside VS Code\)$/);
      assert.equal(result.stderr.match(/unavailable outside VS Code/g)?.length, 1);
    },
  );
  const offered = (server.requests[0] as { tools?: { function: { name: string } }[] }).tools?.map((t) => t.function.name) ?? [];
  assert.ok(!offered.includes('get_problems') && !offered.includes('go_to_definition'), offered.join(', '));
  const toolMessage = server.requests[1].messages.find((m) => m.role === 'tool');
  assert.match(String(toolMessage?.content), /return `Hello, \$\{name\}!`;/);
});

test('--jsonl prints the events, one per line; --trace writes the same to a file', async () => {
  const trace = join(workspace, '..', `trace-${Date.now()}.jsonl`);
  await withServer([textTurn('Forty-two.')], async (baseURL) => {
    const result = await runCli(['ask', 'Answer?', '--base-url', baseURL, '--jsonl', '--trace', trace]);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(events[0].type, 'run-start');
    assert.equal(events.at(-1).type, 'run-end');
    assert.equal(events.at(-1).answer, 'Forty-two.');
    assert.deepEqual(readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l).type), events.map((e) => e.type));
  });
  rmSync(trace, { force: true });
});

test('usage errors exit 2 with a clear message and no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [['ask'], /needs a question/],
    [['ask', 'q', '--approve', 'maybe'], /--approve must be ask, deny or allow/],
    [['ask', 'q', '--base-url', 'not a url'], /is not a URL/],
    [['ask', 'q', '--max-steps', '0'], /--max-steps must be a whole number ≥ 1/],
    [['ask', 'q', '--price', '0.15'], /--price must be INPUT,OUTPUT or INPUT,OUTPUT,CACHED/],
    [['ask', 'q', '--price', '1,2,-3'], /--price must be/],
    [['ask', 'q', '--workspace', '/definitely/not/here'], /is not a folder/],
    [['ask', 'q', '--approve', 'ask'], /needs a terminal/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['ask', 'q', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--price overrides the table: cached input tokens are billed at the given cached price', async () => {
  const turn = textTurn('Cheap.', { promptTokens: 1_000_000, completionTokens: 1_000_000, cachedTokens: 800_000 });
  await withServer([turn], async (baseURL) => {
    const result = await runCli(['ask', 'q', '--base-url', baseURL, '--model', 'gpt-4o', '--price', '1,2,0.1', '--jsonl']);
    assert.equal(result.code, 0, result.stderr);
    const used = result.stdout.trim().split('\n').map((line) => JSON.parse(line)).find((e) => e.type === 'usage');
    assert.equal(used.cachedInputTokens, 800_000);
    // 200k uncached at $1, 800k cached at $0.10, 1M out at $2 (gpt-4o's table price would be far more).
    assert.equal(used.costUsd.toFixed(2), '2.28');
  });
  // The readable trace says it too.
  await withServer([turn], async (baseURL) => {
    const result = await runCli(['ask', 'q', '--base-url', baseURL, '--price', '1,2,0.1']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\[step 1\] Usage: 1000000 in \(800000 cached\) \/ 1000000 out, \$2\.2800/);
    assert.match(result.stderr, /Run ended: answered .* 2000000 tokens \(800000 input cached\), \$2\.2800/);
  });
});

test('a rejected API key exits 2 saying so', async () => {
  await withServer([[{ kind: 'error', status: 401, message: 'Incorrect API key provided' }]], async (baseURL) => {
    const result = await runCli(['ask', 'q', '--base-url', baseURL, '--api-key', 'wrong']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /API key/);
  });
});

test('a run that hits its step limit exits 1 and says what it did', async () => {
  await withServer(
    [toolCallTurn('list_files', { glob: '**/*.ts' }), toolCallTurn('read_file', { path: 'src/greet.ts' })],
    async (baseURL) => {
      const result = await runCli(['ask', 'Explore', '--base-url', baseURL, '--max-steps', '2']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /limit of 2 steps/);
      assert.match(result.stderr, /list_files\(\{"glob":"\*\*\/\*\.ts"\}\)/);
    },
  );
});

test('without a terminal risky calls are denied by default, and the model is told', async () => {
  const server = await withServer(
    [toolCallTurn('write_file', { path: 'out.txt', content: 'x' }), textTurn('I could not write it.')],
    async (baseURL) => {
      const result = await runCli(['ask', 'Write out.txt', '--base-url', baseURL]);
      assert.equal(result.code, 0, result.stderr);
    },
  );
  assert.equal(existsSync(join(workspace, 'out.txt')), false);
  assert.match(String(server.requests[1].messages.at(-1)?.content), /declined .*no terminal|declined .*--approve deny/);
});

test('under the answer, the account from the events: a claimed write that was denied is marked', async () => {
  await withServer([toolCallTurn('write_file', { path: 'claimed.txt', content: 'x' }), textTurn('Wrote claimed.txt as asked.')], async (baseURL) => {
    const result = await runCli(['ask', 'Write claimed.txt', '--base-url', baseURL]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Wrote claimed.txt as asked.\n', 'stdout stays the answer alone');
    assert.match(result.stderr, /⚠ The events disagree with the answer: No files changed · write_file claimed\.txt — denied \(risky calls are denied \(--approve deny\)\)/);
    assert.match(result.stderr, /The answer says "Wrote claimed\.txt as asked\.", but write_file claimed\.txt was denied/);
  });
  await withServer([textTurn('Nothing to do.')], async (baseURL) => {
    const result = await runCli(['ask', 'Anything?', '--base-url', baseURL]);
    assert.match(result.stderr, /What happened: No files changed\n/);
  });
});

test('--approve allow writes, but a protected path still needs a person, and without a terminal is refused', async () => {
  const server = await withServer(
    [
      toolCallTurn({ name: 'write_file', args: { path: 'notes/allowed.txt', content: 'fine' }, id: 'w1' }),
      toolCallTurn({ name: 'write_file', args: { path: '.vscode/settings.json', content: '{"glassbox.autoApprove.execute": true}' }, id: 'w2' }),
      textTurn('Done what I could.'),
    ],
    async (baseURL) => {
      const result = await runCli(['ask', 'Write files', '--base-url', baseURL, '--approve', 'allow']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Files this run changed \(answered\): notes\/allowed.txt/);
    },
  );
  assert.equal(readFileSync(join(workspace, 'notes', 'allowed.txt'), 'utf8'), 'fine');
  assert.equal(existsSync(join(workspace, '.vscode', 'settings.json')), false);
  const refusal = String(server.requests[2].messages.find((m) => m.tool_call_id === 'w2')?.content);
  assert.match(refusal, /declined .*needs a person's yes on a terminal/);
});

test('Ctrl+C stops the model stream mid-answer and exits 130', async () => {
  // 60 chunks at 300 ms: the answer would take 18 s, so an exit within 5 s of Ctrl+C is the
  // cancel, not the end of the stream (the core's own tests hold it to one second).
  await withServer([slowTextTurn(Array.from({ length: 60 }, (_, i) => `w${i}`).join(' '), 300)], async (baseURL) => {
    let interruptedAt = 0;
    let child: import('node:child_process').ChildProcess | undefined;
    const result = await new Promise<CliResult>((done, fail) => {
      child = spawn(process.execPath, [CLI, 'ask', 'Tell me slowly', '--base-url', baseURL], {
        cwd: workspace,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stdin?.end();
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Interrupt once the model call is under way.
        if (!interruptedAt && /Model call/.test(stderr)) {
          interruptedAt = Date.now();
          setTimeout(() => child?.kill('SIGINT'), 700);
        }
      });
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    assert.equal(result.code, 130, result.stderr);
    assert.ok(Date.now() - interruptedAt < 5_700, `took ${Date.now() - interruptedAt - 700} ms after Ctrl+C`);
    assert.match(result.stderr, /cancelling/);
    assert.match(result.stderr, /Run ended: cancelled/);
    assert.equal(result.stdout, '');
  });
});
