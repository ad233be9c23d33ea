import * as vscode from 'vscode';
import { presetById } from '../../agent/model/providers';
import { endpointOrigin, keyMisdirection, needsKey, originOf, providerLabel } from './provider-connection';
import { effectiveProvider, endpointLabel } from '../settings/settings-endpoint';
import { HOST_PROVIDER_IDS, type GlassboxSettings, type HostProviderId } from '../settings/settings-values';

/**
 * Where keys live in SecretStorage (the OS keychain): never in settings or state. Each key is
 * bound to the provider and the origin (scheme, host, port) it was entered for (issue 19): it
 * is stored under a name holding both, as a record holding both, and a request to any other
 * origin never carries it — a workspace pointing `baseUrl` elsewhere gets no key, and the
 * person is asked for one for that endpoint instead.
 */
export const API_KEY_SECRET = 'glassbox.apiKey';
export const SET_API_KEY_COMMAND = 'glassbox.setApiKey';

/** Before keys were bound to an origin: one per provider (OpenAI's under the first key's name). */
export function legacySecretNameFor(provider: HostProviderId): string {
  return provider === 'openai' ? API_KEY_SECRET : `${API_KEY_SECRET}.${provider}`;
}

export function boundSecretName(provider: HostProviderId, origin: string): string {
  return `${API_KEY_SECRET}.${provider}@${origin}`;
}

/** What is stored under `boundSecretName`: the key with what it is bound to. */
interface BoundKey {
  readonly provider: HostProviderId;
  readonly origin: string;
  readonly key: string;
}

type EndpointSettings = Pick<GlassboxSettings, 'provider' | 'baseUrl' | 'azure'>;
const NO_ENDPOINT: EndpointSettings = { provider: undefined, baseUrl: undefined, azure: { endpoint: undefined, deployment: undefined, apiVersion: '' } };

/**
 * API keys in SecretStorage, one per provider and origin; read once per run. A missing key is
 * only a problem where the provider needs one: local servers (127.0.0.1, localhost) and VS
 * Code's own language models take none, so runs against them go ahead without.
 */
