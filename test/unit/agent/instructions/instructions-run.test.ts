// Instructions files through the real loop, the scripted server and the openai SDK: which files
// go into each request and when, what the `instructions` event says, and that the requests of a
// run only ever grow (a nested file joins after a step, never by rewriting an earlier message).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { EventOf } from '../../../../src/agent/events';
import { INSTRUCTION_NAMES, type InstructionSettings } from '../../../../src/agent/instructions/instruction-settings';
import { Conversation } from '../../../../src/agent/loop/conversation';
import { readFile } from '../../../../src/tools/read-file';
import { runScripted } from '../../../support/agent-harness';
import { startScriptedServer, textTurn, toolCallTurn, type WireMessage } from '../../../support/scripted-server';

const all: InstructionSettings = { enabled: true, names: [...INSTRUCTION_NAMES], trustRepository: true };

function put(workspace: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
}

const REPOSITORY = {
  'AGENTS.md': 'ROOT-AGENTS: run npm test.',
  '.github/copilot-instructions.md': 'COPILOT-RULES: prefer small commits.',
  '.github/instructions/ts.instructions.md': '---\napplyTo: "src/**/*.ts"\ndescription: TypeScript style\n---\nTS-SCOPED: no any.',
  '.github/instructions/py.instructions.md': '---\napplyTo: "**/*.py"\n---\nPY-SCOPED: use black.',
  'src/api/AGENTS.md': 'NESTED-API: every handler validates its input.',
  'docs/AGENTS.md': 'NESTED-DOCS: write in British English.',
  'src/api/x.ts': 'export const x = 1;\n',
  'README.md': '# Project\n',
};

const systemOf = (messages: readonly WireMessage[]): string => String(messages[0].content);
const allText = (messages: readonly WireMessage[]): string => messages.map((m) => String(m.content ?? '')).join('\n');

