import type { RunSettings } from '../agent/run/build-run';
import type { AskCommand } from './args';

/**
 * The run's settings from `glassbox ask`'s flags. `contextTokens` is --context-tokens, else the
 * window the server reported, else absent (the loop's default).
 */
export function cliRunSettings(command: AskCommand, contextTokens: number | undefined): RunSettings {
  return {
    limits: {
      maxSteps: command.maxSteps,
      maxCostUsd: command.maxCostUsd,
      runTimeoutMs: command.timeoutSeconds === undefined ? undefined : command.timeoutSeconds * 1000,
      contextTokens,
    },
    // --approve allow approves every risk; ask and deny keep the defaults (only reads run unasked).
    // --allow-command / --deny-command: the person's own rules, judged on every part of a command line.
    approval: {
      ...(command.approve === 'allow' ? { autoApprove: { read: true, write: true, execute: true, network: true } } : {}),
      ...(command.allowCommands.length + command.denyCommands.length > 0
        ? { commandRules: { allow: command.allowCommands, deny: command.denyCommands } }
        : {}),
    },
    textToolCalls: command.textToolCalls,
    smallModel: command.smallModel,
    planFirst: command.plan,
  };
}
