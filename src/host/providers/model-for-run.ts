import { priceOf, FREE, type ModelPrice } from '../../agent/model/pricing';
import type { Logger } from '../../agent/logger';
import type { Model } from '../../agent/model/model';
import { OpenAIModel } from '../../agent/model/openai-model';
import { findLmModel, LmModel } from './lm-model';
import { connectionOf } from './provider-connection';
import { effectiveProvider } from '../settings/settings-endpoint';
import type { GlassboxSettings } from '../settings/settings-values';

export interface RunModel {
  readonly model: Model;
  readonly price: ModelPrice;
  /** The window the provider reports for the model, when it does (VS Code's models do). */
  readonly contextWindow?: number;
}

/**
 * The Model a run talks to, from the provider the settings mean. Throws ConfigurationError
 * (ProviderSetupError) saying what is missing: an Azure endpoint, a model VS Code offers.
 */
export async function modelForRun(settings: GlassboxSettings, apiKey: string | undefined, logger: Logger): Promise<RunModel> {
  if (effectiveProvider(settings) === 'vscode-lm') {
    const chat = await findLmModel(settings.model);
    // VS Code's models are paid for by the person's subscription, not per token by Glassbox.
    return { model: new LmModel(chat), price: FREE, contextWindow: chat.maxInputTokens > 0 ? chat.maxInputTokens : undefined };
  }
  const connection = connectionOf(settings, apiKey);
  const model = new OpenAIModel({
    baseURL: connection.baseURL,
    apiKey: connection.apiKey,
    headers: connection.headers,
    query: connection.query,
    model: connection.model ?? settings.model,
    logger,
    toolCalls: settings.toolCalls,
  });
  return { model, price: priceOf(model.name) };
}
