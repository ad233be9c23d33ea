/**
 * Real source that must come through redaction unchanged: this repository's src/ and its
 * package-lock.json (a vendored lock file full of hashes). The gitleaks rule data is left out:
 * it is a list of secret patterns and of public example keys that gitleaks allowlists.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { forgetFoundSecrets } from '../../src/agent/safety/known-credentials';
import { redactSecrets } from '../../src/agent/safety/redact';

const root = [join(__dirname, '..', '..', '..'), join(__dirname, '..', '..')].find((dir) => existsSync(join(dir, 'package-lock.json'))) ?? process.cwd();
const GENERATED_RULE_DATA = join('src', 'agent', 'safety', 'gitleaks', 'gitleaks-rules.ts');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(?:ts|css|html|json|md)$/.test(name)) out.push(path);
  }
  return out;
}

export function realSourceFiles(): string[] {
  return [...filesUnder(join(root, 'src')).filter((path) => !path.endsWith(GENERATED_RULE_DATA)), join(root, 'package-lock.json')];
}

/** Files redaction changed, and the changed lines (path:line: before → after). */
export function overRedaction(): { files: number; changedLines: number; examples: string[] } {
  forgetFoundSecrets();
  const files = realSourceFiles();
  const examples: string[] = [];
  let changedLines = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const redacted = redactSecrets(text).text;
    if (redacted === text) continue;
    const before = text.split('\n');
    const after = redacted.split('\n');
    for (let i = 0; i < Math.min(before.length, after.length); i++) {
      if (before[i] === after[i]) continue;
      changedLines++;
      if (examples.length < 20) examples.push(`${path.slice(root.length + 1)}:${i + 1}: ${before[i].trim()} → ${after[i].trim()}`);
    }
  }
  forgetFoundSecrets();
  return { files: files.length, changedLines, examples };
}
