import type { Logger } from '../../agent/logger';
import { Disposable } from '../common/disposable';
import type { Settings } from './settings';
import { logIgnoredSettings } from './workspace-settings-notice';

/**
 * Issue 19: the log lines naming the workspace values Glassbox did not use. (Allowing or revoking
 * a workspace's endpoint is the providers room's: ProvidersContribution. The chat's notices come
 * through the run controller's `settingsNotices`.)
 */
export class WorkspaceSettingsContribution extends Disposable {
  constructor(settings: Settings, log: Logger) {
    super();
    this.register(logIgnoredSettings(settings, log));
  }
}
