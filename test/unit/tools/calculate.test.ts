import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ToolError } from '../../../src/agent/errors';
import { silentLogger } from '../../../src/agent/logger';
import type { ToolContext } from '../../../src/agent/tool';
import { MAX_EXPRESSION_LENGTH, calculate } from '../../../src/tools/calculate';

// calculate touches no files; the context is only there to satisfy the contract.
const ctx = { signal: new AbortController().signal, log: silentLogger, runId: 'run', callId: 'call' } as unknown as ToolContext;

async function calc(expression: string, options: { bignumber?: boolean; precision?: number } = {}): Promise<string> {
  return (await calculate.execute(calculate.input.parse({ expression, ...options }), ctx)) as string;
}

test('numbers, units, matrices, complex numbers and statistics are computed', async () => {
  const cases: [string, string][] = [
    ['2 + 3 * 4', '14'],
    ['0.1 + 0.2', '0.3'],
    ['10!', '3628800'],
    ['5 km to mile', '3.1068559611867 mile'],
    ['70 degF to degC', '21.111111111111 degC'],
    ['[1, 2; 3, 4] * [5; 6]', '[[17], [39]]'],
    ['det([1, 2; 3, 4])', '-2'],
    ['sqrt(-4)', '2i'],
    ['mean([1, 2, 3, 4])', '2.5'],
    ['sin(pi / 6)', '0.5'],
  ];
  for (const [expression, expected] of cases) assert.equal(await calc(expression), `${expression} = ${expected}`);
});

test('several expressions share variables and functions within one call, and each result is listed', async () => {
  // A semicolon hides a result, as in math.js; a new line shows it.
  assert.equal(await calc('r = 3; pi * r^2'), 'r = 3; pi * r^2 = 28.274333882308');
  assert.equal(await calc('r = 3\npi * r^2'), '[1] 3\n[2] 28.274333882308');
  assert.equal(await calc('f(x) = x^2 + 1; f(3)'), 'f(x) = x^2 + 1; f(3) = 10');
});

test('each call starts from an empty scope', async () => {
  await calc('secretValue = 42');
  await assert.rejects(calc('secretValue'), /Undefined symbol secretValue/);
});

test('arbitrary precision is used when asked for', async () => {
  assert.equal(await calc('1/3', { precision: 40 }), `1/3 = 0.${'3'.repeat(40)}`);
  assert.equal(await calc('1/3'), '1/3 = 0.33333333333333');
  assert.equal(await calc('2^70', { bignumber: true }), '2^70 = 1.180591620717411303424e+21');
  assert.equal(await calc('2^70'), '2^70 = 1.1805916207174e+21');
});

test('functions that parse, evaluate or extend math.js are disabled', async () => {
  for (const expression of [
    'import({x: 1}, {override: true})',
    'createUnit("parsec2")',
    'evaluate("1 + 1")',
    'parse("x + 1")',
    'compile("1 + 1")',
    'simplify("x + x")',
    'derivative("x^2", "x")',
    'resolve(1, {})',
    'config({precision: 5000})',
    'reviver()',
  ]) {
    const name = expression.slice(0, expression.indexOf('('));
    await assert.rejects(calc(expression), new RegExp(`Function ${name} is disabled`), expression);
  }
});

test('JavaScript is out of reach', async () => {
  for (const expression of ['[].constructor', 'cos.constructor("return process")()', 'process', 'this', 'globalThis']) {
    await assert.rejects(calc(expression), (error: unknown) => error instanceof ToolError, expression);
  }
});

test('mistakes get a clear error naming what calculate can do', async () => {
  await assert.rejects(calc('2 +'), /Could not evaluate "2 \+": Unexpected end of expression.*calculate handles numbers, units/);
  await assert.rejects(calc('5 kg + 3 m'), /Units do not match/);
  await assert.rejects(calc('f(x) = x^2'), /defines a function but does not use it/);
});

test('a runaway expression is stopped and the next call still works', { timeout: 20_000 }, async () => {
  await assert.rejects(calc('ones(30000, 30000)'), /took longer than 1 s and was stopped/);
  assert.equal(await calc('1 + 1'), '1 + 1 = 2');
});

test('over-long expressions and unreasonable precision are refused by the schema', () => {
  assert.equal(calculate.input.safeParse({ expression: '1+'.repeat(MAX_EXPRESSION_LENGTH) }).success, false);
  assert.equal(calculate.input.safeParse({ expression: '1', precision: 100_000 }).success, false);
  assert.equal(calculate.input.safeParse({ expression: '' }).success, false);
});
