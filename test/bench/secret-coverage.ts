/**
 * How much of the secret scanners' own test samples redaction catches (issue 22): gitleaks'
 * true positives as written and in several file syntaxes, its false positives, and over-
 * redaction on real source (this repository's src/ and package-lock.json). Not a speed figure:
 * the shares go in docs/safety.md.
 * Run alone: `node dist-test/test/bench/run.js secret-coverage`.
 */
import { forgetFoundSecrets } from '../../src/agent/safety/known-credentials';
import { redactSecrets } from '../../src/agent/safety/redact';
import { measureGitleaks, measureGitleaksFalsePositives, measureTrufflehog, percent, type Share } from '../support/secret-samples';
import { overRedaction } from '../support/real-source';

// Each sample on its own: a secret remembered from an earlier sample must not count for a later one.
const redact = (text: string) => {
  forgetFoundSecrets();
  return redactSecrets(text).text;
};

export async function run(): Promise<string> {
  const started = Date.now();
  const { samples, syntaxes, unmatched } = measureGitleaks(redact);
  const { untouched, ownRuleSilent } = measureGitleaksFalsePositives(redact);
  const truffle = measureTrufflehog(redact);
  const source = overRedaction();
  const row = (s: Share) => `| ${s.label} | ${s.total} | ${s.redacted} | ${percent(s)} |`;
  const lines = [
    '## Secret coverage (gitleaks v8.30.1 rule samples, trufflehog v3.97.0 detector tests)',
    '',
    '| set | samples | redacted / kept | share |',
    '|---|---:|---:|---:|',
    row(samples),
    ...syntaxes.map(row),
    row(untouched),
    row(ownRuleSilent),
    row(truffle.samples),
    row(truffle.syntaxes),
    `| real source: files / lines changed | ${source.files} | ${source.changedLines} | |`,
    '',
    `${unmatched} true positives are not matched by their own rule under re2js (left out of the shares).`,
    '',
    'Not redacted (first of each set):',
    '',
    ...[samples, ...syntaxes, truffle.samples, truffle.syntaxes].flatMap((s) => s.missed.slice(0, 15).map((m) => `- ${s.label}: \`${m.replace(/\n/g, '\\n').slice(0, 140)}\``)),
    '',
    `_secret-coverage: ${((Date.now() - started) / 1000).toFixed(0)} s_`,
  ];
  return lines.join('\n');
}
