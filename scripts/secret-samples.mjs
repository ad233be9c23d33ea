// Carries gitleaks' own rule test samples over as data: test/fixtures/secrets/gitleaks-samples.json.
//   node scripts/secret-samples.mjs <gitleaks checkout's git dir> v8.30.1
// gitleaks builds each rule's true and false positives in Go (cmd/generate/config/rules/*.go):
// string literals, concatenations, secrets.NewSecret(regex) (a random string matching the regex)
// and utils.GenerateSampleSecrets (the secret in ~30 file syntaxes). This script evaluates those
// expressions — no Go code is copied — with a seeded generator so the data is reproducible.
// Statements it cannot evaluate are skipped and counted in the output.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import RandExp from 'randexp';
import { Parser, tokenize } from './go-expressions.mjs';

const [gitDir, tag] = process.argv.slice(2);
if (!gitDir || !tag) throw new Error('usage: node scripts/secret-samples.mjs GIT_DIR TAG');
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });

// Seeded (mulberry32): the same release gives the same samples.
let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function newSecret(regex) {
  const source = regex
    .replace(/\(\?i\)/g, '')
    .replace(/\[\[:alnum:\]\]/g, '[A-Za-z0-9]')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9')
    .replace(/\\z/g, '$');
  const generator = new RandExp(source);
  generator.randInt = (a, b) => a + Math.floor(random() * (b - a + 1));
  generator.max = 8;
  return generator.gen();
}

// The file syntaxes of gitleaks' utils.GenerateSampleSecrets (cmd/generate/config/utils/generate.go).
const SAMPLE_SYNTAXES = {
  'ini - quoted1': '{i}Token="{s}"',
  'ini - quoted2': '{i}Token = "{s}"',
  'ini - unquoted1': '{i}Token={s}',
  'ini - unquoted2': '{i}Token = {s}',
  'json - string': '{\n    "{i}_token": "{s}"\n}',
  'json - escaped newline in string': '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}',
  'xml - element multiline': '<{i}Token>\n    {s}\n</{i}Token>',
  'yaml - singleline - unquoted': '{i}_token: {s}',
  'yaml - singleline - single quote': "{i}_token: '{s}'",
  'yaml - singleline - double quote': '{i}_token: "{s}"',
  'C#': 'string {i}Token = "{s}";',
  'go - normal': 'var {i}Token string = "{s}"',
  'go - short': '{i}Token := "{s}"',
  'go - backticks': '{i}Token := `{s}`',
  java: 'String {i}Token = "{s}";',
  'kotlin - notype': 'var {i}Token = "{s}"',
  'php - string concat': '${i}Token .= "{s}"',
  'python - single quote': "{i}Token = '{s}'",
  'python - double quote': '{i}Token = "{s}"',
  'misc - comma operator': 'System.setProperty("{I}_TOKEN", "{s}")',
  logstash: '  "{i}Token" => "{s}"',
  'make - recursive assignment': '{i}_TOKEN = "{s}"',
  'make - simple assignment': '{i}_TOKEN := "{s}"',
  'make - shell assignment': '{i}_TOKEN ::= "{s}"',
  'make - evaluated shell assignment': '{i}_TOKEN :::= "{s}"',
  'make - conditional assignment': '{i}_TOKEN ?= "{s}"',
};
const sampleSecrets = (id, secret) =>
  Object.values(SAMPLE_SYNTAXES).map((t) => t.replaceAll('{i}', id).replaceAll('{I}', id.toUpperCase()).replaceAll('{s}', secret));

const CLASSES = {
  Numeric: (n) => `[0-9]{${n}}`,
  Hex: (n) => `[a-f0-9]{${n}}`,
  AlphaNumeric: (n) => `[a-z0-9]{${n}}`,
  AlphaNumericExtendedShort: (n) => `[a-z0-9_-]{${n}}`,
  AlphaNumericExtended: (n) => `[a-z0-9=_\\-]{${n}}`,
  AlphaNumericExtendedLong: (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
  Hex8_4_4_4_12: () => '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

const FUNCTIONS = {
  'secrets.NewSecret': (regex) => newSecret(regex),
  'utils.GenerateSampleSecrets': (id, secret) => sampleSecrets(id, secret),
  'utils.GenerateSampleSecret': (id, secret) => `${id}_api_token = "${secret}"`,
  ...Object.fromEntries(Object.entries(CLASSES).map(([name, make]) => [`utils.${name}`, make])),
};

function evaluateRule(body) {
  const id = /RuleID:\s*"([^"]+)"/.exec(body)?.[1];
  const ret = /return utils\.Validate(?:WithPaths)?\(\s*\w+,\s*(\w+),\s*(\w+)\s*\)/.exec(body);
  if (!id || !ret) return undefined;
  // Statements after the rule literal: split at top-level newlines.
  const start = body.indexOf('\n', body.search(/\n\t}\n/) + 1);
  const tokens = tokenize(body.slice(start, body.lastIndexOf('return utils.Validate')));
  const vars = {};
  let skipped = 0;
  let i = 0;
  while (i < tokens.length) {
    while (tokens[i]?.t === 'nl') i++;
    if (i >= tokens.length) break;
    // Find the end of this statement: a newline at bracket depth 0 not after `+`, `,`, `(`.
    let j = i;
    let depth = 0;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.t === 'p' && '([{'.includes(t.v)) depth++;
      if (t.t === 'p' && ')]}'.includes(t.v)) depth--;
      if (t.t === 'nl' && depth === 0 && !['+', ','].includes(tokens[j - 1]?.v)) break;
    }
    const stmt = tokens.slice(i, j);
    i = j;
    if (stmt.length < 3 || stmt[0].t !== 'id' || !(stmt[1].v === ':=' || stmt[1].v === '=')) {
      if (stmt.length) skipped++;
      continue;
    }
    try {
      const parser = new Parser(stmt.slice(2), vars, FUNCTIONS);
      vars[stmt[0].v] = parser.expr();
    } catch {
      skipped++;
    }
  }
  const asList = (v) => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
  return { id, truePositives: asList(vars[ret[1]]), falsePositives: asList(vars[ret[2]]), skipped };
}

const files = git('ls-tree', '--name-only', `${tag}:cmd/generate/config/rules/`).trim().split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
const rules = [];
let skipped = 0;
for (const file of files) {
  const src = git('show', `${tag}:cmd/generate/config/rules/${file}`);
  const functions = src.split(/\nfunc /).slice(1);
  for (const fn of functions) {
    const rule = evaluateRule(fn);
    if (!rule) continue;
    skipped += rule.skipped;
    if (rule.truePositives.length + rule.falsePositives.length === 0) continue;
    rules.push({ id: rule.id, file: `cmd/generate/config/rules/${file}`, truePositives: rule.truePositives, falsePositives: rule.falsePositives });
  }
}
const out = { source: `https://github.com/gitleaks/gitleaks ${tag} cmd/generate/config/rules/*.go`, licence: 'MIT', rules };
writeFileSync(new URL('../test/fixtures/secrets/gitleaks-samples.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
const tp = rules.reduce((n, r) => n + r.truePositives.length, 0);
const fp = rules.reduce((n, r) => n + r.falsePositives.length, 0);
console.log(`${rules.length} rules, ${tp} true positives, ${fp} false positives, ${skipped} statements skipped`);
