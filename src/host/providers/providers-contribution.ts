import type { HostCommands } from '../common/host-commands';
import { Disposable } from '../common/disposable';
import type { Settings } from '../settings/settings';
import type { ApiKeyStore } from './api-key';
import { selectModel } from './select-model';
import { selectProvider } from './select-provider';

/** Where requests go: Select Provider, Select Model, and the API key's Set and Clear. */
export class ProvidersContribution extends Disposable {
  constructor(commands: HostCommands, settings: Settings, apiKeys: ApiKeyStore) {
    super();
    const pickModel = () => selectModel({ settings, apiKeys });
    this.register(commands.register('glassbox.selectProvider', () => selectProvider({ settings, apiKeys, selectModel: pickModel })));
    this.register(commands.register('glassbox.selectModel', pickModel));
    this.register(commands.register('glassbox.setApiKey', () => apiKeys.promptAndStore(settings.current)));
    this.register(commands.register('glassbox.clearApiKey', () => apiKeys.clearWithNotice()));
  }
}
