import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { countTokens } from '../../../../src/agent/model/tokenizer';
import { repoRoot } from '../../../support/paths';

const reference = new Tiktoken(cl100k);
const exact = (text: string) => reference.encode(text, [], []).length;

test('ordinary text and code count exactly as the cl100k encoder counts them', () => {
  const prose = 'The quick brown fox jumps over the lazy dog.\n'.repeat(50);
  const source = readFileSync(join(repoRoot, 'src', 'agent', 'loop', 'run-agent.ts'), 'utf8');
  assert.equal(countTokens(prose), exact(prose));
  assert.equal(countTokens(source), exact(source));
  assert.equal(countTokens(''), 0);
  assert.equal(countTokens('<|endoftext|>'), exact('<|endoftext|>'), 'special-token text counts as plain text');
});

test('a long unbroken run is counted in slices, within a few tokens of the exact count', () => {
  for (const run of ['-'.repeat(1_500), '='.repeat(1_200), ' '.repeat(1_300), 'ab'.repeat(700)]) {
    const text = `before ${run} after`;
    const counted = countTokens(text);
    const expected = exact(text);
    assert.ok(Math.abs(counted - expected) <= 8, `${JSON.stringify(run.slice(0, 4))}×${run.length}: ${counted} vs exact ${expected}`);
  }
});

test('emoji runs are never cut inside a surrogate pair', () => {
  const emoji = '😀😁😂🤣'.repeat(200); // 1,600 UTF-16 units, no whitespace: sliced
  const counted = countTokens(emoji);
  const expected = exact(emoji);
  assert.ok(Math.abs(counted - expected) <= 8, `${counted} vs exact ${expected}`);
  // A lone surrogate would encode as U+FFFD; a cut pair would show up as extra tokens for it.
  assert.ok(counted <= expected + 8);
});

// Encoding a run like this whole is quadratic: tens of minutes for 50,000 characters. The
// bound only catches a hang; it is far above what the sliced count needs.
test('a 50,000-character line of dashes is counted without hanging the loop', { timeout: 30_000 }, () => {
  const tokens = countTokens(`header\n${'-'.repeat(50_000)}\nfooter`);
  assert.ok(tokens > 700 && tokens < 2_000, `${tokens} tokens`);
});
