/**
 * The secret scanners' own test samples (test/fixtures/secrets/, see its README), and the
 * file syntaxes each secret is placed in to see whether redaction still finds it there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GITLEAKS_CONFIG } from '../../src/agent/safety/gitleaks/gitleaks-rules';
import { RuleEngine } from '../../src/agent/safety/rule-engine';

// dist-test/test/support/ → the repository (fixtures are not transpiled).
const root = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..')].find((dir) => existsSync(join(dir, 'test', 'fixtures', 'secrets')));
export const SECRETS_FIXTURES = join(root ?? process.cwd(), 'test', 'fixtures', 'secrets');

interface SampleFile {
  readonly rules: readonly { readonly id: string; readonly truePositives: readonly string[]; readonly falsePositives: readonly string[] }[];
}

export interface TruePositive {
  readonly ruleId: string;
  /** The sample as the scanner's test wrote it (often already inside some file syntax). */
  readonly sample: string;
  /** What the rule itself takes for the secret in it; undefined when it finds none. */
  readonly secret: string | undefined;
}

export interface FalsePositive {
  readonly ruleId: string;
  readonly sample: string;
}

function load(name: string): SampleFile {
  return JSON.parse(readFileSync(join(SECRETS_FIXTURES, name), 'utf8')) as SampleFile;
}

/** gitleaks' true positives, each with the secret its own rule finds in it. */
export function gitleaksTruePositives(): TruePositive[] {
  const engines = new Map<string, RuleEngine>();
  const engineOf = (id: string) => {
    let engine = engines.get(id);
    if (!engine) {
      const rule = GITLEAKS_CONFIG.rules.find((candidate) => candidate.id === id);
      engine = new RuleEngine(rule ? [rule] : [], GITLEAKS_CONFIG.allowlist);
      engines.set(id, engine);
    }
    return engine;
  };
  return load('gitleaks-samples.json').rules.flatMap((rule) =>
    rule.truePositives.map((sample) => {
      const [finding] = engineOf(rule.id).find(sample);
      return { ruleId: rule.id, sample, secret: finding?.secret };
    }),
  );
}

export function gitleaksFalsePositives(): FalsePositive[] {
  return load('gitleaks-samples.json').rules.flatMap((rule) => rule.falsePositives.map((sample) => ({ ruleId: rule.id, sample })));
}

export interface TrufflehogSample {
  readonly detector: string;
  readonly sample: string;
  /** The strings of the sample that are secret (the detector test's expected results). */
  readonly secrets: readonly string[];
}

export function trufflehogSamples(): TrufflehogSample[] {
  const path = join(SECRETS_FIXTURES, 'trufflehog-samples.json');
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { samples: TrufflehogSample[] }).samples;
}

/**
 * The file syntaxes a secret is written in (the list): each takes a name such as
 * `stripe` and the secret and gives a file's text.
 */
export const FILE_SYNTAXES: readonly { readonly name: string; readonly file: string; readonly write: (name: string, secret: string) => string }[] = [
  { name: 'yaml', file: 'config.yaml', write: (n, s) => `service:\n  ${n}_token: ${s}\n  region: eu-west-1\n` },
  { name: 'python', file: 'settings.py', write: (n, s) => `import os\n${n.toUpperCase()}_TOKEN = "${s}"\nDEBUG = False\n` },
  { name: 'go', file: 'main.go', write: (n, s) => `package main\n\nfunc main() {\n\t${camel(n)}Token := "${s}"\n\t_ = ${camel(n)}Token\n}\n` },
  { name: 'makefile', file: 'Makefile', write: (n, s) => `${n.toUpperCase()}_TOKEN ?= ${s}\n\nall:\n\t@echo ok\n` },
  { name: 'json', file: 'config.json', write: (n, s) => `{\n  "name": "app",\n  "${n}_token": "${s}"\n}\n` },
  { name: 'shell', file: 'deploy.sh', write: (n, s) => `#!/bin/sh\nexport ${n.toUpperCase()}_TOKEN=${s}\n./deploy\n` },
];

function camel(name: string): string {
  return name.replace(/[-_](\w)/g, (_m, c: string) => c.toUpperCase());
}

