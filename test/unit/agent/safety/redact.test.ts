import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOnlySecret, redactSecrets } from '../../../../src/agent/safety/redact';

// Fake credentials are assembled at run time so no scanner mistakes this file for a leak.
const alnum = (seed: string, length: number) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length);
const OPENAI_LEGACY = 'sk-' + alnum('Xy7Kq2Lm9Np4', 48);
const OPENAI_PROJECT = 'sk-proj-' + alnum('Ab3_Cd5-Ef7Gh9', 120);
const ANTHROPIC = 'sk-ant-api03-' + alnum('Zq8Wv1-Rt6_Yu', 93) + 'AA';
const GITHUB_PAT = 'ghp_' + alnum('a1B2c3D4e5', 36);
const GITHUB_FINE = 'github_pat_' + alnum('11ABCDE0Y', 22) + '_' + alnum('x9Y8z7W6', 59);
const GITHUB_APP = 'ghs_' + alnum('Q1w2E3r4T5', 36);
const AWS_ID = 'AKIA' + 'IOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY';
const GOOGLE = 'AIza' + alnum('SyD-9tSrke72PouQMnMX', 35);
const SLACK = 'xoxb-' + '123456789012-1234567890123-' + alnum('AbCdEfGh', 24);
const STRIPE = 'sk_live_' + alnum('51H8xYzAbC', 40);
const STRIPE_RESTRICTED = 'rk_live_' + alnum('51H8xYzAbC', 40);
const NPM = 'npm_' + alnum('aB3dE6gH9j', 36);
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const KEY_BODY = Array.from({ length: 6 }, (_, i) => alnum(`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${i}`, 64)).join('\n');
const PEM = `-----BEGIN ${'RSA '}PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----`;

function redacted(text: string): string {
  return redactSecrets(text).text;
}

test('provider API keys are replaced by a label naming the provider', () => {
  const cases: [string, string][] = [
    [OPENAI_LEGACY, 'openai-key'],
    [OPENAI_PROJECT, 'openai-key'],
    [ANTHROPIC, 'anthropic-key'],
    [GITHUB_PAT, 'github-token'],
    [GITHUB_FINE, 'github-token'],
    [GITHUB_APP, 'github-token'],
    [AWS_ID, 'aws-access-key-id'],
    [GOOGLE, 'google-api-key'],
    [SLACK, 'slack-token'],
    [STRIPE, 'stripe-key'],
    [STRIPE_RESTRICTED, 'stripe-key'],
    [NPM, 'npm-token'],
    [JWT, 'jwt'],
  ];
  for (const [secret, kind] of cases) {
    const result = redactSecrets(`client = make(${secret}) # here`);
    assert.equal(result.text, `client = make([redacted:${kind}]) # here`, kind);
    assert.equal(result.count, 1, kind);
  }
});

test('a key inside an environment file line is redacted once, the variable name kept', () => {
  const env = [`OPENAI_API_KEY=${OPENAI_PROJECT}`, `ANTHROPIC_API_KEY="${ANTHROPIC}"`, 'DEBUG=true', 'PORT=8080'].join('\n');
  const result = redactSecrets(env);
  assert.equal(
    result.text,
    ['OPENAI_API_KEY=[redacted:openai-key]', 'ANTHROPIC_API_KEY="[redacted:anthropic-key]"', 'DEBUG=true', 'PORT=8080'].join('\n'),
  );
  assert.equal(result.count, 2);
});

test('an AWS key id and its secret on one line are both redacted', () => {
  const csv = `User name,Access key ID,Secret access key\ndeploy,${AWS_ID},${AWS_SECRET}\n`;
  const result = redactSecrets(csv);
  assert.equal(result.text, 'User name,Access key ID,Secret access key\ndeploy,[redacted:aws-access-key-id],[redacted:aws-secret-key]\n');
  assert.equal(result.count, 2);
  const ini = `[default]\naws_access_key_id = ${AWS_ID}\naws_secret_access_key = ${AWS_SECRET}\n`;
  assert.equal(
    redacted(ini),
    '[default]\naws_access_key_id = [redacted:aws-access-key-id]\naws_secret_access_key = [redacted:aws-secret-key]\n',
  );
});

test('bearer tokens and basic auth headers lose their credential, not the header', () => {
  const opaque = alnum('d41d8cd98f00b204e9800998ecf8427e', 40);
  assert.equal(redacted(`curl -H "Authorization: Bearer ${opaque}" https://api`), 'curl -H "Authorization: Bearer [redacted:bearer-token]" https://api');
  assert.equal(redacted(`Authorization: Bearer ${JWT}`), 'Authorization: Bearer [redacted:jwt]');
  assert.equal(redacted('Authorization: Basic dXNlcjpodW50ZXIy'), 'Authorization: Basic [redacted:basic-auth]');
  // Prose about the scheme is not a token.
  assert.equal(redacted('The API uses Bearer authentication.'), 'The API uses Bearer authentication.');
});

