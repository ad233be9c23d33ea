/**
 * MCP tools in a real run: real servers from npm (server-everything, server-filesystem,
 * server-memory) started by path, a scripted model through the real `openai` SDK. Each test
 * asserts what the person sees (events) and what the model was sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runScripted, toolReply } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { EVERYTHING, FILESYSTEM, MEMORY, mcpServers, startEverythingHttp, stdio } from '../../../support/mcp-fixtures';
import { calculate } from '../../../../src/tools/calculate';

test('the model is offered everything__echo, calls it, and answers with what the server sent back', async (t) => {
  const hub = mcpServers({ everything: stdio(EVERYTHING) });
  t.after(() => hub.dispose());
  const run = await runScripted(
    [toolCallTurn('everything__echo', { message: 'hello from the model' }), textTurn('The server said: Echo: hello from the model')],
    { tools: [calculate], toolSources: [hub], task: 'Echo something' },
  );
  assert.equal(run.end.reason, 'answered');
  // What the model was offered: the built-in and the server's tools, with the server's own schema.
  const offered = run.server.requests[0].tools?.map((tool) => tool.function.name) ?? [];
  assert.ok(offered.includes('calculate'));
  assert.ok(offered.includes('everything__echo'), offered.join(', '));
  const echo = run.server.requests[0].tools?.find((tool) => tool.function.name === 'everything__echo');
  assert.match(String(echo?.function.description), /Echoes back the input string/);
  assert.deepEqual(Object.keys((echo?.function.parameters as { properties: object }).properties), ['message']);
  // What came back, as the model read it, and as the trace shows it.
  assert.equal(toolReply(run.server, 1), 'Echo: hello from the model');
  const start = run.of('run-start')[0];
  assert.deepEqual(start.tools.find((tool) => tool.name === 'everything__echo'), { name: 'everything__echo', risk: 'read', server: 'everything' });
  const call = run.of('tool-call')[0];
  assert.equal(call.server, 'everything');
  const result = run.of('tool-result')[0];
  assert.equal(result.ok, true);
  assert.equal(result.taintSource, 'MCP server "everything" (echo)');
  assert.equal(run.end.answer, 'The server said: Echo: hello from the model');
});

test('server-everything over streamable HTTP: the same call works over the network transport', async (t) => {
  const http = await startEverythingHttp();
  t.after(() => http.stop());
  const hub = mcpServers({ web: { type: 'http', url: http.url } });
  t.after(() => hub.dispose());
  const run = await runScripted([toolCallTurn('web__get-sum', { a: 2, b: 40 }), textTurn('42')], { toolSources: [hub] });
  assert.match(toolReply(run.server, 1), /42/);
  assert.equal(run.of('tool-result')[0].ok, true);
  assert.equal(hub.statuses()[0].state, 'running');
});

test('a server that only speaks the older SSE transport is reached by falling back from streamable HTTP', async (t) => {
  const sse = await startEverythingHttp('sse');
  t.after(() => sse.stop());
  const hub = mcpServers({ legacy: { type: 'http', url: sse.url } });
  t.after(() => hub.dispose());
  const run = await runScripted([toolCallTurn('legacy__echo', { message: 'over SSE' }), textTurn('ok')], { toolSources: [hub] });
  assert.equal(toolReply(run.server, 1), 'Echo: over SSE');
  assert.ok(hub.log.lines.some((line) => /MCP legacy: streamable HTTP failed .*trying SSE/.test(line)), hub.log.lines.join('\n'));
});

test('server-filesystem on a temp folder and server-memory: both offered, each call goes to its own server', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'glassbox-mcp-fs-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(join(folder, 'note.txt'), 'the note says 7');
  const hub = mcpServers({
    fs: stdio(FILESYSTEM, folder),
    memory: { ...stdio(MEMORY), env: { MEMORY_FILE_PATH: join(folder, 'memory.jsonl') } },
  });
  t.after(() => hub.dispose());
  const run = await runScripted(
    [
      toolCallTurn('fs__read_text_file', { path: join(folder, 'note.txt') }),
      toolCallTurn('memory__create_entities', { entities: [{ name: 'note', entityType: 'file', observations: ['says 7'] }] }),
      textTurn('7'),
    ],
    { toolSources: [hub], approve: async () => ({ kind: 'allow-once' }) },
  );
  assert.equal(toolReply(run.server, 1), 'the note says 7');
  assert.match(toolReply(run.server, 2), /"name": "note"/);
  const statuses = hub.statuses();
  assert.deepEqual(statuses.map((s) => s.state), ['running', 'running']);
  // A tool that writes (no readOnlyHint) asks; one marked read-only does not.
  assert.equal(run.of('approval-requested').length, 1);
  assert.equal(run.of('approval-requested')[0].request.tool, 'memory__create_entities');
  assert.match(run.of('approval-requested')[0].request.preview.summary, /MCP server "memory"/);
});
