import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import type { AnyTool, ToolContext, ToolResult } from '../../../src/agent/tool';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { fileOutline } from '../../../src/tools/file-outline';
import { findSymbol } from '../../../src/tools/find-symbol';
import { findUsages } from '../../../src/tools/find-usages';
import { getProblems } from '../../../src/tools/get-problems';
import { goToDefinition } from '../../../src/tools/go-to-definition';
import { terminalOutput } from '../../../src/tools/terminal-output';
import { typeAt } from '../../../src/tools/type-at';
import { ScriptedEditor } from '../../support/scripted-editor';
import { buildTree, type WorkspaceFixture } from '../../support/workspace-fixture';

// The tools' side of the editor port: how a place is found from path + line + name, how
// answers are named, grouped, bounded and filtered. The answers themselves come from the real
// TypeScript server in test/integration/suite/editor-port.test.ts.

describe('editor tools', () => {
  let fixture: WorkspaceFixture;
  let fs: NodeWorkspaceFs;
  let editor: ScriptedEditor;
  before(async () => {
    fixture = await buildTree(
      {
        'src/user.ts': 'export function makeUser(name: string) {\n  return { name };\n}\n',
        'src/a.ts': "import { makeUser } from './user';\nexport const a = makeUser('a');\nexport const a2 = makeUser('b');\n",
        'src/b.ts': "import { makeUser } from './user';\nmakeUser('c');\n",
        'src/bad.ts': 'export const n: number = "x";\nlet loose: any;\n',
        '.env': 'TOKEN=1\n',
      },
      'glassbox-editor-tools-',
    );
    fs = new NodeWorkspaceFs([fixture.base]);
  });
  after(() => fixture.remove());

  const context = (): ToolContext => ({ signal: new AbortController().signal, fs, log: silentLogger, runId: 'run', callId: 'call' });
  const run = async (tool: AnyTool, args: unknown): Promise<ToolResult> => {
    const result = await tool.execute(tool.input.parse(args), context());
    return typeof result === 'string' ? { output: result } : result;
  };
  const fresh = () => (editor = new ScriptedEditor(fixture.base));

  test('go_to_definition finds the column from the name, also a line or two off, and shows the definition with its lines', async () => {
    fresh();
    editor.definitionsAt = [{ kind: 'workspace', path: 'src/user.ts', line: 1, column: 17, endLine: 3 }];
    const exact = await run(goToDefinition(editor), { path: 'src/a.ts', line: 2, symbol: 'makeUser' });
    assert.deepEqual(editor.asked.at(-1)?.position, { path: 'src/a.ts', line: 2, column: 18 });
    assert.match(exact.output, /^1 definition of "makeUser" \(src\/a\.ts:2:18\):\nsrc\/user\.ts:1:\n1\| export function makeUser\(name: string\) \{\n2\| {3}return \{ name \};\n3\| \}/);
    assert.equal(exact.taintSource, 'language server results');

    const off = await run(goToDefinition(editor), { path: 'src/b.ts', line: 3, symbol: 'makeUser' });
    assert.match(off.output, /^"makeUser" is not on line 3; used line 2, where it is\./);
    // A word containing the name is not the name.
    await assert.rejects(run(goToDefinition(editor), { path: 'src/a.ts', line: 2, symbol: 'make' }), (error: Error) => error instanceof ToolError && /"make" is not on line 2 of src\/a\.ts.*Line 2 reads: "export const a = makeUser\('a'\);"/.test(error.message));
  });

  test('a definition outside the workspace is named as external; one in a sensitive file is counted, not shown', async () => {
    fresh();
    editor.definitionsAt = [
      { kind: 'external', name: 'node_modules/zod/lib/types.d.ts', line: 40 },
      { kind: 'workspace', path: '.env', line: 1, column: 1, endLine: 1 },
    ];
    const { output } = await run(goToDefinition(editor), { path: 'src/a.ts', line: 2, symbol: 'makeUser' });
    assert.match(output, /node_modules\/zod\/lib\/types\.d\.ts:40 \(external: outside the workspace, not read\)/);
    assert.match(output, /1 result in sensitive files .* is not shown/);
    assert.doesNotMatch(output, /TOKEN/);
  });

  test('find_usages groups by file with each line, bounded per file and in files', async () => {
    fresh();
    editor.referencesAt = [
      { kind: 'workspace', path: 'src/a.ts', line: 3, column: 19, endLine: 3 },
      { kind: 'workspace', path: 'src/a.ts', line: 2, column: 18, endLine: 2 },
      { kind: 'workspace', path: 'src/a.ts', line: 1, column: 10, endLine: 1 },
      { kind: 'workspace', path: 'src/b.ts', line: 2, column: 1, endLine: 2 },
      { kind: 'workspace', path: 'src/user.ts', line: 1, column: 17, endLine: 1 },
      { kind: 'external', name: 'lib.d.ts', line: 1 },
    ];
    const { output } = await run(findUsages(editor), { path: 'src/user.ts', line: 1, symbol: 'makeUser', max_files: 2, max_per_file: 2 });
    assert.equal(
      output,
      '5 usages of "makeUser" in 3 files:\n' +
        "src/a.ts (3):\n  1: import { makeUser } from './user';\n  2: export const a = makeUser('a');\n  … 1 more in this file\n" +
        "src/b.ts (1):\n  2: makeUser('c');\n" +
        '[1 more file not shown.]\n(1 usage outside the workspace, not read.)',
    );
  });

  test('get_problems lists errors first with source and code, and checks a file no server has looked at', async () => {
    fresh();
    const { output } = await run(getProblems(editor), { path: 'src/bad.ts' });
    assert.equal(editor.asked.filter((a) => a.method === 'settledProblems').length, 1, 'an unchecked file is opened and awaited');
    assert.equal(
      output,
      "1 error, 1 warning in 1 file (src/bad.ts):\nsrc/bad.ts:1:15 error: Type 'string' is not assignable to type 'number'. ts(2322)\nsrc/bad.ts:2:12 warning: Unexpected any. eslint(no-explicit-any)",
    );
    assert.match((await run(getProblems(editor), { severity: 'error' })).output, /^1 error, 0 warnings in 1 file \(the workspace\):/);
    assert.equal((await run(getProblems(editor), { path: 'src/a.ts' })).output, 'No problems in src/a.ts.');
  });

  test('tools that would show a sensitive file refuse it', async () => {
    fresh();
    for (const tool of [typeAt(editor), fileOutline(editor), getProblems(editor)]) {
      const args = tool.name === 'type_at' ? { path: '.env', line: 1, symbol: 'TOKEN' } : { path: '.env' };
      await assert.rejects(run(tool, args), /sensitive file/, tool.name);
    }
  });

  test('find_symbol puts exact names first and bounds the list', async () => {
    fresh();
    const at = (line: number) => ({ kind: 'workspace' as const, path: 'src/user.ts', line, column: 1, endLine: line });
    editor.symbols = [
      { name: 'makeUserFactory', kind: 'function', location: at(5) },
      { name: 'makeUser()', kind: 'function', location: at(1) },
      { name: 'remakeUser', kind: 'method', container: 'Admin', location: { kind: 'external', name: 'admin.d.ts', line: 3 } },
    ];
    const { output } = await run(findSymbol(editor), { query: 'makeUser', max_results: 2 });
    assert.equal(output, '3 symbols matching "makeUser":\nfunction makeUser() — src/user.ts:1\nfunction makeUserFactory — src/user.ts:5\n[1 more not shown; use a more specific name.]');
  });

  test('file_outline indents nested symbols and gets shallower until a big outline fits', async () => {
    fresh();
    const child = (name: string, line: number) => ({ name, kind: 'variable', line, endLine: line, children: [] });
    editor.outline = Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, kind: 'function', line: i * 3 + 1, endLine: i * 3 + 3, children: [child('x', i * 3 + 2)] }));
    const big = await run(fileOutline(editor), { path: 'src/user.ts' });
    assert.match(big.output, /^Outline of src\/user\.ts \(600 symbols, lines as "start–end"\) \(to depth 1: deeper symbols were left out/);
    assert.doesNotMatch(big.output, /variable x/);
    editor.outline = editor.outline.slice(0, 2);
    const small = await run(fileOutline(editor), { path: 'src/user.ts' });
    assert.equal(small.output, 'Outline of src/user.ts (4 symbols, lines as "start–end"):\nfunction f0 (1–3)\n  variable x (2)\nfunction f1 (4–6)\n  variable x (5)');
  });

  test('type_at returns the hover text; terminal_output the last command, or says none is known', async () => {
    fresh();
    editor.hovers = ['```typescript\nconst a: { name: string; }\n```'];
    assert.match((await run(typeAt(editor), { path: 'src/a.ts', line: 2, symbol: 'a' })).output, /^"a" at src\/a\.ts:2:14:\n```typescript\nconst a: \{ name: string; \}/);
    const terminal = terminalOutput(() => editor.lastTerminalCommand());
    assert.match((await run(terminal, {})).output, /^No finished command is known/);
    editor.terminal = { terminal: 'bash', command: 'npm test', cwd: '/w', exitCode: 1, output: 'FAIL a.test.ts\n' };
    const result = await run(terminal, {});
    assert.equal(result.output, 'Terminal "bash": `npm test` in /w — exit code 1\nFAIL a.test.ts');
    assert.equal(result.taintSource, 'output of `npm test` in the terminal');
  });
});
