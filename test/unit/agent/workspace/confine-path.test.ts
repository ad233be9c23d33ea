import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confinePath, isInsideRealRoot, joinInsideRoot, type ConfineRoot } from '../../../../src/agent/workspace/confine-path';
import { ConfigurationError, PathOutsideWorkspaceError, ToolError } from '../../../../src/agent/errors';

const one: ConfineRoot[] = [{ name: 'app', path: '/home/me/app' }];
const two: ConfineRoot[] = [
  { name: 'api', path: '/srv/api' },
  { name: 'web', path: '/srv/web' },
];
const posix = { platform: 'posix' as const };

function refusal(run: () => unknown, reason: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof PathOutsideWorkspaceError, `expected a refusal, got ${String(error)}`);
    assert.match(error.message, reason);
    return true;
  });
}

describe('confinePath with one root', () => {
  test('relative paths come back clean, with forward slashes', () => {
    assert.deepEqual(confinePath('src/a.ts', one, posix), { rootIndex: 0, relative: 'src/a.ts', workspacePath: 'src/a.ts' });
    assert.equal(confinePath('./src//b/../a.ts', one, posix).workspacePath, 'src/a.ts');
    assert.equal(confinePath('src\\a.ts', one, posix).workspacePath, 'src/a.ts');
    assert.equal(confinePath('src/', one, posix).workspacePath, 'src');
  });

  test('"." and the root itself mean the root', () => {
    assert.deepEqual(confinePath('.', one, posix), { rootIndex: 0, relative: '', workspacePath: '.' });
    assert.deepEqual(confinePath('./', one, posix), { rootIndex: 0, relative: '', workspacePath: '.' });
    assert.deepEqual(confinePath('/home/me/app', one, posix), { rootIndex: 0, relative: '', workspacePath: '.' });
    assert.deepEqual(confinePath('/home/me/app/', one, posix), { rootIndex: 0, relative: '', workspacePath: '.' });
  });

  test('a single root is not addressed by its name: "app/x" is a folder called app', () => {
    assert.equal(confinePath('app/x.ts', one, posix).relative, 'app/x.ts');
  });

  test('absolute paths inside the root become relative; a lookalike sibling does not', () => {
    assert.equal(confinePath('/home/me/app/src/a.ts', one, posix).workspacePath, 'src/a.ts');
    assert.equal(confinePath('/home/me/app/src/../a.ts', one, posix).workspacePath, 'a.ts');
    refusal(() => confinePath('/home/me/app-secrets/key', one, posix), /absolute path outside every workspace folder/);
    refusal(() => confinePath('/home/me/app/../other/x', one, posix), /absolute path outside/);
    refusal(() => confinePath('/etc/passwd', one, posix), /absolute path outside/);
  });

  test('".." may wander inside but never out', () => {
    assert.equal(confinePath('src/../lib/x.ts', one, posix).workspacePath, 'lib/x.ts');
    refusal(() => confinePath('..', one, posix), /through "\.\."/);
    refusal(() => confinePath('../app/x', one, posix), /through "\.\."/);
    refusal(() => confinePath('src/../../x', one, posix), /through "\.\."/);
    refusal(() => confinePath('..\\..\\etc\\passwd', one, posix), /through "\.\."/);
  });

  test('odd forms are refused with their reason', () => {
    refusal(() => confinePath('a\0b', one, posix), /NUL byte/);
    refusal(() => confinePath('~', one, posix), /"~"/);
    refusal(() => confinePath('~/x', one, posix), /"~"/);
    refusal(() => confinePath('~root/x', one, posix), /"~"/);
    refusal(() => confinePath('C:\\x', one, posix), /Windows drive path/);
    refusal(() => confinePath('c:x', one, posix), /Windows drive path/);
    refusal(() => confinePath('\\\\server\\share', one, posix), /UNC/);
    refusal(() => confinePath('//server/share', one, posix), /UNC/);
    refusal(() => confinePath('file:///etc/passwd', one, posix), /URI/);
    refusal(() => confinePath('a/'.repeat(2049), one, posix), /longer than 4096/);
    refusal(() => confinePath(`${'x'.repeat(256)}/a`, one, posix), /longer than 255/);
    assert.equal(confinePath(`${'x'.repeat(255)}`, one, posix).relative.length, 255);
  });

  test('a refusal quotes a huge path shortened and NULs visibly', () => {
    assert.throws(() => confinePath(`${'a/'.repeat(3000)}`, one, posix), (error: Error) => error.message.length < 400);
    assert.throws(() => confinePath('a\0b', one, posix), (error: Error) => error.message.includes('a\\0b'));
  });

  test('an empty path is a ToolError with a hint; no roots is a ConfigurationError', () => {
    assert.throws(() => confinePath('  ', one, posix), (error: unknown) => error instanceof ToolError && /Use "\."/.test(error.message));
    assert.throws(() => confinePath('x', [], posix), ConfigurationError);
  });

  test('case-insensitive comparison accepts another case but not a ".." game', () => {
    assert.equal(confinePath('/HOME/me/APP/src/a.ts', one, { ...posix, caseInsensitive: true }).relative, 'src/a.ts');
    refusal(() => confinePath('/HOME/me/APP/src/a.ts', one, posix), /absolute path outside/);
    refusal(() => confinePath('/home/me/APP/../app-secrets', one, { ...posix, caseInsensitive: true }), /absolute path outside/);
  });
});

