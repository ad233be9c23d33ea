import { RE2JS } from 're2js';
import type { GitleaksAllowlist, GitleaksRule } from './gitleaks/gitleaks-config';
import { KeywordPrefilter } from './keyword-prefilter';
import { shannonEntropy } from './shannon-entropy';

/**
 * Evaluates gitleaks-style rules the way gitleaks' detector does (detect/detect.go): a rule runs
 * only where one of its keywords occurs; its regex is Go RE2 syntax, run by re2js (linear time,
 * so no text can make it backtrack); the secret is the rule's secret group or else the first
 * capture group that matched; it must exceed the rule's entropy and pass the global and the
 * rule's allowlists (regexes on the secret, the match or the line; stop-words).
 *
 * Unlike gitleaks, which runs each regex over the whole file, a rule here runs only on windows
 * around its keywords' occurrences (the keyword's line and the next one, at most WINDOW_BEFORE
 * characters before it and WINDOW_AFTER after): re2js's capturing matcher is slow, and ordinary
 * code is full of `key`, `token` and `api`. Windows are first tested together with re2js's DFA
 * (fast, no captures) and split in halves only where the test holds, so the capturing matcher
 * runs on the few windows that hold a match. Rules that can span many lines (a PEM block) see
 * the whole text.
 */
export interface Finding {
  readonly ruleId: string;
  readonly secret: string;
  /** Offsets of the secret in the text. */
  readonly start: number;
  readonly end: number;
}

const WINDOW_BEFORE = 256;
const WINDOW_AFTER = 1_024;
/** Rules spanning lines see this much around a keyword; a PEM block's body follows its keyword. */
const SPAN_AROUND = 1_024;
const PEM_AFTER = 16_384;

/**
 * Cheap conditions every finding of a rule implies, checked on a window before re2js runs.
 * generic-api-key: its secret is ≥ 10 characters of [\w.=+/-]; its first allowlist drops a
 * secret of letters, `_`, `.` and `-` only, so a finding holds a digit, `=`, `+` or `/`; its
 * entropy must exceed 3.5 bits, which takes at least 12 distinct characters. Ordinary code is
 * full of its keywords (`key`, `token`, `api`) and rarely of such runs.
 */
const NECESSARY: Readonly<Record<string, (window: string) => boolean>> = {
  'generic-api-key': (window) => {
    const runs = /[\w.=+/-]{12,}/g;
    let run: RegExpExecArray | null;
    while ((run = runs.exec(window)) !== null) if (/[\d=+/]/.test(run[0])) return true;
    return false;
  },
};

interface Window {
  start: number;
  end: number;
}

class CompiledAllowlist {
  readonly #source: GitleaksAllowlist;
  #regexes: RE2JS[] | undefined;

  constructor(source: GitleaksAllowlist) {
    this.#source = source;
  }

  allows(secret: string, match: string, line: string): boolean {
    const target = this.#source.regexTarget === 'match' ? match : this.#source.regexTarget === 'line' ? line : secret;
    const regexes = (this.#regexes ??= (this.#source.regexes ?? []).map((regex) => RE2JS.compile(regex)));
    const regexAllowed = target.length > 0 && regexes.some((regex) => regex.test(target));
    const lower = secret.toLowerCase();
    const stopwords = this.#source.stopwords ?? [];
    const stopword = secret.length > 0 && stopwords.some((word) => lower.includes(word));
    if (this.#source.condition === 'AND') {
      const checks = [...(regexes.length > 0 ? [regexAllowed] : []), ...(stopwords.length > 0 ? [stopword] : [])];
      return checks.length > 0 && checks.every(Boolean);
    }
    return regexAllowed || stopword;
  }
}

class CompiledRule {
  readonly source: GitleaksRule;
  readonly allowlists: readonly CompiledAllowlist[];
  /** Can match across many lines: gets the whole text, not windows. */
  readonly multiline: boolean;
  readonly necessary: ((window: string) => boolean) | undefined;
  #regex: RE2JS | undefined;

