import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitInstruction } from '../../../../src/agent/instructions/fit-instruction';
import { countTextTokens } from '../../../../src/agent/model/token-estimate';

test('a file that fits is sent whole, with its tokens counted', () => {
  const fitted = fitInstruction('AGENTS.md', 'Run npm test before you answer.', 0, 4_000, 4_000);
  assert.ok(fitted.kind === 'whole');
  assert.equal(fitted.tokens, countTextTokens('Run npm test before you answer.'));
});

test('a larger file is cut to what is left, saying so; too little left leaves it out', () => {
  const text = Array.from({ length: 3_000 }, (_, i) => `Rule ${i}: keep functions short.`).join('\n');
  const cut = fitInstruction('AGENTS.md', text, 0, 1_000, 4_000);
  assert.ok(cut.kind === 'cut');
  assert.ok(cut.tokens <= 1_000, `${cut.tokens} tokens`);
  assert.equal(countTextTokens(cut.text), cut.tokens);
  assert.ok(text.startsWith(cut.text.split('\n[… cut:')[0]));
  assert.match(cut.text, /\[… cut: AGENTS\.md has about \d+ tokens; only its first \d+ fit the 4000-token budget for instructions\.\]$/);
  assert.ok(cut.fileTokens > 20_000);
  assert.equal(fitInstruction('AGENTS.md', text, 0, 50, 4_000).kind, 'left-out');
});

test('bytes never read of a huge file count toward its size', () => {
  const fitted = fitInstruction('AGENTS.md', 'short', 400_000, 4_000, 4_000);
  assert.equal(fitted.kind, 'cut');
  assert.ok(fitted.fileTokens >= 100_000);
});
