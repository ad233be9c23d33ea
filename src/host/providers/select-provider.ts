import * as vscode from 'vscode';
import { describeLocalServer, discoverLocalServers, localServerKind, modelCount, type LocalServer } from '../../agent/model/local-discovery';
import { describeModel, type ModelInfo } from '../../agent/model/model-catalog';
import { AZURE_DEFAULT_API_VERSION, PROVIDER_PRESETS, type ProviderPreset } from '../../agent/model/providers';
import type { ApiKeyStore } from './api-key';
import { effectiveProvider } from '../settings/settings-endpoint';
import type { Settings } from '../settings/settings';
import type { HostProviderId } from '../settings/settings-values';
import { SETTINGS_SECTION } from '../settings/settings';

type ProviderItem = vscode.QuickPickItem &
  ({ readonly choice: 'server'; readonly server: LocalServer } | { readonly choice: 'preset'; readonly preset: ProviderPreset } | { readonly choice: 'vscode-lm' } | { readonly choice: 'separator' });

export interface SelectionDeps {
  readonly settings: Settings;
  readonly apiKeys: ApiKeyStore;
  /** Runs Select Model once the provider is set (it lists the endpoint's models). */
  readonly selectModel: () => Promise<void>;
}

/** Writes Glassbox settings for the user (empty string or undefined removes a value). */
export async function updateSettings(values: Readonly<Record<string, unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value === '' ? undefined : value, vscode.ConfigurationTarget.Global);
  }
}

/**
 * "Glassbox: Select Provider": the presets at once, and the model servers running on this
 * machine as soon as the loopback probe answers (well under a second). Picking one writes
 * the provider settings, asks for what it needs (Azure's endpoint, a key) and goes on to
 * Select Model.
 */
export async function selectProvider(deps: SelectionDeps): Promise<void> {
  const settings = deps.settings.current;
  const current = effectiveProvider(settings);
  const pick = vscode.window.createQuickPick<ProviderItem>();
  pick.title = 'Glassbox: Select Provider';
  pick.placeholder = 'Where should Glassbox send its model requests?';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const presets = presetItems(current);
  pick.items = presets;
  pick.busy = true;
  const probing = new AbortController();
  void discoverLocalServers({ ports: settings.discoveryPorts, signal: probing.signal }).then(
    (servers) => {
      pick.busy = false;
      if (servers.length === 0) {
        pick.placeholder = `No local model server answered on 127.0.0.1 (ports ${settings.discoveryPorts.join(', ')}). Choose a provider.`;
        return;
      }
      const active = pick.activeItems;
      pick.items = [...serverItems(servers, settings.baseUrl), ...presets];
      if (active.length === 0 && pick.items[1]) pick.activeItems = [pick.items[1]];
    },
    () => (pick.busy = false),
  );
  const chosen = await new Promise<ProviderItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  probing.abort();
  pick.dispose();
  if (!chosen || chosen.choice === 'separator') return;
  if (chosen.choice === 'server') return useLocalServer(chosen.server);
  if (chosen.choice === 'vscode-lm') {
    await updateSettings({ provider: 'vscode-lm' });
    return deps.selectModel();
  }
  return usePreset(chosen.preset, deps);
}

function presetItems(current: HostProviderId): ProviderItem[] {
  const mark = (id: HostProviderId) => (id === current ? '$(check) ' : '');
  return [
    { label: 'Providers', kind: vscode.QuickPickItemKind.Separator, choice: 'separator' },
    ...PROVIDER_PRESETS.map(
      (preset): ProviderItem => ({
        choice: 'preset',
        preset,
        label: `${mark(preset.id)}${preset.label}`,
        description: preset.baseUrl || undefined,
        detail: `${preset.key === 'required' ? 'API key' : preset.key === 'optional' ? 'Key optional' : 'No key'} · ${preset.notes.replaceAll('`', '')}`,
      }),
    ),
    {
      choice: 'vscode-lm',
      label: `${mark('vscode-lm')}VS Code Language Models`,
      description: 'vscode.lm',
      detail: "The models VS Code already offers (GitHub Copilot or any extension's): no API key; VS Code asks you once for consent.",
    },
  ];
}

function serverItems(servers: readonly LocalServer[], baseUrl: string | undefined): ProviderItem[] {
  return [
    { label: 'Running on this machine', kind: vscode.QuickPickItemKind.Separator, choice: 'separator' },
    ...servers.map(
      (server): ProviderItem => ({
        choice: 'server',
        server,
        label: `${server.baseURL === baseUrl ? '$(check) ' : '$(server-process) '}${localServerKind(server)}`,
        description: `${server.baseURL} · ${modelCount(server)}`,
        detail: server.models.length > 0 ? server.models.map((model) => model.id).join(', ') : 'No model loaded',
      }),
    ),
  ];
}

async function useLocalServer(server: LocalServer): Promise<void> {
  const model = server.models.length === 1 ? server.models[0] : await pickModel(server.models, `Glassbox: Select Model on ${describeLocalServer(server)}`);
  if (server.models.length > 0 && !model) return;
  await useServerModel(server, model);
}

