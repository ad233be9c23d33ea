import type { ApprovalSettings } from '../../agent/safety/approval';
import type { RunSettings } from '../../agent/run/build-run';
import type { GlassboxSettings } from '../settings/settings-values';

/** Who decides each call, as the person's `glassbox.*` settings say. */
export function hostApprovalSettings(settings: GlassboxSettings): ApprovalSettings {
  return {
    autoApprove: { read: true, write: settings.autoApprove.write, execute: settings.autoApprove.execute, network: settings.autoApprove.network },
    protectedPaths: settings.protectedPaths,
    sensitivePaths: settings.sensitivePaths,
    taintNeedsApproval: settings.taintApproval,
    // `remember` writes only Glassbox's own memory, so its own setting answers for it.
    autoApproveTools: settings.autoApprove.remember ? ['remember'] : [],
    commandRules: { allow: settings.commands.allow, deny: settings.commands.deny },
  };
}

/**
 * The run's settings from the extension's (already resolved) settings. `contextTokens` is the
 * window found for this model (the provider's or the server's word over the setting), and
 * `planFirst` the chat's toggle, which starts from the setting.
 */
export function hostRunSettings(settings: GlassboxSettings, contextTokens: number, planFirst: boolean): RunSettings {
  return {
    limits: {
      maxSteps: settings.maxSteps,
      maxCostUsd: settings.maxCostUsd,
      toolTimeoutMs: settings.toolTimeoutMs,
      runTimeoutMs: settings.runTimeoutMs,
      contextTokens,
    },
    approval: hostApprovalSettings(settings),
    textToolCalls: settings.textToolCalls,
    smallModel: settings.smallModelMode,
    planFirst,
  };
}
