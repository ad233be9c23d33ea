/**
 * Secrets known by where they stand rather than by their shape: the values of a Kubernetes
 * Secret's `data:` / `stringData:`, an XML element or `key="…" value="…"` attribute pair named
 * like a secret, a `curl -u user:password`, an `Authorization:` header's credential. Each value
 * found is reported to `found` so its other copies go too (redact.ts).
 */

const MARKER = '[redacted:secret]';
const SECRET_NAME = /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credentials?|auth)$/i;

export interface StructuredState {
  count: number;
  readonly found: string[];
}

export function redactStructuredSecrets(text: string, state: StructuredState): string {
  let out = text;
  if (/kind["']?\s*:\s*["']?Secret\b/.test(out)) out = redactKubernetesSecretData(out, state);
  if (out.includes('</')) out = redactXmlElements(out, state);
  if (/value\s*=/i.test(out)) out = redactXmlAttributes(out, state);
  if (out.includes('-u') || out.includes('--user')) out = redactCurlUser(out, state);
  if (/authorization/i.test(out)) out = redactAuthorizationHeaders(out, state);
  return out;
}

function take(value: string, state: StructuredState): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 4 || trimmed.includes('[redacted:') || /^["']?\$\{?\w+\}?["']?$/.test(trimmed)) return false;
  // A word (`password`), a placeholder (`…`, `<token>`, `xxxx`) or a pattern is not the secret.
  if (/^[A-Za-z]+$|^[.…*x<]|[[\]{}()\\]/.test(trimmed)) return false;
  state.count++;
  state.found.push(trimmed.replace(/^["']|["']$/g, ''));
  return true;
}

/**
 * YAML: every line indented under `data:` / `stringData:` loses its value (block scalars whole);
 * JSON: every string value inside `"data": { … }` / `"stringData": { … }`.
 */
function redactKubernetesSecretData(text: string, state: StructuredState): string {
  const lines = text.split('\n');
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim().length === 0) continue;
      if (indent > blockIndent) {
        const pair = /^(\s*["']?[\w.-]+["']?\s*:\s*)(.+?)\s*$/.exec(line);
        if (pair && !/^[|>][-+]?$/.test(pair[2])) {
          if (take(pair[2], state)) lines[i] = pair[1] + MARKER;
        } else if (!pair && take(line, state)) {
          lines[i] = line.slice(0, indent) + MARKER; // a line of a block scalar
        }
        continue;
      }
      blockIndent = -1;
    }
    if (/^\s*(?:data|stringData)\s*:\s*$/.test(line)) blockIndent = indent;
  }
  let out = lines.join('\n');
  out = out.replace(/("(?:data|stringData)"\s*:\s*\{)([^{}]{0,100000})\}/g, (_m, open: string, body: string) => {
    const redacted = body.replace(/("[\w.-]+"\s*:\s*")([^"\\]*(?:\\.[^"\\]*)*)"/g, (pair, key: string, value: string) =>
      take(value, state) ? `${key}${MARKER}"` : pair,
    );
    return `${open}${redacted}}`;
  });
  return out;
}

/** `<apiToken>…</apiToken>`, also with the value on lines of its own. */
function redactXmlElements(text: string, state: StructuredState): string {
  return text.replace(/<([A-Za-z_][\w:.-]{0,60})>(\s*)([^<\s][^<]{0,1000}?)(\s*)<\/\1>/g, (match, name: string, before: string, value: string, after: string) => {
    if (!SECRET_NAME.test(name) || !take(value, state)) return match;
    return `<${name}>${before}${MARKER}${after}</${name}>`;
  });
}

/** `<add key="ApiKey" value="…"/>`, `<entry name="dbPassword" value="…"/>`. */
function redactXmlAttributes(text: string, state: StructuredState): string {
  return text.replace(/\b((?:key|name)\s*=\s*"([\w:.-]{1,80})"\s+value\s*=\s*")([^"]{1,1000})"/gi, (match, prefix: string, name: string, value: string) => {
    if (!SECRET_NAME.test(name) || !take(value, state)) return match;
    return `${prefix}${MARKER}"`;
  });
}

/** `curl -u user:password`, `--user user:password`: the user stays. */
function redactCurlUser(text: string, state: StructuredState): string {
  return text.replace(/((?:^|\s)(?:-u[ \t]*|--user[ \t=]+)(["']?)[^\s:"'`]{1,100}:)([^\s"'`]{1,200})(\2)/g, (match, prefix: string, _q, password: string, close: string) => {
    if (!take(password, state)) return match;
    return `${prefix}${MARKER}${close}`;
  });
}

/** `Authorization: token …`, `-H "Authorization: ApiKey …"`: the scheme stays. Bearer and Basic are handled before. */
function redactAuthorizationHeaders(text: string, state: StructuredState): string {
  return text.replace(/(\bAuthorization["']?\s*[:=]\s*["']?(?:[A-Za-z-]{1,20}[ \t]+)?)([A-Za-z0-9._~+/=:-]{12,})/gi, (match, prefix: string, credential: string) => {
    if (!/\d/.test(credential) || !take(credential, state)) return match;
    return `${prefix}${MARKER}`;
  });
}
