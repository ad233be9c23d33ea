import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Problem } from '../../../../src/agent/editor/editor-port';
import { compareProblems, formatProblemReport } from '../../../../src/agent/editor/problem-report';

const problem = (line: number, severity: Problem['severity'], message: string, code = '2322'): Problem => ({ path: 'a.ts', line, column: 1, severity, message, source: 'ts', code });

test('a moved problem is neither new nor fixed; duplicates are counted one by one; hints are left out', () => {
  const before = { problems: [problem(1, 'error', 'A'), problem(2, 'error', 'A'), problem(3, 'hint', 'unused')], checked: ['a.ts'] };
  const after = { problems: [problem(5, 'error', 'A'), problem(6, 'warning', 'W', '6133'), problem(7, 'hint', 'unused')], checked: ['a.ts'], settled: true, waitedMs: 300 };
  const report = compareProblems(['a.ts'], before, after);
  assert.deepEqual(report.added.map((p) => p.message), ['W']);
  assert.deepEqual(report.fixed.map((p) => p.line), [2]);
  assert.equal(report.errors, 1);
  assert.equal(report.warnings, 1);
  assert.deepEqual(report.unknownBefore, []);
});

test('the report is bounded in tokens: errors first, then "N more" with how many errors are left', () => {
  const many = Array.from({ length: 60 }, (_, i) => problem(i + 1, i % 2 ? 'warning' : 'error', `Problem number ${i} with a message long enough to cost some tokens each time`));
  const report = compareProblems(['a.ts'], { problems: [], checked: ['a.ts'] }, { problems: many, checked: ['a.ts'], settled: true, waitedMs: 10 });
  const text = formatProblemReport(report, 200);
  const lines = text.split('\n');
  assert.match(lines[0], /^Problems in a\.ts after this change \(now 30 errors, 30 warnings\):$/);
  assert.match(lines[2], / error: /);
  assert.match(lines.at(-1)!, /^ {2}… \d+ more \(\d+ errors\) not shown\.$/);
  assert.ok(lines.length < 15, `${lines.length} lines`);
  const shownErrors = lines.filter((l) => l.includes(' error: ')).length;
  const shownWarnings = lines.filter((l) => l.includes(' warning: ')).length;
  assert.ok(shownWarnings === 0 || shownErrors === 30, 'warnings only after every error');
});
