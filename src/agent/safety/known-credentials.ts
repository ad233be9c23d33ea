/**
 * The credentials Glassbox itself holds (its model endpoint's API key, an embeddings key),
 * known by value. Pattern rules cannot recognise an arbitrary key, nor a key that a command
 * printed reversed or encoded; knowing the value can. redactSecrets replaces every copy of a
 * registered value, also reversed, in hex and in base64 (at any alignment, and wrapped across
 * lines as `base64` prints it), and child processes get an environment without them.
 */

import { KeywordPrefilter } from './keyword-prefilter';

/** Shorter values are not treated as credentials: too likely to occur in ordinary text. */
const MIN_LENGTH = 8;
/** A process uses one or two keys; this bounds a host that is handed many over a long session. */
const MAX_KNOWN = 16;
/**
 * Secrets the rules found in some text (a token in a file the agent read), remembered so every
 * later copy is redacted too — in another tool result, in a command's encoded output — although
 * no rule would recognise it there (a bare value without its key). The oldest go first; each is
 * a few `includes` per text, so the bound keeps redaction cheap.
 */
const MAX_FOUND = 64;
/** Longer "secrets" are whole blocks (a certificate, a pasted file): redacted where found only. */
const MAX_FOUND_LENGTH = 512;

/** Environment variables that carry the endpoint credential Glassbox may use; never passed on. */
export const CREDENTIAL_VARIABLES: readonly string[] = ['GLASSBOX_API_KEY', 'OPENAI_API_KEY'];

interface Known {
  readonly value: string;
  /** Literal spellings searched for with `includes` first. */
  readonly literals: readonly string[];
  /** Base64 spellings, matched also when a line break falls inside them. */
  readonly wrapped: readonly { readonly pattern: RegExp; readonly pieces: readonly string[] }[];
}

const known = new Map<string, Known>();
const found = new Map<string, Known>();
/** One automaton over the found secrets' spellings, rebuilt when they change. */
let foundMatcher: { readonly prefilter: KeywordPrefilter; readonly spellings: readonly (readonly string[])[] } | undefined;
/** Each spelling is looked for by its first characters, then compared whole. */
const PROBE = 8;

export function registerCredential(value: string | undefined): void {
  const key = value?.trim();
  if (!key || key.length < MIN_LENGTH || known.has(key)) return;
  if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
  known.set(key, spellingsOf(key));
}

/** For tests: forget every registered value. */
export function forgetCredentials(): void {
  known.clear();
}

/** Remembers a secret found in some text, so its later copies are redacted wherever they appear. */
export function rememberFoundSecret(value: string): void {
  if (value.length < MIN_LENGTH || value.length > MAX_FOUND_LENGTH || known.has(value)) return;
  if (found.has(value)) {
    // Most recently seen last: the bound drops the secrets not seen for longest.
    const spellings = found.get(value) as Known;
    found.delete(value);
    found.set(value, spellings);
    return;
  }
  if (found.size >= MAX_FOUND) found.delete(found.keys().next().value as string);
  // Literal spellings only: the wrapped-base64 patterns are kept for the agent's own keys.
  found.set(value, spellingsOf(value, false));
  foundMatcher = undefined;
}

/** For tests: forget every secret found so far. */
export function forgetFoundSecrets(): void {
  found.clear();
  foundMatcher = undefined;
}

/**
 * Replaces every spelling of a secret found earlier (plain, reversed, hex, base64, URL-encoded)
 * with `replacement`. Up to MAX_FOUND secrets with a dozen spellings each: one Aho-Corasick pass
 * over their first PROBE characters finds the candidates, so the cost does not grow with them.
 */
export function redactFoundSecrets(text: string, replacement: string): { text: string; count: number } {
  if (found.size === 0 || text.length < MIN_LENGTH) return { text, count: 0 };
  const matcher = (foundMatcher ??= buildFoundMatcher());
  const hits = matcher.prefilter.scan(text);
  if (hits.length === 0) return { text, count: 0 };
  let out = '';
  let from = 0;
  let count = 0;
  for (const hit of hits) {
    const start = hit.end - PROBE;
    if (start < from) continue;
    // The longest spelling that is really there (the probe is matched ignoring case).
    let length = 0;
    for (const spelling of matcher.spellings[hit.keyword]) if (spelling.length > length && text.startsWith(spelling, start)) length = spelling.length;
    if (length === 0) continue;
    out += text.slice(from, start) + replacement;
    from = start + length;
    count++;
  }
  return { text: out + text.slice(from), count };
}

