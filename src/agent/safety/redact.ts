// Secret redaction for everything Glassbox writes down or shows twice: chat history, logs,
// exported traces, remembered facts. Replaces credentials with `[redacted:<kind>]`, keeping the
// text around them (and the key of a `password=…` pair) so the trace still reads.
//
// Speed: every pattern below is anchored at a token start (a look-behind on the token's own
// characters) and built from single character-class runs, so each pass is linear in the text;
// there is no nested or overlapping quantifier to backtrack on. Patterns whose fixed prefix is
// absent are skipped with a cheap `includes` test.

export interface Redaction {
  readonly text: string;
  /** How many secrets were replaced. */
  readonly count: number;
}

import type { GitleaksRule } from './gitleaks/gitleaks-config';
import { GITLEAKS_CONFIG } from './gitleaks/gitleaks-rules';
import { redactFoundSecrets, redactKnownCredentials, rememberFoundSecret } from './known-credentials';
import { RuleEngine } from './rule-engine';
import { shannonEntropy } from './shannon-entropy';
import { redactStructuredSecrets } from './structured-secrets';

type Validate = (secret: string) => boolean;

interface TokenRule {
  readonly kind: string;
  /** Every match contains one of these (case-sensitively); the rule is skipped otherwise. */
  readonly hints: readonly string[];
  /** The whole match is the secret. */
  readonly pattern: RegExp;
  readonly validate?: Validate;
}

const hasDigit: Validate = (s) => /\d/.test(s);
const MARKER_PREFIX = '[redacted:';

export function marker(kind: string): string {
  return `${MARKER_PREFIX}${kind}]`;
}

// A token's own characters must not come right before it, nor continue right after it. The
// look-behind sits after the literal prefix, so the engine can scan for the literal first.
const TOKEN_CHAR = '[A-Za-z0-9_-]';
const E = `(?!${TOKEN_CHAR})`;
const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
function tokenPattern(prefixes: readonly string[], rest: string): RegExp {
  const starts = prefixes.map((prefix) => `${escape(prefix)}(?<!${TOKEN_CHAR}${escape(prefix)})`);
  return new RegExp(`(?:${starts.join('|')})${rest}${E}`, 'g');
}

