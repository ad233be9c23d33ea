/**
 * Search speed on a large tree: Glassbox's search_text over RipgrepSearcher against raw `rg`
 * run with the very same flags (the baseline every ratio is against), plus rg's own default
 * (parallel, unsorted) for reference, and search_text over the pure-Node fallback.
 *
 * The tree (≥ 50,000 generated text files in nested folders, a .gitignore'd build folder and
 * a few binaries) is built once, deterministically, and cached in the temp folder. Each
 * contender runs once to warm the page cache, then in interleaved rounds; the median decides.
 * Run alone: `node dist-test/test/bench/search.js` (env SEARCH_BENCH_ROUNDS, SEARCH_BENCH_FILES,
 * SEARCH_BENCH_NODE_ROUNDS change the size; GLASSBOX_RG picks the rg binary).
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../../src/agent/logger';
import { NodeWorkspaceFs } from '../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../src/agent/workspace/search/node-searcher';
import { RipgrepSearcher, ripgrepSearchArgs } from '../../src/agent/workspace/search/ripgrep-searcher';
import type { SearchQuery, TextSearcher } from '../../src/agent/workspace/search/text-searcher';
import type { ToolContext, ToolResult } from '../../src/agent/tool';
import { searchText } from '../../src/tools/search-text';
import { requireRipgrep } from '../support/workspace-fixture';
import { FILES_PER_FOLDER, NEEDLE, ensureSearchTree, searchTreeRoot } from './support/search-tree';
import { median, numberFromEnv } from './support/stats';

const FILES = numberFromEnv('SEARCH_BENCH_FILES', 50_000);
const ROUNDS = numberFromEnv('SEARCH_BENCH_ROUNDS', 7);
const NODE_ROUNDS = numberFromEnv('SEARCH_BENCH_NODE_ROUNDS', 3);


interface Contender {
  readonly name: string;
  readonly rounds: number;
  /** Runs the query once; returns how many matching lines it saw (shown or counted). */
  run(): Promise<number>;
}

async function main(): Promise<void> {
  const rgPath = await requireRipgrep();
  const root = searchTreeRoot(FILES);
  const built = await ensureSearchTree(root, FILES);
  const wfs = new NodeWorkspaceFs([root]);

  const queries: Array<{ title: string; query: SearchQuery }> = [
    { title: `rare literal "${NEEDLE}" (whole tree scanned)`, query: { pattern: NEEDLE, isRegex: false, caseSensitive: true, maxResults: 100 } },
    {
      title: 'case-insensitive regex `timer\\s+signal\\s+\\w+` (whole tree scanned)',
      query: { pattern: 'timer\\s+signal\\s+\\w+', isRegex: true, caseSensitive: false, maxResults: 100 },
    },
  ];

  const lines = [
    `# Search benchmark`,
    '',
    `Tree: ${FILES.toLocaleString('en')} files in ${Math.ceil(FILES / FILES_PER_FOLDER)} folders, ` +
      `${(built.bytes / 1024 / 1024).toFixed(1)} MB (${built.fresh ? 'built now' : 'cached'} at ${root}); rg ${await rgVersion(rgPath)}; ` +
      `${os.cpus().length} CPUs; median of ${ROUNDS} rounds (Node fallback: ${NODE_ROUNDS}) after one warm-up run each, rounds interleaved.`,
  ];
  for (const { title, query } of queries) {
    const contenders: Contender[] = [
      { name: 'raw rg, same flags as Glassbox (baseline)', rounds: ROUNDS, run: () => rawRipgrep(rgPath, ripgrepSearchArgs(query), root) },
      { name: 'Glassbox search_text (ripgrep)', rounds: ROUNDS, run: () => viaTool(new RipgrepSearcher(wfs, rgPath), wfs, query) },
      { name: 'raw rg, default walk (parallel, unsorted)', rounds: ROUNDS, run: () => rawRipgrep(rgPath, defaultRipgrepArgs(query), root) },
      { name: 'Glassbox search_text (Node fallback)', rounds: NODE_ROUNDS, run: () => viaTool(new NodeSearcher(wfs), wfs, query) },
    ];
    // Rounds are interleaved and the order rotated each round, so drift in the machine's
    // load (it is shared) falls on every contender alike.
    for (const contender of contenders) await contender.run(); // warm-up: page cache, JIT
    const times = contenders.map(() => [] as number[]);
    const matches = contenders.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (let turn = 0; turn < contenders.length; turn++) {
        const index = (turn + round) % contenders.length;
        if (round >= contenders[index].rounds) continue;
        const started = performance.now();
        matches[index] = await contenders[index].run();
        times[index].push(performance.now() - started);
      }
    }
    const rows = contenders.map((contender, index) => ({ name: contender.name, median: median(times[index]), matches: matches[index] }));
    const baseline = rows[0].median;
    lines.push('', `## ${title}`, '', '| contender | median ms | × raw rg (same flags) | matching lines |', '|---|---:|---:|---:|');
    for (const row of rows) lines.push(`| ${row.name} | ${row.median.toFixed(1)} | ${(row.median / baseline).toFixed(2)} | ${row.matches} |`);
  }
  lines.push('', 'Target: Glassbox search_text (ripgrep) ≤ 1.3 × raw rg with the same flags.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs search_text as the agent would, and reads the match count back from its output. */
async function viaTool(searcher: TextSearcher, wfs: NodeWorkspaceFs, query: SearchQuery): Promise<number> {
  const tool = searchText(searcher);
  const ctx: ToolContext = { signal: new AbortController().signal, fs: wfs, log: silentLogger, runId: 'bench', callId: 'bench' };
  const args = tool.input.parse({ pattern: query.pattern, regex: query.isRegex, case_sensitive: query.caseSensitive, max_results: query.maxResults });
  const { output } = (await tool.execute(args, ctx)) as ToolResult;
  const shown = output.split('\n').filter((line) => /^[^[].*:\d+: /.test(line)).length;
  const more = Number(/\[(?:At least )?(\d+) more/.exec(output)?.[1] ?? 0);
  return shown + more;
}

/** rg run directly, its whole output read and counted (what any caller of rg must at least do). */
function rawRipgrep(rgPath: string, args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(rgPath, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    // With --null each matching line holds one NUL (and --stats adds summary lines); otherwise count lines.
    const separator = args.includes('--null') ? 0x00 : 0x0a;
    let matches = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(separator); at >= 0; at = chunk.indexOf(separator, at + 1)) matches++;
    });
    child.on('error', reject);
    child.on('close', () => resolve(matches));
  });
}

function defaultRipgrepArgs(query: SearchQuery): string[] {
  // --no-require-git only so the tree's .gitignore counts without a .git folder, as in the other rows.
  return ['--no-config', '--no-require-git', '--line-number', '--no-heading', query.caseSensitive ? '-s' : '-i', ...(query.isRegex ? [] : ['-F']), '-e', query.pattern];
}

async function rgVersion(rgPath: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(rgPath, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('close', () => resolve(/ripgrep (\S+)/.exec(text)?.[1] ?? 'unknown'));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
