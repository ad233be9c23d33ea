/** Formatting shared by both webviews: short, stable, locale-neutral numbers. */
import { clip } from '../agent/format';

// One spelling everywhere: the webviews show durations and cut text as the CLI and the tools do.
export { clip, formatDuration } from '../agent/format';

export function formatTokens(count: number): string {
  if (count < 1_000) return String(Math.round(count));
  if (count < 1_000_000) return `${(count / 1_000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** "87%": a part of a whole, rounded down so a share short of all of it never reads 100%. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  return `${Math.floor((Math.min(part, whole) / whole) * 100)}%`;
}

/** Dollars with enough digits to see the cost of a cheap call ($0.0004), never "$0.00" for a real cost. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 10) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** "+12.3s": when something happened, relative to the run's start. */
export function formatOffset(ms: number): string {
  return `+${(Math.max(0, ms) / 1_000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

/**
 * One line summing up a tool's arguments for a collapsed row: the values of the first few
 * fields (a path, a query), cut to `max` characters.
 */
export function summarizeArgs(args: unknown, max = 80): string {
  let text: string;
  if (typeof args === 'string') text = args;
  else if (args && typeof args === 'object' && !Array.isArray(args)) {
    text = Object.entries(args as Record<string, unknown>)
      .slice(0, 3)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(', ');
  } else text = JSON.stringify(args) ?? '';
  return clip(text.replace(/\s+/g, ' ').trim(), max);
}

/** Arguments as the person should read them: pretty JSON, or the raw text the model sent. */
export function prettyArgs(args: unknown): string {
  if (typeof args === 'string') return args;
  return JSON.stringify(args, null, 2) ?? String(args);
}

/** The first line of a result, cut to `max` characters. */
export function firstLine(text: string, max = 100): string {
  const line = text.trimStart().split('\n', 1)[0] ?? '';
  return clip(line, max);
}

export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const RUN_END_LABELS: Readonly<Record<string, string>> = {
  answered: 'Answered',
  'max-steps': 'Stopped: step limit reached',
  loop: 'Stopped: the model was repeating itself',
  budget: 'Stopped: cost limit reached',
  timeout: 'Stopped: time limit reached',
  cancelled: 'Stopped by you',
  error: 'Failed',
};

export const DECISION_LABELS: Readonly<Record<string, string>> = {
  auto: 'auto-approved',
  'allow-once': 'allowed once',
  'allow-for-chat': 'allowed for this chat',
  deny: 'denied',
};
