/**
 * The editor port against the real TypeScript language server (VS Code's built-in
 * typescript-language-features, shipped with code-server): problems after a write and after
 * its fix reach the model, and each editor tool answers from the server, through imports, across
 * files, into node_modules (named external) and past a provider that never answers.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent, EventOf } from '../../../src/agent/events';
import { silentLogger } from '../../../src/agent/logger';
import { OpenAIModel } from '../../../src/agent/model/openai-model';
import { runAgent } from '../../../src/agent/loop/run-agent';
import type { AnyTool, ToolContext, ToolResult } from '../../../src/agent/tool';
import { VscodeEditorPort } from '../../../src/host/editor/vscode-editor-port';
import { createHostSearcher } from '../../../src/host/workspace/host-searcher';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { createTools } from '../../../src/tools';
import { startScriptedServer, textTurn, toolCallTurn, type ScriptedServer } from '../../support/scripted-server';
import { e2eEnv } from './env';

const SENSITIVE = ['**/secret-config.ts'];

function bigFile(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 200; i++) {
    lines.push(`/** Step ${i}. */`, `export function step${i}(value: number): number {`, '  const doubled = value * 2;', '  const shifted = doubled + 1;');
    lines.push('  if (shifted > 100) {', '    return shifted - 100;', '  }', `  return shifted + ${i};`, '}', '');
  }
  return lines.join('\n');
}

const FILES: Record<string, string> = {
  'lsp/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'commonjs', moduleResolution: 'node' } }),
  'lsp/user.ts': 'export interface User {\n  name: string;\n  birthYear: number;\n}\n\nexport function makeUser(name: string, birthYear: number): User {\n  return { name, birthYear };\n}\n',
  'lsp/a.ts': "import { makeUser } from './user';\n\nexport const alice = makeUser('Alice', 1990);\n",
  'lsp/b.ts': "import { makeUser } from './user';\n\nconst bob = makeUser('Bob', 1985);\nexport const names = [bob.name];\n",
  'lsp/infer.ts': 'export const totals = [1, 2, 3].map((n) => ({ n, label: String(n) }));\n',
  'lsp/uses-lib.ts': "import { fancy } from 'fancy-lib';\n\nexport const value = fancy(2);\n",
  'lsp/node_modules/fancy-lib/package.json': JSON.stringify({ name: 'fancy-lib', version: '1.0.0', types: 'index.d.ts' }),
  'lsp/node_modules/fancy-lib/index.d.ts': '/** Makes a number fancy. */\nexport declare function fancy(value: number): string;\n',
  'lsp/secret-config.ts': "import { makeUser } from './user';\n\nexport const admin = makeUser('root', 1970);\nexport const broken: number = 'x';\n",
  'lsp/big.ts': bigFile(),
  'lsp/slow.never': 'nothing here answers\n',
  'lsp/warm.ts': 'export const warm: number = "cold";\n',
};