/** A rule id's first word, as the name a person would give the variable: `stripe-access-token` → `stripe`. */
export function nameOf(ruleId: string): string {
  return ruleId.split('-')[0].replace(/[^A-Za-z0-9]/g, '') || 'service';
}

export interface Share {
  readonly label: string;
  readonly total: number;
  readonly redacted: number;
  /** Up to a few of the samples that were not, for the report. */
  readonly missed: readonly string[];
}

export const percent = (share: Share): string => `${((100 * share.redacted) / Math.max(1, share.total)).toFixed(1)}%`;

function share(label: string, items: readonly { readonly ok: boolean; readonly what: string }[]): Share {
  const missed = items.filter((item) => !item.ok).map((item) => item.what);
  return { label, total: items.length, redacted: items.length - missed.length, missed: missed.slice(0, 40) };
}

/**
 * How many of gitleaks' true positives lose their secret to `redact`: each sample as gitleaks'
 * test wrote it, then each distinct secret in every file syntax of FILE_SYNTAXES.
 */
export function measureGitleaks(redact: (text: string) => string): { samples: Share; syntaxes: Share[]; unmatched: number } {
  const positives = gitleaksTruePositives();
  const withSecret = positives.filter((positive) => positive.secret !== undefined);
  const samples = share(
    'gitleaks true positives, as written',
    withSecret.map((p) => ({ ok: !redact(p.sample).includes(p.secret as string), what: `${p.ruleId}: ${p.sample}` })),
  );
  const distinct = new Map<string, string>();
  for (const p of withSecret) if (!distinct.has(p.secret as string)) distinct.set(p.secret as string, p.ruleId);
  const syntaxes = FILE_SYNTAXES.map((syntax) =>
    share(
      `gitleaks secrets in ${syntax.file}`,
      [...distinct].map(([secret, ruleId]) => ({ ok: !redact(syntax.write(nameOf(ruleId), secret)).includes(secret), what: `${ruleId}: ${secret}` })),
    ),
  );
  return { samples, syntaxes, unmatched: positives.length - withSecret.length };
}

/** gitleaks' false positives: how many the redactor leaves whole, and how many its own rule flags. */
export function measureGitleaksFalsePositives(redact: (text: string) => string): { untouched: Share; ownRuleSilent: Share } {
  const negatives = gitleaksFalsePositives();
  const engines = new Map<string, RuleEngine>();
  const ownRule = (id: string) => {
    let engine = engines.get(id);
    if (!engine) engines.set(id, (engine = new RuleEngine(GITLEAKS_CONFIG.rules.filter((rule) => rule.id === id), GITLEAKS_CONFIG.allowlist)));
    return engine;
  };
  return {
    untouched: share('gitleaks false positives left whole', negatives.map((n) => ({ ok: redact(n.sample) === n.sample, what: `${n.ruleId}: ${n.sample}` }))),
    ownRuleSilent: share('gitleaks false positives its own rule passes', negatives.map((n) => ({ ok: ownRule(n.ruleId).find(n.sample).length === 0, what: `${n.ruleId}: ${n.sample}` }))),
  };
}

/** trufflehog's detector samples for the providers issue 22 lists: as written, and each secret in every file syntax. */
export function measureTrufflehog(redact: (text: string) => string): { samples: Share; syntaxes: Share } {
  const all = trufflehogSamples();
  const samples = share(
    'trufflehog detector samples, as written',
    all.map((s) => {
      const out = redact(s.sample);
      return { ok: s.secrets.every((secret) => !out.includes(secret)), what: `${s.detector}: ${s.secrets.join(' ')}` };
    }),
  );
  const pairs = all.flatMap((s) => s.secrets.map((secret) => ({ detector: s.detector, secret })));
  const syntaxes = share(
    'trufflehog secrets in the six file syntaxes',
    pairs.flatMap(({ detector, secret }) =>
      FILE_SYNTAXES.map((syntax) => ({ ok: !redact(syntax.write(nameOf(detector), secret)).includes(secret), what: `${detector} in ${syntax.file}: ${secret}` })),
    ),
  );
  return { samples, syntaxes };
}
