// Carries trufflehog's detector test patterns over as data: test/fixtures/secrets/trufflehog-samples.json.
//   node scripts/trufflehog-samples.mjs <trufflehog git dir> <tag or commit>
// For the providers issue 22 lists, each pattern test (pkg/detectors/<provider>/**/*_test.go,
// not the integration tests) gives cases `{ input: …, want: []string{…} }`. The input is the
// sample; the secrets are the wanted results, or where a result is built from several values
// (`validSid + validKey`), those of the file's string variables that make it up and occur in
// the input. No Go code is copied: the expressions are evaluated (scripts/go-expressions.mjs).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Parser, tokenize } from './go-expressions.mjs';

const [gitDir, ref] = process.argv.slice(2);
if (!gitDir || !ref) throw new Error('usage: node scripts/trufflehog-samples.mjs GIT_DIR REF');
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

const PROVIDERS = [
  'stripe', 'aws', 'gitlab', 'huggingface', 'azure_entra', 'azure_cosmosdb', 'azureappconfigconnectionstring', 'azure_storage',
  'slackwebhook', 'slack', 'telegrambottoken', 'sendgrid', 'twilio', 'heroku', 'flyio', 'newrelicpersonalapikey', 'square',
  'mailgun', 'hashicorpvault', 'okta', 'dockerhub', 'docker', 'github', 'openai', 'anthropic', 'npm', 'pypi',
];

/** Top-level `var ( … )`, `var x = …` and `const` declarations, evaluated in order. */
function declarations(tokens) {
  const vars = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.t !== 'id' || !['var', 'const'].includes(t.v)) continue;
    const grouped = tokens[i + 1]?.v === '(';
    let j = grouped ? i + 2 : i + 1;
    while (j < tokens.length) {
      while (tokens[j]?.t === 'nl') j++;
      if (grouped && tokens[j]?.v === ')') break;
      const name = tokens[j];
      const eq = tokens[j + 1];
      let end = j + 2;
      let depth = 0;
      for (; end < tokens.length; end++) {
        const k = tokens[end];
        if (k.t === 'p' && '([{'.includes(k.v)) depth++;
        if (k.t === 'p' && ')]}'.includes(k.v)) {
          if (depth === 0) break;
          depth--;
        }
        if (k.t === 'nl' && depth === 0 && !['+', ','].includes(tokens[end - 1]?.v)) break;
      }
      if (name?.t === 'id' && (eq?.v === '=' || eq?.v === ':=')) {
        try {
          vars[name.v] = new Parser(tokens.slice(j + 2, end), vars).expr();
        } catch {
          // not a string: skipped
        }
      }
      j = end;
      if (!grouped) break;
    }
  }
  return vars;
}

/** The value of `field: EXPR` starting at token i (EXPR ends at the `,` or `}` closing it). */
function fieldValue(tokens, i, vars) {
  let end = i;
  let depth = 0;
  for (; end < tokens.length; end++) {
    const k = tokens[end];
    if (k.t === 'p' && '([{'.includes(k.v)) depth++;
    if (k.t === 'p' && ')]}'.includes(k.v)) {
      if (depth === 0) break;
      depth--;
    }
    if (k.t === 'p' && k.v === ',' && depth === 0) break;
  }
  return new Parser(tokens.slice(i, end), vars).expr();
}

/** A URL, an e-mail address or a host name. */
const NOT_SECRET = /^(?:(?:https?:)?\/\/\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

const samples = [];
let skipped = 0;
const files = git('ls-tree', '-r', '--name-only', ref, 'pkg/detectors/')
  .trim()
  .split('\n')
  .filter((path) => path.endsWith('_test.go') && !path.endsWith('_integration_test.go'))
  .filter((path) => PROVIDERS.includes(path.split('/')[2]));
for (const path of files) {
  const tokens = tokenize(git('show', `${ref}:${path}`));
  const vars = declarations(tokens);
  const strings = Object.values(vars).filter((v) => typeof v === 'string' && v.length >= 8);
  let input;
  for (let i = 0; i < tokens.length - 2; i++) {
    const t = tokens[i];
    if (t.t !== 'id' || tokens[i + 1]?.v !== ':') continue;
    try {
      if (t.v === 'input') input = fieldValue(tokens, i + 2, vars);
      else if (t.v === 'want' && typeof input === 'string') {
        const want = fieldValue(tokens, i + 2, vars);
        const wanted = Array.isArray(want) ? want.filter((w) => typeof w === 'string' && w.length > 0) : [];
        const secrets = new Set();
        for (const w of wanted) {
          if (input.includes(w)) secrets.add(w);
          else {
            const parts = strings.filter((s) => w.includes(s) && input.includes(s));
            const pieces = parts.length > 0 ? parts : w.split(/[:;]/).filter((p) => p.length >= 8 && input.includes(p));
            for (const piece of pieces) secrets.add(piece);
          }
        }
        // A result may carry the endpoint or user beside the credential (RawV2): those are not secret.
        // A user name beside the credential is not secret either.
        for (const piece of [...secrets]) {
          const bare = piece.replace(/^["'{]+|["'}]+$/g, '');
          secrets.delete(piece);
          const named = new RegExp(`(?:user(?:name)?|e-?mail|login)["']?\\s*[:=]\\s*["']?${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i');
          if (!NOT_SECRET.test(bare) && !named.test(input) && bare.length >= 8) secrets.add(bare);
        }
        if (secrets.size > 0) samples.push({ detector: path.split('/').slice(2, -1).join('/'), sample: input, secrets: [...secrets] });
        input = undefined;
      }
    } catch {
      skipped++;
      input = undefined;
    }
  }
}
const out = { source: `https://github.com/trufflesecurity/trufflehog ${ref} pkg/detectors/<provider>/*_test.go`, licence: 'AGPL-3.0 (test strings carried over as data)', samples };
writeFileSync(new URL('../test/fixtures/secrets/trufflehog-samples.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`${files.length} test files, ${samples.length} samples with secrets, ${skipped} cases skipped`);
