import * as vscode from 'vscode';
import { isLocalEndpoint, endpointOf, type GlassboxSettings } from './settings-values';

/** Where the key lives in SecretStorage (the OS keychain): never in settings or state. */
export const API_KEY_SECRET = 'glassbox.apiKey';
export const SET_API_KEY_COMMAND = 'glassbox.setApiKey';

/**
 * The API key for the model endpoint. Kept in SecretStorage; read once per run. A missing key
 * is only a problem for remote endpoints: local servers (127.0.0.1, localhost) usually take
 * none, so runs against them go ahead without one.
 */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(API_KEY_SECRET)).then((key) => (key?.trim() ? key.trim() : undefined));
  }

  set(key: string): Promise<void> {
    return Promise.resolve(this.secrets.store(API_KEY_SECRET, key.trim()));
  }

  clear(): Promise<void> {
    return Promise.resolve(this.secrets.delete(API_KEY_SECRET));
  }

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }

  /** The key for a run, or undefined when the endpoint needs one and none is set (the person was told). */
  async keyForRun(settings: GlassboxSettings): Promise<{ key: string | undefined; usable: boolean }> {
    const key = await this.get();
    if (key !== undefined || isLocalEndpoint(settings.baseUrl)) return { key, usable: true };
    void offerToSetKey(`Glassbox needs an API key for ${endpointOf(settings)}.`);
    return { key: undefined, usable: false };
  }

  /** Prompts for a key with a password box; returns whether one was stored. */
  async promptAndStore(settings: GlassboxSettings): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Glassbox: Set API Key',
      prompt: `API key for ${endpointOf(settings)} (stored in the OS keychain via VS Code's SecretStorage)`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (value) => (value.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(value.trim()) ? 'A key has no spaces.' : undefined),
    });
    if (key === undefined) return false;
    await this.set(key);
    void vscode.window.showInformationMessage('Glassbox: API key saved.');
    return true;
  }

  async clearWithNotice(): Promise<void> {
    const had = (await this.get()) !== undefined;
    await this.clear();
    void vscode.window.showInformationMessage(had ? 'Glassbox: API key cleared.' : 'Glassbox: no API key was set.');
  }
}

/** Shows `message` with a button that opens Set API Key. */
export async function offerToSetKey(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Set API Key');
  if (choice === 'Set API Key') await vscode.commands.executeCommand(SET_API_KEY_COMMAND);
}
