/**
 * The generated tree the search and checkpoint benchmarks share: ≥ 50,000 text files in nested
 * folders, a .gitignore'd build folder and a few binaries, built once, deterministically, and
 * cached in the temp folder.
 */
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { seededRandom } from './seeded-random';

const TREE_VERSION = 1;
export const FILES_PER_FOLDER = 100;
/** One file in this many holds the rare identifier the search bench's headline query looks for. */
const NEEDLE_EVERY = 250;
export const NEEDLE = 'reconcileLedgerSnapshot';

const WORDS = (
  'the a of to in is for on with as by at from that this it be are was were has have not but or an which ' +
  'function return const let value result error config request response handler buffer stream index count ' +
  'update create delete read write open close start stop parse format render token user session cache ' +
  'queue worker thread timer event signal option setting path file folder line column offset length size'
).split(' ');

export function searchTreeRoot(files: number): string {
  return path.join(os.tmpdir(), `glassbox-bench-search-tree-v${TREE_VERSION}-${files}`);
}

/** Builds the tree unless a complete one is cached; returns its size in bytes. */
export async function ensureSearchTree(root: string, files: number): Promise<{ bytes: number; fresh: boolean }> {
  const marker = path.join(root, '.bench-complete');
  if (existsSync(marker)) return { bytes: Number(await fs.readFile(marker, 'utf8')), fresh: false };
  await fs.rm(root, { recursive: true, force: true });
  process.stderr.write(`Building a ${files}-file tree at ${root} (once)…\n`);
  const random = seededRandom(20240611);
  let bytes = 0;
  await fs.mkdir(root, { recursive: true });
  await fs.writeFile(path.join(root, '.gitignore'), 'build/\n*.tmp\n');
  for (let start = 0; start < files; start += FILES_PER_FOLDER) {
    const folder = path.join(root, `pkg-${String(Math.floor(start / 2000)).padStart(2, '0')}`, `mod-${String(start / FILES_PER_FOLDER).padStart(3, '0')}`);
    await fs.mkdir(folder, { recursive: true });
    const writes: Array<Promise<void>> = [];
    for (let index = start; index < Math.min(start + FILES_PER_FOLDER, files); index++) {
      const text = generatedFile(random, index);
      bytes += Buffer.byteLength(text);
      writes.push(fs.writeFile(path.join(folder, `file-${String(index).padStart(5, '0')}.txt`), text));
    }
    await Promise.all(writes);
  }
  // What the walk must skip: an ignored build folder and a few binaries.
  await fs.mkdir(path.join(root, 'build'), { recursive: true });
  for (let index = 0; index < 200; index++) await fs.writeFile(path.join(root, 'build', `out-${index}.txt`), `${NEEDLE} build copy\n`);
  for (let index = 0; index < 50; index++) await fs.writeFile(path.join(root, `blob-${index}.bin`), Buffer.from(`${NEEDLE}\0\0binary`));
  await fs.writeFile(marker, String(bytes));
  return { bytes, fresh: true };
}

function generatedFile(random: () => number, index: number): string {
  const lineCount = 10 + Math.floor(random() * 40);
  const lines: string[] = [];
  for (let line = 0; line < lineCount; line++) {
    const wordCount = 3 + Math.floor(random() * 10);
    const words: string[] = [];
    for (let word = 0; word < wordCount; word++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
    lines.push(`${'  '.repeat(Math.floor(random() * 3))}${words.join(' ')}`);
  }
  if (index % NEEDLE_EVERY === 0) lines.splice(Math.floor(random() * lines.length), 0, `  const total = ${NEEDLE}(entries);`);
  return `${lines.join('\n')}\n`;
}


