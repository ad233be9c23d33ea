import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPathRules, ruleCandidates } from '../../../../src/agent/safety/path-rules';

const rules = createPathRules();

test('editor, git, CI and dev-container configuration is protected', () => {
  for (const path of [
    '.vscode/settings.json',
    '.vscode/tasks.json',
    'team.code-workspace',
    'infra/all.code-workspace',
    '.git/config',
    '.git/hooks/pre-commit',
    '.github/workflows/ci.yml',
    '.devcontainer/devcontainer.json',
  ]) {
    assert.equal(rules.isProtected(path), true, path);
  }
});

test('protection survives case tricks, ./ prefixes, root-name prefixes, backslashes and .. segments', () => {
  for (const path of [
    '.VSCode/settings.json',
    '.GIT/HOOKS/post-checkout',
    './.vscode/settings.json',
    '././.github/workflows/x.yml',
    'api/.vscode/launch.json',
    'packages/web/.devcontainer/Dockerfile',
    '.vscode\\settings.json',
    'src/../.git/config',
    'src/./../.vscode/settings.json',
    // What Windows ignores in a name must not dodge a rule.
    '.vscode./settings.json',
    '.vscode /settings.json',
    '.git/hooks/pre-commit::$DATA',
  ]) {
    assert.equal(rules.isProtected(path), true, path);
  }
});

test('ordinary files that merely look alike are not protected', () => {
  for (const path of ['src/vscode.ts', '.gitignore', '.gitattributes', 'docs/git/intro.md', '.github/ISSUE_TEMPLATE/bug.md', 'my.vscode/x', 'workspace.code']) {
    assert.equal(rules.isProtected(path), false, path);
  }
});

test('credential files are sensitive at any depth and in any case', () => {
  for (const path of ['.env', '.env.local', 'api/.env.production', 'certs/server.pem', 'keys/tls.KEY', 'home/.ssh/id_rsa', 'id_rsa.pub', '.npmrc', 'sub/.netrc', '.ENV']) {
    assert.equal(rules.isSensitive(path), true, path);
  }
  for (const path of ['src/env.ts', 'environment.md', 'keyboard.ts', 'src/keys.ts', 'pem.md', 'README.md']) {
    assert.equal(rules.isSensitive(path), false, path);
  }
});

test('user globs add to the built-in ones, also matching below any folder', () => {
  const custom = createPathRules({ protectedPaths: ['Makefile', 'scripts/deploy/**'], sensitivePaths: ['secrets/**', '*.kdbx'] });
  assert.equal(custom.isProtected('Makefile'), true);
  assert.equal(custom.isProtected('api/scripts/deploy/run.sh'), true);
  assert.equal(custom.isProtected('.vscode/settings.json'), true, 'built-ins stay');
  assert.equal(custom.isProtected('src/Makefile.ts'), false);
  assert.equal(custom.isSensitive('secrets/db.txt'), true);
  assert.equal(custom.isSensitive('vault/passwords.KDBX'), true);
  assert.equal(custom.isSensitive('.env'), true, 'built-ins stay');
  assert.equal(rules.isProtected('Makefile'), false, 'settings do not leak into other rule sets');
});

test('protectedAmong and sensitiveAmong keep the given spelling, once each', () => {
  assert.deepEqual(rules.protectedAmong(['src/a.ts', '.vscode/x.json', '.vscode/x.json', '.git/HEAD']), ['.vscode/x.json', '.git/HEAD']);
  assert.deepEqual(rules.sensitiveAmong(['src/a.ts', 'app/.env']), ['app/.env']);
});

test('rule candidates normalize slashes, dots and Windows-ignored name endings', () => {
  assert.deepEqual(ruleCandidates('./a//b/./c'), ['a/b/c']);
  assert.deepEqual(ruleCandidates('a\\b\\..\\c'), ['a/c']);
  assert.deepEqual(ruleCandidates('.vscode. /x'), ['.vscode. /x', '.vscode/x']);
});
