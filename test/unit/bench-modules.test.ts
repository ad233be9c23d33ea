import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { benchModules } from '../bench/run';

test('the bench runner runs benches only, not their helpers', () => {
  const names = benchModules(join(__dirname, '..', 'bench'));
  for (const bench of ['loop', 'tokens', 'search', 'memory', 'redact', 'webview']) assert.ok(names.includes(bench), `${bench} in ${names.join(', ')}`);
  for (const helper of ['run', 'machine', 'seeded-random', 'baseline-step-ageing']) assert.ok(!names.includes(helper), `${helper} is not a bench`);
});