describe('confinePath with several roots', () => {
  test('paths start with a root name and keep it in their canonical form', () => {
    assert.deepEqual(confinePath('api/src/x.ts', two, posix), { rootIndex: 0, relative: 'src/x.ts', workspacePath: 'api/src/x.ts' });
    assert.deepEqual(confinePath('web', two, posix), { rootIndex: 1, relative: '', workspacePath: 'web' });
    assert.deepEqual(confinePath('/srv/web/index.html', two, posix), { rootIndex: 1, relative: 'index.html', workspacePath: 'web/index.html' });
    assert.equal(confinePath('/srv/web', two, posix).workspacePath, 'web');
    assert.equal(confinePath('api/../web/a', two, posix).workspacePath, 'web/a');
  });

  test('a path without a root name, or ".", says which names to use', () => {
    refusal(() => confinePath('src/x.ts', two, posix), /start it with one of "api", "web"/);
    refusal(() => confinePath('.', two, posix), /start it with one of/);
    refusal(() => confinePath('api/../../srv/web', two, posix), /through "\.\."/);
  });

  test('a root nested in another claims its own files', () => {
    const nested: ConfineRoot[] = [
      { name: 'outer', path: '/w' },
      { name: 'inner', path: '/w/packages/inner' },
    ];
    assert.equal(confinePath('/w/packages/inner/a.ts', nested, posix).workspacePath, 'inner/a.ts');
    assert.equal(confinePath('/w/packages/other/a.ts', nested, posix).workspacePath, 'outer/packages/other/a.ts');
  });
});

describe('confinePath on Windows', () => {
  const win: ConfineRoot[] = [{ name: 'app', path: 'C:\\Users\\me\\app' }];
  const win32 = { platform: 'win32' as const };

  test('drive paths inside the root are accepted in any case', () => {
    assert.equal(confinePath('c:\\users\\ME\\app\\src\\a.ts', win, win32).workspacePath, 'src/a.ts');
    assert.equal(confinePath('C:/Users/me/app/src/a.ts', win, win32).workspacePath, 'src/a.ts');
  });

  test('other drives, drive-relative and UNC forms are refused', () => {
    refusal(() => confinePath('D:\\app\\a.ts', win, win32), /absolute path outside/);
    refusal(() => confinePath('C:app\\a.ts', win, win32), /relative to a drive/);
    refusal(() => confinePath('\\\\server\\share\\a.ts', win, win32), /UNC/);
  });
});

describe('isInsideRealRoot', () => {
  test('accepts the root and what lies under it, nothing else', () => {
    assert.equal(isInsideRealRoot('/r', '/r', posix), true);
    assert.equal(isInsideRealRoot('/r/a/b', '/r', posix), true);
    assert.equal(isInsideRealRoot('/r/..x', '/r', posix), true);
    assert.equal(isInsideRealRoot('/rx', '/r', posix), false);
    assert.equal(isInsideRealRoot('/', '/r', posix), false);
    assert.equal(isInsideRealRoot('/r/../s', '/r', posix), false);
  });

  test('case folding only when asked (or on Windows)', () => {
    assert.equal(isInsideRealRoot('/R/a', '/r', posix), false);
    assert.equal(isInsideRealRoot('/R/a', '/r', { ...posix, caseInsensitive: true }), true);
    assert.equal(isInsideRealRoot('C:\\R\\a', 'c:\\r', { platform: 'win32' }), true);
    assert.equal(isInsideRealRoot('D:\\r\\a', 'C:\\r', { platform: 'win32' }), false);
  });
});

test('joinInsideRoot joins in the platform syntax', () => {
  assert.equal(joinInsideRoot('/r', 'a/b', 'posix'), '/r/a/b');
  assert.equal(joinInsideRoot('/r', '', 'posix'), '/r');
  assert.equal(joinInsideRoot('C:\\r', 'a/b', 'win32'), 'C:\\r\\a\\b');
});
