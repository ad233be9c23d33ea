import type { Logger } from '../../agent/logger';
import { Disposable } from '../common/disposable';
import type { HostCommands } from '../common/host-commands';
import { ALLOW_WORKSPACE_ENDPOINT_COMMAND, REVOKE_WORKSPACE_ENDPOINT_COMMAND, type EndpointConsentPrompt } from '../providers/endpoint-consent';
import type { Settings } from './settings';
import { logIgnoredSettings } from './workspace-settings-notice';

/**
 * Issue 19: what the person can do about a workspace's own settings — allow or revoke its
 * endpoint — and the log lines naming the workspace values Glassbox did not use. (The chat's
 * notices come through the run controller's `settingsNotices`.)
 */
export class WorkspaceSettingsContribution extends Disposable {
  constructor(commands: HostCommands, settings: Settings, prompt: EndpointConsentPrompt, log: Logger) {
    super();
    this.register(commands.register(ALLOW_WORKSPACE_ENDPOINT_COMMAND, () => prompt.ask()));
    this.register(commands.register(REVOKE_WORKSPACE_ENDPOINT_COMMAND, () => prompt.revoke()));
    this.register(logIgnoredSettings(settings, log));
  }
}
