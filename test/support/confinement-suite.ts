/**
 * Confinement cases any WorkspaceFs must pass, written against the interface only, so the
 * Node implementation (test/unit) and the VS Code one (test/integration, inside a real
 * VS Code) run the very same list.
 *
 * Each refusal case checks two things: the call is refused with a PathOutsideWorkspaceError
 * whose message gives a reason, and nothing outside the workspace changed (a sentinel file's
 * content and time, and the outside folder's listing). Errors are recognised by `name`, not
 * `instanceof`, because the extension bundle carries its own copy of the error classes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkspaceFs } from '../../src/agent/workspace-fs';

export const SENTINEL_TEXT = 'SENTINEL: this file lies outside the workspace and must never be read or changed.\n';

/**
 * <base>/ws        the workspace (root name "ws"): inside.txt, src/a.ts, links (below)
 * <base>/api       a second root for multi-root cases: x.ts
 * <base>/outside   outside every root: secret.txt (the sentinel), sub/
 *   ws/link-to-secret      -> ../outside/secret.txt      (file link leading out)
 *   ws/link-to-outside     -> ../outside                 (folder link leading out)
 *   ws/link-to-inside      -> inside.txt                 (link that stays in: allowed)
 *   ws/broken-link         -> ../outside/not-yet.txt     (dangling; a write would create it outside)
 */
export interface ConfinementFixture {
  readonly base: string;
  readonly workspace: string;
  readonly secondRoot: string;
  readonly outside: string;
  readonly sentinel: string;
  /** Throws unless everything under `outside` is exactly as built. */
  assertOutsideUntouched(): Promise<void>;
  remove(): Promise<void>;
}

export async function buildConfinementFixture(parent: string = os.tmpdir()): Promise<ConfinementFixture> {
  // Real path, so comparisons hold where the temp folder sits behind a link (macOS /var).
  const base = await fs.realpath(await fs.mkdtemp(path.join(parent, 'glassbox-confine-')));
  const workspace = path.join(base, 'ws');
  const secondRoot = path.join(base, 'api');
  const outside = path.join(base, 'outside');
  const sentinel = path.join(outside, 'secret.txt');
  await fs.mkdir(path.join(workspace, 'src'), { recursive: true });
  await fs.mkdir(secondRoot, { recursive: true });
  await fs.mkdir(path.join(outside, 'sub'), { recursive: true });
  await fs.writeFile(path.join(workspace, 'inside.txt'), 'inside\n');
  await fs.writeFile(path.join(workspace, 'src', 'a.ts'), 'export const a = 1;\n');
  await fs.writeFile(path.join(secondRoot, 'x.ts'), 'export const x = 2;\n');
  await fs.writeFile(sentinel, SENTINEL_TEXT);
  await fs.symlink(path.join('..', 'outside', 'secret.txt'), path.join(workspace, 'link-to-secret'), 'file');
  await fs.symlink(path.join('..', 'outside'), path.join(workspace, 'link-to-outside'), 'dir');
  await fs.symlink('inside.txt', path.join(workspace, 'link-to-inside'), 'file');
  await fs.symlink(path.join('..', 'outside', 'not-yet.txt'), path.join(workspace, 'broken-link'), 'file');

  const snapshot = await snapshotOf(outside);
  return {
    base,
    workspace,
    secondRoot,
    outside,
    sentinel,
    async assertOutsideUntouched() {
      assert.deepEqual(await snapshotOf(outside), snapshot, 'something outside the workspace was changed');
    },
    remove: () => fs.rm(base, { recursive: true, force: true }),
  };
}

async function snapshotOf(folder: string): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of (await fs.readdir(folder, { recursive: true })).sort()) {
    const full = path.join(folder, entry);
    const stats = await fs.lstat(full);
    const content = stats.isFile() ? await fs.readFile(full, 'utf8') : '';
    lines.push(`${entry} ${stats.isDirectory() ? 'dir' : stats.size} ${stats.mtimeMs} ${content}`);
  }
  return lines;
}

