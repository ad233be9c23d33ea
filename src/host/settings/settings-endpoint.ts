/**
 * The endpoint a set of settings names: which provider they mean and the URL requests go to.
 * Pure (no `vscode`). It sits with the settings because Settings itself compares the person's
 * endpoint with a workspace's (issue 19); the providers room builds connections from it.
 */
import { presetById, presetForBaseUrl } from '../../agent/model/providers';
import type { GlassboxSettings, HostProviderId } from './settings-values';

type EndpointSettings = Pick<GlassboxSettings, 'provider' | 'baseUrl' | 'azure'>;

/** The provider the settings mean: the one chosen, else the one `baseUrl` belongs to. */
export function effectiveProvider(settings: Pick<GlassboxSettings, 'provider' | 'baseUrl'>): HostProviderId {
  return settings.provider ?? presetForBaseUrl(settings.baseUrl).id;
}

/** The URL people see in messages ("https://contoso.openai.azure.com/openai/deployments/gpt4o"). */
export function endpointLabel(settings: EndpointSettings): string {
  const id = effectiveProvider(settings);
  if (id === 'vscode-lm') return "VS Code's language models";
  if (id === 'azure') {
    const base = settings.azure.endpoint ?? '(no Azure endpoint set)';
    return `${base}/openai/deployments/${settings.azure.deployment ?? '(no deployment set)'}`;
  }
  return settings.baseUrl ?? presetById(id)!.baseUrl;
}

/**
 * What the person consents to when a workspace names its own endpoint: the provider and the URL
 * requests go to. Two settings with the same identity send the same requests to the same place.
 */
export function endpointIdentity(settings: EndpointSettings): string {
  return `${effectiveProvider(settings)} ${endpointLabel(settings)}`;
}
