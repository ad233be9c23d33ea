/**
 * Builds a throwaway folder tree from a table of paths, for tests of tools and searchers:
 * a string or bytes makes a file, `{ link: target }` a symbolic link (target as written).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRipgrep } from '../../src/agent/workspace/search/find-ripgrep';

export type FixtureEntry = string | Uint8Array | { readonly link: string };

export interface WorkspaceFixture {
  /** Real path of the folder holding everything. */
  readonly base: string;
  /** `path.join(base, relative)`. */
  at(relative: string): string;
  remove(): Promise<void>;
}

export async function buildTree(files: Readonly<Record<string, FixtureEntry>>, prefix = 'glassbox-fixture-'): Promise<WorkspaceFixture> {
  const base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  await writeTree(base, files);
  return { base, at: (relative) => path.join(base, relative), remove: () => fs.rm(base, { recursive: true, force: true }) };
}

export async function writeTree(base: string, files: Readonly<Record<string, FixtureEntry>>): Promise<void> {
  for (const [relative, entry] of Object.entries(files)) {
    const full = path.join(base, relative);
    await fs.mkdir(path.dirname(full), { recursive: true });
    if (typeof entry === 'object' && 'link' in entry) await fs.symlink(entry.link, full);
    else await fs.writeFile(full, entry);
  }
}

/**
 * The rg executable for search tests. A missing rg fails the test (never skips it), with
 * the fix, so a machine without it cannot pass the ripgrep tests by accident.
 */
export async function requireRipgrep(): Promise<string> {
  const location = await findRipgrep({ explicitPath: process.env.GLASSBOX_RG || undefined });
  if (location.found) return location.path;
  throw new Error(
    `ripgrep (rg) is not installed, so the ripgrep search tests cannot run: ${location.reason} Run the project set-up ` +
      'script (it installs Debian\'s "ripgrep" package), or `apt-get install -y ripgrep`.',
  );
}
