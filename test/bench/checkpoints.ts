/**
 * Checkpoints on the search bench's 50,000-file tree (built once, cached in the temp folder):
 * the first checkpoint into an empty store, a checkpoint after one file changed (warm: the
 * same store object, as in a VS Code session; cold: a new one reading the last tree from
 * disk, as each CLI run does), and a restore of that one file (which includes the checkpoint
 * that makes the restore undoable). Target: incremental, warm ≤ 300 ms.
 * Run alone: `node dist-test/test/bench/checkpoints.js` (CHECKPOINT_BENCH_ROUNDS, SEARCH_BENCH_FILES).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CheckpointStore } from '../../src/agent/checkpoints/checkpoint-store';
import { ensureSearchTree, searchTreeRoot } from './support/search-tree';
import { median, numberFromEnv } from './support/stats';

const FILES = numberFromEnv('SEARCH_BENCH_FILES', 50_000);
const ROUNDS = numberFromEnv('CHECKPOINT_BENCH_ROUNDS', 7);
const FIRST_ROUNDS = 2;

export async function run(): Promise<string> {
  const root = searchTreeRoot(FILES);
  const built = await ensureSearchTree(root, FILES);
  const victim = path.join(root, 'pkg-00', 'mod-000', 'file-00000.txt');
  const original = readFileSync(victim);
  const stores: string[] = [];
  const newStoreDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'glassbox-bench-checkpoints-'));
    stores.push(dir);
    return dir;
  };
  try {
    const first: number[] = [];
    let store: CheckpointStore | undefined;
    let storeDir = '';
    let firstReport;
    for (let round = 0; round < FIRST_ROUNDS; round++) {
      storeDir = newStoreDir();
      store = new CheckpointStore({ storeDir, workspace: root });
      const started = performance.now();
      firstReport = store.create({ label: 'first' });
      first.push(performance.now() - started);
    }
    const storeBytes = folderBytes(storeDir);

    const incremental: number[] = [];
    const restores: number[] = [];
    let added = 0;
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(victim, `${original.toString('utf8')}changed in round ${round}\n`);
      const started = performance.now();
      const report = store!.create({ label: `after one change ${round}` });
      incremental.push(performance.now() - started);
      added = report.checkpoint.addedBytes;
      if (report.filesRead !== 1) throw new Error(`expected one file re-read, got ${report.filesRead}`);
      // Restore the file to the first checkpoint's content: one file changes back.
      const restoreStarted = performance.now();
      const restored = store!.restore(firstReport!.checkpoint.id);
      restores.push(performance.now() - restoreStarted);
      if (restored.changes.length !== 1) throw new Error(`expected one file restored, got ${restored.changes.length}`);
    }

    // Cold: a fresh store object (no cached listings), as a new CLI process opens it.
    writeFileSync(victim, `${original.toString('utf8')}changed cold\n`);
    const cold = new CheckpointStore({ storeDir, workspace: root });
    const coldStarted = performance.now();
    cold.create({ label: 'cold' });
    const coldMs = performance.now() - coldStarted;
    cold.restore(firstReport!.checkpoint.id);
    if (!readFileSync(victim).equals(original)) throw new Error('the bench left the tree changed');

    return [
      '# Checkpoint benchmark',
      '',
      `Tree: ${firstReport!.checkpoint.files.toLocaleString('en')} files captured, ${(built.bytes / 1024 / 1024).toFixed(1)} MB ` +
        `(the search bench's tree at ${root}; its .gitignore'd build folder left out); median of ${ROUNDS} rounds (first checkpoint: ${FIRST_ROUNDS}).`,
      '',
      '| operation | median ms | notes |',
      '|---|---:|---|',
      `| first checkpoint (empty store) | ${median(first).toFixed(0)} | store after it: ${(storeBytes / 1024 / 1024).toFixed(1)} MB |`,
      `| checkpoint after one file changed (warm) | ${median(incremental).toFixed(1)} | ${added.toLocaleString('en')} bytes added (the file and the listings above it) |`,
      `| checkpoint after one file changed (cold store object, as a CLI run) | ${coldMs.toFixed(0)} | one run |`,
      `| restore of one file (includes the undo checkpoint) | ${median(restores).toFixed(1)} | |`,
      '',
      'Target: checkpoint after one file changed, warm, ≤ 300 ms.',
    ].join('\n');
  } finally {
    writeFileSync(victim, original);
    for (const dir of stores) rmSync(dir, { recursive: true, force: true });
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}