test('root files go into the system prompt; a nested AGENTS.md and an applyTo file join after the step that read a file they cover', async () => {
  const run = await runScripted(
    [toolCallTurn('read_file', { path: 'README.md' }), toolCallTurn('read_file', { path: 'src/api/x.ts' }), toolCallTurn('read_file', { path: 'src/api/x.ts', start_line: 1 }), textTurn('done')],
    { tools: [readFile], instructions: all, prepare: (workspace) => put(workspace, REPOSITORY) },
  );
  assert.equal(run.end.reason, 'answered');
  const requests = run.server.requests.map((r) => r.messages);
  assert.equal(requests.length, 4);

  // At the start: the root files only.
  const first = systemOf(requests[0]);
  assert.match(first, /<instructions file="AGENTS.md" why="root">\nROOT-AGENTS: run npm test\.\n<\/instructions>/);
  assert.match(first, /<instructions file=".github\/copilot-instructions.md" why="root">\nCOPILOT-RULES/);
  assert.match(first, /cannot change Glassbox's rules/);
  for (const absent of ['NESTED-API', 'NESTED-DOCS', 'TS-SCOPED', 'PY-SCOPED']) assert.ok(!allText(requests[0]).includes(absent), absent);

  // Reading README.md brings nothing; reading src/api/x.ts brings the nested file and the TypeScript one, once.
  assert.ok(!allText(requests[1]).includes('NESTED-API'));
  const joined = requests[2].at(-1)!;
  assert.equal(joined.role, 'user');
  assert.match(String(joined.content), /<instructions file="src\/api\/AGENTS.md" why="nested for src\/api\/x.ts">\nNESTED-API/);
  assert.match(String(joined.content), /<instructions file=".github\/instructions\/ts.instructions.md" why="applyTo src\/\*\*\/\*.ts for src\/api\/x.ts">\nTypeScript style\n\nTS-SCOPED: no any\./);
  assert.equal(requests[3].at(-1)!.role, 'tool', 'the second read of x.ts brings no instructions again');
  for (const absent of ['NESTED-DOCS', 'PY-SCOPED']) assert.ok(!allText(requests[3]).includes(absent), absent);
  assert.equal(allText(requests[3]).split('NESTED-API').length - 1, 1);

  // Every later request starts with the whole of the one before: the cached prefix holds.
  for (let i = 1; i < requests.length; i++) assert.deepEqual(requests[i].slice(0, requests[i - 1].length), requests[i - 1], `request ${i + 1}`);

  // The events name each file, why, and its tokens.
  const events = run.of('instructions');
  assert.deepEqual(
    events.map((e) => [e.step, e.files.map((f) => [f.path, f.reason])]),
    [
      [0, [['AGENTS.md', { kind: 'root' }], ['.github/copilot-instructions.md', { kind: 'root' }]]],
      [2, [['src/api/AGENTS.md', { kind: 'nested', for: 'src/api/x.ts' }], ['.github/instructions/ts.instructions.md', { kind: 'applyTo', glob: 'src/**/*.ts', for: 'src/api/x.ts' }]]],
    ],
  );
  for (const file of events.flatMap((e) => e.files)) {
    assert.ok(file.tokens > 0 && file.tokens === file.fileTokens, `${file.path}: ${file.tokens}`);
    // The trace holds exactly what the model got.
    assert.ok(allText(requests[3]).includes(file.text), file.path);
  }
});

test('a nested file given earlier in the chat is not given again in its next turn', async (t) => {
  const server = await startScriptedServer([]);
  t.after(() => server.close());
  const conversation = new Conversation();
  const keepWorkspace = mkdtempSync(join(tmpdir(), 'glassbox-ws-'));
  t.after(() => rmSync(keepWorkspace, { recursive: true, force: true }));
  put(keepWorkspace, REPOSITORY);
  const options = { server, conversation, keepWorkspace, tools: [readFile], instructions: all };
  await runScripted([toolCallTurn('read_file', { path: 'src/api/x.ts' }), textTurn('one')], { ...options, task: 'first' });
  const second = await runScripted([toolCallTurn('read_file', { path: 'src/api/x.ts' }), textTurn('two')], { ...options, task: 'second' });
  assert.equal(second.of('instructions').filter((e) => e.step > 0).length, 0);
  assert.equal(allText(server.requests.at(-1)!.messages).split('NESTED-API').length - 1, 1);
});

test('all instructions share one budget: a large file is cut with a note, and what no longer fits is left out, saying so', async () => {
  const big = Array.from({ length: 2_000 }, (_, i) => `Rule ${i}: keep functions short and named for what they do.`).join('\n');
  const run = await runScripted([textTurn('ok')], {
    instructions: { ...all, budgetTokens: 1_500 },
    prepare: (workspace) => put(workspace, { 'AGENTS.md': big, 'CLAUDE.md': 'CLAUDE-RULES: be brief.' }),
  });
  const [event] = run.of('instructions');
  assert.equal(event.files.length, 1);
  const [agents] = event.files;
  assert.ok(agents.tokens <= 1_500 && agents.fileTokens > 20_000, `${agents.tokens} of ${agents.fileTokens}`);
  assert.match(agents.text, /\[… cut: AGENTS\.md has about \d+ tokens; only its first \d+ fit the 1500-token budget for instructions\.\]$/);
  assert.deepEqual(event.notes, [`CLAUDE.md: left out (about ${event.notes![0].match(/about (\d+)/)![1]} tokens; the 1500-token budget for instructions is used up)`]);
  const system = systemOf(run.server.requests[0].messages);
  assert.ok(system.includes(agents.text));
  assert.ok(!system.includes('CLAUDE-RULES'));
  assert.ok(!system.includes('Rule 1999:'));
});

test('untrusted (Restricted Mode): no repository file is read, the event says why; the user\'s own file still is', async () => {
  const run = await runScripted([toolCallTurn('read_file', { path: 'src/api/x.ts' }), textTurn('ok')], {
    tools: [readFile],
    instructions: { ...all, trustRepository: false, user: { path: '/home/me/.config/glassbox/AGENTS.md', text: 'USER-OWN: answer in French.' } },
    prepare: (workspace) => put(workspace, REPOSITORY),
  });
  const text = allText(run.server.requests.at(-1)!.messages);
  for (const absent of ['ROOT-AGENTS', 'COPILOT-RULES', 'NESTED-API', 'TS-SCOPED']) assert.ok(!text.includes(absent), absent);
  assert.match(text, /<instructions file="\/home\/me\/.config\/glassbox\/AGENTS.md" why="user">\nUSER-OWN/);
  const events = run.of('instructions');
  assert.equal(events.length, 1);
  assert.match(events[0].ignored ?? '', /Restricted Mode/);
  assert.deepEqual(events[0].files.map((f) => f.reason.kind), ['user']);
});

test('off: nothing is read and no event is sent; the names setting chooses the kinds', async () => {
  const off = await runScripted([textTurn('ok')], { instructions: { ...all, enabled: false }, prepare: (w) => put(w, REPOSITORY) });
  assert.equal(off.of('instructions').length, 0);
  assert.ok(!systemOf(off.server.requests[0].messages).includes('ROOT-AGENTS'));
  const onlyCopilot = await runScripted([textTurn('ok')], { instructions: { ...all, names: ['.github/copilot-instructions.md'] }, prepare: (w) => put(w, REPOSITORY) });
  assert.deepEqual(onlyCopilot.of('instructions')[0].files.map((f) => f.path), ['.github/copilot-instructions.md']);
});

test('secrets in an instructions file are redacted like in any file read', async () => {
  const key = 'sk-proj-' + 'Ab3_Cd5-Ef7Gh9'.repeat(9).slice(0, 120);
  const run = await runScripted([textTurn('ok')], { instructions: all, prepare: (w) => put(w, { 'AGENTS.md': `Deploy with OPENAI_API_KEY=${key} set.` }) });
  const system = systemOf(run.server.requests[0].messages);
  assert.ok(!system.includes(key));
  assert.match(system, /Deploy with OPENAI_API_KEY=.*redacted.* set\./);
  const [event] = run.of('instructions') as EventOf<'instructions'>[];
  assert.ok(!event.files[0].text.includes(key));
});

test('a bad applyTo header is reported in the event and loses nothing else', async () => {
  const run = await runScripted([textTurn('ok')], {
    instructions: all,
    prepare: (w) => put(w, { 'AGENTS.md': 'ROOT', '.github/instructions/bad.instructions.md': '---\napplyTo: [src/**\n---\nBODY' }),
  });
  const [event] = run.of('instructions');
  assert.deepEqual(event.files.map((f) => f.path), ['AGENTS.md']);
  assert.deepEqual(event.notes, [
    '.github/instructions/bad.instructions.md: header line 2: the list of "applyTo" is not closed with ]',
    '.github/instructions/bad.instructions.md: no applyTo glob, so it applies to no file',
  ]);
});
