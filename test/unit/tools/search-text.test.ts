import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancelledError, ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import { NodeWorkspaceFs } from '../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../../src/agent/workspace/search/ripgrep-searcher';
import { OVERFLOW_COUNT_LIMIT, type TextSearcher } from '../../../src/agent/workspace/search/text-searcher';
import type { ToolContext, ToolResult } from '../../../src/agent/tool';
import { formatSearchResult, searchText } from '../../../src/tools/search-text';
import { buildTree, requireRipgrep, type WorkspaceFixture } from '../../support/workspace-fixture';

describe('search_text', () => {
  let fixture: WorkspaceFixture;
  let fs: NodeWorkspaceFs;
  const searchers: TextSearcher[] = [];
  before(async () => {
    fixture = await buildTree(
      {
        '.gitignore': 'build/\n',
        'build/app.js': 'function loadConfig() {}\n',
        'src/config.ts': 'export function loadConfig() {\n  return LOADCONFIG_DEFAULT;\n}\n',
        'src/main.ts': 'import { loadConfig } from "./config";\nloadConfig();\n',
        'docs/guide.md': 'Call loadConfig() once.\n',
        'logo.bin': Buffer.from('loadConfig\0\0\0'),
        'many.txt': 'hit\n'.repeat(OVERFLOW_COUNT_LIMIT + 50),
      },
      'glassbox-search-text-',
    );
    fs = new NodeWorkspaceFs([fixture.base]);
    searchers.push(new RipgrepSearcher(fs, await requireRipgrep()), new NodeSearcher(fs));
  });
  after(() => fixture.remove());

  const context = (signal = new AbortController().signal): ToolContext => ({ signal, fs, log: silentLogger, runId: 'run', callId: 'call' });
  const run = async (searcher: TextSearcher, args: unknown, signal?: AbortSignal): Promise<ToolResult> => {
    const tool = searchText(searcher);
    return (await tool.execute(tool.input.parse(args), context(signal))) as ToolResult;
  };

  test('returns path:line: text lines, case-insensitive by default, marked as outside content', async () => {
    for (const searcher of searchers) {
      const result = await run(searcher, { pattern: 'loadconfig' });
      assert.equal(
        result.output,
        [
          '5 matching lines in 3 files (5 files searched):',
          'docs/guide.md:1: Call loadConfig() once.',
          'src/config.ts:1: export function loadConfig() {',
          'src/config.ts:2:   return LOADCONFIG_DEFAULT;',
          'src/main.ts:1: import { loadConfig } from "./config";',
          'src/main.ts:2: loadConfig();',
        ].join('\n'),
        searcher.engine,
      );
      assert.equal(result.taintSource, 'search results');
    }
  });

  test('case sensitivity, regular expressions and globs narrow the search', async () => {
    for (const searcher of searchers) {
      assert.equal((await run(searcher, { pattern: 'LOADCONFIG', case_sensitive: true })).output, '1 matching line in 1 file (5 files searched):\nsrc/config.ts:2:   return LOADCONFIG_DEFAULT;');
      assert.equal((await run(searcher, { pattern: '^loadConfig\\(\\);$', regex: true })).output, '1 matching line in 1 file (5 files searched):\nsrc/main.ts:2: loadConfig();');
      assert.equal(
        (await run(searcher, { pattern: 'loadConfig', glob: '*.md' })).output,
        '1 matching line in 1 file in files matching "*.md" (1 file searched):\ndocs/guide.md:1: Call loadConfig() once.',
      );
    }
  });

  test('the cap shows the first matches and counts the rest', async () => {
    for (const searcher of searchers) {
      const { output } = await run(searcher, { pattern: 'loadConfig', max_results: 2 });
      assert.equal(
        output,
        'First 2 matching lines in 2 files (5 files searched):\ndocs/guide.md:1: Call loadConfig() once.\nsrc/config.ts:1: export function loadConfig() {\n' +
          '[3 more matches not shown; narrow the search with a glob or a more specific pattern.]',
      );
      const many = await run(searcher, { pattern: 'hit', max_results: 1 });
      assert.equal(many.output.split('\n').at(-1), `[At least ${OVERFLOW_COUNT_LIMIT} more matches not shown; narrow the search with a glob or a more specific pattern.]`);
      assert.match(many.output, /^First 1 matching line in 1 file:/);
    }
  });

  test('no matches says so; a bad regular expression is a ToolError the model can fix', async () => {
    for (const searcher of searchers) {
      assert.equal((await run(searcher, { pattern: 'nowhere to be found' })).output, 'No matches for "nowhere to be found" (5 files searched).');
      await assert.rejects(run(searcher, { pattern: 'load(', regex: true }), (error: unknown) => {
        assert.ok(error instanceof ToolError, `${searcher.engine}: ${String(error)}`);
        assert.match(error.message, /Invalid regular expression "load\("/);
        return true;
      });
    }
    assert.equal(searchText(searchers[0]).input.safeParse({ pattern: '' }).success, false);
  });

  test('a cancelled call rejects with CancelledError', async () => {
    for (const searcher of searchers) {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(run(searcher, { pattern: 'x' }, controller.signal), CancelledError);
    }
  });

  test('formatSearchResult words singular and plural counts', () => {
    assert.equal(
      formatSearchResult('x', undefined, { matches: [{ path: 'a', line: 3, text: 'x' }], moreNotShown: 1, countStoppedEarly: false, filesSearched: 1 }),
      'First 1 matching line in 1 file (1 file searched):\na:3: x\n[1 more match not shown; narrow the search with a glob or a more specific pattern.]',
    );
  });
});