export class ApiKeyStore {
  #migrated: Promise<void> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** The settings in force, to know whose key "the key" is. */
    private readonly settings: () => EndpointSettings = () => NO_ENDPOINT,
    /** The person's own settings (no workspace endpoint): keys stored before binding belong to their endpoint. */
    private readonly own: () => EndpointSettings = settings,
  ) {}

  /**
   * The key bound to `provider` at `origin` (by default: where the current settings send
   * requests); undefined when none was entered for exactly that endpoint.
   */
  async get(provider: HostProviderId = effectiveProvider(this.settings()), origin: string | undefined = this.#originFor(provider)): Promise<string | undefined> {
    await this.#migrate();
    if (origin === undefined) return undefined;
    const record = parseBound(await this.secrets.get(boundSecretName(provider, origin)));
    // The name says provider and origin; the record must say the same, or it is not this key.
    return record && record.provider === provider && record.origin === origin ? record.key : undefined;
  }

  async set(key: string, provider: HostProviderId = effectiveProvider(this.settings()), origin: string | undefined = this.#originFor(provider)): Promise<void> {
    if (origin === undefined) throw new Error(`There is no endpoint URL for ${providerLabel(provider)} yet to bind a key to: run "Glassbox: Select Provider" first.`);
    await this.#migrate();
    const record: BoundKey = { provider, origin, key: key.trim() };
    await this.secrets.store(boundSecretName(provider, origin), JSON.stringify(record));
  }

  async clear(provider: HostProviderId = effectiveProvider(this.settings()), origin: string | undefined = this.#originFor(provider)): Promise<void> {
    await this.#migrate();
    if (origin !== undefined) await this.secrets.delete(boundSecretName(provider, origin));
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
    const key = await this.get(effectiveProvider(settings), endpointOrigin(settings));
    if (key !== undefined || !needsKey(settings)) return { key, usable: true };
    void offerToSetKey(`Glassbox needs an API key for ${providerLabel(effectiveProvider(settings))} (${endpointLabel(settings)}).`);
    return { key: undefined, usable: false };
  }

  /** Where `provider`'s requests go: the current settings' endpoint when it is theirs, else the preset's own URL. */
  #originFor(provider: HostProviderId): string | undefined {
    const current = this.settings();
    if (effectiveProvider(current) === provider) return endpointOrigin(current);
    return provider === 'vscode-lm' ? undefined : originOf(presetById(provider)?.baseUrl);
  }

  /**
   * Keys stored before binding (one per provider) belong to the endpoint the person's own
   * settings name for that provider: bound to it once, then the old entry goes. A key whose
   * endpoint cannot be told (a Custom or Azure key while another provider is chosen) stays
   * where it was, unused, rather than be guessed onto an origin.
   */
  #migrate(): Promise<void> {
    // A keychain that fails here leaves the old entries where they are (unused) and keys work on.
    this.#migrated ??= this.#bindOldKeys().catch(() => undefined);
    return this.#migrated;
  }

  async #bindOldKeys(): Promise<void> {
    const own = this.own();
    const ownProvider = effectiveProvider(own);
    for (const provider of HOST_PROVIDER_IDS) {
      if (provider === 'vscode-lm') continue;
      const name = legacySecretNameFor(provider);
      const key = (await this.secrets.get(name))?.trim();
      if (!key) continue;
      // The first key's name served OpenAI, and any base URL set by hand with no provider chosen.
      const boundTo: HostProviderId = provider === 'openai' && own.provider === undefined ? ownProvider : provider;
      const origin = ownProvider === boundTo ? endpointOrigin(own) : originOf(presetById(boundTo)?.baseUrl);
      if (origin === undefined) continue;
      const target = boundSecretName(boundTo, origin);
      const existing = parseBound(await this.secrets.get(target));
      // A different key already bound there was entered later: the old one stays, unused.
      if (existing && existing.key !== key) continue;
      if (!existing) await this.secrets.store(target, JSON.stringify({ provider: boundTo, origin, key } satisfies BoundKey));
      await this.secrets.delete(name);
    }
  }

  /** Prompts for a key with a password box; returns whether one was stored. */
  async promptAndStore(settings: GlassboxSettings, provider: HostProviderId = effectiveProvider(settings)): Promise<boolean> {
    const preset = provider === 'vscode-lm' ? undefined : presetById(provider);
    const origin = provider === effectiveProvider(settings) ? endpointOrigin(settings) : originOf(preset?.baseUrl);
    if (origin === undefined) {
      void vscode.window.showErrorMessage(`Glassbox: ${providerLabel(provider)} has no endpoint URL yet to bind a key to. Run "Glassbox: Select Provider" first.`);
      return false;
    }
    const key = await vscode.window.showInputBox({
      title: 'Glassbox: Set API Key',
      prompt:
        `API key for ${providerLabel(provider)} at ${origin} (sent nowhere else), ` +
        `stored in the OS keychain via VS Code's SecretStorage${preset?.keyUrl ? `. Get one at ${preset.keyUrl}` : ''}`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (value) => (value.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(value.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (key === undefined) return false;
    await this.set(key, provider, origin);
    void vscode.window.showInformationMessage(`Glassbox: API key saved for ${providerLabel(provider)} (${origin}).`);
    return true;
  }

  async clearWithNotice(): Promise<void> {
    const provider = effectiveProvider(this.settings());
    const origin = this.#originFor(provider);
    const had = (await this.get(provider, origin)) !== undefined;
    await this.clear(provider, origin);
    const where = origin ? ` (${origin})` : '';
    void vscode.window.showInformationMessage(
      had ? `Glassbox: API key cleared for ${providerLabel(provider)}${where}.` : `Glassbox: no API key was set for ${providerLabel(provider)}${where}.`,
    );
  }
}

function parseBound(raw: string | undefined): BoundKey | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<BoundKey> | null;
    if (value && typeof value.key === 'string' && value.key.trim() && typeof value.origin === 'string' && typeof value.provider === 'string') {
      return { provider: value.provider, origin: value.origin, key: value.key.trim() };
    }
  } catch {
    // Not a record: not a bound key.
  }
  return undefined;
}

/** Shows `message` with a button that opens Set API Key. */
export async function offerToSetKey(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Set API Key');
  if (choice === 'Set API Key') await vscode.commands.executeCommand(SET_API_KEY_COMMAND);
}
