/**
 * Hunks between "before the chat's first change" and the file now: two separate hunks undone
 * one at a time, edits made by hand afterwards kept, and the whole-file fallback past the bound.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeHunks, isBinary, lineCounts, undoHunk } from '../../../../src/agent/changes/hunks';

const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
// The agent changed line b and appended after h: two hunks with unchanged lines between.
const after = ['a', 'B!', 'c', 'd', 'e', 'f', 'g', 'h', 'i', ''].join('\n');

test('two changes far apart are two hunks, each placed in the current text', () => {
  const hunks = computeHunks(before, after);
  assert.equal(hunks.length, 2);
  assert.deepEqual(
    hunks.map(({ line, lineCount, before: was, added, removed }) => ({ line, lineCount, was, added, removed })),
    [
      { line: 1, lineCount: 1, was: 'b\n', added: 1, removed: 1 },
      { line: 8, lineCount: 1, was: '', added: 1, removed: 0 },
    ],
  );
  assert.equal(after.slice(hunks[0].start, hunks[0].end), 'B!\n');
});

test('undoing one hunk leaves the other, and undoing both gives back the original', () => {
  const [first, second] = computeHunks(before, after);
  const firstUndone = undoHunk(after, first);
  assert.equal(firstUndone, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', ''].join('\n'));
  const rest = computeHunks(before, firstUndone);
  assert.equal(rest.length, 1);
  assert.equal(rest[0].added, 1);
  assert.equal(undoHunk(firstUndone, rest[0]), before);
  // Applying the second of the original pair to the original text also works on its own.
  assert.equal(undoHunk(after, second), ['a', 'B!', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n'));
});

test('an edit made by hand afterwards is part of "now": undoing the agent\'s hunk keeps it', () => {
  // The person inserted two lines at the top after the run; hunks shift with them.
  const edited = `# mine\n# also mine\n${after}`;
  const hunks = computeHunks(before, edited);
  assert.equal(hunks.length, 3);
  const agentHunk = hunks.find((hunk) => hunk.before === 'b\n');
  assert.ok(agentHunk);
  assert.equal(agentHunk.line, 3);
  const undone = undoHunk(edited, agentHunk);
  assert.ok(undone.startsWith('# mine\n# also mine\na\nb\nc\n'), undone);
  assert.ok(undone.includes('h\ni\n'));
});

test('a deleted file is one hunk that brings every line back; a created file one that removes it', () => {
  const [gone] = computeHunks('x\ny\n', '');
  assert.deepEqual({ start: gone.start, end: gone.end, before: gone.before, removed: gone.removed, added: gone.added }, { start: 0, end: 0, before: 'x\ny\n', removed: 2, added: 0 });
  assert.equal(undoHunk('', gone), 'x\ny\n');
  const [made] = computeHunks('', 'new\n');
  assert.equal(undoHunk('new\n', made), '');
});

test('past the edit bound the file is one hunk, still exact when undone', () => {
  const old = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
  const changed = Array.from({ length: 200 }, (_, i) => `other ${i}`).join('\n');
  const hunks = computeHunks(old, changed, 10);
  assert.equal(hunks.length, 1);
  assert.equal(hunks[0].removed, 200);
  assert.equal(undoHunk(changed, hunks[0]), old);
});

test('line counts and binary detection', () => {
  assert.deepEqual(lineCounts(before, after), { added: 2, removed: 1 });
  assert.deepEqual(lineCounts('same', 'same'), { added: 0, removed: 0 });
  assert.equal(isBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01])), true);
  assert.equal(isBinary(Buffer.from('plain text\n')), false);
});
