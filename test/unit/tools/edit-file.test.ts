import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import type { ToolContext } from '../../../src/agent/tool';
import { editFile } from '../../../src/tools/edit-file';

const SOURCE = [
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export function sub(a: number, b: number): number {',
  '  return a - b;',
  '}',
  '',
].join('\n');

function setup(t: { after(fn: () => void): void }, files: Record<string, string> = { 'src/math.ts': SOURCE }) {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-edit-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
  const fs = new NodeWorkspaceFs([root]);
  const ctx: ToolContext = { signal: new AbortController().signal, fs, log: silentLogger, runId: 'run', callId: 'call' };
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  return { root, ctx, read, tool: editFile() };
}

test('one exact match is replaced, with a diff preview and the edited lines in the answer', async (t) => {
  const { ctx, tool, read } = setup(t);
  const args = { path: 'src/math.ts', old_text: '  return a - b;\n', new_text: '  const difference = a - b;\n  return difference;\n' };
  const preview = await tool.preview!(args, ctx);
  assert.equal(preview.summary, 'Edit src/math.ts (+2 −1 lines)');
  assert.equal(preview.detail, 'Replaces line 6 of src/math.ts with 2 lines.');
  assert.equal(preview.diff?.before, SOURCE);
  assert.equal(preview.diff?.after, SOURCE.replace('  return a - b;\n', args.new_text));

  const output = await tool.execute(args, ctx);
  assert.equal(
    output,
    'Edited src/math.ts: line 6 replaced by 2 lines. Now at lines 6–7:\n' +
      '4| \n5| export function sub(a: number, b: number): number {\n6|   const difference = a - b;\n7|   return difference;\n8| }\n9| ',
  );
  assert.equal(read('src/math.ts'), SOURCE.replace('  return a - b;\n', args.new_text));
});

test('replacement text is inserted literally, $& and $1 included', async (t) => {
  const { ctx, tool, read } = setup(t);
  await tool.execute({ path: 'src/math.ts', old_text: 'a + b', new_text: "`${a}$&$1`" }, ctx);
  assert.match(read('src/math.ts'), /return `\$\{a\}\$&\$1`;/);
});

test('text that is not there fails with the most similar lines, numbered', async (t) => {
  const { ctx, tool, read } = setup(t);
  const error = await tool
    .execute({ path: 'src/math.ts', old_text: 'export function sub(a: number, b: number) {\n  return a - b\n}', new_text: 'x' }, ctx)
    .then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ToolError);
  assert.match(error.message, /^old_text was not found in src\/math\.ts\. The most similar text is at lines 5–7 \(\d+% similar\):\n/);
  assert.match(error.message, /5\| export function sub\(a: number, b: number\): number \{\n6\|   return a - b;\n7\| \}/);
  assert.equal(read('src/math.ts'), SOURCE, 'nothing was written');
});

test('an indentation-only difference is named as such', async (t) => {
  const { ctx, tool } = setup(t);
  await assert.rejects(tool.execute({ path: 'src/math.ts', old_text: '    return a + b;', new_text: 'x' }, ctx), (error: Error) => {
    assert.match(error.message, /most similar text is at line 2 \(100% similar\)/);
    assert.match(error.message, /differs only in whitespace or indentation/);
    return true;
  });
});

test('pasted line numbers are pointed out', async (t) => {
  const { ctx, tool } = setup(t);
  await assert.rejects(tool.execute({ path: 'src/math.ts', old_text: '2|   return a + b;\n3| }', new_text: 'x' }, ctx), /seems to include line numbers/);
});

test('text with nothing similar says to read the file again', async (t) => {
  const { ctx, tool } = setup(t);
  await assert.rejects(tool.execute({ path: 'src/math.ts', old_text: 'zzzz qqqq', new_text: 'x' }, ctx), /Nothing in the file is similar to it/);
});

test('text found several times fails naming how often and where', async (t) => {
  const { ctx, tool, read } = setup(t);
  await assert.rejects(
    tool.preview!({ path: 'src/math.ts', old_text: 'b: number): number {', new_text: 'x' }, ctx),
    /old_text occurs 2 times in src\/math\.ts \(starting at lines 1, 5\)\. Include more surrounding lines/,
  );
  await assert.rejects(tool.execute({ path: 'src/math.ts', old_text: '}', new_text: ']' }, ctx), /occurs 2 times/);
  assert.equal(read('src/math.ts'), SOURCE);
});

test('a Windows (CRLF) file is matched with plain newlines and keeps its line endings', async (t) => {
  const crlf = 'one\r\ntwo\r\nthree\r\n';
  const { ctx, tool, read } = setup(t, { 'win.txt': crlf });
  await tool.execute({ path: 'win.txt', old_text: 'two\nthree', new_text: '2\n3' }, ctx);
  assert.equal(read('win.txt'), 'one\r\n2\r\n3\r\n');
});

test('a missing file, a binary file and a no-op edit are refused clearly', async (t) => {
  const { ctx, tool, root } = setup(t);
  writeFileSync(join(root, 'blob.bin'), Buffer.from([1, 0, 2, 3]));
  await assert.rejects(tool.execute({ path: 'nope.ts', old_text: 'a', new_text: 'b' }, ctx), /No file at "nope\.ts"\. To create a new file, use write_file/);
  await assert.rejects(tool.execute({ path: 'blob.bin', old_text: 'a', new_text: 'b' }, ctx), /is a binary file/);
  await assert.rejects(tool.execute({ path: 'src/math.ts', old_text: 'a + b', new_text: 'a + b' }, ctx), /nothing to change/);
  await assert.rejects(tool.execute({ path: '../x', old_text: 'a', new_text: 'b' }, ctx), { name: 'PathOutsideWorkspaceError' });
});

test('the nearest match is found in a large file without a long wait', { timeout: 10_000 }, async (t) => {
  const big = Array.from({ length: 50_000 }, (_, i) => `const value${i} = compute(${i}, "${'x'.repeat(i % 40)}");`).join('\n');
  const { ctx, tool } = setup(t, { 'big.ts': big });
  const wanted = Array.from({ length: 60 }, (_, i) => `const value${i + 30_000} = compute(${i + 30_000}, "${'x'.repeat((i + 30_000) % 40)}")`).join('\n');
  await assert.rejects(tool.execute({ path: 'big.ts', old_text: wanted, new_text: 'x' }, ctx), /most similar text is at lines 30001–30060/);
});
