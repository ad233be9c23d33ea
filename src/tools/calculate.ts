import { all, create, type MathJsInstance } from 'mathjs';
import { Script, createContext } from 'node:vm';
import { z } from 'zod';
import { ToolError } from '../agent/errors';
import { defineTool } from '../agent/tool';
import { clipLine, formatDuration, messageOf } from '../agent/format';

export const MAX_EXPRESSION_LENGTH = 2_000;
/** Wall-clock cap for one evaluation; `ones(30000, 30000)` is cut off with ~200 MB allocated. */
const EVALUATION_TIME_MS = 1_000;
const FORMAT_PRECISION = 14;
const DEFAULT_BIGNUMBER_PRECISION = 64;
const MAX_BIGNUMBER_PRECISION = 1_000;

/**
 * Functions an expression may not call, as math.js's security guidance advises: they parse or
 * evaluate further expressions, change the instance (import, createUnit, config), or build
 * expression trees. Each is replaced by one that throws "… is disabled".
 */
const DISABLED_FUNCTIONS = [
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'parser', 'simplify', 'simplifyConstant',
  'simplifyCore', 'derivative', 'rationalize', 'resolve', 'symbolicEqual', 'leafCount', 'reviver',
  'replacer', 'config', 'chain',
] as const;

export const calculate = defineTool({
  name: 'calculate',
  description:
    'Evaluate a math expression exactly instead of doing arithmetic in your head: numbers, percentages, ' +
    'powers and roots, trigonometry, logarithms, statistics (mean, std), unit conversions ("5 km to mile", ' +
    '"70 degF to degC"), complex numbers and matrices ("[1, 2; 3, 4] * [5; 6]", det, inv). Several expressions ' +
    'may be given on separate lines (each result is shown) or separated by ";" (only the last is shown), and ' +
    'may assign variables ("r = 3; pi * r^2"). Set bignumber (or precision) for ' +
    'results with more than 15 significant digits.',
  risk: 'read',
  // The result is a number it computed from the model's own expression.
  outsideContent: false,
  input: z.object({
    expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH).describe('A math.js expression, e.g. "sqrt(2) * 10 cm to inch".'),
    bignumber: z.boolean().optional().describe('Compute with arbitrary-precision decimals (64 significant digits by default).'),
    precision: z
      .number()
      .int()
      .min(16)
      .max(MAX_BIGNUMBER_PRECISION)
      .optional()
      .describe('Significant digits for arbitrary-precision results; implies bignumber.'),
  }),
  async execute({ expression, bignumber, precision }) {
    const digits = precision ?? (bignumber ? DEFAULT_BIGNUMBER_PRECISION : undefined);
    const lines = evaluateSandboxed(expression, digits);
    return lines.length === 1 ? `${expression.trim()} = ${lines[0]}` : lines.map((line, i) => `[${i + 1}] ${line}`).join('\n');
  },
});

interface Sandbox {
  readonly math: MathJsInstance;
  readonly evaluate: MathJsInstance['evaluate'];
}

// One instance per precision, built on first use (~15 ms) and kept: math.js loads lazily.
const sandboxes = new Map<number | 'number', Sandbox>();

function sandboxFor(digits: number | undefined): Sandbox {
  const key = digits ?? 'number';
  let sandbox = sandboxes.get(key);
  if (!sandbox) {
    const math = create(all, digits === undefined ? {} : { number: 'BigNumber', precision: digits });
    // Keep the real evaluate for ourselves before the expression-visible one is disabled.
    const evaluate = math.evaluate.bind(math);
    const disabled: Record<string, () => never> = {};
    for (const name of DISABLED_FUNCTIONS) {
      disabled[name] = () => {
        throw new Error(`Function ${name} is disabled`);
      };
    }
    math.import(disabled, { override: true });
    // math.js builds its parser and common functions on first use (~0.3 s): do that now, outside
    // the time limit, so a slow first call is not mistaken for a runaway expression.
    evaluate('[1, 2] * 2 + 1; 1 cm to inch', new Map());
    sandbox = { math, evaluate };
    if (sandboxes.size >= 8) sandboxes.clear();
    sandboxes.set(key, sandbox);
  }
  return sandbox;
}

// Evaluation runs inside a vm call only so that its `timeout` can stop a runaway expression
// (a synchronous loop cannot be interrupted otherwise). The script text is fixed; the
// expression never becomes JavaScript: math.js parses it with its own grammar.
const RUN_IN_TIME_LIMIT = new Script('evaluateNow()');

function evaluateSandboxed(expression: string, digits: number | undefined): string[] {
  const sandbox = sandboxFor(digits);
  let result: unknown;
  try {
    // A fresh, empty scope per call: no variables from earlier calls and no JavaScript globals.
    const context = createContext({ evaluateNow: () => sandbox.evaluate(expression, new Map()) });
    result = RUN_IN_TIME_LIMIT.runInContext(context, { timeout: EVALUATION_TIME_MS });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      // Stopped mid-way, the instance may hold half-built lazy functions: start a new one next time.
      sandboxes.delete(digits ?? 'number');
      throw new ToolError(
        `"${clipLine(expression, 120)}" took longer than ${formatDuration(EVALUATION_TIME_MS)} and was stopped. Use smaller matrices or ranges.`,
      );
    }
    throw new ToolError(
      `Could not evaluate "${clipLine(expression, 120)}": ${messageOf(error)}. calculate handles numbers, units ("5 km to mile"), ` +
        'matrices ("[1, 2; 3, 4] * 2") and functions such as sqrt, sin, log, mean.',
    );
  }
  const values = isResultSet(result) ? result.entries : [result];
  if (values.length === 0) throw new ToolError(`"${clipLine(expression, 120)}" has no value to show.`);
  return values.map((value) => formatValue(sandbox.math, value, digits));
}

function formatValue(math: MathJsInstance, value: unknown, digits: number | undefined): string {
  if (typeof value === 'function') {
    throw new ToolError('The expression defines a function but does not use it; call it too, e.g. "f(x) = x^2; f(3)".');
  }
  if (value === undefined) return 'undefined';
  // Plain notation up to 15 digits before the point (3628800, not 3.6288e+6); exponents beyond.
  return math.format(value as Parameters<MathJsInstance['format']>[0], {
    precision: digits ?? FORMAT_PRECISION,
    lowerExp: -9,
    upperExp: 15,
  });
}

function isResultSet(value: unknown): value is { entries: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isResultSet?: unknown }).isResultSet === true &&
    Array.isArray((value as { entries?: unknown }).entries)
  );
}
