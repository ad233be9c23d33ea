import * as vscode from 'vscode';
import { presetById } from '../../agent/model/providers';
import { effectiveProvider, endpointLabel, keyMisdirection, needsKey, providerLabel } from './provider-connection';
import type { GlassboxSettings, HostProviderId } from '../settings/settings-values';

/**
 * Where keys live in SecretStorage (the OS keychain): never in settings or state. OpenAI's key
 * keeps the name the single key had before presets, so an existing key goes on working.
 */
export const API_KEY_SECRET = 'glassbox.apiKey';
export const SET_API_KEY_COMMAND = 'glassbox.setApiKey';

export function secretNameFor(provider: HostProviderId): string {
  return provider === 'openai' ? API_KEY_SECRET : `${API_KEY_SECRET}.${provider}`;
}

/**
 * One API key per provider, in SecretStorage; read once per run. A missing key is only a
 * problem where the provider needs one: local servers (127.0.0.1, localhost) and VS Code's own
 * language models take none, so runs against them go ahead without.
 */
export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** The settings in force, to know whose key "the key" is. */
    private readonly settings: () => Pick<GlassboxSettings, 'provider' | 'baseUrl'> = () => ({ provider: undefined, baseUrl: undefined }),
  ) {}

  /** The current provider's key (or `provider`'s). */
  async get(provider: HostProviderId = effectiveProvider(this.settings())): Promise<string | undefined> {
    const own = await this.secrets.get(secretNameFor(provider));
    // A base URL set by hand (no provider chosen) used the single key of before.
    const legacy = own === undefined && this.settings().provider === undefined ? await this.secrets.get(API_KEY_SECRET) : undefined;
    const key = own ?? legacy;
    return key?.trim() ? key.trim() : undefined;
  }

  set(key: string, provider: HostProviderId = effectiveProvider(this.settings())): Promise<void> {
    return Promise.resolve(this.secrets.store(secretNameFor(provider), key.trim()));
  }

  clear(provider: HostProviderId = effectiveProvider(this.settings())): Promise<void> {
    return Promise.resolve(this.secrets.delete(secretNameFor(provider)));
  }

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }

  /** The key for a run, or undefined when the provider needs one and none is set (the person was told). */
  async keyForRun(settings: GlassboxSettings): Promise<{ key: string | undefined; usable: boolean }> {
    const misdirected = keyMisdirection(settings);
    if (misdirected) {
      void vscode.window.showErrorMessage(`Glassbox: ${misdirected}`, 'Select Provider').then((choice) => {
        if (choice) void vscode.commands.executeCommand('glassbox.selectProvider');
      });
      return { key: undefined, usable: false };
    }
    const key = await this.get(effectiveProvider(settings));
    if (key !== undefined || !needsKey(settings)) return { key, usable: true };
    void offerToSetKey(`Glassbox needs an API key for ${providerLabel(effectiveProvider(settings))} (${endpointLabel(settings)}).`);
    return { key: undefined, usable: false };
  }

  /** Prompts for a key with a password box; returns whether one was stored. */
  async promptAndStore(settings: GlassboxSettings, provider: HostProviderId = effectiveProvider(settings)): Promise<boolean> {
    const preset = provider === 'vscode-lm' ? undefined : presetById(provider);
    const key = await vscode.window.showInputBox({
      title: 'Glassbox: Set API Key',
      prompt:
        `API key for ${providerLabel(provider)}${provider === effectiveProvider(settings) ? ` (${endpointLabel(settings)})` : ''}, ` +
        `stored in the OS keychain via VS Code's SecretStorage${preset?.keyUrl ? `. Get one at ${preset.keyUrl}` : ''}`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (value) => (value.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(value.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (key === undefined) return false;
    await this.set(key, provider);
    void vscode.window.showInformationMessage(`Glassbox: API key saved for ${providerLabel(provider)}.`);
    return true;
  }

  async clearWithNotice(): Promise<void> {
    const provider = effectiveProvider(this.settings());
    const had = (await this.secrets.get(secretNameFor(provider))) !== undefined;
    await this.clear(provider);
    const legacy = this.settings().provider === undefined && (await this.secrets.get(API_KEY_SECRET)) !== undefined;
    if (legacy) await this.secrets.delete(API_KEY_SECRET);
    void vscode.window.showInformationMessage(
      had || legacy ? `Glassbox: API key cleared for ${providerLabel(provider)}.` : `Glassbox: no API key was set for ${providerLabel(provider)}.`,
    );
  }
}

/** Shows `message` with a button that opens Set API Key. */
export async function offerToSetKey(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Set API Key');
  if (choice === 'Set API Key') await vscode.commands.executeCommand(SET_API_KEY_COMMAND);
}
