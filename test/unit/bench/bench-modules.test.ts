import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { benchModules } from '../../bench/run';
import { distTestRoot } from '../../support/paths';

test('the bench runner runs benches only, not their helpers', () => {
  const names = benchModules(join(distTestRoot, 'test', 'bench'));
  for (const bench of ['loop', 'tokens', 'search', 'memory', 'redact', 'webview', 'prompt-size']) assert.ok(names.includes(bench), `${bench} in ${names.join(', ')}`);
  for (const helper of ['run', 'machine', 'seeded-random', 'baseline-step-ageing']) assert.ok(!names.includes(helper), `${helper} is not a bench`);
});
