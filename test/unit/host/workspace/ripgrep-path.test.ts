import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ripgrepCandidates } from '../../../../src/host/workspace/ripgrep-path';

test('candidates cover the layouts VS Code builds ship ripgrep in', () => {
  assert.deepEqual(ripgrepCandidates('/opt/code/resources/app', 'linux', 'x64'), [
    '/opt/code/resources/app/node_modules/@vscode/ripgrep/bin/rg',
    '/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg',
    '/opt/code/resources/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg',
    '/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep-universal/bin/linux-x64/rg',
  ]);
});

test('Windows candidates name rg.exe', () => {
  for (const candidate of ripgrepCandidates('/app', 'win32', 'arm64')) assert.match(candidate, /rg\.exe$/);
  assert.ok(ripgrepCandidates('/app', 'win32', 'arm64').some((c) => c.includes('win32-arm64')));
});