export interface ConfinementCase {
  readonly name: string;
  /** 'single': a WorkspaceFs over fixture.workspace; 'multi': over [workspace, secondRoot]. */
  readonly roots: 'single' | 'multi';
  run(fs: WorkspaceFs, fixture: ConfinementFixture): Promise<void>;
}

/** Awaits `action`, which must fail with a PathOutsideWorkspaceError whose message matches `reason`. */
export async function assertRefused(action: () => Promise<unknown>, reason: RegExp): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await action();
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
    assert.equal(error.name, 'PathOutsideWorkspaceError', `expected a refusal, got ${error.name}: ${error.message}`);
    assert.match(error.message, reason);
    assert.ok(!error.message.includes('SENTINEL'), 'the refusal leaked outside content');
    return;
  }
  assert.fail(`expected a refusal matching ${reason}, but the call succeeded with ${describe(outcome)}`);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.byteLength} bytes: ${Buffer.from(value).toString('utf8').slice(0, 80)}`;
  return JSON.stringify(value)?.slice(0, 120) ?? String(value);
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** One case per (path, operation) kind: read, stream, stat, list, write, delete. */
function refusedEverywhere(name: string, workspacePath: (f: ConfinementFixture) => string, reason: RegExp): ConfinementCase[] {
  const operations: Array<[string, (fs: WorkspaceFs, p: string) => Promise<unknown>]> = [
    ['readFile', (fs, p) => fs.readFile(p)],
    ['readStream', (fs, p) => drain(fs.readStream(p))],
    ['stat', (fs, p) => fs.stat(p)],
    ['exists', (fs, p) => fs.exists(p)],
    ['normalize', (fs, p) => fs.normalize(p)],
    ['localPath', (fs, p) => fs.localPath(p)],
    ['writeFile', (fs, p) => fs.writeFile(p, bytes('overwritten by the workspace'))],
    ['delete', (fs, p) => fs.delete(p)],
  ];
  return operations.map(([operation, call]) => ({
    name: `${name}: ${operation} is refused`,
    roots: 'single' as const,
    async run(fs, fixture) {
      await assertRefused(() => call(fs, workspacePath(fixture)), reason);
      await fixture.assertOutsideUntouched();
    },
  }));
}

export function confinementCases(): ConfinementCase[] {
  const outsideByDots = /outside the workspace through "\.\."/;
  const outsideAbsolute = /absolute path outside every workspace folder/;
  const throughLink = /outside the workspace through a symbolic link/;
  const single = (name: string, run: ConfinementCase['run']): ConfinementCase => ({ name, roots: 'single', run });
  const multi = (name: string, run: ConfinementCase['run']): ConfinementCase => ({ name, roots: 'multi', run });

  return [
    ...refusedEverywhere('".." escape', () => '../outside/secret.txt', outsideByDots),
    ...refusedEverywhere('".." escape after a real folder', () => 'src/../../outside/secret.txt', outsideByDots),
    ...refusedEverywhere('".." escape with backslashes', () => '..\\outside\\secret.txt', outsideByDots),
    ...refusedEverywhere('absolute path outside', (f) => f.sentinel, outsideAbsolute),
    ...refusedEverywhere('file symlink leading outside', () => 'link-to-secret', throughLink),
    ...refusedEverywhere('folder symlink leading outside', () => 'link-to-outside/secret.txt', throughLink),
    ...refusedEverywhere('NUL byte', () => 'inside.txt\0../../outside/secret.txt', /NUL byte/),
    ...refusedEverywhere('absolute path with a ".." game', (f) => `${f.workspace}/../outside/secret.txt`, outsideAbsolute),
    single('folder symlink leading outside: listing it is refused', async (fs, fixture) => {
      await assertRefused(() => fs.readDirectory('link-to-outside'), throughLink);
      await fixture.assertOutsideUntouched();
    }),
    single('write through a symlinked folder creates nothing outside', async (fs, fixture) => {
      await assertRefused(() => fs.writeFile('link-to-outside/new.txt', bytes('x')), throughLink);
      await assertRefused(() => fs.writeFile('link-to-outside/deeper/new.txt', bytes('x')), throughLink);
      await assertRefused(() => fs.writeFile('link-to-outside/sub/new.txt', bytes('x')), throughLink);
      await fixture.assertOutsideUntouched();
    }),
    single('write to a broken link pointing outside creates nothing outside', async (fs, fixture) => {
      await assertRefused(() => fs.writeFile('broken-link', bytes('x')), /symbolic link/);
      await fixture.assertOutsideUntouched();
    }),
    single('case tricks: an upper-cased root with ".." cannot reach outside', async (fs, fixture) => {
      // Joined by hand: path.join would fold the ".." away before the WorkspaceFs sees it.
      const upper = `${path.dirname(fixture.workspace)}/WS/../outside/secret.txt`;
      await assertRefused(() => fs.readFile(upper), outsideAbsolute);
      await assertRefused(() => fs.writeFile(upper, bytes('x')), outsideAbsolute);
      await assertRefused(() => fs.readFile('SRC/../../outside/secret.txt'), outsideByDots);
      await assertRefused(() => fs.readFile('LINK-TO-OUTSIDE/../../outside/secret.txt'), outsideByDots);
      await fixture.assertOutsideUntouched();
    }),
    single('very long paths and names are refused', async (fs, fixture) => {
      await assertRefused(() => fs.readFile(`${'a/'.repeat(2100)}x.txt`), /longer than 4096 characters/);
      await assertRefused(() => fs.writeFile(`${'n'.repeat(300)}.txt`, bytes('x')), /name longer than 255 characters/);
      await fixture.assertOutsideUntouched();
    }),
    single('home, drive, UNC and URI forms are refused', async (fs, fixture) => {
      await assertRefused(() => fs.readFile('~/.ssh/id_rsa'), /"~"/);
      if (process.platform !== 'win32') {
        await assertRefused(() => fs.readFile('C:\\Windows\\win.ini'), /Windows drive path/);
        await assertRefused(() => fs.readFile('\\\\server\\share\\x'), /network \(UNC\) path/);
      }
      await assertRefused(() => fs.readFile(`file://${fixture.sentinel}`), /is a URI/);
      await fixture.assertOutsideUntouched();
    }),
    single('a link that stays inside the workspace works', async (fs, fixture) => {
      assert.equal(Buffer.from(await fs.readFile('link-to-inside')).toString('utf8'), 'inside\n');
      await fixture.assertOutsideUntouched();
    }),
    multi('multi-root: a path must start with a folder name', async (fs, fixture) => {
      await assertRefused(() => fs.readFile('inside.txt'), /start it with one of "ws", "api"/);
      await assertRefused(() => fs.readFile('web/inside.txt'), /start it with one of/);
      await assertRefused(() => fs.readFile('.'), /start it with one of/);
      await fixture.assertOutsideUntouched();
    }),
    multi('multi-root: ".." cannot climb out of a folder', async (fs, fixture) => {
      await assertRefused(() => fs.readFile('api/../../outside/secret.txt'), outsideByDots);
      await assertRefused(() => fs.writeFile('ws/../../outside/secret.txt', bytes('x')), outsideByDots);
      await assertRefused(() => fs.readFile('ws/link-to-secret'), throughLink);
      await fixture.assertOutsideUntouched();
    }),
    multi('multi-root: folder-prefixed and absolute paths name the right folder', async (fs, fixture) => {
      assert.equal(await fs.normalize('api/x.ts'), 'api/x.ts');
      assert.equal(await fs.normalize('ws/src/../inside.txt'), 'ws/inside.txt');
      assert.equal(await fs.normalize(path.join(fixture.secondRoot, 'x.ts')), 'api/x.ts');
      assert.equal(await fs.normalize('api'), 'api');
      assert.equal(await fs.normalize(fixture.workspace), 'ws');
      assert.equal(Buffer.from(await fs.readFile('api/x.ts')).toString('utf8'), 'export const x = 2;\n');
      await fixture.assertOutsideUntouched();
    }),
  ];
}
