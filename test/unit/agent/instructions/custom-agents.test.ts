// Custom agents (.github/agents/*.agent.md) and prompt files (.github/prompts/*.prompt.md):
// found and read from the workspace, a bad header reported without losing the file; a custom
// agent's run is offered only its tools (through the real loop, scripted server and SDK), and
// `/name rest` expands to the prompt with the rest as its input.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { findCustomAgents, findPromptFiles } from '../../../../src/agent/instructions/agent-files';
import { expandPromptCommand } from '../../../../src/agent/instructions/prompt-command';
import { allowsTool } from '../../../../src/agent/instructions/tool-allow-list';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { readFile } from '../../../../src/tools/read-file';
import { writeFile } from '../../../../src/tools/write-file';
import { runScripted } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';

function workspaceWith(t: { after: (fn: () => void) => void }, files: Record<string, string>): NodeWorkspaceFs {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-agents-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return new NodeWorkspaceFs([root]);
}

test('agents and prompt files are read with their headers; a bad header is reported by file and line', async (t) => {
  const fs = workspaceWith(t, {
    '.github/agents/reviewer.agent.md': '---\nname: reviewer\ndescription: Reviews without changing\ntools: [read_file, "github/*"]\nmodel: gpt-4.1\n---\nReview carefully.',
    '.github/agents/broken.agent.md': '---\ntools: [read_file\n---\nStill here.',
    '.github/agents/notes.md': 'not an agent',
    '.github/prompts/explain.prompt.md': '---\ndescription: Explain a file\nagent: reviewer\ntools: [read_file]\n---\nExplain ${input:file} simply.',
  });
  const agents = await findCustomAgents(fs);
  assert.deepEqual(agents.items, [
    { name: 'broken', instructions: 'Still here.', path: '.github/agents/broken.agent.md' },
    { name: 'reviewer', description: 'Reviews without changing', tools: ['read_file', 'github/*'], model: 'gpt-4.1', instructions: 'Review carefully.', path: '.github/agents/reviewer.agent.md' },
  ]);
  assert.deepEqual(agents.problems, ['.github/agents/broken.agent.md: header line 2: the list of "tools" is not closed with ]']);
  const prompts = await findPromptFiles(fs);
  assert.deepEqual(prompts.items, [
    { name: 'explain', description: 'Explain a file', agent: 'reviewer', tools: ['read_file'], body: 'Explain ${input:file} simply.', path: '.github/prompts/explain.prompt.md' },
  ]);
});

test('/name rest expands to the prompt with the rest as its input; anything else is left alone', () => {
  const prompts = [
    { name: 'explain', body: 'Explain ${input:file} simply.', path: 'p1' },
    { name: 'review', body: 'Review the change for bugs.', path: 'p2' },
  ];
  assert.equal(expandPromptCommand('/explain src/app.ts', prompts)?.task, 'Explain src/app.ts simply.');
  assert.equal(expandPromptCommand('/review the login flow', prompts)?.task, 'Review the change for bugs.\n\nInput: the login flow');
  assert.equal(expandPromptCommand('/review', prompts)?.task, 'Review the change for bugs.');
  assert.equal(expandPromptCommand('/unknown x', prompts), undefined);
  assert.equal(expandPromptCommand('explain /explain', prompts), undefined);
});

test('tools lists: names, risk groups, an MCP server\'s tools by server/* or server/tool', () => {
  const echo = { name: 'everything__echo', risk: 'read' as const, server: 'everything' };
  const write = { name: 'write_file', risk: 'write' as const };
  assert.ok(allowsTool(['everything/*'], echo));
  assert.ok(allowsTool(['everything/echo'], echo));
  assert.ok(!allowsTool(['other/*'], echo));
  assert.ok(allowsTool(['write'], write));
  assert.ok(!allowsTool(['read'], write));
  assert.ok(!allowsTool(['read_file'], write));
});

test('a custom agent with tools: [read_file] is offered only read_file; its call to write_file is refused like an unknown tool', async (t) => {
  const keepWorkspace = mkdtempSync(join(tmpdir(), 'glassbox-agents-'));
  t.after(() => rmSync(keepWorkspace, { recursive: true, force: true }));
  const run = await runScripted(
    [toolCallTurn({ name: 'write_file', args: { path: 'x.txt', content: 'hi' }, id: 'w1' }), textTurn('could not write')],
    {
      keepWorkspace,
      tools: [readFile, writeFile()],
      agent: { name: 'reviewer', path: '.github/agents/reviewer.agent.md', instructions: 'REVIEWER: never change files.', tools: ['read_file'] },
      approvalSettings: { autoApprove: { read: true, write: true, execute: true, network: true } },
    },
  );
  const offered = run.server.requests[0].tools?.map((tool) => tool.function.name);
  assert.deepEqual(offered, ['read_file']);
  assert.deepEqual(run.of('run-start')[0].tools.map((tool) => tool.name), ['read_file']);
  const result = run.of('tool-result').find((r) => r.callId === 'w1');
  assert.equal(result?.failure, 'unknown-tool');
  assert.ok(!existsSync(join(keepWorkspace, 'x.txt')), 'write_file ran');
  // Its instructions are in the system prompt and named in the trace.
  assert.match(String(run.server.requests[0].messages[0].content), /<instructions file=".github\/agents\/reviewer.agent.md" why="agent reviewer">\nREVIEWER: never change files\./);
  assert.deepEqual(run.of('instructions')[0].files.map((f) => f.reason), [{ kind: 'agent', name: 'reviewer' }]);
});
