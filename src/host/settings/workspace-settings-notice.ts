// What the chat says about workspace settings Glassbox did not use (issue 19): a repository that
// tries to switch off approvals, raise the budget or send requests elsewhere is not obeyed, and
// the person hears it once, with the values, the reasons and a way to their own settings.
// Pure (types only), so the wording is unit-tested.

import { createHash } from 'node:crypto';
import type { ChatNotice } from '../../shared/protocol';
import type { IgnoredValue } from './scoped-settings';
import type { WorkspaceEndpoint } from './settings';

export function workspaceSettingsNotices(ignored: readonly IgnoredValue[], endpoint: WorkspaceEndpoint | undefined): ChatNotice[] {
  const notices: ChatNotice[] = [];
  if (endpoint && !endpoint.consented) {
    const text =
      `This workspace's settings send Glassbox's requests to ${endpoint.url}. Glassbox uses your own endpoint (${endpoint.ownUrl}) ` +
      'until you allow that one; keys you entered for other endpoints never go there.';
    notices.push({ id: idOf(text), text, button: { label: 'Review endpoint…', action: 'allowWorkspaceEndpoint' } });
  }
  if (ignored.length > 0) {
    // The names fit a narrow sidebar; values and reasons fold out beneath.
    const names = [...new Set(ignored.map((value) => value.setting))];
    const text = `Glassbox ignored workspace settings that would loosen its guardrails: ${names.join(', ')}. Only your own (user) settings can loosen them.`;
    const details = ignored.map(describeIgnored);
    notices.push({ id: idOf([text, ...details].join('\n')), text, details, button: { label: 'Open your settings', action: 'openUserSettings' } });
  }
  return notices;
}

/** `glassbox.autoApprove.write = true (workspace "repo": a workspace may only turn this off)` */
export function describeIgnored(value: IgnoredValue): string {
  const where = `${value.scope === 'folder' ? 'folder' : 'workspace'} "${value.where}"`;
  return `${value.setting} = ${shortJson(value.value)} (${where}: ${value.reason})`;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function idOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Writes each ignored value to the log once per session, now and whenever settings change. */
export function logIgnoredSettings(
  settings: { readonly ignored: readonly IgnoredValue[]; readonly onDidChange: (listener: () => void) => { dispose(): void } },
  logger: { warn(message: string): void },
): { dispose(): void } {
  const logged = new Set<string>();
  const log = () => {
    for (const value of settings.ignored) {
      const line = `Ignored a workspace setting: ${describeIgnored(value)}.`;
      if (logged.has(line)) continue;
      logged.add(line);
      logger.warn(line);
    }
  };
  log();
  return settings.onDidChange(log);
}
