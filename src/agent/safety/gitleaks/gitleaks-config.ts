/**
 * The shape of gitleaks' configuration as Glassbox keeps it (see scripts/gitleaks-rules.mjs):
 * the fields that decide whether a text holds a secret, in gitleaks' own terms.
 */
export interface GitleaksAllowlist {
  /** "AND": every criterion present must hold; otherwise any one suffices. */
  readonly condition?: 'AND';
  /** What the regexes are tested on: the secret (default), the whole match, or its line. */
  readonly regexTarget?: 'match' | 'line';
  readonly regexes?: readonly string[];
  /** Lower case; a secret containing one is not a secret. */
  readonly stopwords?: readonly string[];
}

export interface GitleaksRule {
  readonly id: string;
  /** Go RE2 syntax. */
  readonly regex: string;
  /** Lower case; the rule runs only where one of them occurs. */
  readonly keywords: readonly string[];
  /** Shannon entropy the secret must exceed. */
  readonly entropy?: number;
  /** Which capture group is the secret (default: the first one that matched). */
  readonly secretGroup?: number;
  readonly allowlists?: readonly GitleaksAllowlist[];
}

export interface GitleaksConfig {
  readonly allowlist?: GitleaksAllowlist;
  readonly rules: readonly GitleaksRule[];
}
