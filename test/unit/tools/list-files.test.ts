import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../../src/agent/workspace/search/ripgrep-searcher';
import type { TextSearcher } from '../../../src/agent/workspace/search/text-searcher';
import type { ToolContext } from '../../../src/agent/tool';
import { listFiles } from '../../../src/tools/list-files';
import { buildTree, requireRipgrep, type WorkspaceFixture } from '../../support/workspace-fixture';

describe('list_files', () => {
  let fixture: WorkspaceFixture;
  let fs: NodeWorkspaceFs;
  const searchers: TextSearcher[] = [];
  before(async () => {
    const files: Record<string, string> = {
      '.gitignore': 'dist/\n',
      'README.md': '# x\n',
      'dist/out.js': 'built\n',
      '.env': 'SECRET=1\n',
      'src/app.ts': 'app\n',
      'src/app.test.ts': 'test\n',
      'src/util/strings.ts': 'strings\n',
    };
    for (let index = 0; index < 12; index++) files[`data/item-${String(index).padStart(2, '0')}.json`] = '{}\n';
    fixture = await buildTree(files, 'glassbox-list-');
    fs = new NodeWorkspaceFs([fixture.base]);
    searchers.push(new RipgrepSearcher(fs, await requireRipgrep()), new NodeSearcher(fs));
  });
  after(() => fixture.remove());

  const context = (): ToolContext => ({ signal: new AbortController().signal, fs, log: silentLogger, runId: 'run', callId: 'call' });
  const run = (searcher: TextSearcher, args: unknown) => {
    const tool = listFiles(searcher);
    return tool.execute(tool.input.parse(args), context());
  };

  test('lists files in walk order, leaving out ignored and hidden ones', async () => {
    for (const searcher of searchers) {
      const output = await run(searcher, { glob: 'src/**' });
      assert.equal(output, '3 files matching "src/**":\nsrc/app.test.ts\nsrc/app.ts\nsrc/util/strings.ts', searcher.engine);
      const all = String(await run(searcher, {}));
      assert.ok(!all.includes('dist/') && !all.includes('.env'), `${searcher.engine} listed an ignored or hidden file`);
      assert.match(all, /^16 files:\nREADME\.md\ndata\/item-00\.json/);
    }
  });

  test('a glob without a slash matches names at any depth', async () => {
    for (const searcher of searchers) {
      assert.equal(await run(searcher, { glob: '*.test.ts' }), '1 file matching "*.test.ts":\nsrc/app.test.ts');
    }
  });

  test('the cap keeps the first paths and counts the rest', async () => {
    for (const searcher of searchers) {
      const output = await run(searcher, { glob: 'data/*.json', max_results: 10 });
      const lines = String(output).split('\n');
      assert.equal(lines[0], '12 files matching "data/*.json":');
      assert.equal(lines.length, 12);
      assert.equal(lines.at(-1), '[2 more files not shown; narrow the glob to see them.]');
    }
    const tool = listFiles(searchers[0]);
    assert.equal(tool.input.parse({}).max_results, 500);
    assert.equal(tool.input.safeParse({ max_results: 0 }).success, false);
  });

  test('no match says so; a bad glob is a ToolError', async () => {
    for (const searcher of searchers) {
      assert.equal(await run(searcher, { glob: '*.rs' }), 'No files matching "*.rs" in the workspace (ignored and hidden files are not listed).');
      await assert.rejects(run(searcher, { glob: 'src/{a,b' }), (error: unknown) => error instanceof ToolError && /unclosed "\{"/.test(error.message));
      await assert.rejects(run(searcher, { glob: '../**' }), ToolError);
    }
  });
});
