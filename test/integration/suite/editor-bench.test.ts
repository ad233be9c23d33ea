/**
 * The problems-after-edit bench's measurements (test/bench/problems.ts starts this with
 * GLASSBOX_E2E_BENCH_OUT set; in the ordinary suite it is skipped): edits that alternately add
 * and fix a type error in a TypeScript file, through edit_file with the real language server,
 * recording how long each edit took to have its problems attached and how many tokens the
 * report added to the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatProblemReport } from '../../../src/agent/editor/problem-report';
import { silentLogger } from '../../../src/agent/logger';
import { countTextTokens } from '../../../src/agent/model/token-estimate';
import type { ToolResult } from '../../../src/agent/tool';
import { VscodeEditorPort } from '../../../src/host/editor/vscode-editor-port';
import { createHostSearcher } from '../../../src/host/workspace/host-searcher';
import { VscodeWorkspaceFs } from '../../../src/host/workspace/vscode-workspace-fs';
import { createTools } from '../../../src/tools';
import { e2eEnv } from './env';

export interface EditMeasurement {
  /** From the edit's start until its result, problems attached, was back. */
  readonly totalMs: number;
  /** The part spent waiting for the language server after the write. */
  readonly waitedMs: number;
  readonly settled: boolean;
  readonly added: number;
  readonly fixed: number;
  /** Tokens the problem report added to the result (cl100k). */
  readonly tokens: number;
}

const out = process.env.GLASSBOX_E2E_BENCH_OUT;
const EDITS = Number(process.env.GLASSBOX_E2E_BENCH_EDITS ?? 20);

(out ? describe : describe.skip)('problems-after-edit bench', function () {
  this.timeout(600_000);

  it('measures edit → problems attached on the TypeScript fixture', async () => {
    const root = e2eEnv('GLASSBOX_E2E_WORKSPACE');
    const lines = ['export interface Order {', '  id: string;', '  total: number;', '}', ''];
    for (let i = 0; i < 150; i++) lines.push(`export function orderTotal${i}(order: Order): number {`, `  return order.total * ${i + 1};`, '}', '');
    lines.push('export const n: number = 1;', '');
    mkdirSync(join(root, 'bench'), { recursive: true });
    writeFileSync(join(root, 'bench/tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'commonjs' } }));
    writeFileSync(join(root, 'bench/orders.ts'), lines.join('\n'));
    const fs = new VscodeWorkspaceFs();
    const tools = createTools({ searcher: await createHostSearcher(fs, silentLogger), editor: { port: new VscodeEditorPort(fs), problemsAfterEdits: true } });
    const edit = tools.find((t) => t.name === 'edit_file')!;
    // A warm server, as in a person's editor: the first check loads the project.
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'bench/orders.ts')));
    await vscode.window.showTextDocument(document, { preview: false, preserveFocus: true });
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const measurements: EditMeasurement[] = [];
    for (let i = 0; i < EDITS + 1; i++) {
      const breaking = i % 2 === 0;
      const args = breaking ? { path: 'bench/orders.ts', old_text: 'n: number = 1;', new_text: 'n: number = "x";' } : { path: 'bench/orders.ts', old_text: 'n: number = "x";', new_text: 'n: number = 1;' };
      const started = performance.now();
      const result = (await edit.execute(edit.input.parse(args), { signal: AbortSignal.timeout(60_000), fs, log: silentLogger, runId: 'bench', callId: `edit-${i}` })) as ToolResult;
      const totalMs = performance.now() - started;
      const report = result.diagnostics;
      if (!report) throw new Error(`edit ${i} got no problem report: ${result.output}`);
      // The first edit pays for the project's first full check; it is left out.
      if (i === 0) continue;
      measurements.push({ totalMs, waitedMs: report.waitedMs, settled: report.settled, added: report.added.length, fixed: report.fixed.length, tokens: countTextTokens(`\n\n${formatProblemReport(report)}`) });
    }
    writeFileSync(out!, JSON.stringify(measurements));
  });
});
