/**
 * From settings to the provider a run talks to. Pure (no `vscode`), so the rules are unit-tested
 * in Node: whether the provider the settings mean (settings-endpoint.ts) needs a key, and the
 * connection (URL, headers, query, model) a run opens.
 */
import { connectionFor, presetById, type ProviderConnection } from '../../agent/model/providers';
import { effectiveProvider } from '../settings/settings-endpoint';
import { isLocalEndpoint, type GlassboxSettings, type HostProviderId } from '../settings/settings-values';

type ProviderSettings = Pick<GlassboxSettings, 'provider' | 'baseUrl' | 'azure' | 'model'>;

export function providerLabel(id: HostProviderId): string {
  return id === 'vscode-lm' ? 'VS Code' : (presetById(id)?.label ?? id);
}

/** For the chat header: "Gemini", "Custom", "VS Code". */
export function shortProviderLabel(id: HostProviderId): string {
  return id === 'custom' ? 'Custom' : providerLabel(id).replace(/ \(.*\)$/, '');
}

/** Whether a run must not start without a key: hosted providers, and custom endpoints off this machine. */
export function needsKey(settings: Pick<GlassboxSettings, 'provider' | 'baseUrl'>): boolean {
  const id = effectiveProvider(settings);
  if (id === 'vscode-lm') return false;
  const preset = presetById(id)!;
  if (preset.key === 'required') return true;
  if (preset.key === 'none') return false;
  return !isLocalEndpoint(settings.baseUrl ?? preset.baseUrl);
}

/**
 * Why the chosen provider's key must not go to the configured URL, or undefined when it may.
 * A key filed under a hosted provider (Groq, OpenAI…) is only ever sent to that provider's own
 * host: a `baseUrl` pointing elsewhere (set by hand, or by a workspace) does not get it.
 */
export function keyMisdirection(settings: Pick<GlassboxSettings, 'provider' | 'baseUrl'>): string | undefined {
  const id = effectiveProvider(settings);
  if (id === 'vscode-lm' || settings.baseUrl === undefined) return undefined;
  const preset = presetById(id)!;
  if (!preset.baseUrl || preset.localPort !== undefined) return undefined;
  const own = new URL(preset.baseUrl).hostname;
  let host: string;
  try {
    host = new URL(settings.baseUrl).hostname.toLowerCase();
  } catch {
    return `glassbox.baseUrl "${settings.baseUrl}" is not a URL.`;
  }
  if (host === own) return undefined;
  return (
    `glassbox.baseUrl points at ${host}, not ${preset.label}'s ${own}: Glassbox does not send your ${preset.label} key there. ` +
    `Run "Glassbox: Select Provider" (Custom, for another endpoint).`
  );
}

/**
 * The connection a run opens. Throws ProviderSetupError saying what is missing (an Azure
 * endpoint, a custom URL). The key check is the caller's (ApiKeyStore.keyForRun), so a missing
 * key here only means the provider takes none.
 */
export function connectionOf(settings: ProviderSettings, apiKey: string | undefined): ProviderConnection {
  const id = effectiveProvider(settings);
  if (id === 'vscode-lm') throw new Error("VS Code's language models are not an HTTP endpoint.");
  const preset = presetById(id)!;
  // The key requirement was enforced before; here a keyless hosted preset still gets a connection.
  const lenient = { ...preset, key: 'optional' as const };
  return connectionFor(lenient, {
    baseUrl: settings.baseUrl,
    apiKey,
    model: settings.model,
    azure: { endpoint: settings.azure.endpoint, deployment: settings.azure.deployment, apiVersion: settings.azure.apiVersion },
  });
}

/**
 * The origin (scheme, host, port) the settings' requests go to, which a stored key is bound to;
 * undefined for VS Code's models (no HTTP, no key) and when no URL is known yet (Azure without
 * its endpoint, Custom without a base URL).
 */
export function endpointOrigin(settings: Pick<GlassboxSettings, 'provider' | 'baseUrl' | 'azure'>): string | undefined {
  const id = effectiveProvider(settings);
  if (id === 'vscode-lm') return undefined;
  const url = id === 'azure' ? settings.azure.endpoint : (settings.baseUrl ?? presetById(id)?.baseUrl);
  return originOf(url);
}

/** `https://api.openai.com` for `https://api.openai.com/v1`; undefined for no URL or not one. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
