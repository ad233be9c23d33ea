import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FileNotFoundError, PathOutsideWorkspaceError, ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import type { WorkspaceFs } from '../../../src/agent/workspace-fs';
import { MAX_WHOLE_READ_BYTES, readFile } from '../../../src/tools/read-file';
import { buildTree, type WorkspaceFixture } from '../../support/workspace-fixture';

const numbered = (count: number) => Array.from({ length: count }, (_, index) => `line ${index + 1}`).join('\n');

const files = {
  'ws/src/a.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n',
  'ws/five.txt': `${numbered(5)}\n`,
  'ws/no-final-newline.txt': numbered(3),
  'ws/crlf.txt': 'one\r\ntwo\r\n',
  'ws/empty.txt': '',
  'ws/.env': 'API_KEY=abc\n',
  'ws/image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]),
  'ws/long-line.txt': `${'z'.repeat(5000)}\nshort\n`,
  // Over the whole-read limit: 40,000 lines of 9 bytes = 360,000 bytes.
  'ws/big.txt': `${Array.from({ length: 40_000 }, (_, index) => String(index + 1).padStart(8, '0')).join('\n')}\n`,
  'outside/secret.txt': 'SECRET\n',
  'ws/link-out': { link: '../outside/secret.txt' },
};

describe('read_file', () => {
  let fixture: WorkspaceFixture;
  let fs: NodeWorkspaceFs;
  before(async () => {
    fixture = await buildTree(files, 'glassbox-read-');
    fs = new NodeWorkspaceFs([fixture.at('ws')]);
  });
  after(() => fixture.remove());

  const context = (over: WorkspaceFs = fs): ToolContext => ({
    signal: new AbortController().signal,
    fs: over,
    log: silentLogger,
    runId: 'run',
    callId: 'call',
  });
  const run = async (args: unknown, over?: WorkspaceFs): Promise<ToolResult> => {
    const result = await readFile.execute(readFile.input.parse(args), context(over));
    assert.equal(typeof result, 'object', 'read_file returns a ToolResult');
    return result as ToolResult;
  };

  test('a whole file comes with a header, line numbers and its path as taint source', async () => {
    const result = await run({ path: './src/a.ts' });
    assert.equal(result.output, 'src/a.ts — lines 1–3 of 3\n1\tconst a = 1;\n2\tconst b = 2;\n3\tconst c = 3;');
    assert.equal(result.taintSource, 'src/a.ts');
  });

  test('line numbers are padded to the widest number; CRs and missing final newlines are handled', async () => {
    const range = await run({ path: 'big.txt', start_line: 9, end_line: 10 });
    assert.equal(range.output, 'big.txt — lines 9–10 of 40000\n 9\t00000009\n10\t00000010');
    assert.equal((await run({ path: 'crlf.txt' })).output, 'crlf.txt — lines 1–2 of 2\n1\tone\n2\ttwo');
    assert.equal((await run({ path: 'no-final-newline.txt' })).output, 'no-final-newline.txt — lines 1–3 of 3\n1\tline 1\n2\tline 2\n3\tline 3');
    assert.equal((await run({ path: 'empty.txt' })).output, 'empty.txt (empty file)');
  });

  test('a range shows just those lines, with the total when known', async () => {
    assert.equal((await run({ path: 'five.txt', start_line: 2, end_line: 3 })).output, 'five.txt — lines 2–3 of 5\n2\tline 2\n3\tline 3');
    assert.equal((await run({ path: 'five.txt', start_line: 4 })).output, 'five.txt — lines 4–5 of 5\n4\tline 4\n5\tline 5');
    assert.equal((await run({ path: 'five.txt', end_line: 1 })).output, 'five.txt — lines 1–1 of 5\n1\tline 1');
    assert.equal((await run({ path: 'five.txt', start_line: 4, end_line: 99 })).output, 'five.txt — lines 4–5 of 5\n4\tline 4\n5\tline 5');
    assert.equal((await run({ path: 'no-final-newline.txt', start_line: 1, end_line: 1 })).output, 'no-final-newline.txt — lines 1–1 of 3\n1\tline 1');
    assert.equal((await run({ path: 'no-final-newline.txt', start_line: 3, end_line: 3 })).output, 'no-final-newline.txt — lines 3–3 of 3\n3\tline 3');
  });

  test('a range starting past the end, or ending before it starts, is refused', async () => {
    await assert.rejects(run({ path: 'five.txt', start_line: 6 }), (error: unknown) => error instanceof ToolError && /has only 5 lines; start_line 6/.test(error.message));
    assert.equal(readFile.input.safeParse({ path: 'five.txt', start_line: 3, end_line: 2 }).success, false);
    assert.equal(readFile.input.safeParse({ path: 'five.txt', start_line: 0 }).success, false);
  });

  test('a file over the limit is refused without a range, with its size and how to read it', async () => {
    await assert.rejects(run({ path: 'big.txt' }), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /"big\.txt" is 351\.6 KB \(360000 bytes\), over the 256 KB limit/);
      assert.match(error.message, /start_line and end_line/);
      return true;
    });
    assert.ok(360_000 > MAX_WHOLE_READ_BYTES);
  });

  test('a range of a large file is streamed: readFile is never called', async () => {
    const streamOnly = new Proxy(fs, {
      get(target, key) {
        if (key === 'readFile') return () => assert.fail('read_file loaded a whole file for a range');
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const result = await run({ path: 'big.txt', start_line: 39_999, end_line: 40_000 }, streamOnly);
    assert.equal(result.output, 'big.txt — lines 39999–40000 of 40000\n39999\t00039999\n40000\t00040000');
  });

  test('a range without an end stops at the output limit and says where to continue', async () => {
    const result = await run({ path: 'big.txt', start_line: 1 });
    const lines = result.output.split('\n');
    assert.equal(lines[0], 'big.txt — lines 1–29128 of 40000');
    assert.equal(lines.at(-1), '[Stopped after line 29128: the output reached 256 KB. Continue with start_line 29129.]');
  });

  test('the total is left out when counting it would read too far', async () => {
    const huge = await buildTree({ 'huge.txt': `${'0123456789abcde\n'.repeat(1_100_000)}` }, 'glassbox-read-huge-');
    try {
      const result = await run({ path: 'huge.txt', start_line: 2, end_line: 3 }, new NodeWorkspaceFs([huge.base]));
      assert.equal(result.output, 'huge.txt — lines 2–3 (the file goes on)\n2\t0123456789abcde\n3\t0123456789abcde');
    } finally {
      await huge.remove();
    }
  });

  test('very long lines are cut with their length', async () => {
    const whole = (await run({ path: 'long-line.txt' })).output.split('\n');
    assert.equal(whole[1], `1\t${'z'.repeat(2000)}… [line cut: 5000 characters]`);
    assert.equal(whole[2], '2\tshort');
    const ranged = (await run({ path: 'long-line.txt', start_line: 1, end_line: 1 })).output.split('\n');
    assert.equal(ranged[1], whole[1]);
  });

  test('binary files are refused with their size', async () => {
    await assert.rejects(run({ path: 'image.png' }), /"image\.png" is a binary file \(14 B, 14 bytes\); read_file shows text files only/);
    await assert.rejects(run({ path: 'image.png', start_line: 1, end_line: 2 }), /is a binary file/);
  });

  test('folders, missing files and paths outside the workspace are refused', async () => {
    await assert.rejects(run({ path: 'src' }), /"src" is a folder; use list_files/);
    await assert.rejects(run({ path: 'src/missing.ts' }), FileNotFoundError);
    await assert.rejects(run({ path: '../outside/secret.txt' }), PathOutsideWorkspaceError);
    await assert.rejects(run({ path: 'link-out' }), PathOutsideWorkspaceError);
    await assert.rejects(run({ path: fixture.at('outside/secret.txt') }), PathOutsideWorkspaceError);
  });

  test('preview names the normalized path so sensitive files are seen before reading', async () => {
    assert.deepEqual(await readFile.preview!(readFile.input.parse({ path: './.env' }), context()), {
      summary: 'Read .env',
      detail: 'Reads .env and shows it to the model.',
      paths: ['.env'],
    });
    const ranged = await readFile.preview!(readFile.input.parse({ path: 'src//a.ts', start_line: 2, end_line: 3 }), context());
    assert.equal(ranged.summary, 'Read src/a.ts lines 2–3');
    assert.deepEqual(ranged.paths, ['src/a.ts']);
    await assert.rejects(readFile.preview!(readFile.input.parse({ path: '../outside/secret.txt' }), context()), PathOutsideWorkspaceError);
  });

  test('is a read tool whose schema the model sees', () => {
    assert.equal(readFile.name, 'read_file');
    assert.equal(readFile.risk, 'read');
    assert.match(readFile.description, /start_line/);
  });
});