// Order matters: more specific prefixes first (sk-ant- before sk-, sk_live_ before others).
const TOKEN_RULES: readonly TokenRule[] = [
  { kind: 'jwt', hints: ['eyJ'], pattern: tokenPattern(['eyJ'], '[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*') },
  { kind: 'anthropic-key', hints: ['sk-ant-'], pattern: tokenPattern(['sk-ant-'], '[A-Za-z0-9_-]{20,}') },
  {
    kind: 'openai-key',
    hints: ['sk-'],
    pattern: tokenPattern(['sk-'], '(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}'),
    // Real keys always carry digits; words such as `sk-learn-compatible-estimator` do not.
    validate: hasDigit,
  },
  {
    kind: 'github-token',
    hints: ['gh', 'github_pat_'],
    pattern: tokenPattern(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'], '[A-Za-z0-9_]{30,}'),
  },
  { kind: 'gitlab-token', hints: ['glpat-'], pattern: tokenPattern(['glpat-'], '[A-Za-z0-9_-]{20,}') },
  { kind: 'stripe-key', hints: ['_live_', '_test_'], pattern: tokenPattern(['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'], '[A-Za-z0-9]{16,}') },
  { kind: 'google-api-key', hints: ['AIza'], pattern: tokenPattern(['AIza'], '[A-Za-z0-9_-]{35}') },
  { kind: 'slack-token', hints: ['xox', 'xapp-'], pattern: tokenPattern(['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'xapp-'], '[A-Za-z0-9-]{10,}'), validate: hasDigit },
  { kind: 'npm-token', hints: ['npm_'], pattern: tokenPattern(['npm_'], '[A-Za-z0-9]{36}') },
  { kind: 'huggingface-token', hints: ['hf_'], pattern: tokenPattern(['hf_'], '[A-Za-z0-9]{34,}'), validate: hasDigit },
];

// Provider prefixes from gitleaks' maintained rule list (config/gitleaks.toml), each with the
// length and alphabet its issuer documents. Rarer than the rules above, so one scan for any of
// their prefixes decides whether they run at all.
const EXTRA_TOKEN_RULES: readonly TokenRule[] = [
  { kind: 'groq-key', hints: ['gsk_'], pattern: tokenPattern(['gsk_'], '[A-Za-z0-9]{48,}') },
  { kind: 'xai-key', hints: ['xai-'], pattern: tokenPattern(['xai-'], '[A-Za-z0-9]{60,}'), validate: hasDigit },
  { kind: 'perplexity-key', hints: ['pplx-'], pattern: tokenPattern(['pplx-'], '[A-Za-z0-9]{40,}'), validate: hasDigit },
  { kind: 'replicate-token', hints: ['r8_'], pattern: tokenPattern(['r8_'], '[A-Za-z0-9]{37,}'), validate: hasDigit },
  { kind: 'digitalocean-token', hints: ['dop_v1_', 'doo_v1_', 'dor_v1_'], pattern: tokenPattern(['dop_v1_', 'doo_v1_', 'dor_v1_'], '[a-f0-9]{64}') },
  { kind: 'pypi-token', hints: ['pypi-Ag'], pattern: tokenPattern(['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], '[A-Za-z0-9_-]{50,}') },
  { kind: 'shopify-token', hints: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], pattern: tokenPattern(['shpat_', 'shpca_', 'shppa_', 'shpss_'], '[a-fA-F0-9]{32}') },
  { kind: 'sendgrid-key', hints: ['SG.'], pattern: tokenPattern(['SG.'], '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}') },
  { kind: 'databricks-token', hints: ['dapi'], pattern: tokenPattern(['dapi'], '[a-f0-9]{32}(?:-\\d)?'), validate: hasDigit },
  { kind: 'vault-token', hints: ['hvs.', 'hvb.'], pattern: tokenPattern(['hvs.', 'hvb.'], '[A-Za-z0-9_-]{24,}') },
  { kind: 'postman-key', hints: ['PMAK-'], pattern: tokenPattern(['PMAK-'], '[a-f0-9]{24}-[a-f0-9]{34}') },
  { kind: 'grafana-token', hints: ['glc_', 'glsa_'], pattern: tokenPattern(['glc_', 'glsa_'], '[A-Za-z0-9_+/=-]{32,}') },
  { kind: 'sentry-token', hints: ['sntrys_', 'sntryu_'], pattern: tokenPattern(['sntrys_', 'sntryu_'], '[A-Za-z0-9_+/=-]{30,}') },
  { kind: 'linear-key', hints: ['lin_api_'], pattern: tokenPattern(['lin_api_'], '[A-Za-z0-9]{40}') },
  { kind: 'doppler-token', hints: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'], pattern: tokenPattern(['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'], '[A-Za-z0-9]{40,}') },
  { kind: 'twilio-key', hints: ['SK'], pattern: tokenPattern(['SK'], '[a-f0-9]{32}'), validate: hasDigit },
  { kind: 'google-oauth-token', hints: ['ya29.'], pattern: tokenPattern(['ya29.'], '[A-Za-z0-9_-]{30,}') },
  { kind: 'aws-appsync-key', hints: ['da2-'], pattern: tokenPattern(['da2-'], '[a-z0-9]{26}') },
  { kind: 'okta-token', hints: ['00'], pattern: tokenPattern(['00'], '[A-Za-z0-9_-]{40}'), validate: (s) => /[a-z]/.test(s) && /[A-Z]/.test(s) },
  { kind: 'mailgun-key', hints: ['key-'], pattern: tokenPattern(['key-'], '[a-z0-9]{32}'), validate: hasDigit },
  { kind: 'dockerhub-token', hints: ['dckr_'], pattern: tokenPattern(['dckr_pat_', 'dckr_oat_'], '[A-Za-z0-9_-]{20,}') },
  { kind: 'fly-token', hints: ['fm1', 'fm2_'], pattern: tokenPattern(['fm1a_', 'fm1r_', 'fm2_'], '[A-Za-z0-9+/=_,-]{40,}') },
  { kind: 'age-secret-key', hints: ['AGE-SECRET-KEY-1'], pattern: tokenPattern(['AGE-SECRET-KEY-1'], '[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}') },
  // A base64-encoded PEM block ("-----BEGIN …" → "LS0tLS1CRUdJTi"): kubeconfig client-key-data and the like.
  { kind: 'private-key', hints: ['LS0tLS1CRUdJTi'], pattern: tokenPattern(['LS0tLS1CRUdJTi'], '[A-Za-z0-9+/]{20,}={0,2}') },
];
// A regular expression of literals is searched far faster than `includes`, one hint at a time,
// on two-byte strings (any text with a character beyond Latin-1).
const hintPatterns = new WeakMap<TokenRule, RegExp>();
function hintPatternOf(rule: TokenRule): RegExp {
  let pattern = hintPatterns.get(rule);
  if (!pattern) hintPatterns.set(rule, (pattern = new RegExp(rule.hints.map(escape).join('|'))));
  return pattern;
}
const EXTRA_PREFIXES = new RegExp(EXTRA_TOKEN_RULES.flatMap((rule) => rule.hints).map(escape).join('|'));

// Webhook URLs whose path is the credential (anyone holding it can post as the integration).
const WEBHOOK_URL =
  /(https:\/\/)(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}|(?:discord(?:app)?\.com)\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}|[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/_-]{20,}[A-Za-z0-9/_-]*)/g;
// Secrets carried in a URL's query (`?access_token=…`, a storage SAS `&sig=…`).
const URL_QUERY_SECRET =
  /([?&](?:access_token|refresh_token|id_token|token|api_key|apikey|api-key|key|secret|client_secret|password|sig|signature|auth)=)([^&\s"'<>#]{8,})/gi;
// `Key=value;` parts of connection strings (Azure storage and service bus, ADO.NET, ODBC).
// The keyword comes first so the scan can look for it; the look-behind then checks that it
// starts a part (after `;`, a quote, a space or the start).
const CONNECTION_STRING_SECRET =
  /((?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)(?<=(?:^|[;"'\s])[A-Za-z]{3,24})=)([^;"'\s]{4,})/gi;
const CONNECTION_STRING_HINT = /(?:AccountKey|SharedAccess|Password|password|PASSWORD|Pwd|pwd|PWD|ClientSecret)=/;

// An AWS key id with its secret on the same line (credentials CSV, `aws configure` output).
const AWS_PAIR = /(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])([^\n]{0,120}?)(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;
const AWS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/g;

const BEARER = /(\b[Bb]earer\s+)([A-Za-z0-9._~+/-]{8,}=*)(?![A-Za-z0-9._~+/=-])/g;
const BASIC_AUTH = /(\bAuthorization\s*[:=]\s*["']?Basic\s+)([A-Za-z0-9+/]{8,}=*)/gi;
// scheme://user:password@host: keep the user, drop the password. Anchored on the literal `://`.
const URL_CREDENTIALS = /(:\/\/[^\s/:@"'<>]{1,256}:)([^\s/@"'<>]{1,256})(@)/g;

/**
 * `password = "…"`, `DB_PASSWORD=…`, `"api_key": "…"`, `token: …`. The key must *end* in one
 * of the secret words (so `max_tokens: 4096` and `tokenizer = …` stay), the value must be on
 * the same line, and it must be a literal, not code: quoted, or an unquoted value that runs to
 * the end of a line the key begins. The scan is anchored on the secret word and its separator;
 * the rest is checked by hand.
 */
const SECRET_KEY_END =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|(?:secret|private|access|signing|encryption|master|client|account|storage)[_-]?key|key[_-]data|credentials?|auth)((?:\\?["'\]]){0,3})(?:[ \t]+(?:string|String|str|var|val|const)\b)?[ \t]*(:{1,3}=|[?.+]?=(?![=~])|=>|<-|:(?!:)|,)[ \t]*/gi;
const MAX_VALUE = 1000;
/** A quoted value may be long: an OAuth refresh token runs to ~1,500 characters. */
const MAX_QUOTED = 8_192;
/** An unquoted value inside a line: runs to a quote, a space, a separator or an escaped line break. */
const INLINE_TOKEN = /^([A-Za-z0-9+/=_.~-]{12,})(?=$|[\s"'`;,)}\]]|\\[nrt])/;

/**
 * Values that name something rather than hold a secret: a version or range (`^1.0.21`, `>=2`),
 * an environment variable's name (`OPENAI_API_KEY`), a package (`@azure/core-auth`).
 */
const VERSION_OR_NAME = /^(?:[\^~<>=v ]*\d+(?:\.[\dx*]+)*(?:[-+][\w.]+)?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|@[\w.-]+\/[\w.-]+|[\w.-]+@[\^~]?\d[\w.-]*)$/;

/** Long enough, letters and digits mixed, and random enough not to be a word or a name. */
function isGeneratedLooking(value: string): boolean {
  return value.length >= 12 && /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.3;
}

// Unquoted values that are types, empty words or references, not secrets.
const NOT_A_SECRET = new Set([
  'string', 'number', 'boolean', 'bool', 'str', 'int', 'any', 'unknown', 'object', 'bytes', 'null', 'none',
  'nil', 'true', 'false', 'undefined', 'required', 'optional', 'yes', 'no', 'on', 'off', 'empty', 'secret',
  'password', 'pass', 'token', 'changeme', 'redacted', '|', '>', '|-', '>-',
]);

/** `…`, `***`, `xxxx`, `<…>`, `your-api-key`, `…EXAMPLE…`: a placeholder written in place of a secret. */
function isPlaceholder(value: string): boolean {
  return /^(?:[.*•…_-]+|x{3,}|X{3,})$/.test(value) || /^<[^>]*>$/.test(value) || /EXAMPLE|^(?:your|my)[_-]|placeholder/i.test(value);
}

function isLiteralSecretValue(value: string): boolean {
  if (value.includes(MARKER_PREFIX)) return false;
  if (NOT_A_SECRET.has(value.toLowerCase()) || isPlaceholder(value) || VERSION_OR_NAME.test(value)) return false;
  if (/^[$%{[<(&*!@]/.test(value)) return false; // ${VAR}, %(x)s, {{ x }}, [list], <placeholder>, YAML anchors
  if (/[();,{}]$|[()]/.test(value)) return false; // code: calls, statements, trailing commas
  if (/^(?:process\.env|os\.environ|env\.)/.test(value)) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // self.token, config.apiKey
  if (/^[A-Za-z_$][\w$.]*\[.*\]$/.test(value)) return false; // tokens[0]
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(value)) return false; // a type name: AccessToken, SecretStr
  if (/^\d{1,5}$/.test(value)) return false; // port numbers, counts
  return true;
}

function isQuotedSecretValue(value: string): boolean {
  if (value.trim().length === 0 || value.includes(MARKER_PREFIX)) return false;
  if (/^\$[{(]?\w+[})]?$/.test(value) || /^\{\{.*\}\}$/.test(value)) return false; // "${TOKEN}", "$1", "{{ token }}"
  if (isPlaceholder(value)) return false; // "<your-password>", "…", "****"
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // a setting's name: 'glassbox.apiKey'
  if (/\$\{|\{\{|#\{/.test(value)) return false; // a template: `${KEY}.${provider}`, "{{ token }}", "#{x}"
  if (VERSION_OR_NAME.test(value)) return false;
  // Prose such as UI text ("forgotPassword": "Forgot your password?") is not a secret.
  if (/\s/.test(value) && (/[.?!:]$/.test(value) || /^[A-Z][a-z]+,? [a-z]/.test(value))) return false;
  return !NOT_A_SECRET.has(value.toLowerCase());
}

/** What the passes share while redacting one text. */
interface Redacting {
  count: number;
  /** Secret values replaced so far, for the other copies and for later texts. */
  readonly found: string[];
}

type Pass = (text: string, state: Redacting) => string;

/**
 * Every rule, Glassbox's own and gitleaks', in the order they run. Glassbox's come first where
 * they know more than a pattern can (the agent's own keys by value, lines behind decoration,
 * PEM blocks, connection strings, a key and its value in any syntax); gitleaks' rules then run on
 * what is left, together, behind their keyword prefilter (rule-engine.ts).
 */
export type SecretRule =
  | { readonly source: 'glassbox'; readonly id: string; readonly redact: Pass }
  | { readonly source: 'gitleaks'; readonly rule: GitleaksRule };

const GLASSBOX_BEFORE: readonly SecretRule[] = [
  { source: 'glassbox', id: 'known-value', redact: redactKnownValues },
  { source: 'glassbox', id: 'private-key', redact: (text, state) => redactPrivateKeys(text, () => state.count++) },
  { source: 'glassbox', id: 'aws-key-pair', redact: redactAws },
  { source: 'glassbox', id: 'provider-token', redact: redactTokens },
  { source: 'glassbox', id: 'http-auth', redact: redactHttpAuth },
  { source: 'glassbox', id: 'url-credentials', redact: redactUrlSecrets },
  { source: 'glassbox', id: 'connection-string', redact: redactConnectionStrings },
  { source: 'glassbox', id: 'structured-secret', redact: redactStructuredSecrets },
  { source: 'glassbox', id: 'secret-assignment', redact: (text, state) => redactPairs(text, state) },
];

export const SECRET_RULES: readonly SecretRule[] = [
  ...GLASSBOX_BEFORE,
  ...GITLEAKS_CONFIG.rules.map((rule): SecretRule => ({ source: 'gitleaks', rule })),
  { source: 'glassbox', id: 'every-copy', redact: redactOtherCopies },
];

let engine: RuleEngine | undefined;
/** Built on first use: the keyword automaton over ~250 keywords, regexes compiled lazily. */
function gitleaksEngine(): RuleEngine {
  if (!engine) {
    const rules = SECRET_RULES.flatMap((entry) => (entry.source === 'gitleaks' ? [entry.rule] : []));
    engine = new RuleEngine(rules, GITLEAKS_CONFIG.allowlist);
  }
  return engine;
}

/** Replaces secrets in `text`. Pure but for remembering what it found (known-credentials.ts); safe on any string of any size. */
export function redactSecrets(text: string): Redaction {
  if (text.length === 0) return { text, count: 0 };
  const state: Redacting = { count: 0, found: [] };
  let out = text;
  let gitleaksDone = false;
  for (const entry of SECRET_RULES) {
    if (entry.source === 'glassbox') out = entry.redact(out, state);
    else if (!gitleaksDone) {
      gitleaksDone = true;
      out = redactGitleaks(out, state);
    }
  }
  return { text: out, count: state.count };
}

function redactKnownValues(text: string, state: Redacting): string {
  const known = redactKnownCredentials(text, marker('api-key'));
  state.count += known.count;
  return known.text;
}

function redactGitleaks(text: string, state: Redacting): string {
  const findings = gitleaksEngine().find(text);
  if (findings.length === 0) return text;
  let out = '';
  let from = 0;
  for (const finding of findings) {
    if (finding.secret.includes(MARKER_PREFIX) || MARKER_PREFIX.startsWith(finding.secret)) continue;
    out += text.slice(from, finding.start) + marker(finding.ruleId);
    from = finding.end;
    state.count++;
    state.found.push(finding.secret);
  }
  return out + text.slice(from);
}

/** Shorter values found secret are not hunted elsewhere: too likely to be ordinary words. */
const MIN_COPY_LENGTH = 8;

/**
 * A value found secret once is redacted wherever else it occurs in the text (a second copy on
 * the same line, the same token under another key) and remembered, so later texts of the run
 * lose it too, also base64-, hex- or URL-encoded (known-credentials.ts).
 */
function redactOtherCopies(text: string, state: Redacting): string {
  // Secrets found in earlier texts, last: where a rule still recognises one, its kind is kept.
  const earlier = redactFoundSecrets(text, marker('secret'));
  state.count += earlier.count;
  let out = earlier.text;
  for (const found of new Set(state.found)) {
    // A rule's secret may keep its quotes (gitleaks' hashicorp-tf-password does); a word such as
    // `password` is a secret only where it stood, not everywhere it is written.
    const value = found.replace(/^(["'`])(.*)\1$/s, '$2');
    if (value.length < MIN_COPY_LENGTH || value.includes(MARKER_PREFIX) || /^[A-Za-z]+$/.test(value)) continue;
    rememberFoundSecret(value);
    if (!out.includes(value)) continue;
    const parts = out.split(value);
    state.count += parts.length - 1;
    out = parts.join(marker('secret'));
  }
  return out;
}

function redactAws(text: string, state: Redacting): string {
  let out = text;
  if (out.includes('AKIA') || out.includes('ASIA')) {
    out = out.replace(AWS_PAIR, (_match, id: string, between: string, secret: string) => {
      state.count += 2;
      state.found.push(id, secret);
      return `${marker('aws-access-key-id')}${between}${marker('aws-secret-key')}`;
    });
  }
  if (/A(?:KI|SI|BI|CC)A/.test(out)) {
    out = out.replace(AWS_KEY_ID, (id) => {
      state.count++;
      state.found.push(id);
      return marker('aws-access-key-id');
    });
  }
  return redactNearAwsKeyId(out, state);
}

/**
 * A secret access key (40 base64 characters) or a session token (100 or more) within a few
 * lines after a key id: the id alone tells what the random string beside it is.
 */
const AWS_NEAR = 400;
const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+=])(?:[A-Za-z0-9/+]{40}|[A-Za-z0-9/+]{100,}={0,2})(?![A-Za-z0-9/+=])/g;
function redactNearAwsKeyId(text: string, state: Redacting): string {
  const idMarker = marker('aws-access-key-id');
  if (!text.includes(idMarker)) return text;
  let out = '';
  let from = 0;
  for (let at = text.indexOf(idMarker); at >= 0; at = text.indexOf(idMarker, Math.max(from, at + idMarker.length))) {
    const start = Math.max(from, at + idMarker.length);
    const end = Math.min(text.length, start + AWS_NEAR);
    const near = text.slice(start, end).replace(AWS_SECRET_NEAR, (secret) => {
      if (!/\d/.test(secret) || !/[a-z]/.test(secret) || !/[A-Z]/.test(secret)) return secret;
      state.count++;
      state.found.push(secret);
      return marker(secret.length === 40 ? 'aws-secret-key' : 'aws-session-token');
    });
    out += text.slice(from, start) + near;
    from = end;
  }
  return out + text.slice(from);
}

function redactTokens(text: string, state: Redacting): string {
  let out = text;
  const rules = EXTRA_PREFIXES.test(out) ? [...TOKEN_RULES, ...EXTRA_TOKEN_RULES] : TOKEN_RULES;
  for (const rule of rules) {
    if (!hintPatternOf(rule).test(out)) continue;
    out = out.replace(rule.pattern, (match) => {
      if (rule.validate && !rule.validate(match)) return match;
      state.count++;
      state.found.push(match);
      return marker(rule.kind);
    });
  }
  return out;
}

function redactHttpAuth(text: string, state: Redacting): string {
  let out = text;
  if (/bearer/i.test(out)) {
    out = out.replace(BEARER, (match, prefix: string, token: string) => {
      // Prose ("Bearer authentication") is not a token: real ones have digits or are long.
      if (token.startsWith(MARKER_PREFIX) || (!/\d/.test(token) && token.length < 32)) return match;
      state.count++;
      state.found.push(token);
      return `${prefix}${marker('bearer-token')}`;
    });
  }
  return out.replace(BASIC_AUTH, (_m, prefix: string, token: string) => {
    state.count++;
    state.found.push(token);
    return `${prefix}${marker('basic-auth')}`;
  });
}

function redactUrlSecrets(text: string, state: Redacting): string {
  let out = text;
  if (out.includes('://')) {
    out = out.replace(URL_CREDENTIALS, (match, prefix: string, password: string, at: string) => {
      if (password.startsWith(MARKER_PREFIX) || /^\$\{?\w+\}?$/.test(password)) return match;
      if (/[[\]{}()\\|]/.test(password)) return match; // a pattern written about URLs, not one
      if (NOT_A_SECRET.has(password.toLowerCase()) || isPlaceholder(password)) return match;
      state.count++;
      state.found.push(password);
      return `${prefix}${marker('password')}${at}`;
    });
  }
  if (out.includes('https://') && /hooks\.slack|discord|webhook\.office/.test(out)) {
    out = out.replace(WEBHOOK_URL, (_m, scheme: string) => {
      state.count++;
      return `${scheme}${marker('webhook-url')}`;
    });
  }
  if (out.includes('=') && (out.includes('?') || out.includes('&'))) {
    out = out.replace(URL_QUERY_SECRET, (match, prefix: string, value: string) => {
      if (value.startsWith(MARKER_PREFIX) || /^\$\{?\w+\}?$/.test(value) || isPlaceholder(value)) return match;
      state.count++;
      state.found.push(value);
      return `${prefix}${marker('secret')}`;
    });
  }
  return out;
}

/**
 * An Azure storage account key: exactly 88 base64 characters ending `==`, standing alone.
 * Subresource-integrity hashes (`sha512-…==`, every lock file) are preceded by `-` and stay.
 */
const AZURE_STORAGE_KEY = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g;

function redactConnectionStrings(text: string, state: Redacting): string {
  let out = text;
  if (out.includes('==')) {
    out = out.replace(AZURE_STORAGE_KEY, (key) => {
      if (!/\d/.test(key) || !/[a-z]/.test(key) || !/[A-Z]/.test(key)) return key;
      state.count++;
      state.found.push(key);
      return marker('azure-storage-key');
    });
  }
  return redactConnectionStringParts(out, state);
}

function redactConnectionStringParts(text: string, state: Redacting): string {
  if (!text.includes('=') || !CONNECTION_STRING_HINT.test(text)) return text;
  return text.replace(CONNECTION_STRING_SECRET, (match, prefix: string, value: string) => {
    if (value.startsWith(MARKER_PREFIX) || /^\$\{?\w+\}?$/.test(value) || isPlaceholder(value) || NOT_A_SECRET.has(value.toLowerCase())) return match;
    state.count++;
    state.found.push(value);
    return `${prefix}${marker('secret')}`;
  });
}

function redactPairs(text: string, state: Redacting): string {
  let out = '';
  let from = 0;
  SECRET_KEY_END.lastIndex = 0;
  let match: RegExpExecArray | null;
  // Where the current line ends, searched again only once passed (many pairs on one long line
  // must not rescan it each time).
  let lineEnd = -1;
  while ((match = SECRET_KEY_END.exec(text)) !== null) {
    const valueStart = SECRET_KEY_END.lastIndex;
    if (lineEnd < valueStart) {
      lineEnd = text.indexOf('\n', valueStart);
      if (lineEnd < 0) lineEnd = text.length;
    }
    const quote = text[valueStart];
    let valueEnd = -1;
    // `f(token, "x")` passes a variable; only a quoted name before a comma is a pair:
    // `setProperty("X_TOKEN", "…")`.
    const operator = match[2];
    if ((operator === ',' && !/^\\?["']/.test(match[1])) || (operator === ':' && isTernaryBranch(text, match.index))) {
      // not a pair
    } else if (quote === '\\' && text[valueStart + 1] === '"') {
      // A JSON string inside a string: `\"auth\":\"…\"`.
      const close = text.indexOf('\\"', valueStart + 2);
      if (close > valueStart + 2 && close < lineEnd && close - valueStart <= MAX_QUOTED && isQuotedSecretValue(text.slice(valueStart + 2, close))) {
        out += text.slice(from, valueStart + 2) + marker('secret');
        state.found.push(text.slice(valueStart + 2, close));
        from = close;
        valueEnd = close + 2;
      }
    } else if (quote === '"' || quote === "'" || quote === '`') {
      const close = text.indexOf(quote, valueStart + 1);
      if (close > valueStart + 1 && close < lineEnd && close - valueStart <= MAX_QUOTED && isQuotedSecretValue(text.slice(valueStart + 1, close))) {
        out += text.slice(from, valueStart + 1) + marker('secret');
        state.found.push(text.slice(valueStart + 1, close));
        from = close;
        valueEnd = close + 1;
      }
    } else if (keyStartsLine(text, match.index)) {
      const line = text.slice(valueStart, Math.min(lineEnd, valueStart + MAX_VALUE + 200)).replace(/\r$/, '');
      const parts = /^(\S+)([ \t]+#.*)?[ \t]*$/.exec(line);
      if (parts && parts[1].length <= MAX_VALUE && isLiteralSecretValue(parts[1])) {
        out += text.slice(from, valueStart) + marker('secret');
        state.found.push(parts[1]);
        from = valueStart + parts[1].length;
        valueEnd = from;
      }
    } else {
      // Inside a line, after other text (`{"config.ini": "X_TOKEN=…\nOTHER=1"}`, `k=v, TOKEN=…`):
      // only a value shaped like a generated secret — long, mixed letters and digits, random.
      const token = INLINE_TOKEN.exec(text.slice(valueStart, valueStart + MAX_VALUE));
      if (token && isGeneratedLooking(token[1]) && isLiteralSecretValue(token[1])) {
        out += text.slice(from, valueStart) + marker('secret');
        state.found.push(token[1]);
        from = valueStart + token[1].length;
        valueEnd = from;
      }
    }
    if (valueEnd >= 0) {
      state.count++;
      SECRET_KEY_END.lastIndex = valueEnd;
    } else if (SECRET_KEY_END.lastIndex === match.index) {
      SECRET_KEY_END.lastIndex++;
    }
  }
  return out + text.slice(from);
}

/** `cond ? 'aws-secret-key' : 'other'`: a quoted key after `?` is a value, and its `:` no pair. */
function isTernaryBranch(text: string, keywordStart: number): boolean {
  let i = keywordStart;
  while (i > 0 && keywordStart - i < 200 && /[A-Za-z0-9_.-]/.test(text[i - 1])) i--;
  if (i === 0 || (text[i - 1] !== '"' && text[i - 1] !== "'")) return false;
  i--;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return text[i - 1] === '?';
}

/**
 * Whether the key ending at `keywordStart…` is the first thing on its line (`  export KEY=`,
 * `"key":`, `- password:`), counting what tools put before content as decoration, not code:
 * a line number (`12| `, `  12\t`, `path:12: `), a diff or quote mark (`+`, `-`, `>`).
 */
function keyStartsLine(text: string, keywordStart: number): boolean {
  let i = keywordStart;
  while (i > 0 && /[A-Za-z0-9_.-]/.test(text[i - 1])) i--;
  if (i > 0 && (text[i - 1] === '"' || text[i - 1] === "'")) i--;
  // Back to the line's start, but no further than any decoration reaches: many pairs on one
  // long line must not each scan it back to its start.
  let lineStart = i;
  while (lineStart > 0 && i - lineStart <= MAX_DECORATION && text[lineStart - 1] !== '\n') lineStart--;
  if (lineStart === i) return true;
  if (i - lineStart > MAX_DECORATION) return false;
  return LINE_DECORATION.test(text.slice(lineStart, i));
}

const MAX_DECORATION = 200;
const LINE_DECORATION =
  /^(?:(?:[^\s:]{1,160}:)?[ \t]*\d{1,9}(?:[ \t]*[|:]|\t))?[ \t]*(?:[+>-][ \t]*)?(?:-[ \t]+)?(?:(?:export|ENV|ARG|set|setx|local|declare|readonly)[ \t]+)?\$?$/;

const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PRIVATE_KEY_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
// What follows a header when the END line is missing (output cut short): armour headers and
// base64 lines, possibly JSON-escaped (`\n`).
// Each line is empty, a base64 run or a `Name: value` header, so prose after it is kept.
const KEY_BODY = /(?:[ \t]*(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: [^\r\n]*)?(?:\r?\n|\\n))*[A-Za-z0-9+/=]*/y;

/** Whole `-----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----` blocks. */
function redactPrivateKeys(text: string, counted: () => void): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let from = 0;
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  let begin: RegExpExecArray | null;
  // The next END line, searched again only once passed: many BEGINs without an END stay linear.
  let nextEnd = text.indexOf('-----END ');
  while ((begin = PRIVATE_KEY_BEGIN.exec(text)) !== null) {
    const start = begin.index;
    if (nextEnd >= 0 && nextEnd < PRIVATE_KEY_BEGIN.lastIndex) nextEnd = text.indexOf('-----END ', PRIVATE_KEY_BEGIN.lastIndex);
    let end = nextEnd;
    const nextBegin = text.indexOf('-----BEGIN ', PRIVATE_KEY_BEGIN.lastIndex);
    if (end >= 0 && (nextBegin < 0 || end < nextBegin)) {
      PRIVATE_KEY_END.lastIndex = end;
      const footer = PRIVATE_KEY_END.exec(text);
      end = footer ? PRIVATE_KEY_END.lastIndex : end + '-----END '.length;
    } else {
      KEY_BODY.lastIndex = PRIVATE_KEY_BEGIN.lastIndex;
      KEY_BODY.exec(text);
      end = KEY_BODY.lastIndex;
      // Leave the line break that ended the body, so the text after keeps its shape.
      while (end > PRIVATE_KEY_BEGIN.lastIndex && /[\r\n\t ]/.test(text[end - 1])) end--;
    }
    out += text.slice(from, start) + marker('private-key');
    counted();
    from = end;
    PRIVATE_KEY_BEGIN.lastIndex = end;
  }
  return out + text.slice(from);
}

/** True when `text` holds at least one secret and nothing else but whitespace. */
export function isOnlySecret(text: string): boolean {
  const { text: redacted, count } = redactSecrets(text);
  if (count === 0) return false;
  return redacted.replace(/\[redacted:[a-z0-9-]+\]/g, '').trim().length === 0;
}
