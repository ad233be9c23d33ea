// Small-model mode and argument repair, through the real loop and the scripted server: what the
// model is offered and told, and what it is told when its JSON was repaired.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repairJson } from '../../../../src/agent/loop/repair-json';
import { NodeSearcher } from '../../../../src/agent/workspace/search/node-searcher';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { createTools } from '../../../../src/tools';
import { runScripted, toolReply } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { measurePromptSizes } from '../../../bench/prompt-size';

const tools = createTools({ searcher: new NodeSearcher(new NodeWorkspaceFs([process.cwd()])) });

test('a context window of 16k or less turns small-model mode on: six tools, read tools first, brief descriptions with an example', async () => {
  const run = await runScripted([textTurn('ok')], { tools, limits: { contextTokens: 16_384 } });
  const sent = run.server.requests[0];
  assert.deepEqual(sent.tools?.map((t) => t.function.name), ['read_file', 'list_files', 'search_text', 'edit_file', 'write_file', 'run_command']);
  for (const tool of sent.tools ?? []) assert.match(tool.function.description ?? '', /Example: \{/);
  assert.ok(String(sent.messages[0].content).length < 400, 'a short system prompt');
  const wide = await runScripted([textTurn('ok')], { tools, limits: { contextTokens: 32_000 } });
  assert.equal(wide.server.requests[0].tools?.length, tools.length, 'above 16k every tool is offered');
});

test('small-model mode by setting, and off by setting even for a small window', async () => {
  const on = await runScripted([textTurn('ok')], { tools, smallModel: 'on' });
  assert.equal(on.server.requests[0].tools?.length, 6);
  const off = await runScripted([textTurn('ok')], { tools, smallModel: 'off', limits: { contextTokens: 8_192 } });
  assert.equal(off.server.requests[0].tools?.length, tools.length);
});

test('the fixed prompt is at most 1,000 tokens in small-model mode', () => {
  const [full, small] = measurePromptSizes();
  assert.ok(small.totalTokens <= 1_000, `small-model mode: ${small.totalTokens} tokens`);
  assert.ok(small.totalTokens < full.totalTokens / 2, `${small.totalTokens} vs ${full.totalTokens}`);
});

const nearJson: [string, string, string][] = [
  ['trailing comma', '{"path": "notes.txt",}', 'trailing commas'],
  ['single quotes', "{'path': 'notes.txt'}", 'single quotes'],
  ['unquoted keys', '{path: "notes.txt"}', 'unquoted keys'],
  ['Python literals', '{"path": "notes.txt", "start_line": 1, "flag": True, "x": None}', 'Python True/False/None'],
  ['missing brace', '{"path": "notes.txt"', 'missing closing brace'],
];

for (const [name, raw, repair] of nearJson) {
  test(`near-valid JSON arguments are repaired: ${name}`, () => {
    const repaired = repairJson(raw);
    assert.ok(repaired?.repairs.includes(repair), JSON.stringify(repaired));
    assert.equal((JSON.parse(repaired?.json ?? '{}') as { path: string }).path, 'notes.txt');
  });
}

test('text that is not near JSON is not guessed at; strings keep their commas and quotes', () => {
  assert.equal(repairJson('read notes.txt please'), undefined);
  assert.equal(repairJson('{"path": "a.txt"}'), undefined, 'valid JSON needs no repair');
  assert.equal(JSON.parse(repairJson("{'text': 'a, b}, \"c\"',}")!.json).text, 'a, b}, "c"');
});

test('a call with repaired arguments runs, and the model is told what was repaired', async () => {
  const run = await runScripted(
    [toolCallTurn({ id: 'call_r', name: 'read_file', args: "{'path': 'notes.txt',}" }), textTurn('done')],
    { tools, prepare: (ws) => writeFileSync(join(ws, 'notes.txt'), 'The launch code is 4242.\n') },
  );
  const result = run.of('tool-result')[0];
  assert.ok(result.ok, result.output);
  const reply = toolReply(run.server, 1, 'call_r');
  assert.match(reply, /not valid JSON \(single quotes, trailing commas\); they were read as \{"path":"notes.txt"\}/);
  assert.match(reply, /4242/);
});
