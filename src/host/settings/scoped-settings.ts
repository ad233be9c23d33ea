// One settings layer that knows where each value came from (issue 19). VS Code's `get()` hands
// over the merged value, so a repository's `.vscode/settings.json` silently beats the person's
// own; `inspect()` tells the scopes apart, and this pure function applies GUARDED_KEYS to them:
// the person's value (user or remote settings, else the default) stands unless a workspace or
// folder value is stricter. What was ignored comes back with the reason, for the chat to say.

import { GUARDED_KEYS, type GuardRule } from './guarded-keys';
import type { RawSettingReader } from './settings-values';

/** A value set by a workspace (`.vscode/settings.json`, a `.code-workspace` file) or one of its folders. */
export interface WorkspaceScopedValue {
  readonly scope: 'workspace' | 'folder';
  /** The workspace's or folder's name, for messages. */
  readonly where: string;
  readonly value: unknown;
}

/** What `WorkspaceConfiguration.inspect()` says of one key, workspace-side values in precedence order (lowest first). */
export interface ScopedValues {
  readonly defaultValue?: unknown;
  /** User settings, and in a remote window the remote's: the person's own. */
  readonly userValue?: unknown;
  readonly workspaceValues: readonly WorkspaceScopedValue[];
}

/** Reads one key's scoped values by its key under `glassbox.` (a stand-in in unit tests). */
export type ScopedReader = (key: string) => ScopedValues;

export interface IgnoredValue {
  /** Full setting id, e.g. `glassbox.autoApprove.write`. */
  readonly setting: string;
  readonly scope: 'workspace' | 'folder';
  readonly where: string;
  readonly value: unknown;
  /** Why, in words for the chat ("a workspace may only turn this off"). */
  readonly reason: string;
}

export interface ScopedResolution {
  /** Raw values with every guard applied; the endpoint keys are the person's own. */
  readonly guarded: RawSettingReader;
  /** The same, but the endpoint keys as the workspace sets them: used only once the person agreed. */
  readonly withWorkspaceEndpoint: RawSettingReader;
  /** Workspace values that were not used, once per setting and scope. */
  readonly ignored: readonly IgnoredValue[];
}

/**
 * Applies GUARDED_KEYS to what `read` says of each key. Keys not in the table take the merged
 * value, as VS Code's `get()` would (the last workspace-side value set, else the person's).
 */
export function resolveScopedSettings(read: ScopedReader): ScopedResolution {
  const ignored: IgnoredValue[] = [];
  const guardedCache = new Map<string, unknown>();
  const resolveGuarded = (key: string): unknown => {
    if (guardedCache.has(key)) return guardedCache.get(key);
    const values = read(key);
    const rule = GUARDED_KEYS[key];
    const value = rule ? applyRule(key, rule, values, ignored) : merged(values);
    guardedCache.set(key, value);
    return value;
  };
  // Resolve every guarded key now, so `ignored` is complete before anyone reads it.
  for (const key of Object.keys(GUARDED_KEYS)) resolveGuarded(key);
  return {
    guarded: resolveGuarded,
    withWorkspaceEndpoint: (key) => (GUARDED_KEYS[key]?.kind === 'endpoint' ? merged(read(key)) : resolveGuarded(key)),
    ignored,
  };
}

function personOf(values: ScopedValues): unknown {
  return values.userValue !== undefined ? values.userValue : values.defaultValue;
}

function merged(values: ScopedValues): unknown {
  const last = values.workspaceValues.findLast((v) => v.value !== undefined);
  return last ? last.value : personOf(values);
}

function applyRule(key: string, rule: GuardRule, values: ScopedValues, ignored: IgnoredValue[]): unknown {
  const ignore = (from: WorkspaceScopedValue, reason: string) =>
    ignored.push({ setting: `glassbox.${key}`, scope: from.scope, where: from.where, value: from.value, reason });
  let value = personOf(values);
  for (const from of values.workspaceValues) {
    if (from.value === undefined) continue;
    switch (rule.kind) {
      case 'endpoint':
        // Judged as a whole endpoint, with the person's consent (endpoint-consent.ts).
        break;
      case 'user-only':
        if (!sameValue(from.value, value)) ignore(from, 'only your user settings may set this');
        break;
      case 'only-false':
        if (typeof from.value !== 'boolean') ignore(from, 'not true or false');
        else if (from.value === false) value = false;
        else if (value !== true) ignore(from, 'a workspace may only turn this off');
        break;
      case 'only-true':
        if (typeof from.value !== 'boolean') ignore(from, 'not true or false');
        else if (from.value === true) value = true;
        else if (value !== false) ignore(from, 'a workspace may only turn this on');
        break;
      case 'only-lower': {
        const proposed = limitOf(from.value, rule);
        // A person's value that is no valid limit falls back to the default in parseSettings.
        const current = limitOf(value, rule) ?? limitOf(values.defaultValue, rule);
        if (proposed === undefined) ignore(from, `not a number of at least ${rule.min}`);
        else if (current === undefined || proposed < current) value = from.value;
        else if (proposed > current) ignore(from, `a workspace may only lower it (yours: ${describeLimit(value, rule)})`);
        break;
      }
      case 'only-add':
        if (!Array.isArray(from.value)) ignore(from, 'not a list');
        else value = union(value, from.value);
        break;
      default:
        assertNever(rule);
    }
  }
  return value;
}

/** The number a limit means, Infinity for "none"; undefined when it is no valid limit. */
function limitOf(value: unknown, rule: Extract<GuardRule, { kind: 'only-lower' }>): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min) return undefined;
  return rule.zeroMeansNone && value === 0 ? Infinity : value;
}

function describeLimit(value: unknown, rule: Extract<GuardRule, { kind: 'only-lower' }>): string {
  return rule.zeroMeansNone && value === 0 ? 'no limit' : String(value);
}

function union(base: unknown, more: readonly unknown[]): unknown[] {
  const out = Array.isArray(base) ? [...(base as unknown[])] : [];
  for (const item of more) if (!out.some((existing) => sameValue(existing, item))) out.push(item);
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function assertNever(value: never): never {
  throw new Error(`unknown guard rule ${JSON.stringify(value)}`);
}
