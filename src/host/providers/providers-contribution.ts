import type { HostCommands } from '../common/host-commands';
import { Disposable } from '../common/disposable';
import type { Settings } from '../settings/settings';
import type { ApiKeyStore } from './api-key';
import { ALLOW_WORKSPACE_ENDPOINT_COMMAND, REVOKE_WORKSPACE_ENDPOINT_COMMAND, type EndpointConsentPrompt } from './endpoint-consent';
import { selectModel } from './select-model';
import { selectProvider } from './select-provider';

/**
 * Where requests go: Select Provider, Select Model, the API key's Set and Clear, and (issue 19)
 * allowing or revoking the endpoint a workspace's own settings name.
 */
export class ProvidersContribution extends Disposable {
  constructor(commands: HostCommands, settings: Settings, apiKeys: ApiKeyStore, endpointConsent: EndpointConsentPrompt) {
    super();
    const pickModel = () => selectModel({ settings, apiKeys });
    this.register(commands.register('glassbox.selectProvider', () => selectProvider({ settings, apiKeys, selectModel: pickModel })));
    this.register(commands.register('glassbox.selectModel', pickModel));
    this.register(commands.register('glassbox.setApiKey', () => apiKeys.promptAndStore(settings.current)));
    this.register(commands.register('glassbox.clearApiKey', () => apiKeys.clearWithNotice()));
    this.register(commands.register(ALLOW_WORKSPACE_ENDPOINT_COMMAND, () => endpointConsent.ask()));
    this.register(commands.register(REVOKE_WORKSPACE_ENDPOINT_COMMAND, () => endpointConsent.revoke()));
  }
}