describe('the editor port against the real TypeScript server', function () {
  this.timeout(120_000);
  const root = e2eEnv('GLASSBOX_E2E_WORKSPACE');
  let fs: VscodeWorkspaceFs;
  let port: VscodeEditorPort;
  let tools: Map<string, AnyTool>;
  let server: ScriptedServer | undefined;

  before(async () => {
    for (const [path, content] of Object.entries(FILES)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    fs = new VscodeWorkspaceFs();
    port = new VscodeEditorPort(fs, { requestTimeoutMs: 2_000 });
    tools = new Map(
      createTools({ searcher: await createHostSearcher(fs, silentLogger), sensitivePaths: SENSITIVE, editor: { port, problemsAfterEdits: true, problemsWaitMs: 15_000 } }).map((t) => [t.name, t]),
    );
    // The server loads the project once (seconds on a cold machine): wait for its first answer,
    // so the tests below measure what a person would meet in a warm editor.
    const warm = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'lsp/warm.ts')));
    // TypeScript checks files shown in a tab.
    await vscode.window.showTextDocument(warm, { preview: false, preserveFocus: true });
    const deadline = Date.now() + 90_000;
    while (vscode.languages.getDiagnostics(warm.uri).length === 0) {
      if (Date.now() > deadline) throw new Error('the TypeScript server never reported on lsp/warm.ts');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const call = async (name: string, args: unknown): Promise<string> => {
    const tool = tools.get(name);
    assert.ok(tool, `no tool ${name}`);
    const context: ToolContext = { signal: AbortSignal.timeout(30_000), fs, log: silentLogger, runId: 'run', callId: 'call' };
    const result = (await tool.execute(tool.input.parse(args), context)) as string | ToolResult;
    return typeof result === 'string' ? result : result.output;
  };

  it('a written type error reaches the model as ts(2322); the fixing edit reports it gone', async () => {
    server = await startScriptedServer([
      toolCallTurn('write_file', { path: 'lsp/age.ts', content: 'export const n: number = "x";\n' }),
      toolCallTurn('edit_file', { path: 'lsp/age.ts', old_text: 'number = "x"', new_text: 'number = 42' }),
      textTurn('Fixed the type error.'),
    ]);
    const events: AgentEvent[] = [];
    for await (const event of runAgent({
      model: new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'scripted-model' }),
      tools: [...tools.values()],
      fs,
      task: 'Add n.',
      approvalSettings: { autoApprove: { read: true, write: true, execute: false, network: false }, taintNeedsApproval: false },
    })) {
      events.push(event);
    }
    const toolMessage = (index: number) => String(server!.requests[index].messages.filter((m) => m.role === 'tool').at(-1)?.content);
    assert.match(toolMessage(1), /New:\n {2}lsp\/age\.ts:1:14 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/);
    assert.match(toolMessage(2), /Fixed:\n {2}lsp\/age\.ts:1:14 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/);
    const reports = events.filter((e): e is EventOf<'diagnostics'> => e.type === 'diagnostics');
    assert.deepEqual(reports.map((r) => [r.tool, r.added.length, r.fixed.length, r.settled]), [['write_file', 1, 0, true], ['edit_file', 0, 1, true]]);
    assert.equal(events.at(-1)?.type, 'run-end');
  });

  it('get_problems lists a file\'s errors with source and code; a sensitive file\'s are left out', async () => {
    assert.match(await call('get_problems', { path: 'lsp/warm.ts' }), /1 error, 0 warnings in 1 file \(lsp\/warm\.ts\):\nlsp\/warm\.ts:1:14 error: Type 'string' is not assignable to type 'number'\. ts\(2322\)/);
    await vscode.window.showTextDocument(vscode.Uri.file(join(root, 'lsp/secret-config.ts')), { preview: false, preserveFocus: true });
    await waitFor(() => vscode.languages.getDiagnostics(vscode.Uri.file(join(root, 'lsp/secret-config.ts'))).length > 0);
    const all = await call('get_problems', {});
    assert.match(all, /lsp\/warm\.ts:1:14/);
    assert.doesNotMatch(all, /secret-config/);
    assert.match(all, /Problems in 1 sensitive file .* are not shown/);
  });

  it('go_to_definition follows an import to the definition, with its lines', async () => {
    const output = await call('go_to_definition', { path: 'lsp/a.ts', line: 3, symbol: 'makeUser' });
    assert.match(output, /1 definition of "makeUser" \(lsp\/a\.ts:3:22\):\nlsp\/user\.ts:6:\n/);
    assert.match(output, /6\| export function makeUser\(name: string, birthYear: number\): User \{/);
  });

  it('go_to_definition into node_modules names the library file as external and does not read it', async () => {
    const output = await call('go_to_definition', { path: 'lsp/uses-lib.ts', line: 3, symbol: 'fancy' });
    assert.match(output, /node_modules\/fancy-lib\/index\.d\.ts:2 \(external: outside the workspace, not read\)/);
    assert.doesNotMatch(output, /Makes a number fancy/);
  });

  it('find_usages lists the usages across three files, grouped by file; the sensitive file is counted, not shown', async () => {
    const output = await call('find_usages', { path: 'lsp/user.ts', line: 6, symbol: 'makeUser' });
    assert.match(output, /usages of "makeUser" in 3 files:/);
    assert.match(output, /lsp\/a\.ts \(2\):\n {2}1: import \{ makeUser \} from '\.\/user';\n {2}3: export const alice = makeUser\('Alice', 1990\);/);
    assert.match(output, /lsp\/b\.ts \(2\):/);
    assert.match(output, /lsp\/user\.ts \(1\):\n {2}6: export function makeUser/);
    assert.doesNotMatch(output, /secret-config|root/);
    assert.match(output, /2 results in sensitive files .* are not shown/);
  });

  it('find_symbol finds a declaration by name', async () => {
    const output = await call('find_symbol', { query: 'makeUser' });
    assert.match(output, /^1 symbol matching "makeUser":\nfunction makeUser(\(\))? — lsp\/user\.ts:6$/);
  });

  it('type_at shows an inferred type written nowhere', async () => {
    const output = await call('type_at', { path: 'lsp/infer.ts', line: 1, symbol: 'totals' });
    assert.match(output, /const totals: \{\s*n: number;\s*label: string;\s*\}\[\]/);
  });

  it('file_outline lists the symbols of a 2,000-line file with their lines', async () => {
    const output = await call('file_outline', { path: 'lsp/big.ts' });
    // 200 functions with 2 variables each: the variables are left out to fit, and it says so.
    assert.match(output, /^Outline of lsp\/big\.ts \(600 symbols, lines as "start–end"\) \(to depth 1: deeper symbols were left out/);
    assert.match(output, /\nfunction step1 \(2–9\)\nfunction step2 \(12–19\)\n/);
    assert.match(output, /\nfunction step200 \(1992–1999\)/);
  });

  it('a provider that never answers: the call fails within its bound with a clear error and the run goes on', async () => {
    const hanging = vscode.languages.registerDefinitionProvider({ pattern: '**/lsp/slow.never' }, { provideDefinition: () => new Promise(() => undefined) });
    try {
      server = await startScriptedServer([toolCallTurn('go_to_definition', { path: 'lsp/slow.never', line: 1, symbol: 'nothing' }), textTurn('The server did not answer; I will read the file instead.')]);
      const events: AgentEvent[] = [];
      for await (const event of runAgent({
        model: new OpenAIModel({ baseURL: server.baseURL, apiKey: 'test-key', model: 'scripted-model' }),
        tools: [...tools.values()],
        fs,
        task: 'Where is nothing defined?',
      })) {
        events.push(event);
      }
      const result = events.find((e): e is EventOf<'tool-result'> => e.type === 'tool-result');
      assert.equal(result?.ok, false);
      assert.match(result!.output, /The language server did not answer for definitions within 2 s/);
      const end = events.at(-1) as EventOf<'run-end'>;
      assert.equal(end.reason, 'answered');
    } finally {
      hanging.dispose();
    }
  });

  it('a sensitive file is refused by the tools that would show its contents', async () => {
    await assert.rejects(call('type_at', { path: 'lsp/secret-config.ts', line: 3, symbol: 'admin' }), /sensitive file/);
    await assert.rejects(call('file_outline', { path: 'lsp/secret-config.ts' }), /sensitive file/);
  });
});

async function waitFor(condition: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
