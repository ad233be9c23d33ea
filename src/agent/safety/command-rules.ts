import type { CommandLineAnalysis, CommandPart, JudgedPart, PartVerdict } from '../command-analysis';

export type { JudgedPart, PartVerdict } from '../command-analysis';

/**
 * The person's command rules (glassbox.commands.allow / .deny, --allow-command / --deny-command).
 * A pattern is a command prefix matched word by word (`git status`, `npm run *`: `*` matches
 * within one word), or a `/regex/` tested against the command's words joined by spaces.
 */
export interface CommandRules {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

export interface CommandLineJudgement {
  readonly parts: readonly JudgedPart[];
  /** Some part matched a deny rule: no setting and no grant answers for this line. */
  readonly denied: boolean;
  /** Every part is allowed and none denied: the rules alone let it run. */
  readonly allAllowed: boolean;
}

/**
 * Judges each command a line would run. Deny wins over allow. A deny rule matches a command
 * also by the last segment of its path (`/bin/rm` is `rm`); an allow rule only as written, so
 * `./git status` is not `git status`. An unreadable line has one part: itself, unknown.
 */
export function judgeCommandLine(analysis: CommandLineAnalysis, rules: CommandRules): CommandLineJudgement {
  if (!analysis.readable) {
    return { parts: [{ text: '(the whole line)', verdict: 'unknown', why: analysis.problem }], denied: false, allAllowed: false };
  }
  const parts = analysis.parts.map((part) => judgePart(part, rules));
  return {
    parts,
    denied: parts.some(({ verdict }) => verdict === 'denied'),
    allAllowed: parts.length > 0 && parts.every(({ verdict }) => verdict === 'allowed'),
  };
}

function judgePart(part: CommandPart, rules: CommandRules): JudgedPart {
  const text = part.words ? part.words.join(' ') : part.text;
  if (!part.words) return { text, verdict: 'unknown', why: part.unknown ?? 'unknown' };
  const words = { known: part.words, dynamic: new Set(part.dynamic ?? []) };
  // Deny is checked on what is known even of a part that is otherwise unknown (`rm $X`).
  const deny = rules.deny.find((pattern) => ruleMatches(pattern, words, true) === 'yes');
  if (deny !== undefined) return { text, verdict: 'denied', why: `deny: ${deny}` };
  if (part.unknown !== undefined) return { text, verdict: 'unknown', why: part.unknown };
  const maybe = rules.deny.find((pattern) => ruleMatches(pattern, words, true) === 'maybe');
  if (maybe !== undefined) return { text, verdict: 'unknown', why: `it may match deny: ${maybe}, by words known only when it runs` };
  const allow = rules.allow.find((pattern) => ruleMatches(pattern, words, false) === 'yes');
  if (allow !== undefined) return { text, verdict: 'allowed', why: `allow: ${allow}` };
  if (words.dynamic.size > 0) return { text, verdict: 'unknown', why: 'some of its words are known only when it runs' };
  return { text, verdict: 'unmatched', why: 'no rule matches' };
}

/** A command's words, and which of them are known only when it runs. */
export interface RuleWords {
  readonly known: readonly string[];
  readonly dynamic: ReadonlySet<number>;
}

/**
 * Whether one pattern matches a command's words (see CommandRules): `maybe` when it would
 * depend on a word known only when the command runs (within a prefix pattern's words, or
 * anywhere for a regex).
 */
export function ruleMatches(pattern: string, words: RuleWords, byBaseName: boolean): 'yes' | 'no' | 'maybe' {
  const regex = regexOf(pattern);
  if (regex) {
    if (words.dynamic.size > 0) return 'maybe';
    return regex.test(words.known.join(' ')) ? 'yes' : 'no';
  }
  // A pattern is the person's own few words, not a command line: splitting it on spaces is
  // what they mean by `npm run *`.
  const wanted = pattern.trim().split(/\s+/).filter(Boolean);
  if (wanted.length === 0 || wanted.length > words.known.length) return 'no';
  let maybe = false;
  for (let i = 0; i < wanted.length; i++) {
    if (words.dynamic.has(i)) {
      maybe = true;
      continue;
    }
    const word = i === 0 && byBaseName && !wanted[0].includes('/') ? (words.known[0].split('/').pop() ?? words.known[0]) : words.known[i];
    if (!wordMatches(wanted[i], word)) return 'no';
  }
  return maybe ? 'maybe' : 'yes';
}

/** Whether a pattern is usable; a message for a person otherwise. */
export function ruleProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'an empty pattern matches nothing';
  if (isRegex(pattern) && !regexOf(pattern)) return `${pattern} is not a valid regular expression`;
  return undefined;
}

// `/…/` with at most the flags i, m, s, u after it; `/usr/bin/x` is therefore a path prefix.
const REGEX_FORM = /^\/(.+)\/([imsu]*)$/s;

function isRegex(pattern: string): boolean {
  return REGEX_FORM.test(pattern.trim());
}

const regexes = new Map<string, RegExp | null>();

function regexOf(pattern: string): RegExp | undefined {
  if (!isRegex(pattern)) return undefined;
  let compiled = regexes.get(pattern);
  if (compiled === undefined) {
    const [, source, flags] = REGEX_FORM.exec(pattern.trim())!;
    try {
      compiled = new RegExp(source, flags);
    } catch {
      compiled = null; // reported by ruleProblem; an invalid rule matches nothing
    }
    if (regexes.size > 200) regexes.clear();
    regexes.set(pattern, compiled);
  }
  return compiled ?? undefined;
}

function wordMatches(want: string, word: string): boolean {
  if (!want.includes('*')) return want === word;
  const source = want
    .split('*')
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(word);
}

const VERDICT_WORDS: Record<PartVerdict, string> = {
  allowed: 'allowed',
  denied: 'DENIED',
  unmatched: 'asks',
  unknown: 'asks',
};

/** One line per part for the dialog and the CLI prompt: `rm -rf x — DENIED (deny: rm)`. */
export function describeParts(parts: readonly JudgedPart[]): string[] {
  return parts.map(({ text, verdict, why }) => `${text} — ${VERDICT_WORDS[verdict]} (${why})`);
}
