/**
 * RipgrepSearcher and NodeSearcher on the same trees: each is checked against explicit
 * expectations, and the two are checked to give identical output for a range of queries.
 * ripgrep must be installed (the project's set-up script installs it): without it these
 * tests fail rather than skip, so a missing rg is never mistaken for a pass.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CancelledError, ToolError } from '../../../../../src/agent/errors';
import { NodeWorkspaceFs } from '../../../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher } from '../../../../../src/agent/workspace/search/ripgrep-searcher';
import { OVERFLOW_COUNT_LIMIT, type SearchQuery, type TextSearcher } from '../../../../../src/agent/workspace/search/text-searcher';
import type { WorkspaceFs } from '../../../../../src/agent/workspace-fs';
import { buildTree, requireRipgrep, type WorkspaceFixture } from '../../../../support/workspace-fixture';

async function bothEngines(fs: WorkspaceFs): Promise<TextSearcher[]> {
  return [new RipgrepSearcher(fs, await requireRipgrep()), new NodeSearcher(fs)];
}

const never = new AbortController().signal;
const query = (pattern: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  pattern,
  isRegex: false,
  caseSensitive: false,
  maxResults: 100,
  ...extra,
});

const longLine = `${'x'.repeat(1500)}needle${'y'.repeat(500)}`;

const tree = {
  'ws/.gitignore': 'ignored/\n*.log\n!keep.log\n',
  'ws/.ignore': 'skipme.txt\n',
  'ws/.hidden/h.txt': 'needle hidden\n',
  'ws/a/z.txt': 'needle in a/z\n',
  'ws/a-c.txt': 'needle in a-c\n',
  'ws/bin.dat': Buffer.from('needle\0binary\n'),
  'ws/crlf.txt': 'first\r\nneedle with crlf\r\n',
  'ws/empty.txt': '',
  'ws/ignored/x.ts': 'needle ignored\n',
  'ws/keep.log': 'needle kept log\n',
  'ws/x.log': 'needle log\n',
  'ws/skipme.txt': 'needle skipped\n',
  'ws/long.txt': `${longLine}\n`,
  'ws/src/a.ts': 'const needle = 1;\nconst Needle = 2;\nconst other = 3;\n// NEEDLE at the end',
  'ws/src/deep/.gitignore': 'generated.ts\n',
  'ws/src/deep/b.ts': 'export function needleFinder() {}\n',
  'ws/src/deep/generated.ts': 'needle generated\n',
  'ws/unicode.txt': 'Größe needle ünïcödé\n',
  'ws/link-out': { link: '../outside' },
  'ws/link-file': { link: '../outside/o.txt' },
  'outside/o.txt': 'needle outside\n',
  'api/lib/q.ts': 'const needle = "api";\n',
};

const visibleFiles = [
  'a/z.txt',
  'a-c.txt',
  'bin.dat',
  'crlf.txt',
  'empty.txt',
  'keep.log',
  'long.txt',
  'src/a.ts',
  'src/deep/b.ts',
  'unicode.txt',
];

describe('searchers on one workspace folder', () => {
  let fixture: WorkspaceFixture;
  let engines: TextSearcher[];
  before(async () => {
    fixture = await buildTree(tree, 'glassbox-search-');
    engines = await bothEngines(new NodeWorkspaceFs([fixture.at('ws')]));
  });
  after(() => fixture.remove());

  test('ripgrep is installed (the search tests need it)', async () => {
    await requireRipgrep();
  });

  test('each engine finds the expected lines: ignored, hidden, binary and linked files skipped', async () => {
    for (const engine of engines) {
      const result = await engine.search(query('needle'), never);
      assert.deepEqual(
        result.matches.map((match) => `${match.path}:${match.line}`),
        ['a/z.txt:1', 'a-c.txt:1', 'crlf.txt:2', 'keep.log:1', 'long.txt:1', 'src/a.ts:1', 'src/a.ts:2', 'src/a.ts:4', 'src/deep/b.ts:1', 'unicode.txt:1'],
        engine.engine,
      );
      assert.equal(result.moreNotShown, 0);
      assert.equal(result.countStoppedEarly, false);
      assert.equal(result.filesSearched, visibleFiles.length, `${engine.engine} counts every file it read`);
      const byPath = Object.fromEntries(result.matches.map((match) => [`${match.path}:${match.line}`, match.text]));
      assert.equal(byPath['crlf.txt:2'], 'needle with crlf', `${engine.engine} drops the CR`);
      assert.equal(byPath['src/a.ts:4'], '// NEEDLE at the end');
      assert.equal(byPath['long.txt:1'], `…${'x'.repeat(100)}needle${'y'.repeat(194)}…`, `${engine.engine} clips around the match`);
    }
  });

  test('both engines give identical output for the same queries', async () => {
    const queries: SearchQuery[] = [
      query('needle'),
      query('Needle', { caseSensitive: true }),
      query('NEEDLE', { caseSensitive: true }),
      query('^const \\w+ = \\d;$', { isRegex: true, caseSensitive: true }),
      query('need(le|ful)', { isRegex: true }),
      query('größe', {}),
      query('a.ts'),
      query('needle', { include: '*.ts' }),
      query('needle', { include: 'src/**' }),
      query('needle', { include: 'src/*.ts' }),
      query('needle', { include: '{a,src}/*' }),
      query('needle', { include: '/src/deep/*.ts' }),
      query('needle', { maxResults: 3 }),
      query('nothing matches this'),
      query('(', {}),
    ];
    for (const q of queries) {
      const [fromRipgrep, fromNode] = await Promise.all(engines.map((engine) => engine.search(q, never)));
      assert.deepEqual(fromNode, fromRipgrep, `results differ for ${JSON.stringify(q)}`);
    }
  });

  test('the cap keeps the first matches in walk order and counts the rest', async () => {
    for (const engine of engines) {
      const result = await engine.search(query('needle', { maxResults: 3 }), never);
      assert.deepEqual(result.matches.map((match) => match.path), ['a/z.txt', 'a-c.txt', 'crlf.txt'], engine.engine);
      assert.equal(result.moreNotShown, 7);
      assert.equal(result.countStoppedEarly, false);
    }
  });

  test('file listings agree and honour ignore files, globs and the cap', async () => {
    for (const engine of engines) {
      assert.deepEqual(await engine.listFiles({ maxResults: 100 }, never), { files: visibleFiles, moreNotShown: 0 }, engine.engine);
      assert.deepEqual(await engine.listFiles({ maxResults: 2 }, never), { files: ['a/z.txt', 'a-c.txt'], moreNotShown: 8 });
      // As in rg (and VS Code's "files to include"), a glob admits a file its folder's
      // .gitignore names; an ignored folder stays unwalked unless the glob matches it.
      assert.deepEqual(await engine.listFiles({ include: '*.ts', maxResults: 100 }, never), {
        files: ['src/a.ts', 'src/deep/b.ts', 'src/deep/generated.ts'],
        moreNotShown: 0,
      });
      assert.deepEqual(await engine.listFiles({ include: 'ignored/*', maxResults: 100 }, never), { files: [], moreNotShown: 0 });
      assert.deepEqual(await engine.listFiles({ include: 'ignored', maxResults: 100 }, never), { files: [], moreNotShown: 0 });
      assert.deepEqual(await engine.listFiles({ include: 'src/*', maxResults: 100 }, never), { files: ['src/a.ts'], moreNotShown: 0 });
      assert.deepEqual(await engine.listFiles({ include: 'nothing/**', maxResults: 100 }, never), { files: [], moreNotShown: 0 });
    }
  });

  test('bad patterns and globs are clear ToolErrors from both engines', async () => {
    for (const engine of engines) {
      const refused = async (q: SearchQuery, message: RegExp) =>
        assert.rejects(engine.search(q, never), (error: unknown) => {
          assert.ok(error instanceof ToolError, `${engine.engine}: expected a ToolError, got ${String(error)}`);
          assert.match(error.message, message);
          return true;
        });
      await refused(query('a(', { isRegex: true }), /Invalid regular expression "a\("/);
      await refused(query('[z-a]', { isRegex: true }), /Invalid regular expression/);
      await refused(query(''), /pattern is empty/);
      await refused(query('two\nlines'), /line break/);
      await refused(query('x', { include: '!*.ts' }), /starts with "!"/);
      await refused(query('x', { include: 'a[' }), /unclosed "\["/);
      await refused(query('x', { include: '../*' }), /contains "\.\."/);
      await refused(query('x', { maxResults: 0 }), /positive whole number/);
    }
  });

  test('an aborted search rejects with CancelledError', async () => {
    for (const engine of engines) {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(engine.search(query('needle'), controller.signal), CancelledError, engine.engine);
      await assert.rejects(engine.listFiles({ maxResults: 10 }, controller.signal), CancelledError, engine.engine);
    }
  });
});

describe('searchers on larger trees', () => {
  let fixture: WorkspaceFixture;
  let engines: TextSearcher[];
  before(async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1500; index++) files[`ws/d${index % 30}/f${index}.txt`] = `line one\nneedle ${index}\nline three\n`;
    files['ws/huge.txt'] = 'needle\n'.repeat(OVERFLOW_COUNT_LIMIT + 500);
    fixture = await buildTree(files, 'glassbox-search-big-');
    engines = await bothEngines(new NodeWorkspaceFs([fixture.at('ws')]));
  });
  after(() => fixture.remove());

  test('a search cancelled while running rejects with CancelledError', async () => {
    for (const engine of engines) {
      const controller = new AbortController();
      const running = engine.search(query('needle', { maxResults: 1_000_000 }), controller.signal);
      setImmediate(() => controller.abort());
      await assert.rejects(running, CancelledError, engine.engine);
    }
  });

  test('counting past the cap stops at the overflow limit', async () => {
    // Past the limit rg's parallel walk decides which matches were seen, so only the counts
    // are compared; below it (every other test) the matches themselves are identical.
    for (const engine of engines) {
      const result = await engine.search(query('needle', { maxResults: 20 }), never);
      assert.equal(result.matches.length, 20, engine.engine);
      assert.equal(result.moreNotShown, OVERFLOW_COUNT_LIMIT);
      assert.equal(result.countStoppedEarly, true);
      assert.equal(result.filesSearched, undefined);
    }
  });

  test('exactly at the overflow limit everything is counted, and matches come in walk order', async () => {
    // 1,500 small files with one match each and huge.txt with 10,500: 12,000 in all.
    const [fromRipgrep, fromNode] = await Promise.all(engines.map((engine) => engine.search(query('needle', { maxResults: 2_000 }), never)));
    assert.equal(fromRipgrep.moreNotShown, OVERFLOW_COUNT_LIMIT);
    assert.equal(fromRipgrep.countStoppedEarly, false);
    assert.equal(fromRipgrep.filesSearched, 1_501);
    assert.deepEqual(fromRipgrep.matches.slice(0, 2).map((match) => match.path), ['d0/f0.txt', 'd0/f1020.txt']);
    assert.deepEqual(fromNode, fromRipgrep);
  });

  test('a big tree lists the same files in the same order', async () => {
    const [fromRipgrep, fromNode] = await Promise.all(engines.map((engine) => engine.listFiles({ maxResults: 100 }, never)));
    assert.equal(fromRipgrep.moreNotShown, 1401);
    assert.deepEqual(fromNode, fromRipgrep);
  });
});

describe('searchers over several workspace folders', () => {
  let fixture: WorkspaceFixture;
  let engines: TextSearcher[];
  before(async () => {
    fixture = await buildTree(tree, 'glassbox-search-multi-');
    engines = await bothEngines(new NodeWorkspaceFs([fixture.at('ws'), fixture.at('api')]));
  });
  after(() => fixture.remove());

  test('paths carry the folder name, folders are searched in order, the cap spans them', async () => {
    for (const engine of engines) {
      const all = await engine.search(query('needle', { include: '*.ts' }), never);
      assert.deepEqual(
        all.matches.map((match) => `${match.path}:${match.line}`),
        ['ws/src/a.ts:1', 'ws/src/a.ts:2', 'ws/src/a.ts:4', 'ws/src/deep/b.ts:1', 'ws/src/deep/generated.ts:1', 'api/lib/q.ts:1'],
        engine.engine,
      );
      const capped = await engine.search(query('needle', { include: '*.ts', maxResults: 5 }), never);
      assert.equal(capped.moreNotShown, 1);
      const listed = await engine.listFiles({ include: 'lib/**', maxResults: 10 }, never);
      assert.deepEqual(listed.files, ['api/lib/q.ts']);
    }
  });
});