  constructor(source: GitleaksRule) {
    this.source = source;
    this.allowlists = (source.allowlists ?? []).map((list) => new CompiledAllowlist(list));
    this.multiline = /\(\?[a-z]*s|\[\\s\\S|-----BEGIN/.test(source.regex);
    this.necessary = NECESSARY[source.id];
  }

  /** Compiled on first use: most rules never see their keywords. */
  get regex(): RE2JS {
    return (this.#regex ??= RE2JS.compile(this.source.regex));
  }
}

export class RuleEngine {
  readonly #rules: readonly CompiledRule[];
  readonly #global: CompiledAllowlist | undefined;
  readonly #prefilter: KeywordPrefilter;
  /** For each keyword (by index), the rules it opens. */
  readonly #rulesOfKeyword: readonly number[][];
  /** Rules without keywords run on every text. */
  readonly #alwaysRun: readonly number[];

  constructor(rules: readonly GitleaksRule[], global?: GitleaksAllowlist) {
    this.#rules = rules.map((rule) => new CompiledRule(rule));
    this.#global = global ? new CompiledAllowlist(global) : undefined;
    const keywordIndex = new Map<string, number>();
    const rulesOfKeyword: number[][] = [];
    const alwaysRun: number[] = [];
    rules.forEach((rule, index) => {
      if (rule.keywords.length === 0) alwaysRun.push(index);
      for (const keyword of new Set(rule.keywords.map((k) => k.toLowerCase()))) {
        let at = keywordIndex.get(keyword);
        if (at === undefined) {
          keywordIndex.set(keyword, (at = rulesOfKeyword.length));
          rulesOfKeyword.push([]);
        }
        rulesOfKeyword[at].push(index);
      }
    });
    this.#prefilter = new KeywordPrefilter([...keywordIndex.keys()]);
    this.#rulesOfKeyword = rulesOfKeyword;
    this.#alwaysRun = alwaysRun;
  }

  /** The ids of the rules, in order. */
  get ruleIds(): readonly string[] {
    return this.#rules.map((rule) => rule.source.id);
  }

  /** Every secret the rules find in `text`, in order, without overlaps. */
  find(text: string): Finding[] {
    if (text.length === 0) return [];
    const hitsByRule = new Map<number, number[]>();
    for (const hit of this.#prefilter.scan(text)) {
      for (const rule of this.#rulesOfKeyword[hit.keyword]) {
        let ends = hitsByRule.get(rule);
        if (!ends) hitsByRule.set(rule, (ends = []));
        ends.push(hit.end);
      }
    }
    for (const rule of this.#alwaysRun) hitsByRule.set(rule, [text.length]);
    const findings: Finding[] = [];
    for (const [index, ends] of hitsByRule) {
      const rule = this.#rules[index];
      let windows = rule.multiline ? spansAround(text, ends, rule.source.regex.includes('-----BEGIN') ? PEM_AFTER : SPAN_AROUND) : windowsAround(text, ends);
      if (rule.necessary) windows = windows.filter((window) => rule.necessary?.(text.slice(window.start, window.end)));
      if (windows.length > 0) this.#search(rule, text, windows, 0, windows.length, findings);
    }
    return withoutOverlaps(findings);
  }

  /** Finds matches in windows[from, to): tested together first, split only where the test holds. */
  #search(rule: CompiledRule, text: string, windows: readonly Window[], from: number, to: number, out: Finding[]): void {
    if (to - from === 1) {
      this.#matchWindow(rule, text, windows[from], out);
      return;
    }
    const joined = windows
      .slice(from, to)
      .map((window) => text.slice(window.start, window.end))
      .join('\n');
    if (!rule.regex.test(joined)) return;
    const middle = (from + to) >>> 1;
    this.#search(rule, text, windows, from, middle, out);
    this.#search(rule, text, windows, middle, to, out);
  }

  #matchWindow(rule: CompiledRule, text: string, window: Window, out: Finding[]): void {
    const slice = text.slice(window.start, window.end);
    if (!rule.regex.test(slice)) return;
    const matcher = rule.regex.matcher(slice);
    while (matcher.find()) {
      const raw = matcher.group() ?? '';
      // gitleaks trims line breaks off the match before looking for the secret in it.
      const match = raw.replace(/^\n+|\n+$/g, '');
      const matchStart = window.start + matcher.start() + raw.indexOf(match);
      const secret = secretOf(rule, match);
      if (!secret) continue;
      if (rule.source.entropy && shannonEntropy(secret.text) <= rule.source.entropy) continue;
      const line = lineAround(text, matchStart, matchStart + match.length);
      if (this.#global?.allows(secret.text, match, line)) continue;
      if (rule.allowlists.some((list) => list.allows(secret.text, match, line))) continue;
      out.push({ ruleId: rule.source.id, secret: secret.text, start: matchStart + secret.offset, end: matchStart + secret.offset + secret.text.length });
    }
  }
}

/** The secret inside a match: the secret group, else the first group that matched, else all. */
function secretOf(rule: CompiledRule, match: string): { text: string; offset: number } | undefined {
  if (match.length === 0) return undefined;
  const groups = rule.regex.matcher(match);
  if (!groups.find()) return { text: match, offset: 0 };
  const count = groups.groupCount();
  if (count === 0) return { text: match, offset: 0 };
  const wanted = rule.source.secretGroup;
  if (wanted !== undefined && wanted > 0) {
    if (wanted > count) return undefined;
    const text = groups.group(wanted) ?? '';
    return { text, offset: Math.max(0, groups.start(wanted)) };
  }
  for (let group = 1; group <= count; group++) {
    const text = groups.group(group);
    if (text) return { text, offset: groups.start(group) };
  }
  return { text: match, offset: 0 };
}

function lineAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < WINDOW_BEFORE && text[from - 1] !== '\n') from--;
  let to = end;
  while (to < text.length && to - end < WINDOW_AFTER && text[to] !== '\n') to++;
  return text.slice(from, to);
}

/**
 * For keyword occurrences ending at `ends` (ascending), the windows the rule runs on: the
 * keyword's line and the next, at most WINDOW_BEFORE characters before the keyword and
 * WINDOW_AFTER after it. Each character is looked at a bounded number of times: a window that
 * reaches the next occurrence is extended from where its scan stopped, not scanned again.
 */
function windowsAround(text: string, ends: readonly number[]): Window[] {
  const windows: Window[] = [];
  let current: Window | undefined;
  // Line breaks inside the current window at or after the latest occurrence.
  let breaks: number[] = [];
  let passed = 0;
  // Where the current window's forward scan stopped (past the line break it stopped at).
  let scanned = 0;
  for (const end of ends) {
    if (!current || end > current.end) {
      let start = end;
      const floor = Math.max(current?.end ?? 0, end - WINDOW_BEFORE);
      while (start > floor && text[start - 1] !== '\n') start--;
      if (!current || start > current.end) {
        windows.push((current = { start, end }));
        breaks = [];
        passed = 0;
        scanned = end;
      } else {
        current.end = end;
        scanned = Math.max(scanned, end);
      }
    }
    while (passed < breaks.length && breaks[passed] < end) passed++;
    let seen = breaks.length - passed;
    const limit = Math.min(text.length, end + WINDOW_AFTER);
    while (seen < 2 && scanned < limit) {
      if (text[scanned] === '\n') {
        breaks.push(scanned);
        seen++;
      }
      scanned++;
    }
    // The window stops before the second line break after the occurrence.
    current.end = Math.max(current.end, seen >= 2 ? breaks[passed + 1] : scanned);
  }
  return windows;
}

/** For rules that span lines: SPAN_AROUND before each keyword occurrence and `after` past it, merged. */
function spansAround(text: string, ends: readonly number[], after: number): Window[] {
  const windows: Window[] = [];
  for (const end of ends) {
    const start = Math.max(0, end - SPAN_AROUND);
    const stop = Math.min(text.length, end + after);
    const last = windows[windows.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, stop);
    else windows.push({ start, end: stop });
  }
  return windows;
}

function withoutOverlaps(findings: Finding[]): Finding[] {
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const finding of findings) {
    const last = out[out.length - 1];
    if (last && finding.start < last.end) {
      if (finding.end > last.end) out[out.length - 1] = { ...last, end: finding.end, secret: last.secret + finding.secret.slice(last.end - finding.start) };
      continue;
    }
    out.push(finding);
  }
  return out;
}
