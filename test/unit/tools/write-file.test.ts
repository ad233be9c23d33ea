import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import type { ToolContext } from '../../../src/agent/tool';
import { countLines, lineChanges, writeFile } from '../../../src/tools/write-file';

function setup(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-write-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fs = new NodeWorkspaceFs([root]);
  const ctx: ToolContext = { signal: new AbortController().signal, fs, log: silentLogger, runId: 'run', callId: 'call' };
  return { root, fs, ctx, tool: writeFile() };
}

test('a new file is created with its folders, and the preview says so with the full content as diff', async (t) => {
  const { root, ctx, tool } = setup(t);
  const args = tool.input.parse({ path: './src/deep/a.ts', content: 'export const a = 1;\nexport const b = 2;\n' });
  const preview = await tool.preview!(args, ctx);
  assert.equal(preview.summary, 'Create src/deep/a.ts (2 lines)');
  assert.deepEqual(preview.paths, ['src/deep/a.ts']);
  assert.deepEqual(preview.diff, { path: 'src/deep/a.ts', before: '', after: args.content });
  assert.equal(existsSync(join(root, 'src')), false, 'a preview writes nothing');

  assert.equal(await tool.execute(args, ctx), 'Created src/deep/a.ts (2 lines).');
  assert.equal(readFileSync(join(root, 'src/deep/a.ts'), 'utf8'), args.content);
});

test('overwriting shows lines added and removed', async (t) => {
  const { root, ctx, tool } = setup(t);
  writeFileSync(join(root, 'list.txt'), 'one\ntwo\nthree\nfour\n');
  const args = { path: 'list.txt', content: 'one\n2\nthree\nfour\nfive\nsix\n' };
  const preview = await tool.preview!(args, ctx);
  assert.equal(preview.summary, 'Overwrite list.txt (+3 −1 lines)');
  assert.equal(preview.diff?.before, 'one\ntwo\nthree\nfour\n');
  assert.match(preview.detail, /Replaces list\.txt \(4 lines, 19 B\) with 6 lines/);

  assert.equal(await tool.execute(args, ctx), 'Overwrote list.txt with 6 lines (+3 −1 lines).');
  assert.equal(readFileSync(join(root, 'list.txt'), 'utf8'), args.content);
});

test('a binary file being replaced is described by size, not shown as text', async (t) => {
  const { root, ctx, tool } = setup(t);
  writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  const preview = await tool.preview!({ path: 'logo.png', content: 'text' }, ctx);
  assert.equal(preview.summary, 'Overwrite logo.png (binary file, 8 B) with 1 line');
  assert.equal(preview.diff, undefined);
});

test('paths outside the workspace and folders are refused before anything is written', async (t) => {
  const { root, ctx, tool } = setup(t);
  mkdirSync(join(root, 'dir'));
  await assert.rejects(tool.preview!({ path: '../escape.txt', content: 'x' }, ctx), { name: 'PathOutsideWorkspaceError' });
  await assert.rejects(tool.execute({ path: '../escape.txt', content: 'x' }, ctx), { name: 'PathOutsideWorkspaceError' });
  await assert.rejects(tool.execute({ path: 'dir', content: 'x' }, ctx), /"dir" is a folder, not a file/);
  assert.equal(existsSync(join(root, '..', 'escape.txt')), false);
});

test('a cancelled call writes nothing', async (t) => {
  const { root, ctx, tool } = setup(t);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(tool.execute({ path: 'a.txt', content: 'x' }, { ...ctx, signal: controller.signal }));
  assert.equal(existsSync(join(root, 'a.txt')), false);
});

test('the schema refuses a call without a path or content', () => {
  const { tool } = setup({ after: () => undefined });
  assert.equal(tool.input.safeParse({ path: '', content: 'x' }).success, false);
  assert.equal(tool.input.safeParse({ path: 'a.txt' }).success, false);
});

test('line changes are counted like a diff: moves, inserts, replacements, unchanged text', () => {
  assert.deepEqual(lineChanges('a\nb\nc\n', 'a\nb\nc\n'), { added: 0, removed: 0 });
  assert.deepEqual(lineChanges('', 'a\nb\n'), { added: 2, removed: 0 });
  assert.deepEqual(lineChanges('a\nb\n', ''), { added: 0, removed: 2 });
  assert.deepEqual(lineChanges('a\nb\nc\nd\n', 'a\nx\nb\nc\ny\nd\n'), { added: 2, removed: 0 });
  assert.deepEqual(lineChanges('a\nb\nc\nd\ne\n', 'a\nc\nb\nd\ne\n'), { added: 1, removed: 1 });
  assert.deepEqual(lineChanges('x\na\nb\n', 'a\nb\ny\n'), { added: 1, removed: 1 });
  // Scattered changes in a long file are counted exactly, not as one big block.
  const before = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
  const after = before.map((line, i) => (i % 100 === 0 ? `${line} changed` : line));
  assert.deepEqual(lineChanges(before.join('\n'), after.join('\n')), { added: 30, removed: 30 });
});

test('lines are counted the way an editor numbers them', () => {
  assert.equal(countLines(''), 0);
  assert.equal(countLines('a'), 1);
  assert.equal(countLines('a\n'), 1);
  assert.equal(countLines('a\nb'), 2);
  assert.equal(countLines('\n\n'), 2);
});
