/**
 * A throw-away folder tree for one server: a workspace with the files a scenario asks for, a
 * `.env` holding a fake secret, a symlink pointing outside the workspace (to a file that must
 * never be read through it), and the per-run HOME, TMPDIR and VS Code data folders.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The fake secret in every test workspace's `.env`: a test may assert it never reaches the model. */
export const FAKE_ENV_SECRET = 'OPENAI_API_KEY=sk-e2e-fake-0123456789abcdefghijklmnop';
/** Content of the file outside the workspace that `outside-link` points to. */
export const OUTSIDE_SECRET = 'outside-the-workspace: this text must never reach the model';

export interface RunDirs {
  readonly root: string;
  readonly home: string;
  readonly tmp: string;
  readonly userData: string;
  readonly extensions: string;
  readonly workspace: string;
  readonly outside: string;
  /** Deletes the whole tree. */
  remove(): void;
}

/** Creates the tree; `files` maps workspace-relative paths to contents. */
export function createRunDirs(files: Readonly<Record<string, string>> = {}): RunDirs {
  const root = mkdtempSync(join(tmpdir(), 'glassbox-e2e-'));
  const dir = (name: string) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const dirs = {
    root,
    home: dir('home'),
    tmp: dir('tmp'),
    userData: dir('user-data'),
    extensions: dir('extensions'),
    workspace: dir('workspace'),
    outside: dir('outside'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  writeFileSync(join(dirs.outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  const all: Record<string, string> = { '.env': `${FAKE_ENV_SECRET}\n`, ...files };
  for (const [path, content] of Object.entries(all)) {
    const target = join(dirs.workspace, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  symlinkSync(join(dirs.outside, 'secret.txt'), join(dirs.workspace, 'outside-link.txt'));
  symlinkSync(dirs.outside, join(dirs.workspace, 'outside-dir'));
  return dirs;
}