test('private key blocks are removed whole, also when the end line was cut off', () => {
  const text = `key file:\n${PEM}\ndone`;
  assert.deepEqual(redactSecrets(text), { text: 'key file:\n[redacted:private-key]\ndone', count: 1 });
  const openssh = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_BODY}\n-----END OPENSSH PRIVATE KEY-----`;
  assert.equal(redacted(openssh), '[redacted:private-key]');
  const cut = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n\n[output truncated: 4 KB cut]\nexit 0`;
  assert.equal(redacted(cut), '[redacted:private-key]\n\n[output truncated: 4 KB cut]\nexit 0');
  const jsonEscaped = `{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\nhkiG9w0B\\n-----END PRIVATE KEY-----\\n", "x": 1}`;
  assert.equal(redacted(jsonEscaped), '{"private_key": "[redacted:private-key]\\n", "x": 1}');
  // A public key or certificate is not a secret.
  const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  assert.equal(redacted(cert), cert);
});

test('password, secret, token and api_key pairs keep the key and lose the value', () => {
  const cases: [string, string][] = [
    ['password=hunter2', 'password=[redacted:secret]'],
    ['DB_PASSWORD=s3cr3t!pass', 'DB_PASSWORD=[redacted:secret]'],
    ['export GITHUB_TOKEN=abc123def456', 'export GITHUB_TOKEN=[redacted:secret]'],
    ['passwd: correcthorse', 'passwd: [redacted:secret]'],
    ['  secret: hunter2 # prod', '  secret: [redacted:secret] # prod'],
    ['{"api_key": "abcd1234efgh"}', '{"api_key": "[redacted:secret]"}'],
    ["spring.datasource.password = 'Pa55word'", "spring.datasource.password = '[redacted:secret]'"],
    ['const clientSecret = "9f8e7d6c5b4a";', 'const clientSecret = "[redacted:secret]";'],
    ['postgres://app:Pa55word@db.internal:5432/app', 'postgres://app:[redacted:password]@db.internal:5432/app'],
  ];
  for (const [input, expected] of cases) assert.equal(redacted(input), expected, input);
});

test('ordinary code and config are left exactly as they are', () => {
  const code = `
import { encode } from 'gpt-tokenizer';
interface Credentials {
  password: string;
  token?: string;
  apiKey: ApiKey;
}
const max_tokens = 4096;
export function login(password: string, token = getToken()) {
  if (password === '') throw new Error('empty');
  const secret = process.env.APP_SECRET;
  const token2 = config.apiKey;
  headers['Authorization'] = \`Bearer \${token}\`;
  return fetch(url, { method: 'POST', body: JSON.stringify({ password, token }) });
}
password = request.form.password
token = tokens[0]
api_key = os.environ["API_KEY"]
secret = None
max_tokens: 4096
tokenizer: cl100k_base
passwordMinLength: 12
env:
  GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
  NPM_TOKEN: $NPM_TOKEN
"forgotPassword": "Forgot your password?",
<input type="password" name="password" placeholder="Password">
Use sk-learn-compatible-estimators for the pipeline.
const skeleton = 'sk-' + id;
The aws docs mention AKIA prefixes for key ids.
ssh://git@github.com:22/org/repo.git
// scheme://user:password@host keeps the user
 * \`password = "…"\`, \`"api_key": "****"\`, \`token: <your token>\`
const SECRET_KEY_PATTERN =
  '[A-Za-z0-9_.-]*(?:password|secret)';
DB_PASSWORD=xxxx
export const API_KEY_SECRET = 'glassbox.apiKey';
https://example.com:8443/path@version
`;
  const result = redactSecrets(code);
  assert.equal(result.text, code);
  assert.equal(result.count, 0);
});

test('isOnlySecret is true for a pasted key and false for text around one', () => {
  assert.equal(isOnlySecret(`  ${OPENAI_PROJECT}\n`), true);
  assert.equal(isOnlySecret(`${GITHUB_PAT} ${NPM}`), true);
  assert.equal(isOnlySecret(PEM), true);
  assert.equal(isOnlySecret(`my key is ${OPENAI_PROJECT}`), false);
  assert.equal(isOnlySecret('password=hunter2'), false);
  assert.equal(isOnlySecret('   '), false);
  assert.equal(isOnlySecret(''), false);
});

// Inputs that make a backtracking pattern quadratic or worse. A linear pass takes milliseconds;
// a quadratic one would take minutes and hit the timeout. (Speed figures: test/bench/redact.ts.)
test('adversarial input finishes instead of backtracking for minutes', { timeout: 30_000 }, () => {
  const inputs = [
    'sk-'.repeat(100_000),
    '-----BEGIN PRIVATE KEY-----'.repeat(20_000),
    'password='.repeat(50_000),
    'password="x" '.repeat(50_000),
    "token: 'a".repeat(50_000),
    `${'a'.repeat(200_000)}:`,
    'eyJ' + 'a'.repeat(100_000) + '.eyJ' + 'b'.repeat(100_000),
    'AKIA' + 'A'.repeat(200_000),
    'Bearer ' + 'x'.repeat(300_000),
    'x://' + 'u'.repeat(300_000),
    `"token": "${'v'.repeat(300_000)}`,
  ];
  for (const input of inputs) assert.equal(typeof redactSecrets(input).text, 'string');
});
