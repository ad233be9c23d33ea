import * as vscode from 'vscode';
import { messageOf } from '../../agent/format';
import { ModelListError, listModels, type ModelInfo } from '../../agent/model/model-catalog';
import type { ApiKeyStore } from './api-key';
import { noticeForFailure, SELECT_PROVIDER_COMMAND, showNotice, type Notice } from './endpoint-problem-notice';
import { availableLmModels } from './lm-model';
import { connectionOf, providerLabel } from './provider-connection';
import { effectiveProvider } from '../settings/settings-endpoint';
import { modelSettings, pickModel, updateSettings } from './select-provider';
import type { Settings } from '../settings/settings';
import { discoverLocalServers } from '../../agent/model/local-discovery';

export interface SelectModelDeps {
  readonly settings: Settings;
  readonly apiKeys: ApiKeyStore;
  readonly notify?: (notice: Notice) => Promise<void>;
}

/**
 * "Glassbox: Select Model": the models the current provider offers — the endpoint's `/models`
 * with context window and price where known, or VS Code's language models — and the chosen
 * one becomes `glassbox.model` (with its window, when the server reported it). A listing that
 * fails says why with the fix, as a failed run would.
 */
export async function selectModel(deps: SelectModelDeps): Promise<void> {
  const settings = deps.settings.current;
  const provider = effectiveProvider(settings);
  const notify = deps.notify ?? showNotice;
  if (provider === 'vscode-lm') return selectLmModel(settings.model, notify);
  if (provider === 'azure') {
    const deployment = await vscode.window.showInputBox({
      title: 'Glassbox: Select Model (Azure OpenAI deployment)',
      prompt: 'Azure routes by deployment: the deployment name is the model',
      value: settings.azure.deployment ?? '',
      ignoreFocusOut: true,
      validateInput: (value) => (/^[\w.-]+$/.test(value.trim()) ? undefined : 'Letters, digits, - _ and . only.'),
    });
    if (deployment !== undefined) await updateSettings({ 'azure.deployment': deployment.trim(), model: deployment.trim() });
    return;
  }
  let models: ModelInfo[];
  try {
    const key = await deps.apiKeys.get(provider);
    models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Glassbox: listing ${providerLabel(provider)} models` },
      () => listModels(connectionOf(settings, key)),
    );
  } catch (error) {
    const failure = error instanceof ModelListError ? listingFailure(error) : undefined;
    const notice = failure
      ? await noticeForFailure(failure, settings, () => discoverLocalServers({ ports: settings.discoveryPorts }).catch(() => []))
      : undefined;
    await notify(notice ?? { message: `Glassbox: could not list the models: ${messageOf(error)}`, actions: [{ label: 'Select Provider', command: SELECT_PROVIDER_COMMAND }] });
    return;
  }
  if (models.length === 0) {
    const typed = await vscode.window.showInputBox({
      title: 'Glassbox: Select Model',
      prompt: `${providerLabel(provider)} listed no models: type the model name to use`,
      value: settings.model,
      ignoreFocusOut: true,
    });
    if (typed?.trim()) await updateSettings({ model: typed.trim() });
    return;
  }
  const model = await pickModel(models, `Glassbox: Select Model (${providerLabel(provider)})`, settings.model);
  if (model) await updateSettings(modelSettings(model));
}

/** A failed listing in the terms of a failed run, so it gets the same notice and button. */
function listingFailure(error: ModelListError) {
  const status = error.status;
  const code = status === undefined ? 'unreachable' : status === 401 || status === 403 ? 'auth' : status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : 'endpoint';
  return { code, status, message: error.message } as const;
}

async function selectLmModel(current: string, notify: (notice: Notice) => Promise<void>): Promise<void> {
  const models = await availableLmModels();
  if (models.length === 0) {
    await notify({
      message: 'Glassbox: VS Code offers no language models here. Install or sign in to a model provider (such as GitHub Copilot), or choose another provider.',
      actions: [{ label: 'Select Provider', command: SELECT_PROVIDER_COMMAND }],
    });
    return;
  }
  const items = models.map((model) => ({
    id: model.id,
    label: `${model.id === current ? '$(check) ' : ''}${model.name}`,
    description: `${model.vendor} · ${model.id}`,
    detail: model.maxInputTokens > 0 ? `${model.maxInputTokens.toLocaleString('en-US')} tokens` : undefined,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title: "Glassbox: Select Model (VS Code's language models)", matchOnDescription: true });
  if (chosen) await updateSettings({ provider: 'vscode-lm', model: chosen.id });
}
