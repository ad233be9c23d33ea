/**
 * `--mcp-config` and `glassbox mcp list` as a user runs them: the built dist/cli.js in a child
 * process, a real server-everything over stdio, the scripted model on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EVERYTHING } from '../../support/mcp-fixtures';
import { delay, startScriptedServer, text, textTurn, toolCallTurn } from '../../support/scripted-server';
import { runCli as runCliIn, type ProcessResult } from '../../support/run-cli';
import { cliPath } from '../../support/paths';

const CLI = cliPath;
let workspace: string;
let config: string;

before(() => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  workspace = mkdtempSync(join(tmpdir(), 'glassbox-cli-mcp-'));
  config = join(workspace, 'mcp.json');
  // VS Code's format, with a comment and a trailing comma as VS Code allows.
  writeFileSync(
    config,
    `{
  // the reference server
  "servers": {
    "everything": { "type": "stdio", "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(EVERYTHING)}], },
    "broken": { "command": ${JSON.stringify(join(workspace, 'no-such-binary'))} }
  }
}`,
  );
});
after(() => rmSync(workspace, { recursive: true, force: true }));

function runCli(args: string[], onStdout?: (text: string, pid: number) => void): Promise<ProcessResult> {
  return runCliIn(args, { cwd: workspace, onStdout });
}

test('glassbox ask --mcp-config: the model calls everything__echo; the trace names the server and warns about the broken one', async () => {
  const server = await startScriptedServer([toolCallTurn('everything__echo', { message: 'hi from the CLI' }), textTurn('It said: Echo: hi from the CLI')]);
  try {
    const result = await runCli(['ask', 'Echo hi', '--mcp-config', config, '--base-url', server.baseURL, '--model', 'm', '--jsonl']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const start = events.find((e) => e.type === 'run-start');
    assert.ok(start.tools.some((t: { name: string; server?: string }) => t.name === 'everything__echo' && t.server === 'everything'));
    assert.ok(start.tools.some((t: { name: string }) => t.name === 'read_file'));
    const warning = events.find((e) => e.type === 'warning' && e.code === 'mcp');
    assert.match(warning.message, /MCP server "broken" is left out of this run: .*ENOENT/);
    assert.equal(events.find((e) => e.type === 'tool-call').server, 'everything');
    assert.equal(events.find((e) => e.type === 'tool-result').output, 'Echo: hi from the CLI');
    assert.equal(server.requests[1].messages.at(-1)?.content, 'Echo: hi from the CLI');
  } finally {
    await server.close();
  }
});

test('glassbox mcp list: each server with its state, its tools with risk and token cost; exit 1 when one failed', async () => {
  const result = await runCli(['mcp', 'list', '--mcp-config', config]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /^everything \[running\]/m);
  assert.match(result.stdout, /tools, ~\d+ tokens added to every model call/);
  assert.match(result.stdout, /everything__echo\s+read\s+~\s*\d+ tokens\s+Echoes back the input string/);
  assert.match(result.stdout, /^broken \[failed\] — .*ENOENT/m);
  const json = await runCli(['mcp', 'list', '--mcp-config', config, '--json']);
  const statuses = JSON.parse(json.stdout);
  const everything = statuses.find((s: { name: string }) => s.name === 'everything');
  assert.ok(everything.tokens > 0);
  assert.equal(everything.tokens, everything.tools.reduce((sum: number, t: { tokens: number }) => sum + t.tokens, 0));
});

test('a bad --mcp-config is a usage error that names the problem', async () => {
  const bad = join(workspace, 'bad.json');
  writeFileSync(bad, '{"servers": {"x": {"type": "websocket", "url": "ws://127.0.0.1:1"}}}');
  const result = await runCli(['mcp', 'list', '--mcp-config', bad]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /server "x" has type "websocket"; use "stdio", "http" or "sse"/);
  const missing = await runCli(['mcp', 'list']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs --mcp-config FILE/);
});

/** Processes whose command line holds `marker` (Linux /proc). */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('SIGTERM to glassbox ask mid-run stops the run and its MCP servers with it (no server left running)', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const marker = `glassbox-sigterm-marker-${process.pid}`;
  const markedConfig = join(workspace, 'marked.json');
  // server-everything reads only its first argument (the transport): the marker just rides along.
  writeFileSync(markedConfig, JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio', marker] } } }));
  const server = await startScriptedServer([[delay(30_000), text('too late')]]);
  try {
    let sent = false;
    let runningBefore: number[] = [];
    const result = await runCli(['ask', 'hi', '--mcp-config', markedConfig, '--base-url', server.baseURL, '--model', 'm', '--jsonl'], (chunk, pid) => {
      if (!sent && chunk.includes('"model-request"')) {
        sent = true;
        runningBefore = processesWith(marker);
        process.kill(pid, 'SIGTERM');
      }
    });
    assert.ok(sent, result.stderr);
    assert.equal(runningBefore.length, 1, 'the server was running when the signal came');
    assert.match(result.stdout, /"type":"run-end","reason":"cancelled"/);
    assert.deepEqual(processesWith(marker), [], 'the MCP server outlived the CLI');
  } finally {
    await server.close();
  }
});
