import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listOf, parseFrontmatter, stringOf } from '../../../../src/agent/instructions/frontmatter';

test('the shapes these headers use: plain, quoted, inline lists, block lists, comments; the body follows', () => {
  const parsed = parseFrontmatter(
    [
      '---',
      'description: "TypeScript rules" # why',
      "applyTo: 'src/**/*.ts, test/**/*.{ts,tsx}'",
      'tools: [read_file, "github/*"]',
      'agents:',
      '  - plan',
      '  - "review"',
      '---',
      '# Rules',
      'Use tabs.',
    ].join('\n'),
  );
  assert.deepEqual(parsed.problems, []);
  assert.equal(stringOf(parsed.data.description), 'TypeScript rules');
  assert.deepEqual(listOf(parsed.data.applyTo), ['src/**/*.ts', 'test/**/*.{ts,tsx}']);
  assert.deepEqual(listOf(parsed.data.tools), ['read_file', 'github/*']);
  assert.deepEqual(listOf(parsed.data.agents), ['plan', 'review']);
  assert.equal(parsed.body, '# Rules\nUse tabs.');
});

test('no header: all of it is the body', () => {
  assert.deepEqual(parseFrontmatter('# Just text\n---\nmore'), { data: {}, body: '# Just text\n---\nmore', problems: [] });
});

test('a bad header is reported by line and loses no text', () => {
  const broken = parseFrontmatter('---\napplyTo: [src/**\nthis is not yaml\n---\nKeep me.');
  assert.deepEqual(broken.problems, ['line 2: the list of "applyTo" is not closed with ]', 'line 3: expected "key: value", found "this is not yaml"']);
  assert.equal(broken.body, 'Keep me.');
  const unclosed = parseFrontmatter('---\napplyTo: src/**\nKeep me too.');
  assert.equal(unclosed.body, '---\napplyTo: src/**\nKeep me too.');
  assert.match(unclosed.problems[0], /never closed/);
});