function buildFoundMatcher(): NonNullable<typeof foundMatcher> {
  const byProbe = new Map<string, string[]>();
  for (const secret of found.values()) {
    for (const spelling of secret.literals) {
      // Non-ASCII spellings cannot be probed; the plain value's ASCII spellings (hex, URL) still are.
      if (spelling.length < PROBE || !/^[\x00-\x7f]+$/.test(spelling)) continue;
      const probe = spelling.slice(0, PROBE).toLowerCase();
      const list = byProbe.get(probe);
      if (list) list.push(spelling);
      else byProbe.set(probe, [spelling]);
    }
  }
  return { prefilter: new KeywordPrefilter([...byProbe.keys()]), spellings: [...byProbe.values()] };
}

export function knownCredentialValues(): readonly string[] {
  return [...known.keys()];
}

/** Replaces every known spelling of a registered credential with `replacement`. */
export function redactKnownCredentials(text: string, replacement: string): { text: string; count: number } {
  return redactSpellings(known, text, replacement);
}

function redactSpellings(values: ReadonlyMap<string, Known>, text: string, replacement: string): { text: string; count: number } {
  if (values.size === 0 || text.length < MIN_LENGTH) return { text, count: 0 };
  let out = text;
  let count = 0;
  for (const credential of values.values()) {
    for (const literal of credential.literals) {
      if (!out.includes(literal)) continue;
      const parts = out.split(literal);
      count += parts.length - 1;
      out = parts.join(replacement);
    }
    if (!out.includes('\n')) continue;
    for (const { pattern, pieces } of credential.wrapped) {
      // A wrapped copy keeps at least one of its 8-character pieces whole: skip texts without any.
      if (!pieces.some((piece) => out.includes(piece))) continue;
      out = out.replace(pattern, () => {
        count++;
        return replacement;
      });
    }
  }
  return { text: out, count };
}

/**
 * `env` without the credentials: the named variables, and any variable whose value holds a
 * registered credential (whatever it is called: `MY_KEY=$OPENAI_API_KEY` before starting).
 */
export function withoutCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const values = knownCredentialValues();
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (CREDENTIAL_VARIABLES.includes(name.toUpperCase())) continue;
    if (value !== undefined && values.some((credential) => value.includes(credential))) continue;
    clean[name] = value;
  }
  return clean;
}

function spellingsOf(value: string, withWrapped = true): Known {
  const bytes = Buffer.from(value, 'utf8');
  const reversed = [...value].reverse().join('');
  // URL-encoded: a secret passed in a query string or a form body.
  const literals = new Set<string>([value, reversed, bytes.toString('hex'), bytes.toString('hex').toUpperCase(), encodeURIComponent(value)]);
  const base64: string[] = [];
  for (const source of [value, reversed]) {
    const data = Buffer.from(source, 'utf8');
    // The value may sit at any of three byte offsets inside a longer encoded text: encode it
    // behind 0, 1 or 2 filler bytes and keep only the characters that do not depend on the
    // filler or on what follows.
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), data]).toString('base64').replace(/=+$/, '');
      const skip = offset === 0 ? 0 : Math.ceil((offset * 8) / 6);
      const total = offset + data.length;
      const stable = Math.floor((total * 8) / 6);
      const inner = encoded.slice(skip, stable);
      if (inner.length >= MIN_LENGTH) base64.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  for (const spelling of base64) literals.add(spelling);
  if (!withWrapped) return { value, literals: [...literals], wrapped: [] };
  const wrapped = [...new Set(base64)].map((spelling) => ({
    pattern: new RegExp([...spelling].map(escapeRegExp).join('(?:\\r?\\n)?'), 'g'),
    pieces: Array.from({ length: Math.floor(spelling.length / 8) }, (_, i) => spelling.slice(i * 8, i * 8 + 8)),
  }));
  return { value, literals: [...literals], wrapped };
}

const escapeRegExp = (char: string) => char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
