import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../../src/agent/workspace/search/node-searcher';
import { createTools, type EditorToolDeps } from '../../../../src/tools';
import { runScripted, toolReply } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { ScriptedEditor } from '../../../support/scripted-editor';

const autoWrite = { autoApprove: { read: true, write: true, execute: true, network: false }, taintNeedsApproval: false };

function workspaceWith(files: Record<string, string> = {}): { dir: string; tools: (editor?: Partial<EditorToolDeps>) => ReturnType<typeof createTools>; editor: ScriptedEditor } {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-problems-'));
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  const editor = new ScriptedEditor(dir);
  const tools = (options: Partial<EditorToolDeps> = {}) =>
    createTools({ searcher: new NodeSearcher(new NodeWorkspaceFs([dir])), editor: { port: editor, problemsAfterEdits: true, ...options } });
  return { dir, tools, editor };
}

test('a type error written by the model reaches it in the write result, and the fix reports it gone', async (t) => {
  const { dir, tools } = workspaceWith();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = await runScripted(
    [
      toolCallTurn('write_file', { path: 'age.ts', content: 'export const n: number = "x";\n' }),
      toolCallTurn('edit_file', { path: 'age.ts', old_text: 'number = "x"', new_text: 'number = 42' }),
      textTurn('Fixed.'),
    ],
    { tools: tools(), approvalSettings: autoWrite, keepWorkspace: dir },
  );
  assert.equal(run.end.reason, 'answered');
  const afterWrite = toolReply(run.server, 1);
  assert.match(afterWrite, /Problems in age\.ts after this change \(now 1 error, 0 warnings\):\nNew:\n {2}age\.ts:1:15 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/);
  const afterFix = toolReply(run.server, 2);
  assert.match(afterFix, /Fixed:\n {2}age\.ts:1:15 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/);
  assert.match(afterFix, /now 0 errors/);

  const reports = run.of('diagnostics');
  assert.deepEqual(reports.map((r) => [r.tool, r.added.length, r.fixed.length, r.errors]), [['write_file', 1, 0, 1], ['edit_file', 0, 1, 0]]);
  // Each report follows its call's result, with the call's id.
  const results = run.of('tool-result');
  assert.equal(reports[0].callId, results[0].callId);
  assert.ok(reports[0].seq > results[0].seq);
});

test('problems the file had before an edit are not new; a file not checked before says so', async (t) => {
  const { dir, tools, editor } = workspaceWith({ 'old.ts': 'const a: any = 1;\nexport const b: number = "y";\n', 'cold.ts': 'let c: any;\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  editor.open('old.ts');
  const run = await runScripted(
    [
      toolCallTurn('edit_file', { path: 'old.ts', old_text: 'const a: any = 1;', new_text: '\n\nconst a: any = 1; // moved down' }),
      toolCallTurn('edit_file', { path: 'cold.ts', old_text: 'let c: any;', new_text: 'let c: any = 2;' }),
      textTurn('Done.'),
    ],
    { tools: tools(), approvalSettings: autoWrite, keepWorkspace: dir },
  );
  // Both problems moved two lines down: neither new nor fixed.
  assert.match(toolReply(run.server, 1), /Problems in old\.ts: no new problems, now 1 error, 1 warning\./);
  assert.match(toolReply(run.server, 2), /cold\.ts had not been checked before, so some may be older/);
});

test('a command reports the problems of the files it changed; sensitive files are left out', async (t) => {
  const { dir, tools, editor } = workspaceWith({ 'a.ts': 'export const a = 1;\n' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  editor.open('a.ts');
  editor.changedByCommand = ['a.ts', '.env'];
  const run = await runScripted(
    [toolCallTurn('run_command', { command: `printf 'export const a: number = "z";\\n' > a.ts && echo 'KEY=1' > .env` }), textTurn('Done.')],
    // Its redirection writes .env, a sensitive file: auto-approval does not answer, a person does.
    { tools: tools(), approvalSettings: autoWrite, keepWorkspace: dir, approve: async () => ({ kind: 'allow-once', reason: 'a person said yes' }) },
  );
  assert.deepEqual(run.of('approval-requested')[0]?.request.sensitivePaths, ['.env']);
  const reply = toolReply(run.server, 1);
  assert.match(reply, /a\.ts:1:15 error: .* ts\(2322\)/);
  assert.doesNotMatch(reply, /\.env/);
  assert.deepEqual(run.of('diagnostics')[0].files, ['a.ts']);
});

test('with problemsAfterEdits off a write reports nothing and no diagnostics event is emitted', async (t) => {
  const { dir, tools } = workspaceWith();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = await runScripted([toolCallTurn('write_file', { path: 'x.ts', content: 'export const n: number = "x";\n' }), textTurn('Done.')], {
    tools: tools({ problemsAfterEdits: false }),
    approvalSettings: autoWrite,
    keepWorkspace: dir,
  });
  assert.doesNotMatch(toolReply(run.server, 1), /Problems/);
  assert.equal(run.of('diagnostics').length, 0);
});

test('a check the language servers did not finish says so, and the write still succeeds', async (t) => {
  const { dir, tools, editor } = workspaceWith();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  editor.settles = false;
  const run = await runScripted([toolCallTurn('write_file', { path: 'y.ts', content: 'export const y = 1;\n' }), textTurn('Done.')], {
    tools: tools(),
    approvalSettings: autoWrite,
    keepWorkspace: dir,
  });
  assert.match(toolReply(run.server, 1), /^Wrote|^Created/);
  assert.match(toolReply(run.server, 1), /language servers had not finished after 2\.0 s/);
  assert.equal(run.of('diagnostics')[0].settled, false);
});

test('small-model mode offers get_problems but not the navigation tools, unless turned on', async (t) => {
  const { dir, tools } = workspaceWith();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const offered = async (navigationForSmallModels: boolean) => {
    const run = await runScripted([textTurn('Hi.')], { tools: tools({ navigationForSmallModels }), smallModel: 'on', keepWorkspace: dir });
    return run.of('run-start')[0].tools.map((tool) => tool.name);
  };
  const off = await offered(false);
  assert.ok(off.includes('get_problems'), off.join());
  for (const name of ['find_symbol', 'go_to_definition', 'find_usages', 'type_at', 'file_outline', 'terminal_output']) assert.ok(!off.includes(name), name);
  const on = await offered(true);
  assert.ok(on.some((name) => name === 'find_symbol' || name === 'go_to_definition'), on.join());
});