/** Points Glassbox at a server running here and one of its models (the chat's one-click offer too). */
export async function useServerModel(server: LocalServer, model: ModelInfo | undefined): Promise<void> {
  await updateSettings({ provider: server.provider, baseUrl: server.baseURL, ...modelSettings(model) });
  void vscode.window.showInformationMessage(`Glassbox: using ${describeLocalServer(server)}${model ? ` with ${model.id}` : ''}.`);
}

async function usePreset(preset: ProviderPreset, deps: SelectionDeps): Promise<void> {
  if (preset.id === 'azure') {
    const azure = await askAzure(deps.settings.current.azure);
    if (!azure) return;
    await updateSettings({ provider: 'azure', baseUrl: '', 'azure.endpoint': azure.endpoint, 'azure.deployment': azure.deployment, 'azure.apiVersion': azure.apiVersion, model: azure.deployment });
  } else if (preset.id === 'custom') {
    const baseUrl = await vscode.window.showInputBox({
      title: 'Glassbox: Custom endpoint',
      prompt: 'Base URL of an OpenAI-compatible server (where /chat/completions is appended)',
      value: deps.settings.current.baseUrl ?? '',
      placeHolder: 'http://127.0.0.1:8080/v1',
      ignoreFocusOut: true,
      validateInput: validateHttpUrl,
    });
    if (baseUrl === undefined) return;
    await updateSettings({ provider: 'custom', baseUrl: baseUrl.trim().replace(/\/+$/, '') });
  } else {
    await updateSettings({ provider: preset.id, baseUrl: preset.baseUrl, ...(preset.defaultModel ? { model: preset.defaultModel } : {}) });
  }
  if (preset.key === 'required' && (await deps.apiKeys.get(preset.id)) === undefined) {
    const stored = await deps.apiKeys.promptAndStore(deps.settings.current, preset.id);
    if (!stored) {
      void vscode.window.showWarningMessage(`Glassbox: ${preset.label} is selected but has no API key yet. Run "Glassbox: Set API Key" before asking.`);
      return;
    }
  }
  // Azure's model is its deployment, asked for above.
  if (preset.id !== 'azure') await deps.selectModel();
}

async function askAzure(current: { endpoint?: string; deployment?: string; apiVersion: string }) {
  const endpoint = await vscode.window.showInputBox({
    title: 'Glassbox: Azure OpenAI (1/3)',
    prompt: 'Resource endpoint (Azure portal → your OpenAI resource → Keys and Endpoint)',
    value: current.endpoint ?? '',
    placeHolder: 'https://contoso.openai.azure.com',
    ignoreFocusOut: true,
    validateInput: validateHttpUrl,
  });
  if (endpoint === undefined) return undefined;
  const deployment = await vscode.window.showInputBox({
    title: 'Glassbox: Azure OpenAI (2/3)',
    prompt: 'Deployment name (Azure AI Foundry → Deployments)',
    value: current.deployment ?? '',
    placeHolder: 'gpt-4o-mini',
    ignoreFocusOut: true,
    validateInput: (value) => (/^[\w.-]+$/.test(value.trim()) ? undefined : 'Letters, digits, - _ and . only.'),
  });
  if (deployment === undefined) return undefined;
  const apiVersion = await vscode.window.showInputBox({
    title: 'Glassbox: Azure OpenAI (3/3)',
    prompt: 'api-version sent with every request',
    value: current.apiVersion || AZURE_DEFAULT_API_VERSION,
    ignoreFocusOut: true,
    validateInput: (value) => (/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(value.trim()) ? undefined : 'Like 2024-10-21 or 2025-04-01-preview.'),
  });
  if (apiVersion === undefined) return undefined;
  return { endpoint: endpoint.trim().replace(/\/+$/, ''), deployment: deployment.trim(), apiVersion: apiVersion.trim() };
}

function validateHttpUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'Use http:// or https://.';
  } catch {
    return 'Enter a URL such as http://127.0.0.1:8080/v1.';
  }
}

type ModelItem = vscode.QuickPickItem & { readonly model?: ModelInfo };

/** A model from a listing; undefined when the person pressed Escape. */
export async function pickModel(models: readonly ModelInfo[], title: string, current?: string): Promise<ModelInfo | undefined> {
  const items: ModelItem[] = models.map((model) => ({
    model,
    label: `${model.id === current ? '$(check) ' : ''}${model.id}`,
    description: describeModel(model) || undefined,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: `${models.length} model(s): type to filter`, matchOnDescription: true });
  return chosen?.model;
}

/** The settings a picked model implies: its name, and its window when the server reported one. */
export function modelSettings(model: ModelInfo | undefined): Record<string, unknown> {
  if (!model) return {};
  const window = model.contextWindow && model.contextWindow >= 2048 && model.contextWindow <= 10_000_000 ? { contextWindow: model.contextWindow } : {};
  return { model: model.id, ...window };
}
