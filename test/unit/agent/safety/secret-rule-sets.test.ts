/**
 * Issue 22: secrets by the standard rule sets, measured against gitleaks' own rule samples
 * (test/fixtures/secrets/), in several file syntaxes and through the real tool paths; false
 * positives, real source left whole, every copy of a found secret, secrets known by structure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { forgetFoundSecrets } from '../../../../src/agent/safety/known-credentials';
import { redactSecrets } from '../../../../src/agent/safety/redact';
import { StreamRedactor } from '../../../../src/agent/safety/stream-redactor';
import { NodeWorkspaceFs } from '../../../../src/agent/workspace/node-workspace-fs';
import { NodeSearcher } from '../../../../src/agent/workspace/search/node-searcher';
import { readFile } from '../../../../src/tools/read-file';
import { runCommand } from '../../../../src/tools/run-command';
import { searchText } from '../../../../src/tools/search-text';
import { runScripted } from '../../../support/agent-harness';
import { textTurn, toolCallTurn } from '../../../support/scripted-server';
import { overRedaction } from '../../../support/real-source';
import { gitleaksTruePositives, measureGitleaks, measureGitleaksFalsePositives, measureTrufflehog, nameOf, percent } from '../../../support/secret-samples';

beforeEach(() => forgetFoundSecrets());
after(() => forgetFoundSecrets());

const redactAlone = (text: string) => {
  forgetFoundSecrets();
  return redactSecrets(text).text;
};

test('at least 98% of gitleaks\' true positives lose their secret, as written and in every file syntax', () => {
  const { samples, syntaxes } = measureGitleaks(redactAlone);
  assert.ok(samples.total > 5_000, `${samples.total} samples`);
  for (const share of [samples, ...syntaxes]) {
    assert.ok(share.redacted / share.total >= 0.98, `${share.label}: ${percent(share)}; missed e.g. ${share.missed.slice(0, 5).join(' | ')}`);
  }
});

test('at least 90% of trufflehog\'s detector samples for the listed providers lose their secrets, as written and in every syntax', () => {
  const { samples, syntaxes } = measureTrufflehog(redactAlone);
  assert.ok(samples.total >= 40, `${samples.total} samples`);
  for (const share of [samples, syntaxes]) {
    assert.ok(share.redacted / share.total >= 0.9, `${share.label}: ${percent(share)}; missed e.g. ${share.missed.slice(0, 8).join(' | ')}`);
  }
});

test('gitleaks\' rules are evaluated faithfully: their own false positives pass them', () => {
  const { ownRuleSilent } = measureGitleaksFalsePositives(redactAlone);
  assert.ok(ownRuleSilent.total > 200);
  assert.ok(ownRuleSilent.redacted / ownRuleSilent.total >= 0.98, `${percent(ownRuleSilent)}: ${ownRuleSilent.missed.join(' | ')}`);
});

test('real source comes through whole: this repository\'s src/ and its package-lock.json', () => {
  const { files, changedLines, examples } = overRedaction();
  assert.ok(files > 100, `${files} files`);
  assert.equal(changedLines, 0, examples.join('\n'));
});

/** Distinct secrets the redactor alone catches in YAML, written as one config file. */
function yamlFileOfSecrets(): { text: string; secrets: string[] } {
  const seen = new Set<string>();
  const lines: string[] = ['services:'];
  const secrets: string[] = [];
  for (const positive of gitleaksTruePositives()) {
    const secret = positive.secret;
    if (!secret || seen.has(secret) || /[\n'"]/.test(secret)) continue;
    seen.add(secret);
    const line = `  ${nameOf(positive.ruleId)}_${secrets.length}_token: ${secret}`;
    if (redactAlone(line).includes(secret)) continue; // measured above; here the paths are compared
    lines.push(line);
    secrets.push(secret);
  }
  return { text: lines.join('\n') + '\n', secrets };
}

test('through read_file, search_text, run_command and streamed text the model is sent none of them', async () => {
  const { text, secrets } = yamlFileOfSecrets();
  assert.ok(secrets.length > 400, `${secrets.length} secrets`);
  const workspace = mkdtempSync(join(tmpdir(), 'glassbox-rulesets-'));
  try {
    // Files of LINES_PER_FILE lines, so no result is cut to fit the model's result budget.
    const LINES_PER_FILE = 60;
    const lines = text.trimEnd().split('\n').slice(1);
    const files: string[] = [];
    for (let at = 0; at < lines.length; at += LINES_PER_FILE) {
      const name = `config-${files.length}.yaml`;
      writeFileSync(join(workspace, name), `services:\n${lines.slice(at, at + LINES_PER_FILE).join('\n')}\n`);
      files.push(name);
    }
    const searcher = new NodeSearcher(new NodeWorkspaceFs([workspace]));
    const turns = files.flatMap((name) => [
      toolCallTurn('read_file', { path: name }),
      toolCallTurn('search_text', { pattern: '_token', regex: false, glob: name, max_results: 1000 }),
      toolCallTurn('run_command', { command: `cat ${name}`, timeout_ms: 20_000 }),
    ]);
    const run = await runScripted([...turns, textTurn('done')], {
      tools: [readFile, searchText(searcher), runCommand],
      keepWorkspace: workspace,
      approve: async () => ({ kind: 'allow-once' }),
    });
    assert.equal(run.server.requests.length, turns.length + 1);
    const sent = JSON.stringify(run.server.requests.map((request) => request.messages));
    const leaked = secrets.filter((secret) => sent.includes(JSON.stringify(secret).slice(1, -1)));
    assert.deepEqual(leaked, []);
    // Each tool's reply held its file's lines (not an error), each with its value redacted.
    for (const [index, request] of run.server.requests.slice(1).entries()) {
      const reply = String(request.messages.filter((m) => m.role === 'tool').at(-1)?.content);
      const expected = Math.min(LINES_PER_FILE, lines.length - Math.floor(index / 3) * LINES_PER_FILE);
      const count = reply.split("\n").filter((line) => /_token:.*\[redacted:/.test(line)).length;
      assert.equal(count, expected, reply.split('\n').filter((line) => line.includes('_token') && !line.includes('[redacted:')).join('\n'));
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  // Streamed: the model writes the same file back in uneven pieces.
  const redactor = new StreamRedactor();
  let shown = '';
  for (let at = 0, size = 1; at < text.length; at += size, size = (size * 7 + 3) % 97 + 1) shown += redactor.push(text.slice(at, at + size));
  shown += redactor.flush();
  assert.deepEqual(secrets.filter((secret) => shown.includes(secret)), []);
});

test('any assignment syntax: the value goes, the key and the code around it stay', () => {
  const secret = 'Zq8LmN3vXc7BtR2pWk5Y';
  const cases = [
    `xToken := "${secret}"`,
    `var xToken string = "${secret}"`,
    `$xToken .= "${secret}";`,
    `X_TOKEN ?= ${secret}`,
    `X_TOKEN := ${secret}`,
    `X_TOKEN ::= ${secret}`,
    `System.setProperty("X_TOKEN", "${secret}")`,
    `  "xToken" => "${secret}"`,
    `os.environ["X_TOKEN"] = "${secret}"`,
    `api_key <- "${secret}"`,
    `<apiToken>${secret}</apiToken>`,
    `<apiToken>\n    ${secret}\n</apiToken>`,
    `<add key="ApiKey" value="${secret}" />`,
    `{"config.ini": "X_TOKEN=${secret}\\nBACKUP_ENABLED=true"}`,
    `[auth]\ntoken = ${secret}`,
    `export X_TOKEN=${secret}`,
    `ENV X_TOKEN=${secret}`,
    `ARG X_TOKEN=${secret}`,
    `curl -u admin:${secret} https://api.example.com`,
    `curl -H "Authorization: token ${secret}" https://api.example.com`,
  ];
  for (const input of cases) {
    const out = redactAlone(`line before\n${input}\nline after`);
    assert.ok(!out.includes(secret), `${input} → ${out}`);
    assert.match(out, /^line before\n[\s\S]*\[redacted:[a-z0-9-]+\][\s\S]*\nline after$/, input);
  }
  for (const kept of [
    'password = aws_db_instance.default.password',
    'api_key = "<your-key>"',
    'API_TOKEN=xxxxxxxxxxxx',
    'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    '"js-tiktoken": "^1.0.21"',
    'assert.equal(token, "expected-value-123")',
  ]) {
    assert.equal(redactAlone(kept), kept);
  }
});

test('every copy: a secret found once goes wherever it appears, in this text and in later ones, encoded too', () => {
  const secret = 'Hq93kLmZ0pXv7RtB2wYc';
  const twice = redactSecrets(`db_password = "${secret}" # same as ${secret}`).text;
  assert.ok(!twice.includes(secret), twice);
  // A later result holds the bare value, with no key that names it, and its encodings.
  for (const later of [
    `restored ${secret} from backup`,
    `b64: ${Buffer.from(`user:${secret}`).toString('base64')}`,
    `hex: ${Buffer.from(secret).toString('hex')}`,
    `url: https://example.com/cb?x=${encodeURIComponent(`${secret}/!`)}`,
  ]) {
    assert.match(redactSecrets(later).text, /\[redacted:secret\]/, later);
  }
  forgetFoundSecrets();
  assert.equal(redactSecrets(`restored ${secret} from backup`).text, `restored ${secret} from backup`);
});

test('Kubernetes, Docker and cloud files by structure', () => {
  const cases: [string, string, string][] = [
    ['k8s secret yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: YWRtaW4=\n  password: cGFzc3dvcmQxMjM0NTY=\nstringData:\n  extra: plainTextValue99\n', 'cGFzc3dvcmQxMjM0NTY='],
    ['k8s secret stringData', 'kind: Secret\nstringData:\n  config.json: plainTextValue99\n', 'plainTextValue99'],
    ['k8s secret json', '{"apiVersion":"v1","kind":"Secret","data":{"token":"c2VjcmV0LXRva2VuLTEyMzQ="}}', 'c2VjcmV0LXRva2VuLTEyMzQ='],
    ['docker config.json', '{\n  "auths": {\n    "registry.example.com": {\n      "auth": "dXNlcjpwYXNzd29yZDEyMw=="\n    }\n  }\n}', 'dXNlcjpwYXNzd29yZDEyMw=='],
    ['kubeconfig token', 'users:\n- name: admin\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9abcdef1234567890\n', 'abcdef1234567890'],
    ['aws credentials', '[default]\naws_access_key_id = AKIAZ7Q3XVPL5MNB2K4D\naws_secret_access_key = h7Xk2Lq9Zp3Vb8Nm4Tc6Wr1Ys5Ud0Fg2Hj7Kl3Q\n', 'h7Xk2Lq9Zp3Vb8Nm4Tc6Wr1Ys5Ud0Fg2Hj7Kl3Q'],
    ['azure storage', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm==;EndpointSuffix=core.windows.net', 'q1w2E3r4T5y6U7i8O9p0'],
    ['azure service bus', 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=Zk39dkLQ02mxPq7aZk39dkLQ02mxPq7a=', 'Zk39dkLQ02mxPq7a'],
  ];
  for (const [name, input, secret] of cases) {
    const out = redactAlone(input);
    assert.ok(!out.includes(secret), `${name}: ${out}`);
  }
  // Outside a Secret, `data:` is data.
  const configMap = 'kind: ConfigMap\ndata:\n  greeting: helloWorld12345\n';
  assert.equal(redactAlone(configMap), configMap);
});

/** 16× the input costs about what 16× costs a linear pass over it, for each of `hostile`. */
function assertLinear(hostile: readonly ((n: number) => string)[]): void {
  const SMALL = 40_000;
  const FACTOR = 16;
  // The fastest of five runs: the one least disturbed by other processes on a shared machine.
  const fastest = (work: () => void) => {
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const started = process.hrtime.bigint();
      work();
      best = Math.min(best, Number(process.hrtime.bigint() - started));
    }
    return best;
  };
  // A linear pass over the same text (copies and case-folds it, as redaction's passes do), so
  // growth from caches and memory, which a larger text brings anyway, is not counted against it.
  const linear = (input: string) => () => void JSON.stringify(input.toLowerCase().split('').reverse().join(''));
  for (const make of hostile) {
    const [small, large] = [make(SMALL), make(FACTOR * SMALL)];
    fastest(() => redactAlone(small)); // warm-up: compile, optimise
    const growth = fastest(() => redactAlone(large)) / fastest(() => redactAlone(small));
    const reference = fastest(linear(large)) / fastest(linear(small));
    // Linear: about the reference; quadratic: 16× more than it. The wide factor keeps the margin
    // far above what a loaded machine adds to a linear pass (seen up to ~3×), so this asserts the
    // shape of the growth, not a speed.
    assert.ok(growth / reference < 5, `${make(4).slice(0, 40)}…: ${growth.toFixed(1)}× for ${FACTOR}× the input, a linear pass ${reference.toFixed(1)}×`);
  }
}

test('redaction grows linearly on hostile inputs: 16× the input costs about what 16× costs a linear pass', () => {
  assertLinear([
    (n) => 'api_key: "'.repeat(n),
    (n) => `${'key'.repeat(n)}=`,
    (n) => 's.'.repeat(n),
    (n) => '-----BEGIN PRIVATE KEY-----\n'.repeat(n),
    (n) => `<apiToken>${'a'.repeat(n)}`,
    (n) => `token = ${'a1'.repeat(n)}`,
  ]);
});

// Known: one connection-string part holding megabytes (`password=` × n) grows faster than a
// linear pass on a loaded machine (up to ~4.7× its growth seen); not yet understood.
test('a multi-megabyte connection-string value grows linearly', { todo: 'grows up to ~4.7× a linear pass under load' }, () => {
  assertLinear([(n) => 'password='.repeat(n)]);
});
